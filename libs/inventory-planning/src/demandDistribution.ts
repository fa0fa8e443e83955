import { expectedDemand } from './stockStatus';
import type { DailyDemand, DemandDistribution } from './types';

/** z of the 90th percentile of the standard normal: P90 − P50 = Z90·σ for a normal day. */
export const Z90 = 1.2815515655446004;

/**
 * Below this mean (units over the period) demand is treated as counts (Poisson or negative
 * binomial): the normal approximation puts visible mass below zero and misses the right skew.
 */
export const COUNT_MODEL_MAX_MEAN = 30;

/** Demand summed over a number of days, as a mean and a standard deviation (units). */
export interface PeriodDemand {
  mean: number;
  sd: number;
  /** Days beyond the forecast's horizon that were filled in (0 when the horizon covers them). */
  extendedDays: number;
}

/**
 * Demand over the next `days` days from a forecast's daily P50/P90.
 *
 * Each day is read as a normal with mean μ = its expected demand (`expectedDemand`: the day's
 * mean where the forecast gives one, else P50) and σ = (P90 − μ) / z0.90 (the upper half of the
 * interval, because P10 is cut at 0 by the engine); days are summed as independent, so
 * mean = Σ μ and σ = √Σσ². Days beyond the horizon are filled with the horizon's mean daily μ
 * and the variance of its last day, the widest the model gave: the spread keeps growing with
 * every extra day (σ ∝ √days) instead of stopping at the horizon.
 * @param days whole days ≥ 0
 */
export function periodDemand(daily: readonly DailyDemand[], days: number): PeriodDemand {
  const h = daily.length;
  const variance = (d: DailyDemand) => (Math.max(0, d.p90 - expectedDemand(d)) / Z90) ** 2;
  let mean = 0;
  let v = 0;
  for (let k = 0; k < Math.min(days, h); k++) {
    mean += expectedDemand(daily[k]);
    v += variance(daily[k]);
  }
  const extendedDays = Math.max(0, days - h);
  if (extendedDays > 0 && h > 0) {
    let total = 0;
    for (const d of daily) total += expectedDemand(d);
    mean += (total / h) * extendedDays;
    v += variance(daily[h - 1]) * extendedDays;
  }
  return { mean, sd: Math.sqrt(v), extendedDays };
}

/**
 * The `level` quantile of period demand (units, not rounded).
 *
 * - mean ≥ {@link COUNT_MODEL_MAX_MEAN} (or 0): normal, mean + z(level)·σ, never below 0.
 * - 0 < mean < {@link COUNT_MODEL_MAX_MEAN}: counts. Variance = max(σ², mean): Poisson(mean)
 *   when the forecast's variance is no more than the mean (count demand is at least that noisy),
 *   otherwise a negative binomial with the same mean and variance (r = mean²/(var − mean),
 *   p = mean/var); the quantile is the smallest k with P(X ≤ k) ≥ level.
 * @param level in (0, 1)
 */
export function demandQuantile(
  demand: { mean: number; sd: number },
  level: number,
): { value: number; distribution: DemandDistribution } {
  const { mean, sd } = demand;
  if (mean <= 0 && sd <= 0) return { value: 0, distribution: 'none' };
  if (mean > 0 && mean < COUNT_MODEL_MAX_MEAN) {
    const variance = Math.max(sd * sd, mean);
    if (variance <= mean) return { value: poissonQuantile(mean, level), distribution: 'poisson' };
    const r = (mean * mean) / (variance - mean);
    const p = mean / variance;
    return { value: negBinomialQuantile(r, p, level), distribution: 'negative-binomial' };
  }
  return { value: Math.max(0, mean + normalQuantile(level) * sd), distribution: 'normal' };
}

/** Smallest k with Poisson(mean) CDF(k) ≥ level. */
export function poissonQuantile(mean: number, level: number): number {
  return discreteQuantile(-mean, (k) => mean / k, level);
}

/**
 * Smallest k with CDF(k) ≥ level for the negative binomial counting failures before the r-th
 * success: P(k) = Γ(k+r)/(Γ(r)·k!) · p^r · (1−p)^k, mean r(1−p)/p.
 */
export function negBinomialQuantile(r: number, p: number, level: number): number {
  return discreteQuantile(r * Math.log(p), (k) => ((k - 1 + r) / k) * (1 - p), level);
}

/** Walks P(0) = exp(logP0), P(k) = P(k−1)·ratio(k) until the CDF reaches `level`. */
function discreteQuantile(logP0: number, ratio: (k: number) => number, level: number): number {
  let pk = Math.exp(logP0);
  let cdf = pk;
  let k = 0;
  // The cap only guards against a level of 1 − ε that floating-point sums never reach.
  while (cdf < level && k < 1_000_000) {
    k++;
    pk *= ratio(k);
    cdf += pk;
    if (pk === 0 && k > 10) break;
  }
  return k;
}

/**
 * Inverse of the standard normal CDF (Acklam's rational approximation, relative error < 1.2e-9).
 * @param p in (0, 1)
 */
export function normalQuantile(p: number): number {
  const a = [
    -3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2,
    -3.066479806614716e1, 2.506628277459239,
  ];
  const b = [
    -5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1,
    -1.328068155288572e1,
  ];
  const c = [
    -7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734,
    4.374664141464968, 2.938163982698783,
  ];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  let x: number;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    x =
      (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
      ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  } else if (p <= 1 - low) {
    const q = p - 0.5;
    const r = q * q;
    x =
      ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) /
      (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
  } else {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    x =
      -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
      ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  return x;
}
