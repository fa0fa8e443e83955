import type { DemandForecast } from '../src/index';

export interface DemandSpec {
  /** Same value every day unless `p50s` is given. */
  p50?: number;
  p50s?: number[];
  /** Days when `p50s` is not given; default 7. */
  horizonDays?: number;
  /** p90 = p50 + spread; default 1. */
  spread?: number;
  productName?: string;
  category?: string;
}

/** A forecast whose totals agree with its days, as the forecasting engine promises. */
export function demand(productId: string, spec: DemandSpec = {}): DemandForecast {
  const p50s = spec.p50s ?? Array.from({ length: spec.horizonDays ?? 7 }, () => spec.p50 ?? 2);
  const spread = spec.spread ?? 1;
  return {
    productId,
    ...(spec.productName !== undefined ? { productName: spec.productName } : {}),
    ...(spec.category !== undefined ? { category: spec.category } : {}),
    horizonDays: p50s.length,
    forecastedDemand: p50s.reduce((a, b) => a + b, 0),
    daily: p50s.map((p50) => ({ p50, p90: p50 + spread })),
  };
}
