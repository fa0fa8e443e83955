/**
 * One-off outliers in smooth demand (a holiday, a closure, a stock-out day, a bulk order) as the
 * models should not learn them. A smoothing model takes such a day as news: ETS moves its level and
 * that weekday's seasonal index, seasonal naive repeats it a week later, and the next forecasts
 * carry the error. This module finds them as R's `forecast::tsoutliers` does in spirit (a
 * decomposition, then a fence on what it leaves, checked against the weekday's usual level and
 * repeated once without the outliers found) and gives the series the models are fitted on:
 * each outlier replaced by its decomposition's value (level + weekly season). Written from the
 * sources, not from R's code:
 * - Tukey, *Exploratory Data Analysis* (1977): running medians (resistant smoothing) and the
 *   far-out fence, more than 3 × IQR outside the quartiles;
 * - Anscombe (1948): 2√(y + 3/8) makes Poisson counts roughly N(·, 1), so one fence fits counts
 *   of any size;
 * - Hyndman & Athanasopoulos, *Forecasting: Principles and Practice* (3rd ed., §13.9, "Outliers
 *   and missing values"): replace outliers before fitting when they are one-offs.
 */
import { InvalidOptionError } from './errors';
import { countKnown, hasMissing, interpolateMissing } from './missing';
import { quantileSorted } from './numeric/stats';

/** Tukey's far-out fence: a remainder further than this many IQRs outside the quartiles. */
export const OUTLIER_FENCE_IQR = 3;
/** The IQR of a unit normal, Poisson noise's IQR on Anscombe's scale. */
const POISSON_IQR = 1.349;
/** Same-phase days on each side whose median is a day's seasonal effect (as STL's s.window 11). */
const SEASON_REACH = 5;

/** Days found to be outliers and the series with them replaced. */
export interface CleanedSeries {
  /** `y` itself when nothing was replaced (then `index` is empty), else a copy. */
  y: Float64Array;
  /** Positions in `y` of the replaced days, ascending. */
  index: number[];
}

/**
 * Scratch arrays of the decomposition and the fence, reused from call to call: the job
 * decomposes every smooth product's history (730 days at 100,000 products), and fresh arrays
 * per pass were garbage for the collector. One call runs at a time on a thread (each worker
 * thread has its own module), and no scratch array outlives the call that filled it: results
 * are copied out. Series longer than SCRATCH_MAX_DAYS get arrays of their own, so one huge
 * series is not held on to.
 */
const scratch: Float64Array[] = [];
const SCRATCH_MAX_DAYS = 4096;
/** Slots of `scratch`. */
const WORK = 0;
const SEASON = 1;
const FIT = 2;
const ANSCOMBE = 3;
const WEEKDAY = 4;
const REMAINDER = 5;
const SORTED = 6;
const WINDOW = 7;

/** `n` values of scratch slot `slot` (a view; its contents are left from earlier calls). */
function scratchArray(slot: number, n: number): Float64Array {
  if (n > SCRATCH_MAX_DAYS) return new Float64Array(n);
  let a = scratch[slot];
  if (a === undefined || a.length < n) a = scratch[slot] = new Float64Array(n);
  return a.length === n ? a : a.subarray(0, n);
}

/**
 * Running median of `v` over windows of `w` consecutive values, the window centred on each
 * position and shifted inward at the ends (always `w` values, fewer only when `v` is shorter).
 * The window (`win`, at least min(w, len) values) is kept sorted and moved one value at a time:
 * O(n·w), no sort per position. `v` is read at `v[start + k·stride]`, k = 0 … len − 1 (a phase
 * of a seasonal series), and the medians written to `out` at the same positions.
 */
function slidingMedian(
  v: Float64Array,
  start: number,
  stride: number,
  len: number,
  w: number,
  out: Float64Array,
  win: Float64Array,
): void {
  const width = Math.min(w, len);
  if (width === 0) return;
  for (let k = 0; k < width; k++) win[k] = v[start + k * stride];
  win.subarray(0, width).sort();
  const half = width >> 1;
  const odd = (width & 1) === 1;
  // Positions 0 … half take the first window's median, the last width − 1 − half the last
  // window's; each position between moves the window by one value.
  let median = odd ? win[half] : (win[half - 1] + win[half]) / 2;
  let at = start;
  for (let k = 0; k <= half; k++, at += stride) out[at] = median;
  let gone = start;
  let come = start + width * stride;
  for (let moves = len - width; moves > 0; moves--) {
    // Drop the window's first value, add the one after its end, keeping `win` sorted.
    const g = v[gone];
    const c = v[come];
    let i = lowerBound(win, width, g);
    if (c >= g) {
      while (i + 1 < width && win[i + 1] < c) {
        win[i] = win[i + 1];
        i++;
      }
    } else {
      while (i > 0 && win[i - 1] > c) {
        win[i] = win[i - 1];
        i--;
      }
    }
    win[i] = c;
    gone += stride;
    come += stride;
    out[at] = odd ? win[half] : (win[half - 1] + win[half]) / 2;
    at += stride;
  }
  median = odd ? win[half] : (win[half - 1] + win[half]) / 2;
  for (let k = width - 1 - half; k > 0; k--, at += stride) out[at] = median;
}

/** First index of `sorted[0 … len)` holding a value >= x. */
function lowerBound(sorted: Float64Array, len: number, x: number): number {
  let lo = 0;
  let hi = len;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The sliding-median window for `period` and `n` days. */
function windowFor(period: number, n: number): Float64Array {
  return scratchArray(WINDOW, Math.min(n, Math.max(2 * period + 1, 2 * SEASON_REACH + 1)));
}

/** Running median of `v` over two seasons and a day centred on each day (`slidingMedian`). */
function runningMedian(v: Float64Array, period: number, out: Float64Array): Float64Array {
  slidingMedian(v, 0, 1, v.length, 2 * period + 1, out, windowFor(period, v.length));
  return out;
}

/** Each day's median of `v` over its own phase, ±SEASON_REACH seasons (`slidingMedian`). */
function phaseMedian(v: Float64Array, period: number, out: Float64Array): Float64Array {
  const n = v.length;
  const win = windowFor(period, n);
  for (let p = 0; p < Math.min(period, n); p++) {
    slidingMedian(
      v,
      p,
      period,
      Math.floor((n - 1 - p) / period) + 1,
      2 * SEASON_REACH + 1,
      out,
      win,
    );
  }
  return out;
}

/** `resistantFit` of `y` written to `out` (y.length values), scratch arrays for the rest. */
function decompose(y: Float64Array, period: number, out: Float64Array): Float64Array {
  const n = y.length;
  const work = scratchArray(WORK, n);
  const season = scratchArray(SEASON, n);
  runningMedian(y, period, work);
  for (let t = 0; t < n; t++) work[t] = y[t] - work[t];
  phaseMedian(work, period, season);
  for (let t = 0; t < n; t++) work[t] = y[t] - season[t];
  const level = runningMedian(work, period, out);
  for (let t = 0; t < n; t++) work[t] = y[t] - level[t];
  phaseMedian(work, period, season);
  for (let t = 0; t < n; t++) level[t] += season[t];
  return level;
}

/**
 * A resistant decomposition of `y` into level + season, each day's fitted value. The level is a
 * running median over two seasons and a day, the season each phase's median of `y − level` over
 * ±SEASON_REACH seasons; the level is then taken again from the deseasonalised days (a running
 * median of strongly seasonal days would jump by a whole seasonal step when one day moves) and
 * the season again from it. Medians, not means or loess: one outlier, or a run shorter than a
 * season, moves neither part, so it stands out whole in its remainder (Tukey's resistant
 * smoothing; STL with robustness weights does the same at many times the cost).
 */
export function resistantFit(y: Float64Array, period: number): Float64Array {
  return decompose(y, period, new Float64Array(y.length));
}

/**
 * Whether `y` is too short for `cleanOutliers` to judge any day (`period` the season in days): at
 * most 4 seasons of days, or of known (non-NaN) days. `cleanOutliers` then replaces nothing.
 */
export function outlierHistoryTooShort(y: Float64Array, period = 7): boolean {
  return y.length <= 4 * period || (hasMissing(y) && countKnown(y) <= 4 * period);
}

/**
 * Days of `z` (known where `known` is not NaN, `knownDays` of them: counted once by the caller)
 * far out from both references: the remainder `z − fit` more than OUTLIER_FENCE_IQR × IQR
 * outside the remainders' quartiles (IQR at least Poisson noise's on Anscombe's scale for
 * counts), and `z − usual()` (the day's weekday median,
 * `phaseMedian`) beyond the same fence on the same side. Undefined when the IQR is 0 (then every
 * deviation would be "far out"). `usual` is called only when some remainder is far out.
 */
function farOut(
  z: Float64Array,
  fit: Float64Array,
  known: Float64Array,
  knownDays: number,
  counts: boolean,
  usual: () => Float64Array,
): number[] | undefined {
  const n = z.length;
  const rem = scratchArray(REMAINDER, n);
  for (let t = 0; t < n; t++) rem[t] = z[t] - fit[t];
  const sorted = scratchArray(SORTED, knownDays);
  if (knownDays < n) {
    let m = 0;
    for (let t = 0; t < n; t++) if (known[t] === known[t]) sorted[m++] = rem[t];
  } else sorted.set(rem);
  sorted.sort();
  const q1 = quantileSorted(sorted, 0.25);
  const q3 = quantileSorted(sorted, 0.75);
  // On Anscombe's scale Poisson noise alone has an IQR of about 1.349 (a unit normal's): a
  // median fit that matches many whole-unit days exactly must not make the fence narrower.
  const iqr = counts ? Math.max(q3 - q1, POISSON_IQR) : q3 - q1;
  if (!(iqr > 0)) return undefined;
  const lo = q1 - OUTLIER_FENCE_IQR * iqr;
  const hi = q3 + OUTLIER_FENCE_IQR * iqr;
  const index: number[] = [];
  let weekday: Float64Array | undefined;
  for (let t = 0; t < n; t++) {
    if (known[t] !== known[t] || (rem[t] >= lo && rem[t] <= hi)) continue;
    weekday ??= usual();
    const off = z[t] - weekday[t];
    if (rem[t] < lo ? off < lo : off > hi) index.push(t);
  }
  return index;
}

/**
 * Finds one-off outliers of `y` (daily demand in units, oldest first; `period` the season in
 * days, 7) and replaces each by its resistant fit (level + season, `resistantFit`), never below
 * 0. A day is an outlier when it is far out (more than OUTLIER_FENCE_IQR × IQR outside the
 * remainders' quartiles) from both references:
 * - its decomposition's value (level + season): a change that has lasted more than a week is the
 *   running median's new level, not a run of outliers;
 * - its weekday's median over ±5 weeks, which a run of events does not move: two week-long
 *   promotions three days apart fill 12 of the 15 days of the running median's window around
 *   the ordinary days between them, whose level is then the promotions' and which would read as
 *   dips (a new-user trial's demo product: 44–65 sold, fitted as 202–211).
 * The decomposition is then taken again with the outliers found replaced, and the days judged
 * again against it: the days of a week-long promotion that held the running median up in the
 * first pass stand out in the second (12–13 of 14 promotion days found in two passes, against
 * 6–7 in one; `test/outliers.test.ts`).
 * With `counts` (for whole-unit series, forecasting's `isCountSeries`) the series is read on
 * Anscombe's scale, with the IQR at least Poisson noise's there (1.349), and the fit mapped back.
 * A missing (NaN) day stays missing: the decomposition runs on the days with the missing ones
 * interpolated from the days of their phase (`interpolateMissing` with the period: a missing
 * Sunday of a store closed on Sundays reads 0, not the average of a Saturday and a Monday, which
 * made the closed Sundays look like dips), the fence is read from the known days only, and only
 * known days are replaced. Nothing is replaced in a series of at most 4 seasons (or with that few
 * known days), or one whose remainders' IQR is 0 (then every deviation would be "far out"). `y`
 * is not modified.
 * @throws InvalidOptionError when `period` is not a whole number >= 1
 */
export function cleanOutliers(y: Float64Array, period = 7, counts = false): CleanedSeries {
  if (!Number.isInteger(period) || period < 1) {
    throw new InvalidOptionError(
      `cleanOutliers: period ${String(period)} is not a whole number of days >= 1`,
    );
  }
  const n = y.length;
  if (outlierHistoryTooShort(y, period)) return { y, index: [] };
  // Missing days are filled for the decomposition only (from the same weekday's days, whose
  // pattern it reads): never scored, never replaced.
  const knownDays = hasMissing(y) ? countKnown(y) : n;
  const filled = knownDays < n ? interpolateMissing(y, period) : y;
  // Counts are read on Anscombe's scale 2√(y + 3/8), where Poisson noise is close to N(0, 1) at
  // any level: on the raw scale the skew of low counts (a 6 among 1s and 2s) would look far out.
  let z = filled;
  if (counts) {
    z = scratchArray(ANSCOMBE, n);
    for (let t = 0; t < n; t++) z[t] = 2 * Math.sqrt(filled[t] + 0.375);
  }
  let weekday: Float64Array | undefined;
  const usual = () => (weekday ??= phaseMedian(z, period, scratchArray(WEEKDAY, n)));
  let fit = decompose(z, period, scratchArray(FIT, n));
  let index = farOut(z, fit, y, knownDays, counts, usual);
  if (index === undefined) return { y, index: [] };
  if (index.length > 0) {
    // Second pass: the decomposition without the outliers found, so the rest of a run of them
    // no longer holds the running median up.
    const without = Float64Array.from(z);
    for (const t of index) without[t] = fit[t];
    fit = decompose(without, period, fit);
    index = farOut(z, fit, y, knownDays, counts, usual) ?? [];
  }
  if (index.length === 0) return { y, index };
  const x = Float64Array.from(y);
  // Back from Anscombe's scale for counts (its inverse (z/2)² − 3/8), never below 0.
  for (const t of index)
    x[t] = Math.max(0, counts ? (Math.max(0, fit[t]) / 2) ** 2 - 0.375 : fit[t]);
  return { y: x, index };
}

/**
 * The replaced spikes' share of demand (a ratio ≥ 0): Σ (y − cleaned) over the days
 * `cleaned.index` replaced where more was sold than fitted, divided by Σ cleaned over the known
 * days of `y`. Models fitted on `cleaned.y` forecast a day without outliers, while bulk orders
 * and promotions recur about as often as the history shows: the expected demand of a future day
 * is that forecast × (1 + this share). Replaced dips are left out: sales are demand cut by what
 * was in stock, so a dip may be a stock-out (demand that was not seen) as well as a closure, and
 * taking it back would plan for the next stock-out. A median is not moved by rare days, so only a
 * mean takes it. 0 when no spike was replaced or no demand is known.
 * @param y the series as it was (NaN = unknown day)
 * @param cleaned `cleanOutliers(y, …)`
 */
export function outlierUplift(y: Float64Array, cleaned: CleanedSeries): number {
  let spikes = 0;
  for (const t of cleaned.index) if (y[t] > cleaned.y[t]) spikes += y[t] - cleaned.y[t];
  if (spikes === 0) return 0;
  let level = 0;
  for (let t = 0; t < y.length; t++) if (y[t] === y[t]) level += cleaned.y[t];
  return level > 0 ? spikes / level : 0;
}
