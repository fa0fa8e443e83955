import { flat, normalQuantiles, residualSd, zeroQuantiles } from '../intervals';
import { assertSomeKnown, hasMissing, observed } from '../missing';
import { mean } from '../numeric/stats';
import type { FittedModel, Model, QuantileForecast } from '../types';

function zeroFit(name: string): FittedModel {
  return { name, forecast: (h) => zeroQuantiles(h) };
}

/**
 * Naive: tomorrow = today. Random-walk intervals sd·√k. Missing (NaN) days are skipped: the
 * forecast is the last known day, the residuals are the steps between consecutive known days.
 * Throws `InvalidSeriesError` when every day is missing.
 */
export function fitNaive(y: Float64Array): FittedModel {
  assertSomeKnown(y, 'naive');
  if (hasMissing(y)) return naiveOverGaps(y);
  const n = y.length;
  if (n === 0) return zeroFit('naive');
  const res = new Float64Array(n).fill(NaN);
  for (let t = 1; t < n; t++) res[t] = y[t] - y[t - 1];
  const sd = residualSd(res, 1);
  const last = y[n - 1];
  const fitted = new Float64Array(n);
  fitted[0] = y[0];
  for (let t = 1; t < n; t++) fitted[t] = y[t - 1];
  return {
    name: 'naive',
    fitted,
    forecast: (h) => normalQuantiles(flat(last, h), (k) => sd * Math.sqrt(k + 1)),
  };
}

/** `fitNaive` on a series with missing days: the same model over the known days. */
function naiveOverGaps(y: Float64Array): FittedModel {
  const n = y.length;
  const known = observed(y);
  const res = new Float64Array(known.length).fill(NaN);
  for (let t = 1; t < known.length; t++) res[t] = known[t] - known[t - 1];
  const sd = residualSd(res, 1);
  const last = known[known.length - 1];
  // The one-step forecast of day t is the last known day before it.
  const fitted = new Float64Array(n).fill(NaN);
  let prev = NaN;
  for (let t = 0; t < n; t++) {
    fitted[t] = prev === prev ? prev : y[t];
    if (y[t] === y[t]) prev = y[t];
  }
  return {
    name: 'naive',
    fitted,
    forecast: (h) => normalQuantiles(flat(last, h), (k) => sd * Math.sqrt(k + 1)),
  };
}

/** The last known value at `i`, `i − step`, `i − 2·step`, …; NaN when none is known. */
function lastKnownAt(y: Float64Array, i: number, step: number): number {
  for (let j = i; j >= 0; j -= step) if (y[j] === y[j]) return y[j];
  return NaN;
}

/**
 * Seasonal naive: the same weekday last week. Intervals sd·√(⌊k/m⌋+1) (Hyndman & Athanasopoulos
 * §5.5). Falls back to naive (and says so in its name) with less than one full season.
 * Missing (NaN) days: a weekday whose last value is missing repeats the last known value for
 * that weekday (the last known day at all when that weekday was never observed), and the
 * residual scale uses only pairs of known days one season apart. Throws `InvalidSeriesError`
 * when every day is missing.
 */
export function fitSeasonalNaive(y: Float64Array, period = 7): FittedModel {
  const n = y.length;
  if (n < period) return fitNaive(y);
  assertSomeKnown(y, 'snaive');
  if (hasMissing(y)) return seasonalNaiveOverGaps(y, period);
  const res = new Float64Array(n).fill(NaN);
  for (let t = period; t < n; t++) res[t] = y[t] - y[t - period];
  const sd = residualSd(res, period);
  const fitted = new Float64Array(n);
  for (let t = 0; t < n; t++) fitted[t] = t >= period ? y[t - period] : y[t];
  return {
    name: 'snaive',
    fitted,
    forecast: (h): QuantileForecast => {
      const p = new Float64Array(h);
      for (let k = 0; k < h; k++) p[k] = y[n - period + (k % period)];
      return normalQuantiles(p, (k) => sd * Math.sqrt(Math.floor(k / period) + 1));
    },
  };
}

/** `fitSeasonalNaive` on a series with missing days (n >= period). */
function seasonalNaiveOverGaps(y: Float64Array, period: number): FittedModel {
  const n = y.length;
  const res = new Float64Array(n).fill(NaN);
  // NaN − x is NaN, and residualSd skips it: only pairs of known days count.
  for (let t = period; t < n; t++) res[t] = y[t] - y[t - period];
  const sd = residualSd(res, period);
  const fitted = new Float64Array(n);
  for (let t = 0; t < n; t++) fitted[t] = t >= period ? y[t - period] : y[t];
  const lastKnown = lastKnownAt(y, n - 1, 1);
  return {
    name: 'snaive',
    fitted,
    forecast: (h): QuantileForecast => {
      const p = new Float64Array(h);
      for (let k = 0; k < h; k++) {
        const v = lastKnownAt(y, n - period + (k % period), period);
        p[k] = v === v ? v : lastKnown;
      }
      return normalQuantiles(p, (k) => sd * Math.sqrt(Math.floor(k / period) + 1));
    },
  };
}

/**
 * Mean of the last `window` days, with the i.i.d. interval sd·√(1 + 1/w). Missing (NaN) days
 * are skipped: the window is the last `window` known days. Throws `InvalidSeriesError` when
 * every day is missing.
 */
export function fitRecentMean(series: Float64Array, window = 28): FittedModel {
  assertSomeKnown(series, `mean(${window})`);
  const y = observed(series);
  const n = y.length;
  const name = `mean(${window})`;
  if (n === 0) return zeroFit(name);
  const w = Math.min(n, Math.max(1, Math.floor(window)));
  const m = mean(y, n - w);
  const dev = new Float64Array(w);
  for (let i = 0; i < w; i++) dev[i] = y[n - w + i] - m;
  const sd = residualSd(dev, 0, 1);
  return {
    name,
    forecast: (h) => normalQuantiles(flat(m, h), () => sd * Math.sqrt(1 + 1 / w)),
  };
}

export const naiveModel: Model = { name: 'naive', fit: (y) => fitNaive(y) };
export const seasonalNaiveModel: Model = { name: 'snaive', fit: (y) => fitSeasonalNaive(y) };
export const recentMeanModel: Model = { name: 'mean', fit: (y) => fitRecentMean(y) };
