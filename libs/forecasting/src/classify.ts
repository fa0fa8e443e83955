import { weekdayClosedDays } from './closedWeekdays';
import { weekdayDispersion, weekdayPhase } from './countMedian';
import type { DemandClass } from './types';

/** Syntetos–Boylan–Croston cut-offs (Syntetos, Boylan & Croston 2005). */
export const ADI_CUTOFF = 1.32;
export const CV2_CUTOFF = 0.49;

export interface DemandStats {
  /** Average inter-demand interval: known days per day with demand (Infinity when none). */
  adi: number;
  /** Squared coefficient of variation of the non-zero demand sizes. */
  cv2: number;
  /** Days with demand > 0. */
  demandDays: number;
}

/** ADI and CV² of a daily series; missing (NaN) days are neither demand nor zero days. */
export function demandStats(y: ArrayLike<number>): DemandStats {
  let count = 0;
  let s = 0;
  let s2 = 0;
  let known = 0;
  for (let i = 0; i < y.length; i++) {
    const v = y[i];
    if (v === v) known++;
    if (v > 0) {
      count++;
      s += v;
      s2 += v * v;
    }
  }
  if (count === 0) return { adi: Infinity, cv2: 0, demandDays: 0 };
  const m = s / count;
  const variance = count > 1 ? Math.max(0, (s2 - count * m * m) / (count - 1)) : 0;
  return { adi: known / count, cv2: variance / (m * m), demandDays: count };
}

/**
 * Syntetos–Boylan class from ADI and CV²: smooth (regular, stable sizes), erratic (regular,
 * variable sizes), intermittent (sporadic, stable sizes), lumpy (sporadic, variable sizes).
 * A history without any demand counts as intermittent.
 */
export function classifyDemand(y: ArrayLike<number>): DemandClass {
  const { adi, cv2 } = demandStats(y);
  const sporadic = adi >= ADI_CUTOFF;
  const variable = cv2 >= CV2_CUTOFF;
  if (sporadic) return variable ? 'lumpy' : 'intermittent';
  return variable ? 'erratic' : 'smooth';
}

/** Windows (days, most recent first) in which `currentDemandClass` looks for a changed regime. */
export const REGIME_WINDOWS_DAYS = [28, 56] as const;
/** Two-proportion z by which a window's share of days without a sale must exceed the days before. */
export const REGIME_SHIFT_Z = 4;

/** The last days that must still sell on fewer days for `currentDemandClass` to read a changed
 * regime (with the last 28 days without their longest gap). */
export const REGIME_LATEST_DAYS = 14;
/** How unlikely their days without a sale must be at the earlier share (`stillFewer`). */
export const REGIME_STILL_CHANCE = 0.01;

function isSporadic(c: DemandClass): boolean {
  return c === 'intermittent' || c === 'lumpy';
}

/** Known days and days without a sale in `y`. */
function zeroShare(
  y: ArrayLike<number>,
  from = 0,
  to = y.length,
): { known: number; zeros: number } {
  let known = 0;
  let zeros = 0;
  for (let t = from; t < to; t++) {
    const v = y[t];
    if (v !== v) continue;
    known++;
    if (v === 0) zeros++;
  }
  return { known, zeros };
}

/**
 * The longest run of days without a sale in y[from, to), the latest on a tie: `start` and `end`
 * (exclusive) index `y`, `zeros` counts its days without a sale (0 when no known day is 0).
 * Missing (NaN) days neither end nor lengthen a run.
 */
export function longestZeroRun(
  y: ArrayLike<number>,
  from: number,
  to: number,
): { start: number; end: number; zeros: number } {
  let best = { start: from, end: from, zeros: 0 };
  let run = 0;
  let runStart = from;
  for (let t = from; t < to; t++) {
    const v = y[t];
    if (v !== v) continue;
    if (v !== 0) {
      run = 0;
      continue;
    }
    if (run === 0) runStart = t;
    if (++run >= best.zeros) best = { start: runStart, end: t + 1, zeros: run };
  }
  return best;
}

/**
 * The known days of y[from, to) without their longest run of days without a sale (the latest
 * such run on a tie, `longestZeroRun`): one gap is a stock-out or a closure, not a product
 * selling on fewer days.
 */
function withoutLongestZeroRun(y: ArrayLike<number>, from: number, to: number): number[] {
  const gap = longestZeroRun(y, from, to);
  const days: number[] = [];
  for (let t = from; t < to; t++)
    if (y[t] === y[t] && (t < gap.start || t >= gap.end)) days.push(y[t]);
  return days;
}

/**
 * The Syntetos–Boylan class of `series` (daily demand, oldest first; NaN = unknown day) as the
 * product sells now, read on the days it is sold on (`y`: the weekdays it never sells on, a
 * closed Sunday, are left out, `openDays`): `classifyDemand` of the whole history, except for
 * regular (smooth or erratic) demand that turned sporadic. That is read in the last 28 days,
 * else the last 56 (in a history at least twice as long), without their longest run of days
 * without a sale (one gap is a stock-out or a closure, which `inactiveDays` and the outlier
 * cleaning handle), when
 * - at least half of the window's known days are left (and a week), and half a window of known
 *   days precedes it;
 * - those days class sporadic (ADI ≥ 1.32: `classifyDemand`);
 * - their share of days without a sale exceeds that of the days before the window by a
 *   two-proportion z-test (pooled variance) of at least REGIME_SHIFT_Z (4: about 3 in 100,000 by
 *   chance);
 * - and it still does: the last 28 days without their longest gap, and the last 14 days
 *   (REGIME_LATEST_DAYS) as they are, sell on fewer days than the days before the window by a
 *   one-sided binomial test at REGIME_STILL_CHANCE (0.01; `stillFewer`). A
 *   product back to daily sales for two weeks, or open for two weeks between two closures, sells
 *   regularly now. (Asking those days to class sporadic instead flipped cartons sold on 60 % of
 *   the days back to erratic whenever 11 of 14 days sold: a new-user trial's products then had
 *   their cartons cleaned as outliers on single days and a third of their week forecast.)
 * The class of those days is then returned: a product that turned from daily sales to cartons
 * weeks ago is sporadic now, though a year of daily sales classes it smooth, and as smooth demand
 * its cartons were cleaned as outliers (a week of about 55 units forecast at 1). A turn is seen
 * from about 3 weeks on (the 28 days must be far enough from the year before). Sporadic demand
 * that turned regular keeps its class: read from its last weeks, the superstore's seasonal
 * sub-categories lost accuracy (rel. MASE 0.662 → 0.671, PIT coverage 0.781 → 0.748), and the
 * lumpy count's 8-week sizes follow such a product already (`lumpyCount.ts`).
 */
export function currentDemandClass(series: ArrayLike<number>): DemandClass {
  const y = openDays(series);
  const whole = classifyDemand(y);
  if (isSporadic(whole)) return whole;
  const n = y.length;
  for (const w of REGIME_WINDOWS_DAYS) {
    if (n < 2 * w) continue;
    const recent = withoutLongestZeroRun(y, n - w, n);
    const now = classifyDemand(recent);
    if (!isSporadic(now)) continue;
    const a = zeroShare(recent);
    const before = zeroShare(y, 0, n - w);
    // Half the window's known days left (a closed weekday's days are unknown here, `openDays`),
    // and half a window of known days before it.
    if (a.known < zeroShare(y, n - w, n).known / 2 || a.known < 7 || before.known < w / 2) continue;
    if (!(shiftZ(a, before) >= REGIME_SHIFT_Z)) continue;
    // Still so: the last 28 days without their longest gap and the last 14 as they are sell on
    // fewer days than before the window too (a product back to daily sales for 2 weeks, or open
    // for 2 weeks between two closures, is not).
    const last28 = zeroShare(withoutLongestZeroRun(y, n - REGIME_WINDOWS_DAYS[0], n));
    const last14 = zeroShare(y, n - REGIME_LATEST_DAYS, n);
    if (stillFewer(last28, before) && stillFewer(last14, before)) return now;
  }
  return whole;
}

/**
 * Whether days `a` sold on fewer days than the days `b`: at least as many of them without a sale
 * would come by chance less than REGIME_STILL_CHANCE of the time at `b`'s share (one-sided
 * binomial tail; `b`'s share read with half a day's prior, (zeros + ½)/(known + 1), so a history
 * without a zero day does not make one zero day a change). Exact where the z-test is not: one day
 * without a sale among 14 after a year at 0.7 % is 1 in 11, not z = 2.4.
 */
function stillFewer(
  a: { known: number; zeros: number },
  b: { known: number; zeros: number },
): boolean {
  if (a.known === 0) return false;
  const p = (b.zeros + 0.5) / (b.known + 1);
  // P(X ≥ a.zeros), X ~ Binomial(a.known, p), summed from the top.
  let term = p ** a.known;
  let tail = term;
  for (let k = a.known; k > a.zeros; k--) {
    term *= (k / (a.known - k + 1)) * ((1 - p) / p);
    tail += term;
  }
  return tail < REGIME_STILL_CHANCE;
}

/**
 * `y` with the days of the weekdays it never sells on unknown (NaN; `weekdayClosedDays` over the
 * whole history, at the series' dispersion), or `y` itself when there are none: a store closed on
 * Saturdays and Sundays sells on 5 days of 7, an ADI of 1.4 over all days, and classed sporadic
 * at any volume it lost the seasonal models and the outlier cleaning (a new-user trial's stores
 * closed on Sundays and Mondays, 20–200 a day, were forecast 15–22 % low in its run, 4–15 % in
 * its simulation).
 */
function openDays(y: ArrayLike<number>): ArrayLike<number> {
  const closed = weekdayClosedDays(y, weekdayDispersion(y));
  if (!closed.some((d) => d > 0)) return y;
  const n = y.length;
  return Float64Array.from({ length: n }, (_, i) =>
    closed[weekdayPhase(i, n)] > 0 ? Number.NaN : y[i],
  );
}

/** Two-proportion z (pooled variance) of `a`'s share of days without a sale over `b`'s; NaN
 * where either has no known day or neither a zero nor a sale varies. */
function shiftZ(a: { known: number; zeros: number }, b: { known: number; zeros: number }): number {
  const pooled = (a.zeros + b.zeros) / (a.known + b.known);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / a.known + 1 / b.known));
  return se > 0 ? (a.zeros / a.known - b.zeros / b.known) / se : Number.NaN;
}

/** Whether y[from, to) sells on too few days to be regular (ADI ≥ 1.32, `classifyDemand`). */
export function sporadicWindow(y: ArrayLike<number>, from: number, to: number): boolean {
  return demandStats(Array.prototype.slice.call(y, from, to) as number[]).adi >= ADI_CUTOFF;
}
