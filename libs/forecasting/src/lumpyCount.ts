/**
 * The daily count of lumpy demand, read as Croston's decomposition: on each day an order arrives
 * or not, and an order's size is drawn from the sizes the product has sold in.
 *
 * Lumpy demand (Syntetos–Boylan class: sporadic days, ADI ≥ 1.32, and variable sizes, CV² ≥ 0.49;
 * `classify.ts`) sells nothing on most days and then a case, a carton or a bulk order. A negative
 * binomial with the same mean and variance spreads that probability smoothly over 1, 2, 3 … and
 * puts too little on 0: on the shared superstore set, days to which it gave P(0) ≈ 0.14 sold
 * nothing 27 % of the time (0.23 vs 0.49, 0.53 vs 0.74 in other bands), so its quantiles sat too
 * high at the low end and between the sizes. Croston (1972) and Syntetos & Boylan (2005) model
 * such demand as occurrence × size; here the occurrence probability of day k is p_k = μ_k / s̄
 * (μ_k the forecast's mean, s̄ the mean of the recent sizes), so the day's mean stays μ_k, and the
 * size follows the empirical distribution of the non-zero days of the last 8 weeks (the
 * bootstrap idea of Willemain, Smart & Schwarz 2004, without resampling): the window of the
 * dispersion (`weekdayDispersion`), so both readings of the count follow the product's recent
 * orders. With 26 weeks a product whose orders had turned daily and small 5–8 weeks ago (a
 * new-user trial's case) kept its old carton sizes, so p came out near 0.5 and its P50 fell to
 * 0 on days that all sold.
 *
 * Quantile τ of day k: 0 where τ ≤ 1 − p_k (no order is that likely), else the ⌈n·u⌉-th smallest
 * of the n sizes, u = (τ − (1 − p_k)) / p_k: the inverse of the mixture's CDF, a whole number of
 * units that the product has sold before. A day whose mean reaches the mean size (p_k ≥ 1, orders
 * every day) is not lumpy, and keeps the negative binomial (`undefined` here).
 */

import { DISPERSION_WINDOW_DAYS } from './countMedian';

/** The last this-many days (8 weeks, `DISPERSION_WINDOW_DAYS`) are read for the sizes. */
export const LUMPY_SIZES_WINDOW_DAYS = DISPERSION_WINDOW_DAYS;

/** Fewer non-zero days than this in the window: too few sizes for an empirical distribution,
 * and the negative binomial stays. */
export const MIN_LUMPY_SIZES = 10;

/**
 * The demand sizes of the last `window` days of `y`: its known (not NaN) values above 0, sorted
 * ascending; `undefined` when there are fewer than {@link MIN_LUMPY_SIZES}.
 * @param y daily demand, oldest first, NaN = unknown
 * @param window days from the end to read (default 56)
 */
export function recentSizes(
  y: ArrayLike<number>,
  window = LUMPY_SIZES_WINDOW_DAYS,
): Float64Array | undefined {
  const sizes: number[] = [];
  for (let i = Math.max(0, y.length - window); i < y.length; i++) if (y[i] > 0) sizes.push(y[i]);
  if (sizes.length < MIN_LUMPY_SIZES) return undefined;
  return Float64Array.from(sizes).sort();
}

/**
 * One day's quantiles of lumpy count demand (module doc): an order with probability
 * p = `mean` / mean(`sizes`), of a size drawn from `sizes`.
 * @param mean the day's mean demand (units, ≥ 0)
 * @param sizes recent demand sizes, ascending, at least one (`recentSizes`)
 * @param levels quantile levels in (0, 1)
 * @returns the quantile at each level (whole units when the sizes are), all 0 for a mean of 0;
 *   `undefined` when the mean is not finite or reaches the mean size (p ≥ 1)
 */
export function lumpyCountQuantiles(
  mean: number,
  sizes: ArrayLike<number>,
  levels: readonly number[],
): Float64Array | undefined {
  let total = 0;
  for (let i = 0; i < sizes.length; i++) total += sizes[i];
  const p = mean / (total / sizes.length);
  if (!(p >= 0) || p >= 1) return undefined;
  const n = sizes.length;
  return Float64Array.from(levels, (tau) => {
    if (tau <= 1 - p) return 0;
    const u = (tau - (1 - p)) / p;
    return sizes[Math.min(n, Math.max(1, Math.ceil(n * u))) - 1];
  });
}
