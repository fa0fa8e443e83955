/**
 * `resistantFit` and `cleanOutliers` as they were before their scratch arrays and the sliding
 * median's three-phase loop (2026-11-30), kept only as the reference the engine's versions are
 * proven bit-identical against (see fastPaths.test.ts). Not used by the engine.
 */
import { InvalidOptionError } from '../../src/errors';
import { countKnown, hasMissing, interpolateMissing } from '../../src/missing';
import { quantileSorted } from '../../src/numeric/stats';
import { OUTLIER_FENCE_IQR } from '../../src/outliers';

/** The IQR of a unit normal, Poisson noise's IQR on Anscombe's scale. */
const POISSON_IQR = 1.349;
/** Same-phase days on each side whose median is a day's seasonal effect. */
const SEASON_REACH = 5;

/** Days found to be outliers and the series with them replaced. */
interface CleanedSeries {
  y: Float64Array;
  index: number[];
}

/**
 * Running median of `v` over windows of `w` consecutive values, the window centred on each
 * position and shifted inward at the ends (always `w` values, fewer only when `v` is shorter).
 * The window is kept sorted and moved one value at a time: O(n·w), no sort per position.
 * `v` is read at `v[start + k·stride]`, k = 0 … len − 1 (a phase of a seasonal series), and the
 * medians written to `out` at the same positions.
 */
function slidingMedian(
  v: ArrayLike<number>,
  start: number,
  stride: number,
  len: number,
  w: number,
  out: Float64Array,
): void {
  const width = Math.min(w, len);
  if (width === 0) return;
  const win = new Float64Array(width);
  for (let k = 0; k < width; k++) win[k] = v[start + k * stride];
  win.sort();
  const half = width >> 1;
  const median = () => (width % 2 === 1 ? win[half] : (win[half - 1] + win[half]) / 2);
  let from = 0;
  for (let k = 0; k < len; k++) {
    const want = Math.max(0, Math.min(len - width, k - half));
    while (from < want) {
      // Drop the window's first value, add the one after its end, keeping `win` sorted.
      const gone = v[start + from * stride];
      const come = v[start + (from + width) * stride];
      let i = lowerBound(win, gone);
      if (come >= gone) {
        while (i + 1 < width && win[i + 1] < come) {
          win[i] = win[i + 1];
          i++;
        }
      } else {
        while (i > 0 && win[i - 1] > come) {
          win[i] = win[i - 1];
          i--;
        }
      }
      win[i] = come;
      from++;
    }
    out[start + k * stride] = median();
  }
}

/** First index of `sorted` holding a value >= x. */
function lowerBound(sorted: Float64Array, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Running median of `v` over two seasons and a day centred on each day (`slidingMedian`). */
function runningMedian(v: Float64Array, period: number): Float64Array {
  const out = new Float64Array(v.length);
  slidingMedian(v, 0, 1, v.length, 2 * period + 1, out);
  return out;
}

/** Each day's median of `v` over its own phase, ±SEASON_REACH seasons (`slidingMedian`). */
function phaseMedian(v: Float64Array, period: number): Float64Array {
  const n = v.length;
  const out = new Float64Array(n);
  for (let p = 0; p < Math.min(period, n); p++) {
    slidingMedian(v, p, period, Math.floor((n - 1 - p) / period) + 1, 2 * SEASON_REACH + 1, out);
  }
  return out;
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
export function resistantFitBefore(y: Float64Array, period: number): Float64Array {
  const n = y.length;
  const work = new Float64Array(n);
  const minus = (part: Float64Array): Float64Array => {
    for (let t = 0; t < n; t++) work[t] = y[t] - part[t];
    return work;
  };
  let season = phaseMedian(minus(runningMedian(y, period)), period);
  const level = runningMedian(minus(season), period);
  season = phaseMedian(minus(level), period);
  for (let t = 0; t < n; t++) level[t] += season[t];
  return level;
}

/**
 * Whether `y` is too short for `cleanOutliers` to judge any day (`period` the season in days): at
 * most 4 seasons of days, or of known (non-NaN) days. `cleanOutliers` then replaces nothing.
 */
function outlierHistoryTooShort(y: Float64Array, period = 7): boolean {
  return y.length <= 4 * period || (hasMissing(y) && countKnown(y) <= 4 * period);
}

/**
 * Days of `z` (known where `known` is not NaN) far out from both references: the remainder
 * `z − fit` more than OUTLIER_FENCE_IQR × IQR outside the remainders' quartiles (IQR at least
 * Poisson noise's on Anscombe's scale for counts), and `z − usual()` (the day's weekday median,
 * `phaseMedian`) beyond the same fence on the same side. Undefined when the IQR is 0 (then every
 * deviation would be "far out"). `usual` is called only when some remainder is far out.
 */
function farOut(
  z: Float64Array,
  fit: Float64Array,
  known: Float64Array,
  counts: boolean,
  usual: () => Float64Array,
): number[] | undefined {
  const n = z.length;
  const rem = new Float64Array(n);
  for (let t = 0; t < n; t++) rem[t] = z[t] - fit[t];
  const sorted = (
    hasMissing(known) ? rem.filter((_, t) => known[t] === known[t]) : rem.slice()
  ).sort();
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
export function cleanOutliersBefore(y: Float64Array, period = 7, counts = false): CleanedSeries {
  if (!Number.isInteger(period) || period < 1) {
    throw new InvalidOptionError(
      `cleanOutliers: period ${String(period)} is not a whole number of days >= 1`,
    );
  }
  const n = y.length;
  if (outlierHistoryTooShort(y, period)) return { y, index: [] };
  // Missing days are filled for the decomposition only (from the same weekday's days, whose
  // pattern it reads): never scored, never replaced.
  const filled = hasMissing(y) ? interpolateMissing(y, period) : y;
  // Counts are read on Anscombe's scale 2√(y + 3/8), where Poisson noise is close to N(0, 1) at
  // any level: on the raw scale the skew of low counts (a 6 among 1s and 2s) would look far out.
  let z = filled;
  if (counts) {
    z = new Float64Array(n);
    for (let t = 0; t < n; t++) z[t] = 2 * Math.sqrt(filled[t] + 0.375);
  }
  let weekday: Float64Array | undefined;
  const usual = () => (weekday ??= phaseMedian(z, period));
  let fit = resistantFitBefore(z, period);
  let index = farOut(z, fit, y, counts, usual);
  if (index === undefined) return { y, index: [] };
  if (index.length > 0) {
    // Second pass: the decomposition without the outliers found, so the rest of a run of them
    // no longer holds the running median up.
    const without = Float64Array.from(z);
    for (const t of index) without[t] = fit[t];
    fit = resistantFitBefore(without, period);
    index = farOut(z, fit, y, counts, usual) ?? [];
  }
  if (index.length === 0) return { y, index };
  const x = Float64Array.from(y);
  // Back from Anscombe's scale for counts (its inverse (z/2)² − 3/8), never below 0.
  for (const t of index)
    x[t] = Math.max(0, counts ? (Math.max(0, fit[t]) / 2) ** 2 - 0.375 : fit[t]);
  return { y: x, index };
}
