/**
 * Recent level shifts: demand that moved to a new level weeks ago and stayed there (a product
 * delisted from a store's front, a price change, a relaunch back in stock), read from whole weeks
 * so the weekly pattern cancels. The history before such a shift describes a demand that is gone,
 * as the days before a product's first sale do: `forecastAuto` fits on the days since the shift.
 */
import { longestZeroRun, sporadicWindow } from './classify';
import { meanKnown } from './numeric/stats';
import type { SeriesLevelShift } from './types';

/** Weekly means that must stand at the new level before it is read as one (15 days at least). */
export const SHIFT_MIN_WEEKS = 3;
/** The same for a rise of regular demand (29 days at least): promotions run for 1–4 weeks. */
export const SHIFT_MIN_RISE_WEEKS = 5;
/** The oldest shift looked for, in weeks (a quarter): by then the models have followed it. */
export const SHIFT_MAX_WEEKS = 13;
/** Weeks before the shift it is compared with (at least SHIFT_MIN_BEFORE_WEEKS of them). */
export const SHIFT_BEFORE_WEEKS = 8;
export const SHIFT_MIN_BEFORE_WEEKS = 6;
/** Factor by which the mean must have moved (up or down). */
export const SHIFT_MIN_RATIO = 2;

const PERIOD = 7;
/** Days since the shift at least for `weeks` weekly means, the oldest of which may hold 6 old
 * days. */
const minDays = (weeks: number) => PERIOD * weeks - (PERIOD - 1);

/**
 * y[from, to) with its longest run of a week or more of days without a sale (`longestZeroRun`) as
 * unknown (NaN).
 */
function withoutLongestZeroRun(y: ArrayLike<number>, from: number, to: number): Float64Array {
  const out = Float64Array.from({ length: to - from }, (_, i) => y[from + i]);
  const gap = longestZeroRun(y, from, to);
  if (gap.zeros >= PERIOD) out.fill(NaN, gap.start - from, gap.end - from);
  return out;
}

/** Sum of squared deviations of the known days of y[from, to) from their mean. */
function knownSse(y: ArrayLike<number>, from: number, to: number): number {
  const m = meanKnown(y, from, to);
  let s = 0;
  for (let t = from; t < to; t++) {
    const v = y[t];
    if (v === v) s += (v - m) * (v - m);
  }
  return s;
}

/** The mean and the median of each week of y[from, from + 7·weeks) that has a known day. */
function weekly(
  y: ArrayLike<number>,
  from: number,
  weeks: number,
): { mean: number[]; median: number[] } {
  const mean: number[] = [];
  const median: number[] = [];
  for (let w = 0; w < weeks; w++) {
    const days: number[] = [];
    for (let t = from + PERIOD * w; t < from + PERIOD * (w + 1); t++)
      if (y[t] === y[t]) days.push(y[t]);
    if (days.length === 0) continue;
    days.sort((a, b) => a - b);
    const h = days.length >> 1;
    mean.push(days.reduce((a, b) => a + b, 0) / days.length);
    median.push(days.length % 2 ? days[h] : (days[h - 1] + days[h]) / 2);
  }
  return { mean, median };
}

/** Whether every week of `after` lies below (`sign` −1) every week of `before` on the weeks'
 * means, or above (1) on their means and, but for the oldest (which may hold up to 6 days of the
 * old level), on their medians: a promotion or a few large orders lift a week's mean, not its
 * middle day (a fall has no such lookalike, and the medians of a few units a day tie too often to
 * read one). */
function beyond(
  after: { mean: number[]; median: number[] },
  before: { mean: number[]; median: number[] },
  sign: 1 | -1,
): boolean {
  if (sign < 0) return Math.max(...after.mean) < Math.min(...before.mean);
  return (
    Math.min(...after.mean) > Math.max(...before.mean) &&
    Math.min(...after.median.slice(1)) > Math.max(...before.median)
  );
}

const average = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;

/** Sum of squared residuals of the least-squares line through the known days of y[from, to). */
function lineSse(y: ArrayLike<number>, from: number, to: number): number {
  let k = 0;
  let st = 0;
  let sv = 0;
  for (let t = from; t < to; t++) {
    const v = y[t];
    if (v !== v) continue;
    k++;
    st += t;
    sv += v;
  }
  if (k < 3) return 0;
  const mt = st / k;
  const mv = sv / k;
  let stt = 0;
  let stv = 0;
  for (let t = from; t < to; t++) {
    const v = y[t];
    if (v !== v) continue;
    stt += (t - mt) * (t - mt);
    stv += (t - mt) * (v - mv);
  }
  const slope = stt > 0 ? stv / stt : 0;
  let sse = 0;
  for (let t = from; t < to; t++) {
    const v = y[t];
    if (v !== v) continue;
    const e = v - mv - slope * (t - mt);
    sse += e * e;
  }
  return sse;
}

/** Days in 52 weeks: the same weekdays a year before. */
const YEAR = 364;

/**
 * The geometric mean, over the earlier years `y` holds, of the same weeks' move a year (two, three
 * years) before: the mean of y[from, to) over the `weeksBefore` weeks before `from`, each shifted
 * back by 52 weeks. 1 without such a year (or where one sold nothing in either part).
 */
function yearlyRatio(y: ArrayLike<number>, from: number, to: number, weeksBefore: number): number {
  let logSum = 0;
  let years = 0;
  for (let lag = YEAR; from - lag - PERIOD * weeksBefore >= 0; lag += YEAR) {
    const after = meanKnown(y, from - lag, to - lag);
    const before = meanKnown(y, from - lag - PERIOD * weeksBefore, from - lag);
    if (!(after > 0 && before > 0)) continue;
    logSum += Math.log(after / before);
    years++;
  }
  return years > 0 ? Math.exp(logSum / years) : 1;
}

/**
 * The most recent level shift of `y` (daily demand, oldest first; NaN = unknown day), or
 * undefined. Read for k = SHIFT_MAX_WEEKS … SHIFT_MIN_WEEKS (13 … 3) whole weeks ending at the
 * last day, the first k that holds:
 * - the k weeks are read without their longest run of a week or more without a sale (a stock-out
 *   or a closure, as `currentDemandClass` reads them: a product selling again at its old level
 *   is not at a new one); the latest week sold something then (a product out of stock now is
 *   not at a new level: `inactiveDays` and the outlier cleaning read it), and at least 2 weeks
 *   have a known day left;
 * - every one of those weeks lies beyond every one of the 6–8 whole weeks before: all below the
 *   lowest weekly mean, or all above the highest weekly mean and (but the oldest) the highest
 *   weekly median (a promotion or a few large orders lift a week's mean, not its middle day).
 *   By chance, with exchangeable weeks, at most 2/C(k + 8, k): 1 in 83 for k = 3;
 * - the k weeks and the weeks before are not both sporadic (ADI ≥ 1.32, `classifyDemand`):
 *   weekly means of a few orders are too noisy to tell a level from a run of orders;
 * - a rise of regular demand holds for k ≥ SHIFT_MIN_RISE_WEEKS (5) weeks: a promotion of 1–4
 *   weeks looks like one until it ends (a trial's 3-week promotion at 4×, ending at the as-of, was
 *   read and forecast at 3.6× normal sales); a rise from sporadic demand (a relaunch, a product
 *   back in stock and selling daily) and a fall are read from 3;
 * - and the mean of the k weeks is at least SHIFT_MIN_RATIO (2) times the mean of those weeks
 *   (for a rise, the mean of the weekly medians too), or at most half of it — a move a planner
 *   would act on, not a season's slope — once divided by the move the same weeks made in the
 *   earlier years the history holds (the geometric mean over those years: a peak they had too
 *   is the season, not a shift).
 * The shift's day is then the split of the compared days, from 6 days before the k weeks to 15
 * days before the end (29 for a rise of regular demand: 3 or 5 weekly means, the oldest of which
 * may hold 6 days of the old level), that leaves the least squared error about the two means
 * (binary segmentation, Scott & Knott 1974); it is a shift only if that error is below a
 * straight line's through the same days (a trending product's steady decline passes the tests
 * above too, and is the models' to follow). Three weeks, not two: a fortnight's holiday dip or
 * promotion is not yet a new level (2 weeks cost the Chicago ridership bench 0.5 %). `before` is
 * the mean of the compared days before the split, `after` of the days since.
 */
export function recentLevelShift(y: ArrayLike<number>): SeriesLevelShift | undefined {
  const n = y.length;
  for (let k = SHIFT_MAX_WEEKS; k >= SHIFT_MIN_WEEKS; k--) {
    const from = n - PERIOD * k;
    const weeksBefore = Math.min(SHIFT_BEFORE_WEEKS, Math.floor(from / PERIOD));
    if (weeksBefore < SHIFT_MIN_BEFORE_WEEKS) continue;
    // One run of a week or more without a sale is a stock-out or a closure, not the level:
    // its days count as unknown here (a product that sells again at its old level is not read
    // as a fall, and one out of stock now leaves its latest week unknown).
    const post = withoutLongestZeroRun(y, from, n);
    const after = weekly(post, 0, k);
    // The latest week sold (a product out of stock now is not at a new level), and 2 weeks left.
    if (!(meanKnown(post, PERIOD * (k - 1), PERIOD * k) > 0) || after.mean.length < 2) continue;
    const first = from - PERIOD * weeksBefore;
    const before = weekly(y, first, weeksBefore);
    if (before.mean.length < SHIFT_MIN_BEFORE_WEEKS) continue;
    // Beyond on the weeks' means, and for a rise on their medians too (`beyond`).
    const up = beyond(after, before, 1);
    const down = beyond(after, before, -1);
    if (!up && !down) continue;
    const meanBefore = meanKnown(y, first, from);
    const meanAfter = meanKnown(post, 0, post.length);
    // Sporadic on both sides: weekly means are too noisy to tell a level from a run of orders.
    const sporadicBefore = sporadicWindow(y, first, from);
    if (sporadicBefore && sporadicWindow(y, from, n)) continue;
    // A rise of regular demand for under 5 weeks may be a promotion (a relaunch from a few sales
    // a month is not one: back to daily sales is read from 3 weeks).
    const weeks = up && !sporadicBefore ? SHIFT_MIN_RISE_WEEKS : SHIFT_MIN_WEEKS;
    if (k < weeks) continue;
    // The same weeks of earlier years: a move they made too is the season, not a shift.
    const seasonal = yearlyRatio(y, from, n, weeksBefore);
    const ratio = meanAfter / meanBefore / seasonal;
    const middle = average(after.median) / average(before.median) / seasonal;
    if (up ? ratio < SHIFT_MIN_RATIO || middle < SHIFT_MIN_RATIO : ratio * SHIFT_MIN_RATIO > 1)
      continue;
    // The day it moved: the split of the compared days, from a week before the k weeks on, that
    // leaves the least squared error about the two means (the oldest of the k weeks can hold old
    // days, or all of them where an old week happened to be low).
    let start = from;
    let best = Infinity;
    for (let t = from - PERIOD + 1; t <= n - minDays(weeks); t++) {
      const sse = knownSse(y, first, t) + knownSse(y, t, n);
      if (sse < best) {
        best = sse;
        start = t;
      }
    }
    // A trend, not a step: a straight line through those days fits them as well as two levels.
    if (lineSse(y, first, n) <= best) continue;
    return { index: start, before: meanKnown(y, first, start), after: meanKnown(y, start, n) };
  }
  return undefined;
}
