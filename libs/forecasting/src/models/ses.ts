import { flat, normalQuantiles, zeroQuantiles } from '../intervals';
import { assertSomeKnown, countKnown, fromFirstKnown, hasMissing } from '../missing';
import { minimize1d } from '../numeric/stats';
import type { FittedModel, Model } from '../types';

export interface SesOptions {
  /** Fixed smoothing parameter in (0, 1]; optimised (least squares) when omitted. */
  alpha?: number;
}

export interface FittedSes extends FittedModel {
  readonly alpha: number;
  /** Final level = the flat point forecast. */
  readonly level: number;
  /** Mean squared one-step error. */
  readonly sigma2: number;
}

/** One pass of SES with the level started at y[0] (as statsforecast); returns SSE and level. */
export function sesPass(
  y: ArrayLike<number>,
  alpha: number,
  fitted?: Float64Array,
): { sse: number; level: number } {
  let level = y[0];
  let sse = 0;
  if (fitted) fitted[0] = level;
  for (let t = 1; t < y.length; t++) {
    if (fitted) fitted[t] = level;
    const e = y[t] - level;
    sse += e * e;
    level += alpha * e;
  }
  return { sse, level };
}

/**
 * `sesPass` over a series with missing (NaN) days, y[0] known: a missing day leaves the level
 * where it was (its one-step prediction) and adds nothing to the SSE, as a Kalman filter does
 * with a missing measurement.
 */
export function sesPassMissing(
  y: ArrayLike<number>,
  alpha: number,
  fitted?: Float64Array,
): { sse: number; level: number } {
  let level = y[0];
  let sse = 0;
  if (fitted) fitted[0] = level;
  for (let t = 1; t < y.length; t++) {
    if (fitted) fitted[t] = level;
    const v = y[t];
    if (v !== v) continue;
    const e = v - level;
    sse += e * e;
    level += alpha * e;
  }
  return { sse, level };
}

/** Least-squares smoothing parameter on [0.01, 0.99]. */
export function optimiseSesAlpha(y: ArrayLike<number>): number {
  if (y.length < 3) return 0.5;
  return minimize1d((a) => sesPass(y, a).sse, 0.01, 0.99);
}

/** Fitted SES on a series with missing days; `y` starts at a known day. */
function fitSesMissing(y: Float64Array, options: SesOptions, full: number): FittedSes {
  const known = countKnown(y);
  const alpha =
    options.alpha ?? (known < 3 ? 0.5 : minimize1d((a) => sesPassMissing(y, a).sse, 0.01, 0.99));
  const fitted = new Float64Array(full).fill(NaN);
  const { sse, level } = sesPassMissing(y, alpha, fitted.subarray(full - y.length));
  const sigma2 = known > 1 ? sse / (known - 1) : 0;
  const sd = Math.sqrt(sigma2);
  return {
    name: 'ses',
    alpha,
    level,
    sigma2,
    fitted,
    forecast: (h) => normalQuantiles(flat(level, h), (k) => sd * Math.sqrt(1 + k * alpha * alpha)),
  };
}

/**
 * Simple exponential smoothing with Gaussian intervals sd·√(1 + (k−1)α²) (the ETS(A,N,N)
 * forecast variance). Missing (NaN) days skip the update and are left out of the SSE and the
 * variance (`sesPassMissing`); `InvalidSeriesError` when every day is missing.
 */
export function fitSes(y: Float64Array, options: SesOptions = {}): FittedSes {
  const n = y.length;
  if (n === 0) {
    return { name: 'ses', alpha: 0, level: 0, sigma2: 0, forecast: (h) => zeroQuantiles(h) };
  }
  assertSomeKnown(y, 'ses');
  if (hasMissing(y)) return fitSesMissing(fromFirstKnown(y), options, n);
  const alpha = options.alpha ?? optimiseSesAlpha(y);
  const fitted = new Float64Array(n);
  const { sse, level } = sesPass(y, alpha, fitted);
  const sigma2 = n > 1 ? sse / (n - 1) : 0;
  const sd = Math.sqrt(sigma2);
  return {
    name: 'ses',
    alpha,
    level,
    sigma2,
    fitted,
    forecast: (h) => normalQuantiles(flat(level, h), (k) => sd * Math.sqrt(1 + k * alpha * alpha)),
  };
}

export const sesModel: Model = { name: 'ses', fit: (y) => fitSes(y) };
