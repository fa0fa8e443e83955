/**
 * Regression with ARIMA(p,d,0)(P,D,0)[7] errors estimated by conditional least squares
 * (Cochrane–Orcutt iteration, as in Hyndman & Athanasopoulos, FPP3 §10.2 "regression with ARIMA
 * errors", where differencing y and the regressors alike keeps β's meaning):
 *   Δ y_t = c + β·Δ x_t + u_t,   u_t = Σ_l φ_l u_{t−l} + e_t,   Δ = (1 − B)^d (1 − B⁷)^D,
 * with AR lags among 1..3 and the weekly 7, 14. Least squares in β given φ and in φ given β
 * alternate until they settle: each step is one small linear solve, so a whole search over the
 * orders costs milliseconds, where the exact-likelihood `fitArima` with twenty regressors takes
 * seconds per fit (see the calendar section of the bench). MA terms are left out for that reason:
 * a few AR lags approximate them for a 7-day horizon.
 */
import { countKnown } from '../missing';
import { leastSquares } from '../models/arima/linear';
import { minRootModulus } from '../models/arima/polynomial';
import { isConstantSeries, ndiffs, nsdiffs } from '../models/arima/unitRoot';

/** Weekly season of daily demand. */
const M = 7;
const ITERATIONS = 5;

export interface RegArSpec {
  d: number;
  D: number;
  /** AR lags, ascending (e.g. [1, 2, 7, 14]). */
  lags: number[];
  /** An intercept in the differenced equation: the mean (d + D = 0) or the drift (d + D = 1). */
  constant: boolean;
}

export interface RegArFit {
  spec: RegArSpec;
  /** β of the constant (first, when there is one) and of each regressor column, in order. */
  beta: Float64Array;
  /** φ per AR lag of `spec.lags`. */
  phi: Float64Array;
  /** Innovation variance Σe² / (rows − parameters). */
  sigma2: number;
  /** Conditional AICc over the rows after the longest lag any compared model uses. */
  aicc: number;
  /**
   * Mean and standard error of the next `h` days after the training data.
   * @param columns the regressors through the horizon: each at least `y.length + h` long
   */
  forecast(h: number, columns: readonly Float64Array[]): { mean: Float64Array; se: Float64Array };
}

/** Coefficients of Δ(B) = (1 − B)^d (1 − B^7)^D: delta[j] multiplies B^j. */
function differencing(d: number, D: number): Float64Array {
  let poly = [1];
  const times = (other: number[]) => {
    const out = new Array(poly.length + other.length - 1).fill(0);
    poly.forEach((a, i) => other.forEach((b, j) => (out[i + j] += a * b)));
    poly = out;
  };
  for (let i = 0; i < d; i++) times([1, -1]);
  for (let i = 0; i < D; i++) times([1, 0, 0, 0, 0, 0, 0, -1]);
  return Float64Array.from(poly);
}

/** Applies Δ(B) to x: out[t] = Σ_j delta[j] x[t−j], NaN for t < deg. */
function applyPoly(x: ArrayLike<number>, delta: Float64Array, length = x.length): Float64Array {
  const out = new Float64Array(length);
  const deg = delta.length - 1;
  for (let t = 0; t < length; t++) {
    if (t < deg) {
      out[t] = Number.NaN;
      continue;
    }
    let s = 0;
    for (let j = 0; j <= deg; j++) s += delta[j] * x[t - j];
    out[t] = s;
  }
  return out;
}

/** x_t − Σ φ_l x_{t−l} (NaN where a lag is before the start or missing). */
function arFilter(x: Float64Array, lags: number[], phi: Float64Array): Float64Array {
  if (lags.length === 0) return x;
  const out = new Float64Array(x.length);
  for (let t = 0; t < x.length; t++) {
    let s = x[t];
    for (let i = 0; i < lags.length; i++) {
      const l = lags[i];
      s -= t >= l ? phi[i] * x[t - l] : Number.NaN;
    }
    out[t] = s;
  }
  return out;
}

/** d and D as `autoArima` chooses them with regressors: the tests on the OLS residuals. */
export function chooseDifferencing(
  y: Float64Array,
  columns: readonly Float64Array[],
): { d: number; D: number } {
  const n = y.length;
  const ones = new Float64Array(n).fill(1);
  const X = [ones, ...columns.map((c) => c.subarray(0, n)).filter((c) => !isConstantSeries(c))];
  const ls = leastSquares(y, X);
  const resid = ls
    ? y.map((v, t) => {
        let f = 0;
        for (let i = 0; i < X.length; i++) f += ls.coef[i] * X[i][t];
        return v - f;
      })
    : y;
  const D = n > 2 * M ? nsdiffs(resid, M) : 0;
  const seasonal = D > 0 ? applyPoly(resid, differencing(0, D)).subarray(M * D) : resid;
  const d = Math.min(1, ndiffs(seasonal));
  return { d, D };
}

/**
 * Fits the model on `y` (training days; NaN = missing, its rows skipped) with regressor `columns`
 * (each at least `y.length` long). `firstRow` is the first differenced row scored, the same for
 * every model compared so their AICc share the data. Returns undefined when the regression is
 * singular, the AR part is not stationary, or too few rows remain.
 */
export function fitRegAr(
  y: Float64Array,
  columns: readonly Float64Array[],
  spec: RegArSpec,
  firstRow: number,
): RegArFit | undefined {
  const n = y.length;
  const delta = differencing(spec.d, spec.D);
  const w = applyPoly(y, delta);
  const Z = columns.map((c) => applyPoly(c, delta, n));
  if (spec.constant) Z.unshift(new Float64Array(n).fill(1));
  const rows = (x: Float64Array) => x.subarray(firstRow);
  if (Z.length === 0 && spec.lags.length === 0) return undefined;
  let beta: Float64Array = new Float64Array(Z.length);
  let phi: Float64Array = new Float64Array(spec.lags.length);
  const residual = (b: Float64Array): Float64Array =>
    w.map((v, t) => {
      let f = v;
      for (let i = 0; i < Z.length; i++) f -= b[i] * Z[i][t];
      return f;
    });
  if (Z.length > 0) {
    const ls = leastSquares(rows(w), Z.map(rows));
    if (!ls) return undefined;
    beta = ls.coef;
  }
  for (let it = 0; it < ITERATIONS; it++) {
    const u = residual(beta);
    if (spec.lags.length > 0) {
      const lagged = spec.lags.map((l) => {
        const c = new Float64Array(n).fill(Number.NaN);
        c.set(u.subarray(0, n - l), l);
        return rows(c);
      });
      const ls = leastSquares(rows(u), lagged);
      if (!ls) return undefined;
      phi = ls.coef;
    }
    if (Z.length === 0) break;
    const ls = leastSquares(
      rows(arFilter(w, spec.lags, phi)),
      Z.map((z) => rows(arFilter(z, spec.lags, phi))),
    );
    if (!ls) return undefined;
    let moved = 0;
    for (let i = 0; i < beta.length; i++) moved = Math.max(moved, Math.abs(ls.coef[i] - beta[i]));
    beta = ls.coef;
    if (spec.lags.length === 0 || moved < 1e-6 * (1 + Math.max(...beta.map(Math.abs)))) break;
  }
  if (spec.lags.length > 0) {
    const maxLag = spec.lags[spec.lags.length - 1];
    const poly = new Float64Array(maxLag + 1);
    poly[0] = 1;
    spec.lags.forEach((l, i) => (poly[l] = -phi[i]));
    if (!(minRootModulus(poly) > 1.01)) return undefined;
  }
  const e = rows(arFilter(residual(beta), spec.lags, phi));
  let sse = 0;
  let m = 0;
  for (const v of e) {
    if (v === v) {
      sse += v * v;
      m++;
    }
  }
  const k = beta.length + phi.length;
  if (m - k - 2 <= 0 || !(sse > 0)) return undefined;
  const sigma2 = sse / (m - k);
  const npar = k + 1;
  const loglik = -0.5 * m * (Math.log((2 * Math.PI * sse) / m) + 1);
  const aicc = -2 * loglik + 2 * npar + (2 * npar * (npar + 1)) / (m - npar - 1);
  const yHist = y;
  return {
    spec,
    beta,
    phi,
    sigma2,
    aicc,
    forecast(h, future) {
      const total = n + h;
      const Zf = future.map((c) => applyPoly(c, delta, total));
      if (spec.constant) Zf.unshift(new Float64Array(total).fill(1));
      const wf = new Float64Array(total);
      wf.set(w);
      const u = new Float64Array(total);
      for (let t = 0; t < n; t++) {
        let f = w[t];
        for (let i = 0; i < Zf.length; i++) f -= beta[i] * Zf[i][t];
        // A missing day's error is unknown: its expectation, 0, carries the recursion on.
        u[t] = f === f ? f : 0;
      }
      const yf = new Float64Array(total);
      yf.set(yHist);
      const mean = new Float64Array(h);
      for (let k2 = 0; k2 < h; k2++) {
        const t = n + k2;
        let ut = 0;
        spec.lags.forEach((l, i) => (ut += phi[i] * u[t - l]));
        u[t] = ut;
        let wt = ut;
        for (let i = 0; i < Zf.length; i++) wt += beta[i] * Zf[i][t];
        wf[t] = wt;
        let yt = wt;
        for (let j = 1; j < delta.length; j++) yt -= delta[j] * yf[t - j];
        yf[t] = yt;
        mean[k2] = yt;
      }
      // ψ weights of φ(B)Δ(B) y = e: the forecast variance σ² Σ_{j<k} ψ_j².
      const maxLag = spec.lags.length > 0 ? spec.lags[spec.lags.length - 1] : 0;
      const ar = new Float64Array(maxLag + 1);
      ar[0] = 1;
      spec.lags.forEach((l, i) => (ar[l] = -phi[i]));
      const full = new Float64Array(ar.length + delta.length - 1);
      ar.forEach((a, i) => delta.forEach((b, j) => (full[i + j] += a * b)));
      const psi = new Float64Array(h);
      psi[0] = 1;
      for (let j = 1; j < h; j++) {
        let s = 0;
        for (let i = 1; i <= Math.min(j, full.length - 1); i++) s -= full[i] * psi[j - i];
        psi[j] = s;
      }
      const se = new Float64Array(h);
      let acc = 0;
      for (let k2 = 0; k2 < h; k2++) {
        acc += psi[k2] * psi[k2];
        se[k2] = Math.sqrt(sigma2 * acc);
      }
      return { mean, se };
    },
  };
}

/** The AR lag sets searched: none, short-term (1; 1–2; 1–3), weekly (7, 14), and both. */
export const LAG_SETS: readonly number[][] = [
  [],
  [1],
  [1, 2],
  [1, 2, 3],
  [7, 14],
  [1, 7, 14],
  [1, 2, 7, 14],
  [1, 2, 3, 7, 14],
];

/** The first differenced row every compared model can score: after Δ's degree and the longest lag. */
export function commonFirstRow(d: number, D: number): number {
  return d + M * D + 14;
}

/**
 * The fewest known days `searchRegAr` searches on (4 weeks plus the longest AR lag, 14): 42.
 */
export const MIN_SEARCH_KNOWN_DAYS = 4 * M + 14;

/**
 * The AR lags by AICc (with the constant when d + D ≤ 1), given d, D and the columns.
 * Undefined when no model fits or the series has fewer than `MIN_SEARCH_KNOWN_DAYS` known days.
 */
export function searchRegAr(
  y: Float64Array,
  columns: readonly Float64Array[],
): RegArFit | undefined {
  if (countKnown(y) < MIN_SEARCH_KNOWN_DAYS) return undefined;
  const { d, D } = chooseDifferencing(y, columns);
  const firstRow = commonFirstRow(d, D);
  const constant = d + D <= 1;
  let best: RegArFit | undefined;
  for (const lags of LAG_SETS) {
    const f = fitRegAr(y, columns, { d, D, lags, constant }, firstRow);
    if (f && (!best || f.aicc < best.aicc)) best = f;
  }
  return best;
}
