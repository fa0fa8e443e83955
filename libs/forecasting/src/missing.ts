/**
 * Missing days. A day whose demand is unknown (its Gold row was rejected) is `NaN` in a series;
 * a day without a row is a real 0. Every model treats `NaN` as "no observation" — never as 0 —
 * and series without any `NaN` take the same code paths, to the last bit, as before missing days
 * were supported: callers check `hasMissing` once per series and branch.
 */
import { InvalidSeriesError } from './errors';

/** True when `y` has at least one missing (`NaN`) day. One pass, no allocation. */
export function hasMissing(y: ArrayLike<number>): boolean {
  for (let i = 0; i < y.length; i++) if (y[i] !== y[i]) return true;
  return false;
}

/** Number of known (non-`NaN`) days in `y[from, to)`. */
export function countKnown(y: ArrayLike<number>, from = 0, to = y.length): number {
  let c = 0;
  for (let i = from; i < to; i++) if (y[i] === y[i]) c++;
  return c;
}

/**
 * The known days of `y` in order, the missing ones dropped (`y` itself when none is missing).
 * For models that do not use the calendar position of a day (Croston, TSB, recent mean, naive):
 * a missing day is then neither a demand nor a zero.
 */
export function observed(y: Float64Array): Float64Array {
  if (!hasMissing(y)) return y;
  const out = new Float64Array(countKnown(y));
  let j = 0;
  for (let i = 0; i < y.length; i++) if (y[i] === y[i]) out[j++] = y[i];
  return out;
}

/**
 * `y` from its first known day on (`y` itself when `y[0]` is known): days before the first
 * observation carry nothing, and models that start their state at the first value need one.
 */
export function fromFirstKnown(y: Float64Array): Float64Array {
  let i = 0;
  while (i < y.length && y[i] !== y[i]) i++;
  return i === 0 ? y : y.subarray(i);
}

/**
 * Throws `InvalidSeriesError` when a non-empty `y` has no known day at all: there is nothing
 * to forecast from, and forecasting 0 would turn "unknown" into "sold nothing".
 */
export function assertSomeKnown(y: ArrayLike<number>, who: string): void {
  if (y.length > 0 && countKnown(y) === 0) {
    throw new InvalidSeriesError(
      `${who}: all ${y.length} days are missing (NaN); at least one known day is needed`,
    );
  }
}

/**
 * `x` with each missing (NaN) day filled by linear interpolation between its known neighbours,
 * the nearest known value before the first or after the last known day (a copy; `x` unchanged).
 * With `period` p > 1 the neighbours are the days of the same phase (t mod p: the same weekday for
 * p = 7), so a missing Sunday of a store closed on Sundays is filled with its Sundays' 0, not the
 * average of a Saturday and a Monday; a phase without a known day is filled as with p = 1. For
 * computations that need a value on every day (a decomposition); the filled days are not
 * observations and must not be scored or published as such. All-missing input stays all NaN.
 * @param x daily values, NaN = missing
 * @param period the phase length, a whole number >= 1 (default 1: the neighbouring days)
 */
export function interpolateMissing(x: ArrayLike<number>, period = 1): Float64Array {
  if (period > 1) {
    const plain = interpolateMissing(x);
    const out = Float64Array.from(x);
    for (let r = 0; r < Math.min(period, out.length); r++) {
      const days = Array.from(
        { length: Math.ceil((out.length - r) / period) },
        (_, i) => r + i * period,
      );
      const phase = interpolateMissing(days.map((t) => out[t]));
      days.forEach((t, i) => (out[t] = phase[i] === phase[i] ? phase[i] : plain[t]));
    }
    return out;
  }
  const out = Float64Array.from(x);
  let prev = -1;
  for (let t = 0; t <= out.length; t++) {
    if (t < out.length && !(out[t] === out[t])) continue;
    for (let g = prev + 1; g < t; g++) {
      if (prev < 0) out[g] = out[t];
      else if (t >= out.length) out[g] = out[prev];
      else out[g] = out[prev] + ((out[t] - out[prev]) * (g - prev)) / (t - prev);
    }
    prev = t;
  }
  return out;
}

/**
 * Checks a daily demand series: every value a finite number >= 0, or NaN for a missing day (its
 * demand is unknown). Throws `InvalidSeriesError` naming the first bad value and its index
 * (±Infinity, negatives), or when a non-empty series has no known day at all.
 */
export function assertValidSeries(y: ArrayLike<number>): void {
  let known = 0;
  for (let i = 0; i < y.length; i++) {
    const v = y[i];
    if (v !== v) continue;
    known++;
    if (!Number.isFinite(v) || v < 0) {
      throw new InvalidSeriesError(
        `demand value ${v} at index ${i} is not allowed (expected a finite number >= 0, or NaN for a missing day)`,
      );
    }
  }
  if (y.length > 0 && known === 0) {
    throw new InvalidSeriesError(
      `all ${y.length} days are missing (NaN); at least one known day is needed to forecast`,
    );
  }
}
