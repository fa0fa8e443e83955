import type { SeriesForecast } from '@retail-forecast/forecasting';
import type { Quantiles } from '@retail-forecast/response-parser';

/** The statistical forecast's own first `horizon` days, as a fallback result's quantiles. */
export function statisticalQuantiles(statistical: SeriesForecast, horizon: number): Quantiles {
  return {
    p10: Array.from(statistical.p10.subarray(0, horizon)),
    p50: Array.from(statistical.p50.subarray(0, horizon)),
    p90: Array.from(statistical.p90.subarray(0, horizon)),
  };
}
