import { flat, normalQuantiles, residualSd, zeroQuantiles } from '../intervals';
import { mean } from '../numeric/stats';
import type { FittedModel, Model, QuantileForecast } from '../types';

function zeroFit(name: string): FittedModel {
  return { name, forecast: (h) => zeroQuantiles(h) };
}

/** Naive: tomorrow = today. Random-walk intervals sd·√k. */
export function fitNaive(y: Float64Array): FittedModel {
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

/**
 * Seasonal naive: the same weekday last week. Intervals sd·√(⌊k/m⌋+1) (Hyndman & Athanasopoulos
 * §5.5). Falls back to naive (and says so in its name) with less than one full season.
 */
export function fitSeasonalNaive(y: Float64Array, period = 7): FittedModel {
  const n = y.length;
  if (n < period) return fitNaive(y);
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

/** Mean of the last `window` days, with the i.i.d. interval sd·√(1 + 1/w). */
export function fitRecentMean(y: Float64Array, window = 28): FittedModel {
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
