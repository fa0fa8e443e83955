import { InvalidOptionError } from './errors';
import { addDays, isIsoDate, round2 } from '@retail-forecast/util';
import type {
  DailyForecast,
  DataIssues,
  Outliers,
  ProductForecast,
  Quantiles,
  SeriesOutliers,
  LevelShift,
  SeriesLevelShift,
  SeriesWeekdayProfile,
} from './types';

/** What `toProductForecast` needs to know about the product (a sales-data series fits). */
export interface ProductMeta {
  productId: string;
  productName?: string;
  category?: string;
  /** Carried into the forecast record when the history had rejected (unknown) days. */
  dataIssues?: DataIssues;
  /** YYYY-MM-DD of the series' first day: dates the forecast's `outliers` (needed with them). */
  startDate?: string;
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
 * Extra quantile levels (keyed `"0.05"`, ...) as they are published, next to the cleaned
 * P10/P50/P90 of `cleanQuantiles`: each clamped at 0 and rounded to 2 decimals, then kept on its
 * side of its neighbours (a level below 0.5 never above the next higher one, above 0.5 never
 * below the next lower), so every day's levels are monotone. Throws `InvalidOptionError` for a
 * key that is not a level in (0, 1) or a level with fewer than `horizon` values.
 */
export function cleanExtraLevels(
  extra: Record<string, ArrayLike<number>>,
  q: Quantiles<number[]>,
  horizon: number,
): Record<string, number[]> {
  const levels = Object.keys(extra)
    .map((key) => {
      const level = Number(key);
      if (!(level > 0 && level < 1) || [0.1, 0.5, 0.9].includes(level)) {
        throw new InvalidOptionError(
          `quantile key "${key}" is not allowed (expected a level in (0, 1) other than 0.1, 0.5, 0.9)`,
        );
      }
      if (extra[key].length < horizon) {
        throw new InvalidOptionError(
          `quantile ${key} has ${extra[key].length} values, fewer than the horizon of ${horizon}`,
        );
      }
      return { key, level };
    })
    .sort((a, b) => a.level - b.level);
  const out: Record<string, number[]> = {};
  for (let k = 0; k < horizon; k++) {
    const row = [
      ...levels.map(({ key, level }) => ({ key, level, v: round2(Math.max(0, extra[key][k])) })),
      { key: '', level: 0.1, v: q.p10[k] },
      { key: '', level: 0.5, v: q.p50[k] },
      { key: '', level: 0.9, v: q.p90[k] },
    ].sort((a, b) => a.level - b.level);
    const mid = row.findIndex((e) => e.level === 0.5);
    for (let j = mid - 1; j >= 0; j--) row[j].v = Math.min(row[j].v, row[j + 1].v);
    for (let j = mid + 1; j < row.length; j++) row[j].v = Math.max(row[j].v, row[j - 1].v);
    for (const e of row) if (e.key) (out[e.key] ??= []).push(e.v);
  }
  return out;
}

/**
 * The first `horizon` daily means (`Quantiles.mean`) as they are published: clamped at 0 and
 * rounded to 2 decimals. Throws `InvalidOptionError` for fewer than `horizon` values or a value
 * that is not a finite number (step and value named): a mean that is not a number would make
 * `forecastedDemand` one.
 */
export function cleanMeans(mean: ArrayLike<number>, horizon: number): number[] {
  if (mean.length < horizon) {
    throw new InvalidOptionError(
      `mean has ${mean.length} values, fewer than the horizon of ${horizon}`,
    );
  }
  const out: number[] = [];
  for (let k = 0; k < horizon; k++) {
    if (!Number.isFinite(mean[k])) {
      throw new InvalidOptionError(
        `mean at step ${k + 1} is ${mean[k]} (expected a finite number)`,
      );
    }
    out.push(round2(Math.max(0, mean[k])));
  }
  return out;
}

/**
 * `startDate` when it is a YYYY-MM-DD date; else throws `InvalidOptionError` naming the product
 * and what needed the date (`what`): a position in a series alone cannot be dated.
 */
function requireStartDate(productId: string, startDate: string | undefined, what: string): string {
  if (startDate === undefined || !isIsoDate(startDate)) {
    throw new InvalidOptionError(
      `product ${productId}: startDate ${JSON.stringify(startDate)} is not a date (expected YYYY-MM-DD, to date ${what})`,
    );
  }
  return startDate;
}

/**
 * `SeriesForecast.outliers` as published: each listed day dated `startDate` + its position in the
 * series, its units sold and fitted rounded to 2 decimals. Throws `InvalidOptionError` naming the
 * product when `startDate` is not a YYYY-MM-DD date: a day's position alone cannot be dated.
 */
export function datedOutliers(
  outliers: SeriesOutliers,
  productId: string,
  startDate: string | undefined,
): Outliers<{ date: string }> {
  const start =
    outliers.recent.length > 0
      ? requireStartDate(productId, startDate, 'the replaced outliers')
      : '';
  return {
    count: outliers.count,
    recent: outliers.recent.map((d) => ({
      date: addDays(start, d.index),
      value: round2(d.value),
      replacement: round2(d.replacement),
    })),
  };
}

/**
 * `SeriesForecast.levelShift` as published: its first day dated `startDate` + its position in the
 * series, the means rounded to 2 decimals. Throws `InvalidOptionError` naming the product when
 * `startDate` is not a YYYY-MM-DD date.
 */
export function datedLevelShift(
  shift: SeriesLevelShift,
  productId: string,
  startDate: string | undefined,
): LevelShift<{ date: string }> {
  return {
    date: addDays(requireStartDate(productId, startDate, 'the level shift'), shift.index),
    before: round2(shift.before),
    after: round2(shift.after),
  };
}

/**
 * `SeriesForecast.weekdayProfile` as published: where the profile came from (`category` when the
 * series' category had one, else `catalogue`) and the own weeks' weight rounded to 2 decimals.
 */
function publishedWeekdayProfile(
  profile: SeriesWeekdayProfile,
): NonNullable<ProductForecast['weekdayProfile']> {
  return {
    source: profile.category !== undefined ? 'category' : 'catalogue',
    ownWeight: round2(profile.ownWeight),
  };
}

/**
 * The per-product record the job writes to JSONL and DynamoDB: `cleanQuantiles` per day, dated
 * from the day after `asOf`; each day's `mean` when the forecast gives one (a count series'
 * forecast, whose P50 is the count median: `countMedian.ts`), and `forecastedDemand` = the
 * rounded sum of the daily means, else of the daily P50s — the expected demand over the horizon.
 * Extra levels (`quantiles.quantiles`, see `cleanExtraLevels`) go to each day's `quantiles`, only
 * when there are any, so a default record keeps its layout.
 * `fallbackReason` is set only when the requested model's answer was not used. `outliers` (the
 * statistical forecast's `SeriesForecast.outliers`, given only when its numbers are the ones
 * published) becomes the record's `outliers`, dated from `product.startDate` (`datedOutliers`);
 * likewise `levelShift` (`datedLevelShift`). `weekdayProfile` becomes the record's
 * `weekdayProfile` (`publishedWeekdayProfile`).
 */
export function toProductForecast(
  product: ProductMeta,
  asOf: string,
  horizon: number,
  model: string,
  quantiles: Quantiles & {
    quantiles?: Record<string, ArrayLike<number>>;
    outliers?: SeriesOutliers;
    levelShift?: SeriesLevelShift;
    weekdayProfile?: SeriesWeekdayProfile;
  },
  fallbackReason?: string,
): ProductForecast {
  const q = cleanQuantiles(quantiles, horizon);
  const extra =
    quantiles.quantiles && Object.keys(quantiles.quantiles).length > 0
      ? cleanExtraLevels(quantiles.quantiles, q, horizon)
      : undefined;
  const means = quantiles.mean ? cleanMeans(quantiles.mean, horizon) : undefined;
  const daily: DailyForecast[] = q.p50.map((p50, k) => ({
    date: addDays(asOf, k + 1),
    p10: q.p10[k],
    p50,
    p90: q.p90[k],
    ...(means ? { mean: means[k] } : {}),
    ...(extra
      ? { quantiles: Object.fromEntries(Object.entries(extra).map(([key, v]) => [key, v[k]])) }
      : {}),
  }));
  return {
    productId: product.productId,
    productName: product.productName,
    category: product.category,
    asOf,
    horizonDays: horizon,
    model,
    ...(fallbackReason ? { fallbackReason } : {}),
    forecastedDemand: round2(daily.reduce((s, d) => s + (d.mean ?? d.p50), 0)),
    daily,
    ...(product.dataIssues
      ? { dataIssues: { rejectedDays: product.dataIssues.rejectedDays } }
      : {}),
    ...(quantiles.outliers
      ? {
          outliers: datedOutliers(quantiles.outliers, product.productId, product.startDate),
        }
      : {}),
    ...(quantiles.levelShift
      ? {
          levelShift: datedLevelShift(quantiles.levelShift, product.productId, product.startDate),
        }
      : {}),
    ...(quantiles.weekdayProfile
      ? { weekdayProfile: publishedWeekdayProfile(quantiles.weekdayProfile) }
      : {}),
  };
}
