/**
 * The daily median of count demand, from a model's mean.
 *
 * Every registry model forecasts a mean: ETS, Theta and ARIMA a Gaussian mean, Croston, SBA and
 * TSB a demand rate. For demand counted in whole units the day's distribution is skewed (a
 * product selling 0.6 units a day sells nothing on more than half of its days), so its median
 * lies below the mean, and for sparse demand it is 0. The median is what a P50 is, and the point
 * that minimises absolute error (MASE, WAPE and the 0.5 pinball loss of wQL all score it), while
 * the mean is what sums to an unbiased total. So on a count series `forecastAuto` publishes the
 * median as P50 and keeps the mean beside it (`SeriesForecast.mean`), from which the job's 7-day
 * `forecasted_demand` is summed.
 *
 * The day's count is read as negative binomial with the model's mean μ and variance μ + φμ²
 * (Poisson when φ = 0), φ estimated from the series itself (`weekdayDispersion`). Reading count
 * data's median off a negative binomial with a fitted mean is the count-model practice of
 * Syntetos & Boylan's intermittent-demand work and of the M5 competition's quantile entries;
 * the global model (`global/globalModel.ts`) answers the same way.
 */
import type { QuantileForecast } from './types';

/** The last this-many days of history are read for the dispersion (8 weeks). */
export const DISPERSION_WINDOW_DAYS = 56;

/** Smallest dispersion: φ = 1e-6 is Poisson to any practical purpose, and keeps the negative
 * binomial's size 1/φ finite. */
const MIN_PHI = 1e-6;

/** Above this mean the median is approximated (`countMedian`) instead of walking the probability
 * function (about μ steps). Up to it P(0) ≥ e^−500 stays a normal double, so the walk runs on
 * plain products. */
const EXACT_MEDIAN_UP_TO = 500;

/** Largest skewness (1 + 2φμ)/√(μ + φμ²) at which the one-term Cornish–Fisher median is used
 * above `EXACT_MEDIAN_UP_TO`; more skewed counts (φ above about 0.25) scale the exact median. */
const MAX_CORNISH_FISHER_SKEW = 1;

/**
 * Whether `x` is count data: every known value (not NaN) a whole number. A series with a
 * fractional value (demand in kilograms, a partial return) is not, and keeps its mean as P50.
 */
export function isCountSeries(x: ArrayLike<number>): boolean {
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (v === v && v !== Math.floor(v)) return false;
  }
  return true;
}

/**
 * Negative-binomial dispersion φ (variance μ + φμ², so φ = 0 is Poisson) of a daily count series,
 * from the pairs of known days a week apart in the last `window` days of `x` (the same weekday, so
 * a weekly pattern is not counted as noise). At a steady mean, a pair (a, b) has
 * E[(a − b)²/2] = μ + φμ², E[(a + b)/2] = μ and E[ab] = μ², so
 * φ = Σ ((a − b)²/2 − (a + b)/2) / Σ ab: the method of moments on the mean square successive
 * difference (von Neumann et al. 1941) at lag 7. A level that moved inside the window (a
 * product back to daily sales, a promotion's weeks, a trend) enters only through the pairs that
 * straddle the move, where each weekday's variance around its 8-week mean reads the whole move as
 * noise: a product back to 100 a day for 2 weeks after months of a few sales read φ ≈ 3 that way,
 * and its count median was a quarter of its mean. When no pair sold on both days (Σ ab = 0:
 * orders on a few scattered days) the pooled per-weekday estimate `weekdayMeanDispersion` is
 * used. Floored at 1e-6 (Poisson): under-dispersed counts are read as Poisson.
 * @param x daily demand, oldest first, NaN = unknown
 * @param window days from the end to read (default 56: 49 pairs)
 */
export function weekdayDispersion(x: ArrayLike<number>, window = DISPERSION_WINDOW_DAYS): number {
  let excess = 0;
  let products = 0;
  const from = Math.max(0, x.length - window);
  for (let i = x.length - 1; i - 7 >= from; i--) {
    const a = x[i];
    const b = x[i - 7];
    if (a !== a || b !== b) continue;
    excess += ((a - b) * (a - b) - a - b) / 2;
    products += a * b;
  }
  if (!(products > 0)) return weekdayMeanDispersion(x, window);
  // Values near 1e154 and above overflow the squares (NaN): read as Poisson rather than hang.
  const phi = excess / products;
  return Number.isFinite(phi) ? Math.max(phi, MIN_PHI) : MIN_PHI;
}

/**
 * Negative-binomial dispersion φ of a daily count series around its weekday means: over the last
 * `window` days of `x` (unknown days skipped), the days are grouped by their position modulo 7
 * (the same weekday), and φ = Σ_g n_g (s²_g − m_g) / Σ_g n_g m²_g, the method-of-moments estimate
 * pooled over the groups with at least 2 known days (m_g, s²_g: a group's mean and sample
 * variance). Floored at 1e-6 (Poisson); 1e-6 when no group has 2 known days or every mean is 0.
 * A level that moved inside the window counts as noise here; `weekdayDispersion` reads it from
 * pairs a week apart and falls back to this where no pair sold on both days.
 * @param x daily demand, oldest first, NaN = unknown
 * @param window days from the end to read (default 56)
 */
export function weekdayMeanDispersion(
  x: ArrayLike<number>,
  window = DISPERSION_WINDOW_DAYS,
): number {
  const sum = new Float64Array(7);
  const sq = new Float64Array(7);
  const n = new Float64Array(7);
  const from = Math.max(0, x.length - window);
  for (let i = x.length - 1; i >= from; i--) {
    const v = x[i];
    if (v !== v) continue;
    const g = (x.length - 1 - i) % 7;
    sum[g] += v;
    sq[g] += v * v;
    n[g]++;
  }
  let excess = 0;
  let squares = 0;
  for (let g = 0; g < 7; g++) {
    if (n[g] < 2) continue;
    const m = sum[g] / n[g];
    const s2 = (sq[g] - n[g] * m * m) / (n[g] - 1);
    excess += n[g] * (s2 - m);
    squares += n[g] * m * m;
  }
  // Values near 1e154 and above overflow the squares (NaN): read as Poisson rather than hang.
  const phi = excess / squares;
  return squares > 0 && Number.isFinite(phi) ? Math.max(phi, MIN_PHI) : MIN_PHI;
}

/** The last this-many days (16 of each weekday) are read for each weekday's zero days: with 8,
 * a weekday that sells nothing one day in four shows no zero 10 % of the time. */
export const ZERO_EVIDENCE_DAYS = 112;

/**
 * Share of each weekday's known days that sold nothing, over the last `window` days of `x`
 * (unknown days skipped), in [0, 1]; 0 for a weekday with no known day. Indexed by a future
 * day's phase: entry j is for the days i with (i − x.length) mod 7 = j, so step k of a forecast
 * from the end of `x` (k = 0 the next day) reads entry k mod 7.
 * @param x daily demand, oldest first, NaN = unknown
 * @param window days from the end to read (default 112, 16 of each weekday)
 * @returns 7 shares
 */
export function weekdayZeroShare(x: ArrayLike<number>, window = ZERO_EVIDENCE_DAYS): Float64Array {
  const { known, zeros } = weekdayTallies(x, window);
  return Float64Array.from(zeros, (z, j) => (known[j] > 0 ? z / known[j] : 0));
}

/**
 * The phase of day `i` of a history of `n` days, 0–6: the days of one weekday share it, and
 * forecast step k (k = 0 the day after the history) falls on phase k mod 7. The index of the
 * per-weekday readings (`weekdayZeroShare`, `closedWeekdays.ts`).
 */
export function weekdayPhase(i: number, n: number): number {
  return (((i - n) % 7) + 7) % 7;
}

/** Each weekday's known days, days without a sale and units over the last `window` days of `x`,
 * by phase (`weekdayPhase`); with `halfLifeWeeks`, each day counted ½^(w / halfLifeWeeks) for
 * the w weeks before the last day it lies, else 1. */
export function weekdayTallies(
  x: ArrayLike<number>,
  window: number,
  halfLifeWeeks?: number,
): { known: Float64Array; zeros: Float64Array; sum: Float64Array } {
  const known = new Float64Array(7);
  const zeros = new Float64Array(7);
  const sum = new Float64Array(7);
  const n = x.length;
  for (let i = Math.max(0, n - window); i < n; i++) {
    const v = x[i];
    if (v !== v) continue;
    const j = weekdayPhase(i, n);
    const w = halfLifeWeeks === undefined ? 1 : Math.pow(0.5, (n - 1 - i) / 7 / halfLifeWeeks);
    known[j] += w;
    sum[j] += w * v;
    if (v === 0) zeros[j] += w;
  }
  return { known, zeros, sum };
}

/** Half-life, in weeks, of a day's weight in a weekday's recent evidence of days without a sale
 * (`ZeroEvidence.recent`): a weight of ½^(weeks ago / 4), the occurrence smoothing of TSB
 * (Teunter, Syntetos & Babai 2011) with α = 1 − ½^(1/4) ≈ 0.16 per week of that weekday. */
export const ZERO_HALF_LIFE_WEEKS = 4;

/** A weekday's days without a sale and known days (each entry by phase, entry k mod 7 for
 * forecast step k), counted alike or weighted. */
export interface ZeroTally {
  zeros: Float64Array;
  known: Float64Array;
}

/** Each weekday's days without a sale over the last 16 weeks, read two ways for `zeroMedian`. */
export interface ZeroEvidence {
  /** Every known day counted alike: the steadier reading. */
  even: ZeroTally;
  /** Each day weighted ½^(w / ZERO_HALF_LIFE_WEEKS) for the w weeks before the last day it
   * lies (the last week 1 to 0.86, four weeks before ½; about 5.5 days in all): the reading
   * that follows a change. */
  recent: ZeroTally;
}

/**
 * Each weekday's days without a sale and known days over the last `window` days of `x`, counted
 * alike and weighted to the recent weeks (`ZeroEvidence`): the evidence of `zeroMedian`. Unknown
 * days (NaN) count 0.
 * @param x daily demand, oldest first, NaN = unknown
 * @param window days from the end to read (default 112, 16 of each weekday)
 */
export function weekdayZeroEvidence(
  x: ArrayLike<number>,
  window = ZERO_EVIDENCE_DAYS,
): ZeroEvidence {
  const even = weekdayTallies(x, window);
  const recent = weekdayTallies(x, window, ZERO_HALF_LIFE_WEEKS);
  return {
    even: { zeros: even.zeros, known: even.known },
    recent: { zeros: recent.zeros, known: recent.known },
  };
}

/** Days of evidence the negative binomial's P(0) counts for against a weekday's own zero share
 * (`noSaleChance`): the days of each weekday that its dispersion is read from (56 / 7 = 8). */
export const ZERO_PRIOR_DAYS = DISPERSION_WINDOW_DAYS / 7;

/**
 * The probability that a day sells nothing, from the model and the day's weekday together: the
 * negative binomial's P(0) = (1 + φμ)^(−1/φ) at the day's mean μ is a Beta prior worth
 * ZERO_PRIOR_DAYS days, updated with the `zeros` of the weekday's `known` recent days (counted
 * alike or weighted, `weekdayZeroEvidence`), whose posterior mean (zeros + a·P(0)) / (known + a)
 * is the predictive probability of no sale. The negative binomial ties P(0) to the mean and
 * variance, and demand that comes as orders of several units has more days without a sale than it
 * allows: orders of 1–8 units on 37 % of the days (mean 1.67, φ = 1.8) give P(0) = 0.46 and a
 * median of 1, where 63 % of the days sell nothing (`zeroMedian`).
 * @param mean the day's mean demand (units), >= 0
 * @param phi the series' dispersion (`weekdayDispersion`), >= 0
 * @param zeros that weekday's days without a sale (`weekdayZeroEvidence`), >= 0
 * @param known that weekday's (weighted) known days, >= zeros
 * @returns a probability in [0, 1]
 */
export function noSaleChance(mean: number, phi: number, zeros: number, known: number): number {
  const f = Math.max(phi, MIN_PHI);
  const p0 = Math.exp(-Math.log1p(f * Math.max(0, mean)) / f);
  return (zeros + ZERO_PRIOR_DAYS * p0) / (known + ZERO_PRIOR_DAYS);
}

/**
 * Whether a count's median on forecast step k is 0: when `noSaleChance` is ½ or more on both
 * readings of the step's weekday (`ZeroEvidence`), the 16 weeks counted alike and weighted to the
 * recent weeks. The even reading alone read a product that turned to daily sales 2–3 weeks ago
 * from the 13 weeks before (P50 0 at a mean of 100); the recent one alone is noisier (5.4 days)
 * and scored worse on Poisson-like sales (README "P50 on count data").
 * @param mean the step's mean demand (units), >= 0
 * @param phi the series' dispersion (`weekdayDispersion`), >= 0
 * @param evidence `weekdayZeroEvidence` of the history
 * @param k the forecast step, >= 0 (its weekday is entry k mod 7)
 */
export function zeroMedian(mean: number, phi: number, evidence: ZeroEvidence, k: number): boolean {
  const j = k % 7;
  return [evidence.even, evidence.recent].every(
    (t) => noSaleChance(mean, phi, t.zeros[j], t.known[j]) >= 0.5,
  );
}

/**
 * Median of a negative-binomial count with mean `mu` (units, >= 0) and dispersion `phi` (>= 0):
 * the smallest count whose CDF reaches 0.5, exact up to a mean of 500 (the probabilities walked
 * from P(0) = (1 + φμ)^(−1/φ) by P(k+1) = P(k)·(k + 1/φ)/(k + 1)·φμ/(1 + φμ)). Above it, where
 * the skewness (1 + 2φμ)/√(μ + φμ²) is at most 1, round(μ − (1 + 2φμ)/6), the Cornish–Fisher
 * median (mean minus skewness × sd / 6; for Poisson the known floor(μ + 1/3)); more skewed (φ
 * above about 0.25), where that expansion undershoots and reaches 0 from φ ≈ 3, the exact median
 * at a mean of 500 scaled by μ/500: with a large mean the count is nearly Gamma(1/φ, φμ), whose
 * median is proportional to μ. Both stay within 1 % of the exact median (tested for means
 * 501–50,000, φ up to 6). 0 for a mean of 0 or below; a non-finite mean is returned as it is (the
 * caller's `finalizeQuantiles` deals with it).
 */
export function countMedian(mu: number, phi: number): number {
  if (!(mu > 0)) return mu === mu ? 0 : mu;
  if (!Number.isFinite(mu)) return mu;
  const p = Math.max(phi, MIN_PHI);
  if (mu > EXACT_MEDIAN_UP_TO) {
    const skew = (1 + 2 * p * mu) / Math.sqrt(mu + p * mu * mu);
    if (skew <= MAX_CORNISH_FISHER_SKEW) return Math.max(0, Math.round(mu - (1 + 2 * p * mu) / 6));
    const m0 = EXACT_MEDIAN_UP_TO;
    return Math.round((mu / m0) * exactMedian(m0, p));
  }
  return exactMedian(mu, p);
}

/** The smallest count whose negative-binomial CDF (mean `mu` ≤ 500, dispersion `p` > 0) reaches
 * 0.5, walking the probabilities as plain products. */
function exactMedian(mu: number, p: number): number {
  const size = 1 / p;
  const q = (p * mu) / (1 + p * mu);
  let pk = Math.exp(-size * Math.log1p(p * mu));
  let cdf = pk;
  let k = 0;
  // The bound only guards against rounding keeping the sum a hair below 0.5.
  while (cdf < 0.5 && k < 10 * mu + 100) {
    pk *= ((k + size) / (k + 1)) * q;
    cdf += pk;
    k++;
  }
  return k;
}

/**
 * A model's forecast of a count series with P50 set to each day's count median
 * (`countMedian(p50, phi)`) and the model's P50 kept as `mean`; P10 and P90 are the model's,
 * moved only where needed to keep P10 <= P50 <= P90. A forecast that already carries `mean` (its
 * P50 is a median already, e.g. the global model's) is returned as it is.
 * @param q one forecast, h steps
 * @param phi the series' dispersion (`weekdayDispersion`)
 */
export function withCountMedian(q: QuantileForecast, phi: number): QuantileForecast {
  return q.mean ? q : medianOfMean(q, Float64Array.from(q.p50), phi);
}

/**
 * A combination of count-median forecasts with P50 re-read as the count median of its combined
 * mean (`countMedian(mean, phi)`), P10/P90 moved only where needed to keep P10 <= P50 <= P90.
 * The median of an even number of whole-unit medians can fall half-way between two (25.5); as
 * `countMedian` rises with the mean, the median of an odd number is already the count median of
 * the median mean and comes back unchanged. A forecast without `mean` is returned as it is.
 * @param q a combined forecast, h steps, whose `mean` is the combination of its members' means
 * @param phi the series' dispersion (`weekdayDispersion`)
 */
export function recountMedian(q: QuantileForecast, phi: number): QuantileForecast {
  return q.mean ? medianOfMean(q, q.mean, phi) : q;
}

/** `q` with `mean` beside it and P50 each day's `countMedian(mean, phi)`; P10 and P90 are `q`'s,
 * moved only where needed to keep P10 <= P50 <= P90. */
function medianOfMean(q: QuantileForecast, mean: Float64Array, phi: number): QuantileForecast {
  const h = q.p50.length;
  const out: QuantileForecast = {
    p10: new Float64Array(h),
    p50: new Float64Array(h),
    p90: new Float64Array(h),
    mean,
  };
  for (let k = 0; k < h; k++) {
    const med = countMedian(mean[k], phi);
    out.p50[k] = med;
    out.p10[k] = Math.min(q.p10[k], med);
    out.p90[k] = Math.max(q.p90[k], med);
  }
  return out;
}
