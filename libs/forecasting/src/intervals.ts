import { Z90, quantileSorted } from './numeric/stats';
import type { QuantileForecast } from './types';

/**
 * Makes any raw quantile triple safe to hand out: finite, non-negative, p10 <= p50 <= p90 (and
 * `mean`, when given, finite and non-negative). Demand cannot be negative, so the Gaussian lower
 * tails are cut at 0.
 */
export function finalizeQuantiles(q: QuantileForecast): QuantileForecast {
  const h = q.p50.length;
  const out: QuantileForecast = {
    p10: new Float64Array(h),
    p50: new Float64Array(h),
    p90: new Float64Array(h),
  };
  for (let k = 0; k < h; k++) {
    const p50 = fin(q.p50[k]);
    out.p50[k] = p50;
    out.p10[k] = Math.min(p50, fin(q.p10[k]));
    out.p90[k] = Math.max(p50, fin(q.p90[k]));
  }
  if (q.mean) out.mean = Float64Array.from(q.mean, fin);
  return out;
}

/** A finite positive value, else 0. */
function fin(v: number): number {
  return Number.isFinite(v) && v > 0 ? v : 0;
}

/** Gaussian P10/P50/P90 from a point path and a per-step standard deviation. */
export function normalQuantiles(point: Float64Array, sd: (k: number) => number): QuantileForecast {
  const h = point.length;
  const p10 = new Float64Array(h);
  const p90 = new Float64Array(h);
  for (let k = 0; k < h; k++) {
    const s = sd(k);
    const w = Number.isFinite(s) && s > 0 ? Z90 * s : 0;
    p10[k] = point[k] - w;
    p90[k] = point[k] + w;
  }
  return finalizeQuantiles({ p10, p50: point, p90 });
}

/** Flat path of length h. */
export function flat(value: number, h: number): Float64Array {
  return new Float64Array(h).fill(value);
}

/** All-zero forecast. */
export function zeroQuantiles(h: number): QuantileForecast {
  return { p10: new Float64Array(h), p50: new Float64Array(h), p90: new Float64Array(h) };
}

/** Root mean square of the finite entries of residuals[from..]. */
export function residualSd(residuals: ArrayLike<number>, from = 0, dof = 0): number {
  let s = 0;
  let c = 0;
  for (let i = from; i < residuals.length; i++) {
    const r = residuals[i];
    if (Number.isFinite(r)) {
      s += r * r;
      c++;
    }
  }
  return c - dof > 0 ? Math.sqrt(s / (c - dof)) : 0;
}

/**
 * Daily quantiles of intermittent demand as a compound Bernoulli: on any day demand occurs with
 * probability q, and its size follows the empirical distribution of past non-zero sizes rescaled
 * to the model's size estimate. q is chosen so that q · size equals the model's mean rate, which
 * keeps the distribution consistent with the point forecast (P50 stays the point forecast, as
 * for every model, so weekly sums of P50 are unbiased demand totals).
 */
export function intermittentQuantiles(
  rate: number,
  sizeEstimate: number,
  pastSizes: Float64Array,
  h: number,
): QuantileForecast {
  if (!(rate > 0) || pastSizes.length === 0) return zeroQuantiles(h);
  const size = sizeEstimate > 0 ? sizeEstimate : rate;
  let q = rate / size;
  let scale = size;
  if (q > 1) {
    // A rate above the size estimate means demand every day with bigger sizes.
    q = 1;
    scale = rate;
  }
  const sorted = Float64Array.from(pastSizes).sort();
  let sm = 0;
  for (const v of sorted) sm += v;
  sm /= sorted.length;
  const factor = sm > 0 ? scale / sm : 0;
  const at = (tau: number) =>
    tau <= 1 - q ? 0 : factor * quantileSorted(sorted, (tau - (1 - q)) / q);
  return finalizeQuantiles({
    p10: flat(at(0.1), h),
    p50: flat(rate, h),
    p90: flat(at(0.9), h),
  });
}
