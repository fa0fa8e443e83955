/**
 * Count-data predictive distributions for histories too short (or too flat) for the smoothing
 * models: a new product with a few days of sales, a product that sold exactly the same every day.
 */
import { flat } from '../intervals';
import { assertSomeKnown, observed } from '../missing';
import { Z90 } from '../numeric/stats';
import type { FittedModel, QuantileForecast } from '../types';

/** Above this mean the negative-binomial quantiles come from a normal approximation (walking
 * the probability function would take ~mean steps, and the two agree to well under a unit). */
const EXACT_UP_TO = 1e5;

/**
 * Lower τ-quantile, min{k : F(k) >= τ}, of the negative binomial with the given mean μ > 0 and
 * variance V > μ (size r = μ²/(V − μ), probability p = μ/V): `negBinomialQuantiles` at τ alone,
 * and above a mean of 100,000 the normal approximation rounded.
 */
export function negBinomialQuantile(mean: number, variance: number, tau: number): number {
  if (mean > EXACT_UP_TO) {
    const z = tau < 0.5 ? -Z90 : tau > 0.5 ? Z90 : 0;
    return Math.max(0, Math.round(mean + z * Math.sqrt(variance)));
  }
  return negBinomialQuantiles(mean, variance, [tau])[0];
}

/**
 * Lower τ-quantiles, min{k : F(k) >= τ}, of the negative binomial with the given mean μ > 0 and
 * variance V > μ (size r = μ²/(V − μ), probability p = μ/V) at each of `levels`, from one walk of
 * the probability function in logs from 0 (P(0) = p^r, P(k+1)/P(k) = (k + r)/(k + 1)·(1 − p)),
 * so large sizes underflow harmlessly instead of giving NaN. The walk takes about μ + a few
 * standard deviations steps: callers bound μ.
 * @param levels probabilities in (0, 1), ascending
 * @returns one whole count per level, non-decreasing
 */
export function negBinomialQuantiles(
  mean: number,
  variance: number,
  levels: readonly number[],
): Float64Array {
  const out = new Float64Array(levels.length);
  const r = (mean * mean) / (variance - mean);
  const p = mean / variance;
  const logQ = Math.log1p(-p);
  const bound = mean + 50 * Math.sqrt(variance) + 50;
  let logP = r * Math.log(p);
  let cdf = Math.exp(logP);
  let k = 0;
  for (let i = 0; i < levels.length; i++) {
    // The bound ends the walk if rounding keeps the sum a hair below τ near 1; written so that a
    // NaN (overflowed) sum or bound ends it too instead of looping forever.
    while (cdf < levels[i] && k <= bound) {
      logP += Math.log((k + r) / (k + 1)) + logQ;
      cdf += Math.exp(logP);
      k++;
    }
    out[i] = k;
  }
  return out;
}

/**
 * Flat daily P10/P50/P90 of a count with predictive mean μ > 0 and variance V > μ: P50 is μ (the
 * point forecast, so weekly sums of P50 stay unbiased totals, as for every model) and P10/P90 are
 * the negative-binomial quantiles, moved by at most one unit where needed so that
 * P10 < P50 < P90 holds strictly: P10 <= ⌈μ⌉ − 1 and P90 >= ⌊μ⌋ + 1. (That only bites for rates
 * around 0.1 a day or below, where the 90% quantile of a day's count is 0 and the next count a
 * day can take is 1.)
 */
export function countQuantiles(mean: number, variance: number, h: number): QuantileForecast {
  const lo = Math.max(0, Math.min(negBinomialQuantile(mean, variance, 0.1), Math.ceil(mean) - 1));
  const hi = Math.max(negBinomialQuantile(mean, variance, 0.9), Math.floor(mean) + 1);
  return { p10: flat(lo, h), p50: flat(mean, h), p90: flat(hi, h) };
}

/**
 * The forecast for a product with a short history (forecastAuto uses it below 14 known days):
 * the mean of the known days as the point forecast, with a count-data interval that widens as
 * the history shrinks.
 *
 * Daily sales are modelled as Poisson(λ) counts with a vague Gamma prior on λ. After n known days
 * totalling s the posterior is Gamma(shape s, rate n) and the next day's posterior predictive is
 * negative binomial with mean s/n and variance (s/n)·(1 + 1/n): the Poisson variance plus the
 * uncertainty of a rate estimated from n days (Gelman et al., Bayesian Data Analysis, 3rd ed.,
 * §2.6; the limit of a Gamma(a, b) prior as a, b → 0, which keeps the mean at today's point
 * forecast s/n). Real demand is often over-dispersed, so the variance is multiplied by the
 * quasi-Poisson dispersion φ = max(1, sample variance / mean) of the known days (McCullagh &
 * Nelder, Generalized Linear Models, 2nd ed., §6.2; φ = 1 for a single day). P10/P90 are the
 * predictive's 10% and 90% quantiles (`countQuantiles`), the same every day of the horizon.
 *
 * One day of 4 units gives P10 = 1, P50 = 4, P90 = 8 a day (negative binomial with mean 4,
 * variance 8); thirteen days of 4 give 2 … 7, close to Poisson(4). Missing (NaN) days are
 * skipped; a history without demand forecasts zeros. Throws `InvalidSeriesError` when every day
 * is missing. Assumes unit counts: for other units the Poisson part is a scale assumption.
 */
export function fitShortHistory(series: Float64Array): FittedModel {
  assertSomeKnown(series, 'short history');
  const y = observed(series);
  const n = y.length;
  let s = 0;
  for (let i = 0; i < n; i++) s += y[i];
  const mean = n > 0 ? s / n : 0;
  const name = `mean(${n})`;
  if (!(mean > 0)) return { name, forecast: (h) => zeroForecast(h) };
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (y[i] - mean) * (y[i] - mean);
  const dispersion = n > 1 ? Math.max(1, ss / (n - 1) / mean) : 1;
  const variance = dispersion * mean * (1 + 1 / n);
  return { name, forecast: (h) => countQuantiles(mean, variance, h) };
}

/**
 * The forecast for a history whose known days are all the same count c > 0 (n of them): P50 = c
 * with a narrow interval c ∓ 1.2816·√(c/n). The history shows no day-to-day noise, so only the
 * uncertainty of the rate remains: under the same Poisson–Gamma model as `fitShortHistory`, the
 * posterior of λ is Gamma(shape n·c, rate n), whose standard deviation is √(c/n) (BDA3 §2.6).
 * Sixty days of 10 give 9.48 … 10.52. Every smoothing model would otherwise fit such a series
 * perfectly and return a zero-width interval.
 */
export function fitConstantHistory(value: number, knownDays: number): FittedModel {
  const half = value > 0 && knownDays > 0 ? Z90 * Math.sqrt(value / knownDays) : 0;
  return {
    name: 'constant',
    forecast: (h) => ({
      p10: flat(Math.max(0, value - half), h),
      p50: flat(value, h),
      p90: flat(value + half, h),
    }),
  };
}

function zeroForecast(h: number): QuantileForecast {
  return { p10: flat(0, h), p50: flat(0, h), p90: flat(0, h) };
}
