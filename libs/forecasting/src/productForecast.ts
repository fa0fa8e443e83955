import { InvalidOptionError } from './errors';
import { addDays, round2 } from '@retail-forecast/util';
import type { DailyForecast, DataIssues, ProductForecast, Quantiles } from './types';

/** What `toProductForecast` needs to know about the product (a sales-data series fits). */
export interface ProductMeta {
  productId: string;
  productName?: string;
  category?: string;
  /** Carried into the forecast record when the history had rejected (unknown) days. */
  dataIssues?: DataIssues;
}

/**
 * The first `horizon` steps of any model's quantiles as they are published: each clamped at 0
 * and rounded to 2 decimals, then P10 lowered and P90 raised to the rounded median where they
 * cross it, so p10 <= p50 <= p90 always holds.
 */
export function cleanQuantiles(q: Quantiles, horizon: number): Quantiles<number[]> {
  if (!Number.isInteger(horizon) || horizon < 1) {
    throw new InvalidOptionError(`horizon ${horizon} is not allowed (expected an integer >= 1)`);
  }
  for (const level of ['p10', 'p50', 'p90'] as const) {
    if (q[level].length < horizon) {
      throw new InvalidOptionError(
        `${level} has ${q[level].length} values, fewer than the horizon of ${horizon}`,
      );
    }
  }
  const out: Quantiles<number[]> = { p10: [], p50: [], p90: [] };
  for (let k = 0; k < horizon; k++) {
    const p50 = round2(Math.max(0, q.p50[k]));
    out.p10.push(Math.min(p50, round2(Math.max(0, q.p10[k]))));
    out.p50.push(p50);
    out.p90.push(Math.max(p50, round2(Math.max(0, q.p90[k]))));
  }
  return out;
}

/**
 * The per-product record the job writes to JSONL and DynamoDB: `cleanQuantiles` per day, dated
 * from the day after `asOf`, and `forecastedDemand` = the rounded sum of the daily medians.
 * `fallbackReason` is set only when the requested model's answer was not used.
 */
export function toProductForecast(
  product: ProductMeta,
  asOf: string,
  horizon: number,
  model: string,
  quantiles: Quantiles,
  fallbackReason?: string,
): ProductForecast {
  const q = cleanQuantiles(quantiles, horizon);
  const daily: DailyForecast[] = q.p50.map((p50, k) => ({
    date: addDays(asOf, k + 1),
    p10: q.p10[k],
    p50,
    p90: q.p90[k],
  }));
  return {
    productId: product.productId,
    productName: product.productName,
    category: product.category,
    asOf,
    horizonDays: horizon,
    model,
    ...(fallbackReason ? { fallbackReason } : {}),
    forecastedDemand: round2(daily.reduce((s, d) => s + d.p50, 0)),
    daily,
    ...(product.dataIssues
      ? { dataIssues: { rejectedDays: product.dataIssues.rejectedDays } }
      : {}),
  };
}
