import { normalQuantiles, zeroQuantiles } from '../intervals';
import { assertSomeKnown, countKnown, fromFirstKnown, hasMissing } from '../missing';
import {
  isSeasonal,
  mean,
  meanKnown,
  multiplicativeSeasonalIndices,
  olsSlope,
} from '../numeric/stats';
import { nelderMead } from '../optim/nelderMead';
import type { FittedModel, Model, QuantileForecast } from '../types';
import { fitSes } from './ses';

export interface ThetaOptions {
  /** Seasonal period; default 7. */
  period?: number;
  /** Fixed SES alpha (standard Theta only); optimised when omitted. */
  alpha?: number;
  /** Set false to skip the seasonality test and never deseasonalise. */
  seasonal?: boolean;
}

export interface FittedTheta extends FittedModel {
  readonly alpha: number;
  readonly theta: number;
  /** Seasonal indices used (multiplicative), or undefined when the test said non-seasonal. */
  readonly seasonalIndices?: Float64Array;
}

interface Deseasonalised {
  x: Float64Array;
  idx?: Float64Array;
}

/** Classical multiplicative adjustment when the lag-m autocorrelation test passes (as thetaf). */
function deseasonalise(y: Float64Array, period: number, allowed: boolean): Deseasonalised {
  if (!allowed || !isSeasonal(y, period)) return { x: y };
  const idx = multiplicativeSeasonalIndices(y, period);
  if (!idx) return { x: y };
  const x = new Float64Array(y.length);
  for (let t = 0; t < y.length; t++) x[t] = y[t] / idx[t % period];
  return { x, idx };
}

function reseasonalise(
  point: Float64Array,
  sd: (k: number) => number,
  n: number,
  period: number,
  idx?: Float64Array,
): QuantileForecast {
  if (!idx) return normalQuantiles(point, sd);
  const p = new Float64Array(point.length);
  for (let k = 0; k < p.length; k++) p[k] = point[k] * idx[(n + k) % period];
  return normalQuantiles(p, (k) => sd(k) * idx[(n + k) % period]);
}

/**
 * Standard Theta method (Assimakopoulos & Nikolopoulos 2000) in the form of Hyndman & Billah
 * (2003) and R's `thetaf`: SES plus half the OLS drift, on multiplicatively deseasonalised data
 * when the seasonality test passes. Intervals are the SES ones, sd·√(1 + (k−1)α²). Missing
 * (NaN) days are left out of the seasonality test, the indices, the drift regression and the
 * SES errors (the SES level skips them); `InvalidSeriesError` when every day is missing.
 */
export function fitTheta(y: Float64Array, options: ThetaOptions = {}): FittedTheta {
  const n = y.length;
  const period = options.period ?? 7;
  if (n === 0) return { name: 'theta', alpha: 0, theta: 2, forecast: zeroQuantiles };
  assertSomeKnown(y, 'theta');
  const { x, idx } = deseasonalise(y, period, options.seasonal !== false);
  const ses = fitSes(x, { alpha: options.alpha });
  const alpha = Math.max(1e-10, ses.alpha);
  const drift = olsSlope(x) / 2;
  const sd = Math.sqrt(ses.sigma2);
  const decay = (1 - (1 - alpha) ** n) / alpha;
  return {
    name: 'theta',
    alpha,
    theta: 2,
    seasonalIndices: idx,
    forecast: (h) => {
      const p = new Float64Array(h);
      for (let k = 0; k < h; k++) p[k] = ses.level + drift * (k + decay);
      return reseasonalise(p, (k) => sd * Math.sqrt(1 + k * alpha * alpha), n, period, idx);
    },
  };
}

/**
 * The state-space Theta models of Fiorucci et al. (2016), as in statsforecast: the level
 * l_t = αy_t + (1−α)l_{t−1} plus (1 − 1/θ) times the decayed theta-line drift, where the
 * regression coefficients A_n, B_n are either fixed over the whole sample (OTM) or updated at
 * every step (DOTM, dynamic). Returns the one-step errors' MSE (from t = 3, as statsforecast) and,
 * when h > 0, the forecast path. A missing (NaN) y_t (y_0 must be known) is replaced by its
 * one-step prediction, so the state moves on without an innovation, and is left out of the MSE
 * (its residual is NaN); the fixed OTM coefficients are then the OLS line of the known values.
 */
export function thetaStateSpace(
  y: ArrayLike<number>,
  alpha: number,
  theta: number,
  l0: number,
  dynamic: boolean,
  h = 0,
): { mse: number; path: Float64Array; residuals: Float64Array } {
  const n = y.length;
  const w = 1 - 1 / theta;
  let level = alpha * y[0] + (1 - alpha) * l0;
  let meany = y[0];
  let An: number;
  let Bn: number;
  const residuals = new Float64Array(n);
  if (dynamic) {
    An = y[0];
    Bn = 0;
    residuals[0] = 0;
  } else {
    [An, Bn] = hasMissing(y) ? olsLineOfKnown(y) : olsLine(y);
    residuals[0] = y[0] - (l0 + w * (An + Bn));
  }
  let sse = 0;
  let count = 0;
  const step = (i: number, value: number) => {
    const newMean = (i * meany + value) / (i + 1);
    if (dynamic) {
      Bn = ((i - 1) * Bn + (6 * (value - meany)) / (i + 1)) / (i + 2);
      An = newMean - (Bn * (i + 2)) / 2;
    }
    level = alpha * value + (1 - alpha) * level;
    meany = newMean;
  };
  const mu = (i: number) =>
    level + w * ((1 - alpha) ** i * An + ((1 - (1 - alpha) ** (i + 1)) / alpha) * Bn);
  for (let i = 1; i < n; i++) {
    if (y[i] !== y[i]) {
      residuals[i] = NaN;
      step(i, mu(i));
      continue;
    }
    const e = y[i] - mu(i);
    residuals[i] = e;
    if (i >= 3) {
      sse += e * e;
      count++;
    }
    step(i, y[i]);
  }
  const path = new Float64Array(h);
  for (let j = 0; j < h; j++) {
    const f = mu(n + j);
    path[j] = f;
    step(n + j, f);
  }
  return { mse: count > 0 ? sse / count : 0, path, residuals };
}

/** Intercept (at t = 1) and slope of the OLS line of y on t = 1..n. */
function olsLine(y: ArrayLike<number>): [number, number] {
  const n = y.length;
  let sty = 0;
  for (let t = 0; t < n; t++) sty += (t + 1) * y[t];
  const my = mean(y);
  const Bn = n > 1 ? (6 * (2 * (sty / n) - (1 + n) * my)) / (n * n - 1) : 0;
  return [my - ((n + 1) * Bn) / 2, Bn];
}

/** `olsLine` over the known (non-NaN) values only. */
function olsLineOfKnown(y: ArrayLike<number>): [number, number] {
  const my = meanKnown(y);
  const Bn = olsSlope(y);
  let st = 0;
  let c = 0;
  for (let t = 0; t < y.length; t++) {
    if (y[t] === y[t]) {
      st += t + 1;
      c++;
    }
  }
  return [my - Bn * (st / c), Bn];
}

/** Box of the OTM/DOTM search: l0/scale, α, θ. */
const THETA_LOWER = [-10, 0.1, 1];
const THETA_UPPER = [10, 0.99, 1000];

function fitThetaStateSpace(
  series: Float64Array,
  dynamic: boolean,
  options: ThetaOptions = {},
): FittedTheta {
  const name = dynamic ? 'dotm' : 'otm';
  if (series.length === 0) return { name, alpha: 0, theta: 2, forecast: zeroQuantiles };
  assertSomeKnown(series, name);
  // The recursion starts at a known value; leading missing days carry nothing.
  const y = fromFirstKnown(series);
  const n = y.length;
  const period = options.period ?? 7;
  if (countKnown(y) < 4) {
    const t = fitTheta(y, { ...options, seasonal: false });
    return { ...t, name };
  }
  const { x, idx } = deseasonalise(y, period, options.seasonal !== false);
  const scale = Math.max(1e-9, meanKnown(x));
  // Optimise (l0/scale, α, θ) so the level's step size is comparable with the others'. The
  // simplex moves freely and the objective is taken at the point projected onto the box, so
  // the search can slide along a bound.
  const box = (p: ArrayLike<number>, out: Float64Array): Float64Array => {
    for (let i = 0; i < 3; i++) out[i] = Math.min(THETA_UPPER[i], Math.max(THETA_LOWER[i], p[i]));
    return out;
  };
  const q = new Float64Array(3);
  const objective = (p: Float64Array) => {
    box(p, q);
    return thetaStateSpace(x, q[1], q[2], q[0] * scale, dynamic).mse;
  };
  const res = nelderMead(objective, [x[0] / 2 / scale, 0.5, 2], {
    step: [0.5, 0.2, 1],
    maxEvaluations: 400,
    absTol: 0,
    relTol: 1e-10,
  });
  const [l0s, alpha, theta] = box(res.x, new Float64Array(3));
  const fit = thetaStateSpace(x, alpha, theta, l0s * scale, dynamic);
  const sd = Math.sqrt(fit.mse);
  return {
    name,
    alpha,
    theta,
    seasonalIndices: idx,
    forecast: (h) => {
      const { path } = thetaStateSpace(x, alpha, theta, l0s * scale, dynamic, h);
      return reseasonalise(path, (k) => sd * Math.sqrt(1 + k * alpha * alpha), n, period, idx);
    },
  };
}

/** Optimised Theta Method (θ, α and the initial level chosen by least squares). Missing (NaN)
 * days as in `thetaStateSpace`; `InvalidSeriesError` when every day is missing. */
export function fitOptimizedTheta(y: Float64Array, options: ThetaOptions = {}): FittedTheta {
  return fitThetaStateSpace(y, false, options);
}

/** Dynamic Optimised Theta Method: OTM with the theta line re-estimated at every step. */
export function fitDynamicOptimizedTheta(y: Float64Array, options: ThetaOptions = {}): FittedTheta {
  return fitThetaStateSpace(y, true, options);
}

export const thetaModel: Model = { name: 'theta', fit: (y) => fitTheta(y) };
export const otmModel: Model = { name: 'otm', fit: (y) => fitOptimizedTheta(y) };
export const dotmModel: Model = { name: 'dotm', fit: (y) => fitDynamicOptimizedTheta(y) };
