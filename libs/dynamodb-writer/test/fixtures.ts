import type { ProductForecast } from '@retail-forecast/forecasting';
import { addDays } from '@retail-forecast/util';

export interface ForecastSpec {
  asOf?: string;
  horizonDays?: number;
  /** Same value every day unless `p50s` is given. */
  p50?: number;
  p50s?: number[];
  /** p90 = p50 + spread, p10 = max(0, p50 - spread). */
  spread?: number;
  model?: string;
  productName?: string;
  category?: string;
  fallbackReason?: string;
}

/** A ProductForecast honouring the engine's contract (dates after asOf, totals = sum of p50). */
export function makeForecast(productId: string, spec: ForecastSpec = {}): ProductForecast {
  const asOf = spec.asOf ?? '2025-04-28';
  const h = spec.horizonDays ?? spec.p50s?.length ?? 7;
  const p50s = spec.p50s ?? Array.from({ length: h }, () => spec.p50 ?? 2);
  const spread = spec.spread ?? 1;
  const daily = p50s.map((p50, i) => ({
    date: addDays(asOf, i + 1),
    p10: Math.max(0, p50 - spread),
    p50,
    p90: p50 + spread,
  }));
  return {
    productId,
    ...(spec.productName !== undefined ? { productName: spec.productName } : {}),
    ...(spec.category !== undefined ? { category: spec.category } : {}),
    asOf,
    horizonDays: h,
    model: spec.model ?? 'statistical:ets(A,N,A)',
    ...(spec.fallbackReason !== undefined ? { fallbackReason: spec.fallbackReason } : {}),
    forecastedDemand: p50s.reduce((a, b) => a + b, 0),
    daily,
  };
}
