/**
 * `sarima`: the seasonal ARIMA of `forecastAuto`'s candidate pool, one fixed form estimated
 * cheaply — ARIMA(1,d,1)(0,1,1)[7] (with a drift when d = 0) by conditional sum of squares (CSS)
 * on the last {@link SARIMA_WINDOW} days, d ∈ {0, 1} by KPSS on the weekly differences, and
 * forecast conditionally on the CSS residuals (the ARIMA difference equation, future shocks 0;
 * variance σ² Σ ψ_j²). Full `auto.arima` (the registry's `arima`: unit-root tests, a stepwise
 * search of 20–90 models by AICc, exact likelihood) costs 0.3–1.5 s of CPU per 400-day series
 * here, a hundred times the engine's whole budget per series (≥ 100× R's `ets`, about 6 ms);
 * this form is the one Box–Jenkins' airline model generalises — weekly differencing absorbs a
 * stable weekly pattern, the (0,1,1)[7] term its slow change, AR(1) and MA(1) short-lived
 * deviations — and its CSS search on the once-differenced series costs well under a millisecond.
 * It joins the validation race, so series where it is wrong simply do not pick it.
 */
import { assertSomeKnown } from '../../missing';
import { normalQuantiles } from '../../intervals';
import { bfgs } from '../../optim/bfgs';
import type { FittedModel, Model } from '../../types';
import { ArimaFitError } from './arimaErrors';
import { meanFallback } from './arimaModel';
import { ndiffs } from './unitRoot';

/** Days of history the coefficients are estimated on: a year, every weekday 52 times. */
export const SARIMA_WINDOW = 364;
const M = 7;

/** A fitted `sarima`: its form, coefficients and where its window starts. */
export interface SarimaFit {
  /** Non-seasonal differences (the seasonal one, lag 7, is always taken). */
  readonly d: number;
  readonly ar1: number;
  readonly ma1: number;
  readonly sma1: number;
  /** Slope per day of the drift (0 when d = 1). */
  readonly drift: number;
  /** Innovation variance, Σe² / (n − number of coefficients). */
  readonly sigma2: number;
  /** Index in the fitted series of the window's first day. */
  readonly start: number;
  /** Length of the series it was fitted on. */
  readonly length: number;
}

/**
 * Fits ARIMA(1,d,1)(0,1,1)[7] (+ drift when d = 0) by CSS on the last 364 days of `y`.
 * @throws ArimaFitError when the window is under four weeks or has a missing (NaN) day — the
 * CSS has no way over one (R's loses every later residual); the other candidates cover those
 * series — or the search finds no finite sum of squares, or an AR or MA coefficient of 0.99 or
 * more in size (a root near the unit circle, rejected as auto.arima rejects it).
 */
export function fitSarima(y: Float64Array): SarimaFit {
  const start = Math.max(0, y.length - SARIMA_WINDOW);
  const x = y.subarray(start);
  if (x.length < 4 * M) {
    throw new ArimaFitError(`sarima needs 28 days in its window, got ${x.length}`);
  }
  for (const v of x) {
    if (!(v === v)) throw new ArimaFitError('sarima does not fit a window with missing days');
  }
  const weekly = x.subarray(M).map((v, t) => v - x[t]);
  const d = Math.min(1, ndiffs(weekly));
  const w = d === 0 ? weekly : weekly.subarray(1).map((v, t) => v - weekly[t]);
  const { coef, ssq } = cssSearch(w, d === 0);
  // As forecast's myarima: no AR or MA root within 1.01 of the unit circle (here each factor has
  // one coefficient, its root 1/|c|). A CSS estimate is not held stationary or invertible, and
  // one outside would forecast explosively.
  for (const [what, v] of [
    ['ar1', coef[0]],
    ['ma1', coef[1]],
    ['sma1', coef[2]],
  ] as const) {
    if (!(Math.abs(v) < 1 / 1.01)) {
      throw new ArimaFitError(`sarima: ${what} = ${v} puts a root within 1.01 of the unit circle`);
    }
  }
  const k = coef.length;
  return {
    d,
    ar1: coef[0],
    ma1: coef[1],
    sma1: coef[2],
    drift: d === 0 ? coef[3] : 0,
    sigma2: ssq / Math.max(1, w.length - 1 - k),
    start,
    length: y.length,
  };
}

/**
 * CSS estimate of (φ, θ, Θ[, β]) for the differenced series `w` (no NaN): the residuals
 * e_t = (w_t − c) − φ (w_{t−1} − c) − θ e_{t−1} − Θ e_{t−7} − θΘ e_{t−8}, started at 0 after the
 * first value, with c = 7β (a drift in y is a constant in its weekly differences); minimises
 * ½ log(Σe²/n) by R's BFGS from 0 (the drift from the mean of w), as `stats::arima(method =
 * "CSS")` does, on the differenced series computed once.
 * @returns the coefficients (ar1, ma1, sma1[, drift]) and Σe²
 */
function cssSearch(w: Float64Array, drift: boolean): { coef: Float64Array; ssq: number } {
  const n = w.length;
  if (n < 2 * M + 2) throw new ArimaFitError(`sarima: ${n} differenced days are too few`);
  const e = new Float64Array(n);
  const sumOfSquares = (par: Float64Array): number => {
    const phi = par[0];
    const theta = par[1];
    const sTheta = par[2];
    const both = theta * sTheta;
    const c = drift ? M * par[3] : 0;
    let ssq = 0;
    for (let t = 1; t < n; t++) {
      let v = w[t] - c - phi * (w[t - 1] - c) - theta * e[t - 1];
      if (t > M) v -= sTheta * e[t - M] + both * e[t - M - 1];
      e[t] = v;
      ssq += v * v;
    }
    return ssq;
  };
  let meanW = 0;
  for (const v of w) meanW += v;
  meanW /= n;
  let varW = 0;
  for (const v of w) varW += (v - meanW) ** 2;
  const start = drift ? Float64Array.from([0, 0, 0, meanW / M]) : new Float64Array(3);
  // The drift's scale as R's: ten standard errors of its least-squares estimate.
  const driftScale = (10 * Math.sqrt(varW / n)) / M / Math.sqrt(n);
  const scale = Float64Array.from([1, 1, 1, driftScale > 0 ? driftScale : 1]);
  const res = bfgs((par) => 0.5 * Math.log(sumOfSquares(par) / (n - 1)), start, { scale });
  if (res === null) throw new ArimaFitError('sarima: non-finite sum of squares');
  return { coef: res.x, ssq: sumOfSquares(res.x) };
}

/**
 * Forecasts of a fitted `sarima` from the end of `y` — the series it was fitted on, or a
 * continuation of it (`y.length >= fit.length`: rolling origins without re-estimation). Runs the
 * model's recursion from the window's start through the end of `y` with the fitted
 * coefficients; a missing (NaN) day among the newer ones is replaced by its one-step forecast
 * (its shock taken as 0).
 */
export function sarimaForecaster(fit: SarimaFit, y: Float64Array): FittedModel {
  if (y.length < fit.length) {
    throw new ArimaFitError(`cannot carry sarima back from ${fit.length} to ${y.length} days`);
  }
  const { d, ar1: phi, ma1: theta, sma1: sTheta, drift } = fit;
  const both = theta * sTheta;
  const lag = d + M;
  const n = y.length - fit.start;
  // u = y minus the drift line, z = its weekly differences, w = z differenced d times; e the shocks.
  const u = new Float64Array(n);
  const z = new Float64Array(n);
  const w = new Float64Array(n);
  const e = new Float64Array(n);
  const line = (t: number): number => drift * (t + 1);
  const predictW = (t: number): number => {
    let v = (t > lag ? phi * w[t - 1] : 0) + (t > lag ? theta * e[t - 1] : 0);
    if (t > lag + M) v += sTheta * e[t - M] + both * e[t - M - 1];
    return v;
  };
  // The drift is taken off with its line, so u's weekly differences carry no constant.
  for (let t = 0; t < n; t++) {
    const yt = y[fit.start + t];
    if (t < lag) {
      u[t] = yt - line(t);
      if (t >= M) z[t] = u[t] - u[t - M];
      continue;
    }
    const wHat = predictW(t);
    if (yt === yt) {
      u[t] = yt - line(t);
      z[t] = u[t] - u[t - M];
      w[t] = d === 0 ? z[t] : z[t] - z[t - 1];
      // The recursion starts here: its first shock is 0, as in the CSS.
      e[t] = t === lag ? 0 : w[t] - wHat;
    } else {
      w[t] = wHat;
      z[t] = d === 0 ? w[t] : w[t] + z[t - 1];
      u[t] = z[t] + u[t - M];
    }
  }
  const name = `sarima:arima(1,${d},1)(0,1,1)[7]${d === 0 ? '+drift' : ''}`;
  return {
    name,
    forecast(h) {
      const U = Float64Array.from({ length: n + h }, (_, t) => (t < n ? u[t] : 0));
      const Z = Float64Array.from({ length: n + h }, (_, t) => (t < n ? z[t] : 0));
      const W = Float64Array.from({ length: n + h }, (_, t) => (t < n ? w[t] : 0));
      const E = Float64Array.from({ length: n + h }, (_, t) => (t < n ? e[t] : 0));
      const mean = new Float64Array(h);
      const psi = psiWeights(phi, theta, sTheta, d, h);
      for (let t = n; t < n + h; t++) {
        // n ≥ 28 > d + 2·7: every lag of the recursion is inside the series.
        let v = phi * W[t - 1] + theta * E[t - 1];
        v += sTheta * E[t - M] + both * E[t - M - 1];
        W[t] = v;
        Z[t] = d === 0 ? v : v + Z[t - 1];
        U[t] = Z[t] + U[t - M];
        mean[t - n] = U[t] + line(t);
      }
      return normalQuantiles(mean, (k) => {
        let acc = 0;
        for (let j = 0; j <= k; j++) acc += psi[j] * psi[j];
        return Math.sqrt(fit.sigma2 * acc);
      });
    },
  };
}

/** ψ weights of (1 + θB)(1 + ΘB⁷) / ((1 − φB)(1 − B)^d (1 − B⁷)): y's response to one shock. */
function psiWeights(
  phi: number,
  theta: number,
  sTheta: number,
  d: number,
  count: number,
): Float64Array {
  // AR side, as 1 − a1 B − a2 B² − …: multiply the factors' coefficients.
  let poly = [1, -phi];
  const times = (b: number[]): void => {
    const out = new Array<number>(poly.length + b.length - 1).fill(0);
    for (let i = 0; i < poly.length; i++)
      for (let j = 0; j < b.length; j++) out[i + j] += poly[i] * b[j];
    poly = out;
  };
  if (d === 1) times([1, -1]);
  const seasonal = new Array<number>(M + 1).fill(0);
  seasonal[0] = 1;
  seasonal[M] = -1;
  times(seasonal);
  const ma = new Float64Array(M + 2);
  ma[0] = 1;
  ma[1] += theta;
  ma[M] += sTheta;
  ma[M + 1] += theta * sTheta;
  const psi = new Float64Array(count);
  for (let j = 0; j < psi.length; j++) {
    let v = j < ma.length ? ma[j] : 0;
    for (let k = 1; k < poly.length && k <= j; k++) v -= poly[k] * psi[j - k];
    psi[j] = v;
  }
  return psi;
}

/**
 * Registry entry: `fitSarima` on the whole series; when it cannot be fitted (under four weeks,
 * a missing day in its window), the mean of the known days with their standard deviation, named
 * `sarima:mean-fallback`.
 * @throws InvalidSeriesError when every day is missing.
 */
export const sarimaModel: Model = {
  name: 'sarima',
  fit(y) {
    assertSomeKnown(y, 'sarima');
    try {
      return sarimaForecaster(fitSarima(y), y);
    } catch (e) {
      if (!(e instanceof ArimaFitError)) throw e;
      return meanFallback(y, 'sarima:mean-fallback');
    }
  },
};
