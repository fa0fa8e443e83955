import { intermittentQuantiles, zeroQuantiles } from '../intervals';
import { assertSomeKnown, observed } from '../missing';
import type { FittedModel, Model } from '../types';

export interface CrostonOptions {
  /** Smoothing of sizes and intervals; default 0.1 (Croston's classic value). */
  alpha?: number;
}

export interface TsbOptions {
  /** Fixed size smoothing; chosen on a small grid by one-step MSE when omitted. */
  alphaDemand?: number;
  /** Fixed probability smoothing; chosen on a small grid by one-step MSE when omitted. */
  alphaProbability?: number;
}

export interface FittedIntermittent extends FittedModel {
  /** Per-day mean demand (the flat point forecast). */
  readonly rate: number;
  /** Smoothed non-zero demand size. */
  readonly size: number;
}

/** Non-zero sizes and the intervals between them (first interval counted from before day 0). */
function demandsAndIntervals(y: Float64Array): { sizes: Float64Array; gaps: Float64Array } {
  const sizes: number[] = [];
  const gaps: number[] = [];
  let last = -1;
  for (let t = 0; t < y.length; t++) {
    if (y[t] > 0) {
      sizes.push(y[t]);
      gaps.push(t - last);
      last = t;
    }
  }
  return { sizes: Float64Array.from(sizes), gaps: Float64Array.from(gaps) };
}

/** SES with the level started at the first value (R's `initial = "simple"`): final level. */
function sesLevel(x: Float64Array, alpha: number): number {
  let level = x[0];
  for (let i = 1; i < x.length; i++) level += alpha * (x[i] - level);
  return level;
}

/** Size sample for the intervals: recent sizes carry the current demand shape. */
function recentSizes(sizes: Float64Array): Float64Array {
  return sizes.subarray(Math.max(0, sizes.length - 100));
}

function zeroIntermittent(name: string): FittedIntermittent {
  return { name, rate: 0, size: 0, forecast: zeroQuantiles };
}

function crostonFamily(series: Float64Array, alpha: number, sba: boolean): FittedIntermittent {
  const name = sba ? 'sba' : 'croston';
  assertSomeKnown(series, name);
  // A missing day is neither a demand nor a zero: intervals are counted in known days.
  const days = observed(series);
  const known = days.length;
  const { sizes, gaps } = demandsAndIntervals(days);
  if (sizes.length === 0) return zeroIntermittent(name);
  // As R's croston: one demand only means that demand over its interval, no smoothing.
  const size = sizes.length === 1 ? sizes[0] : sesLevel(sizes, alpha);
  // Unlike R's croston: a history that opens with a sale (`forecastAuto` cuts it at the first
  // one) has not seen the interval before it. Counted from day 0 it is 1 day, which started the
  // smoothed interval at 1 and read one order of 12 over 14 days as 11.4 a day. The intervals are
  // smoothed from the second on, and one demand alone spreads over the days seen.
  const unseen = gaps[0] === 1;
  let gap: number;
  if (sizes.length > 1) gap = sesLevel(unseen ? gaps.subarray(1) : gaps, alpha);
  else gap = unseen ? known : gaps[0];
  // Syntetos & Boylan's (2005) correction of Croston's positive bias.
  const rate = (size / gap) * (sba ? 1 - alpha / 2 : 1);
  const sample = recentSizes(sizes);
  return {
    name,
    rate,
    size,
    forecast: (h) => intermittentQuantiles(rate, size, sample, h),
  };
}

/**
 * Croston (1972): SES of non-zero sizes over SES of inter-demand intervals, started at the first
 * of each as R's `croston`, except that a series opening with a sale skips its unseen first
 * interval (a single demand then spreads over the known days). Missing (NaN) days are dropped
 * (intervals count known days); `InvalidSeriesError` when every day is missing.
 */
export function fitCroston(y: Float64Array, options: CrostonOptions = {}): FittedIntermittent {
  return crostonFamily(y, options.alpha ?? 0.1, false);
}

/** Syntetos–Boylan Approximation: Croston times (1 − α/2). Missing days as `fitCroston`. */
export function fitSba(y: Float64Array, options: CrostonOptions = {}): FittedIntermittent {
  return crostonFamily(y, options.alpha ?? 0.1, true);
}

function tsbPass(
  y: Float64Array,
  z0: number,
  p0: number,
  a: number,
  b: number,
): { sse: number; z: number; p: number } {
  let z = z0;
  let p = p0;
  let sse = 0;
  for (let t = 0; t < y.length; t++) {
    const e = y[t] - z * p;
    sse += e * e;
    if (y[t] > 0) {
      z += a * (y[t] - z);
      p += b * (1 - p);
    } else {
      p -= b * p;
    }
  }
  return { sse, z, p };
}

const TSB_GRID_A = [0.05, 0.1, 0.2, 0.3];
const TSB_GRID_B = [0.01, 0.02, 0.05, 0.1, 0.2];

/**
 * Teunter–Syntetos–Babai (2011): the demand probability is updated every day, so a product that
 * stops selling decays towards zero (Croston would keep forecasting the old rate). Parameters are
 * chosen on a small grid by one-step MSE unless given. A missing (NaN) day is skipped: it
 * updates neither the size nor the probability and is left out of the MSE; `InvalidSeriesError`
 * when every day is missing.
 */
export function fitTsb(series: Float64Array, options: TsbOptions = {}): FittedIntermittent {
  assertSomeKnown(series, 'tsb');
  const y = observed(series);
  const { sizes } = demandsAndIntervals(y);
  if (sizes.length === 0) return zeroIntermittent('tsb');
  const z0 = sizes[0];
  const p0 = sizes.length / y.length;
  const as = options.alphaDemand !== undefined ? [options.alphaDemand] : TSB_GRID_A;
  const bs = options.alphaProbability !== undefined ? [options.alphaProbability] : TSB_GRID_B;
  let best = { sse: Infinity, z: z0, p: p0 };
  for (const a of as) {
    for (const b of bs) {
      const r = tsbPass(y, z0, p0, a, b);
      if (r.sse < best.sse) best = r;
    }
  }
  const rate = best.z * best.p;
  const sample = recentSizes(sizes);
  return {
    name: 'tsb',
    rate,
    size: best.z,
    forecast: (h) => intermittentQuantiles(rate, best.z, sample, h),
  };
}

export const crostonModel: Model = { name: 'croston', fit: (y) => fitCroston(y) };
export const sbaModel: Model = { name: 'sba', fit: (y) => fitSba(y) };
export const tsbModel: Model = { name: 'tsb', fit: (y) => fitTsb(y) };
