/**
 * Weekday profiles: each weekday's share of its week (multiplicative indices averaging 1), read
 * from whole weeks so a week's level cancels. `forecastAuto` spreads a week the models left flat
 * by the profile of the weeks before a level shift (`auto.ts`).
 */
import { sporadicWindow } from './classify';

const PERIOD = 7;

/** Weeks before a shift whose weekday profile `weekdayProfile` reads (at most). */
export const PROFILE_WEEKS = 52;

/**
 * F ratio a weekday profile must reach to be read (one-way analysis of variance of the days'
 * shares of their week by weekday, 6 and 7(w − 1) degrees of freedom): 3.9 is the 1 % point for
 * 4 weeks (F(6, 21)), and above it for more.
 */
const PROFILE_MIN_F = 3.9;

/** Each whole week's shares of its mean (7 values averaging 1) in y[from, to), weeks aligned to
 * `to` (the last ends at `to`), newest first, at most `limit`; weeks with an unknown day, or
 * selling nothing, are left out. */
function weekShares(y: ArrayLike<number>, from: number, to: number, limit: number): Float64Array[] {
  const weeks: Float64Array[] = [];
  for (let w = 1; w <= limit && to - PERIOD * w >= from; w++) {
    const start = to - PERIOD * w;
    let sum = 0;
    let known = true;
    for (let t = start; t < start + PERIOD; t++) {
      if (y[t] !== y[t]) known = false;
      else sum += y[t];
    }
    if (!known || !(sum > 0)) continue;
    const share = new Float64Array(PERIOD);
    for (let t = start; t < start + PERIOD; t++) share[t % PERIOD] = (PERIOD * y[t]) / sum;
    weeks.push(share);
  }
  return weeks;
}

/** A weekday profile (`weekdayProfile`): each phase's share, and the variance of one week's share
 * around it (pooled over the phases). */
export interface WeekdayProfile {
  /** Indexed by phase t mod 7; averages 1; 0 on a weekday that never sold. */
  share: Float64Array;
  variance: number;
}

/**
 * The weekday profile of the whole weeks before index `end` of `y` (at most PROFILE_WEEKS of
 * them): for each phase d = t mod 7, the mean over those weeks of the day's share of its week's
 * mean (multiplicative indices, averaging 1 over the 7 phases; a week's level cancels, so a
 * trend or a move in level does not blur them). Undefined with fewer than 4 whole weeks whose
 * every day is known and whose mean is above 0, where those days are sporadic (ADI ≥ 1.32: a
 * few sales a week make no profile), or where the weekdays' shares do not differ beyond their
 * noise (one-way analysis of variance by weekday, F below PROFILE_MIN_F).
 */
export function weekdayProfile(y: ArrayLike<number>, end: number): WeekdayProfile | undefined {
  const weeks = weekShares(y, 0, end, PROFILE_WEEKS);
  const w = weeks.length;
  if (
    w < 4 ||
    sporadicWindow(y, end - PERIOD * Math.min(PROFILE_WEEKS, Math.floor(end / PERIOD)), end)
  )
    return undefined;
  const share = new Float64Array(PERIOD);
  for (const week of weeks) for (let d = 0; d < PERIOD; d++) share[d] += week[d] / w;
  let between = 0;
  let within = 0;
  for (let d = 0; d < PERIOD; d++) {
    between += w * (share[d] - 1) ** 2;
    for (const week of weeks) within += (week[d] - share[d]) ** 2;
  }
  const variance = within / (PERIOD * (w - 1));
  return between / (PERIOD - 1) / variance >= PROFILE_MIN_F ? { share, variance } : undefined;
}

/**
 * Whether the whole weeks of y[start, end) (at least 2 of them) disagree with `profile` on the
 * weekdays it has open: their mean shares differ from it beyond the profile's week-to-week noise
 * (F of at least PROFILE_MIN_F on 6 degrees of freedom, as for reading a profile: at the laxer
 * 5 % point, 2.1, noise rejected the profile of 3 of `test/levelShift.test.ts`'s products whose
 * week had not changed, and of one closed on Sundays). A product whose weekly pattern changed
 * with its level keeps its models' own shape.
 */
export function profileChanged(
  y: ArrayLike<number>,
  start: number,
  end: number,
  profile: WeekdayProfile,
): boolean {
  const weeks = weekShares(y, start, end, Infinity);
  const n = weeks.length;
  if (n < 2) return false;
  let gap = 0;
  for (let d = 0; d < PERIOD; d++) {
    let mean = 0;
    for (const week of weeks) mean += week[d] / n;
    gap += n * (mean - profile.share[d]) ** 2;
  }
  return gap / (PERIOD - 1) / Math.max(profile.variance, 1e-12) >= PROFILE_MIN_F;
}
