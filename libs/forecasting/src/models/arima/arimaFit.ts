/**
 * Fitting one seasonal ARIMA(p,d,q)(P,D,Q)[m] with a constant and regressors — regression with
 * ARIMA errors — the way R's `stats::arima` does it, plus the model checks of forecast's
 * `Arima`/`myarima`:
 * - the regression coefficients start from least squares on the differenced data;
 * - "CSS-ML": conditional sum of squares first, its estimate (AR parts checked stationary) starts
 *   the exact Gaussian likelihood of the Kalman filter, maximised with the AR parts transformed
 *   to stay stationary and non-invertible MA parts reflected; "ML" when days are missing
 *   (the CSS cannot skip them); "CSS" alone in auto.arima's approximation;
 * - AICc counted like forecast (npar = estimated coefficients + 1), the residual variance made
 *   unbiased (Σe² / (n* − npar + 1)), and models with AR/MA roots within 1.01 of the unit circle
 *   or a non-positive-definite Hessian rejected (`ic` = Infinity), as `myarima` does.
 */
import { countKnown, hasMissing } from '../../missing';
import { bfgs } from '../../optim/bfgs';
import {
  ArimaStateSpace,
  arFromUnconstrained,
  arToUnconstrained,
  armaCount,
  cssVariance,
  differencingDelta,
  expandArma,
  type ArimaOrder,
} from './arimaCore';
import { ArimaFitError } from './arimaErrors';
import { ArmaWorkspace, armaLikelihood } from './armaLikelihood';
import { leastSquares, solve } from './linear';
import { maInvert, minRootModulus } from './polynomial';

export type ArimaMethod = 'CSS-ML' | 'ML' | 'CSS';

export interface ArimaFitOptions {
  /** A mean (when d + D = 0) or a drift (when d + D = 1); none with two differences. Default true. */
  constant?: boolean;
  /** Regressors, one Float64Array per column, each as long as y (NaN = unknown). */
  xreg?: readonly Float64Array[];
  /** Default "CSS-ML" (switched to "ML" when a value is missing). */
  method?: ArimaMethod;
  /** auto.arima's approximation: the AIC of a "CSS" fit is offset + n* log σ² + 2 npar. */
  offset?: number;
}

/** One fitted ARIMA model. Coefficients are R's `coef` in R's order and names. */
export interface ArimaFit {
  readonly order: ArimaOrder;
  /** True when a mean or drift term is in the model. */
  readonly constant: boolean;
  readonly coef: Float64Array;
  /** ar1…, ma1…, sar1…, sma1…, intercept | drift, xreg1… */
  readonly coefNames: readonly string[];
  /** Innovation variance, unbiased: Σe² / (n* − npar + 1). */
  readonly sigma2: number;
  /** Innovation variance as stats::arima reports it: SS / n.used (the CSS mean square for "CSS"). */
  readonly rawSigma2: number;
  /** Exact Gaussian log-likelihood (NaN for a "CSS" fit). */
  readonly loglik: number;
  readonly aic: number;
  readonly aicc: number;
  readonly bic: number;
  /** AICc, or Infinity when the model is rejected (roots near the unit circle, bad Hessian). */
  readonly ic: number;
  /** Standardized innovations per day (NaN where missing). */
  readonly residuals: Float64Array;
  /** Observations after differencing, n* = n − d − mD. */
  readonly nstar: number;
  /**
   * Forecast `h` days: means (regression part included) and standard errors (√(v σ²)).
   * `xregFuture`: one Float64Array of ≥ h future values per user regressor.
   * @throws ArimaFitError when the model has regressors and their future values are missing.
   */
  forecast(
    h: number,
    xregFuture?: readonly Float64Array[],
  ): { mean: Float64Array; se: Float64Array };
}

/** R's BFGS through `optim`, with a failure (non-finite start or gradient) as a fit error. */
function minimize(
  f: (x: Float64Array) => number,
  x0: Float64Array,
  scale: Float64Array,
  what: string,
): { x: Float64Array; fx: number; converged: boolean } {
  const res = bfgs(f, x0, { scale });
  if (res === null) throw new ArimaFitError(`${what}: non-finite objective or gradient`);
  return res;
}

/** R's optimhess: central differences of central-difference gradients, steps 1e-3 · scale. */
function numericHessian(
  f: (x: Float64Array) => number,
  x0: Float64Array,
  scale: Float64Array,
): Float64Array {
  const k = x0.length;
  const eps = Float64Array.from(scale, (s) => 1e-3 * s);
  const x = x0.slice();
  const grad = (out: Float64Array): void => {
    for (let j = 0; j < k; j++) {
      const keep = x[j];
      x[j] = keep + eps[j];
      const up = f(x);
      x[j] = keep - eps[j];
      const down = f(x);
      x[j] = keep;
      out[j] = (up - down) / (2 * eps[j]);
    }
  };
  const H = new Float64Array(k * k);
  const g1 = new Float64Array(k);
  const g2 = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    const keep = x[i];
    x[i] = keep + eps[i];
    grad(g1);
    x[i] = keep - eps[i];
    grad(g2);
    x[i] = keep;
    for (let j = 0; j < k; j++) H[i * k + j] = (g1[j] - g2[j]) / (2 * eps[i]);
  }
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < i; j++) {
      const v = (H[i * k + j] + H[j * k + i]) / 2;
      H[i * k + j] = v;
      H[j * k + i] = v;
    }
  }
  return H;
}

/** Differences a series d times at lag 1 and D times at lag m (dropping the first values). */
function difference(y: ArrayLike<number>, o: ArimaOrder): Float64Array {
  let w = Float64Array.from(y);
  for (let i = 0; i < o.d; i++) w = w.subarray(1).map((v, t) => v - w[t]);
  for (let i = 0; i < o.D; i++) {
    const prev = w;
    w = prev.subarray(o.m).map((v, t) => v - prev[t]);
  }
  return w;
}

/** Differences y in place d times at lag 1 and D times at lag m: the first n − d − mD values. */
function differenceInPlace(y: Float64Array, o: ArimaOrder): Float64Array {
  let len = y.length;
  for (let i = 0; i < o.d; i++) {
    for (let t = 0; t < len - 1; t++) y[t] = y[t + 1] - y[t];
    len--;
  }
  for (let i = 0; i < o.D; i++) {
    for (let t = 0; t < len - o.m; t++) y[t] = y[t + o.m] - y[t];
    len -= o.m;
  }
  return y.subarray(0, len);
}

/**
 * Fits one ARIMA model to `y` (oldest first; NaN = missing day, filtered over, never read as 0).
 * @throws ArimaFitError when the model cannot be estimated on this data (too few observations,
 * singular regression, a non-stationary AR estimate from CSS, a singular Hessian).
 */
export function fitArima(
  y: Float64Array,
  order: ArimaOrder,
  options: ArimaFitOptions = {},
): ArimaFit {
  const n = y.length;
  const nd = order.d + order.D;
  const constant = (options.constant ?? true) && nd < 2;
  const delta = differencingDelta(order);
  const userX = options.xreg ?? [];
  for (const [i, col] of userX.entries()) {
    if (col.length !== n) {
      throw new ArimaFitError(`xreg column ${i + 1} has ${col.length} values, the series ${n}`);
    }
  }
  if (n <= delta.length) {
    throw new ArimaFitError(`${n} observations are too few for ${delta.length} differences`);
  }
  const cols: Float64Array[] = [];
  const names: string[] = [];
  const narma = armaCount(order);
  for (let i = 0; i < order.p; i++) names.push(`ar${i + 1}`);
  for (let i = 0; i < order.q; i++) names.push(`ma${i + 1}`);
  for (let i = 0; i < order.P; i++) names.push(`sar${i + 1}`);
  for (let i = 0; i < order.Q; i++) names.push(`sma${i + 1}`);
  if (constant && nd === 0) {
    cols.push(new Float64Array(n).fill(1));
    names.push('intercept');
  } else if (constant) {
    cols.push(Float64Array.from({ length: n }, (_, t) => t + 1));
    names.push('drift');
  }
  userX.forEach((col, i) => {
    cols.push(col);
    names.push(userX.length === 1 ? 'xreg' : `xreg${i + 1}`);
  });
  const ncx = cols.length;
  const k = narma + ncx;

  let method: ArimaMethod = options.method ?? 'CSS-ML';
  const anyMissing = hasMissing(y) || cols.some((c) => hasMissing(c));
  if (method === 'CSS-ML' && anyMissing) method = 'ML';

  const init = new Float64Array(k);
  const scale = new Float64Array(k).fill(1);
  let nUsed = countKnown(y) - delta.length;
  if (ncx > 0) {
    const dy = difference(y, order);
    const dcols = cols.map((c) => difference(c, order));
    const ls = (dy.length > ncx ? leastSquares(dy, dcols) : null) ?? leastSquares(y, cols);
    if (ls === null) {
      throw new ArimaFitError(`the regressors (${names.slice(narma).join(', ')}) are singular`);
    }
    let used = 0;
    for (let t = 0; t < n; t++) if (y[t] === y[t] && cols.every((c) => c[t] === c[t])) used++;
    nUsed = used - delta.length;
    for (let i = 0; i < ncx; i++) {
      init[narma + i] = ls.coef[i];
      const se = 10 * ls.se[i];
      scale[narma + i] = se > 0 && Number.isFinite(se) ? se : 1;
    }
  }
  if (nUsed <= 0) throw new ArimaFitError(`too few known observations (${countKnown(y)})`);

  const work = new Float64Array(n);
  const regressed = (par: ArrayLike<number>): Float64Array => {
    for (let t = 0; t < n; t++) {
      let v = y[t];
      for (let i = 0; i < ncx; i++) v -= cols[i][t] * par[narma + i];
      work[t] = v;
    }
    return work;
  };
  const ncond = method === 'ML' ? 0 : order.d + order.D * order.m + order.p + order.m * order.P;
  const cssObjective = (par: Float64Array): number => {
    const { phi, theta } = expandArma(par, order, false);
    return 0.5 * Math.log(cssVariance(regressed(par), order, phi, theta, ncond));
  };
  // R's likelihood: the full state, differencing states with the prior variance κ = 1e6.
  const exactObjective = (par: Float64Array): number => {
    const { phi, theta } = expandArma(par, order, true);
    const { ssq, sumlog, nu } = new ArimaStateSpace(phi, theta, delta).filter(regressed(par));
    return 0.5 * (Math.log(ssq / nu) + sumlog / nu);
  };
  // The search runs on the likelihood of the differenced series (see armaLikelihood): the ARMA
  // state alone, O(r) a day instead of O((r + d + mD)²), and the same up to R's finite κ (a
  // near-constant offset, ~1e-5 of the objective), so it lands where R lands to ~1e-6; the value
  // reported is R's, evaluated at that point. A missing day needs the differencing states.
  const differenced = !anyMissing;
  const arma = new ArmaWorkspace(
    Math.max(order.p + order.m * order.P, order.q + order.m * order.Q + 1),
  );
  const mlObjective = !differenced
    ? exactObjective
    : (par: Float64Array): number => {
        const { phi, theta } = expandArma(par, order, true);
        const w = differenceInPlace(regressed(par), order);
        const { ssq, sumlog, nu } = armaLikelihood(w, phi, theta, arma);
        return 0.5 * (Math.log(ssq / nu) + sumlog / nu);
      };

  let coef: Float64Array;
  let value: number;
  let varianceOk = true;
  let sigma2Raw: number;
  const residuals = new Float64Array(n);
  let ss: ArimaStateSpace;
  if (method === 'CSS') {
    const res =
      k > 0
        ? minimize(cssObjective, init, scale, orderName(order))
        : { x: init, fx: cssObjective(init) };
    coef = res.x;
    value = res.fx;
    if (k > 0)
      varianceOk = positiveVariances(numericHessian(cssObjective, coef, scale), null, k, nUsed);
    const { phi, theta } = expandArma(coef, order, false);
    ss = new ArimaStateSpace(phi, theta, delta);
    const x = regressed(coef).slice();
    ss.filter(x);
    sigma2Raw = cssVariance(x, order, phi, theta, ncond, residuals);
  } else {
    let start: Float64Array = init;
    if (method === 'CSS-ML') {
      if (k > 0) {
        // As R: a CSS search that hit its iteration limit leaves the start at the regression.
        const css = minimize(cssObjective, init, scale, orderName(order));
        if (css.converged) start = css.x;
      }
      if (order.p > 0 && !stationary(start, 0, order.p)) {
        throw new ArimaFitError(`${orderName(order)}: non-stationary AR part from CSS`);
      }
      if (order.P > 0 && !stationary(start, order.p + order.q, order.P)) {
        throw new ArimaFitError(`${orderName(order)}: non-stationary seasonal AR part from CSS`);
      }
    }
    start = start.slice();
    if (order.p > 0) arToUnconstrained(start, 0, order.p, start);
    if (order.P > 0) arToUnconstrained(start, order.p + order.q, order.P, start);
    invertMa(start, order);
    const res =
      k > 0
        ? minimize(mlObjective, start, scale, orderName(order))
        : { x: start, fx: mlObjective(start) };
    coef = res.x;
    value = res.fx;
    if (invertMa(coef, order) || differenced) value = exactObjective(coef);
    if (k > 0) {
      const H = numericHessian(mlObjective, coef, scale);
      varianceOk = positiveVariances(H, transformJacobian(coef, order, k), k, nUsed);
    }
    if (order.p > 0) arFromUnconstrained(coef, 0, order.p, coef);
    if (order.P > 0) arFromUnconstrained(coef, order.p + order.q, order.P, coef);
    const { phi, theta } = expandArma(coef, order, false);
    ss = new ArimaStateSpace(phi, theta, delta);
    sigma2Raw = ss.filter(regressed(coef).slice(), residuals).ssq / nUsed;
  }

  const nstar = countKnown(y) - order.d - order.D * order.m;
  const npar = k + 1;
  const loglik =
    method === 'CSS'
      ? Number.NaN
      : -0.5 * (2 * nUsed * value + nUsed + nUsed * Math.log(2 * Math.PI));
  const aic =
    method === 'CSS'
      ? (options.offset ?? 0) + nstar * Math.log(sigma2Raw) + 2 * npar
      : -2 * loglik + 2 * k + 2;
  const aicc = aic + (2 * npar * (npar + 1)) / (nstar - npar - 1);
  const bic = aic + npar * (Math.log(nstar) - 2);
  let ssr = 0;
  for (const e of residuals) if (e === e) ssr += e * e;
  const sigma2 = ssr / (nstar - npar + 1);
  const { phi, theta } = ss;
  let minRoot = 2;
  if (order.p + order.P > 0) minRoot = Math.min(minRoot, lagRootModulus(phi, -1));
  if (order.q + order.Q > 0) minRoot = Math.min(minRoot, lagRootModulus(theta, 1));
  const ic =
    Number.isFinite(aicc) && minRoot >= 1.01 && varianceOk ? aicc : Number.POSITIVE_INFINITY;
  const beta = coef.slice(narma);
  const userStart = ncx - userX.length;

  return {
    order,
    constant,
    coef,
    coefNames: names,
    sigma2,
    rawSigma2: sigma2Raw,
    loglik,
    aic,
    aicc,
    bic,
    ic,
    residuals,
    nstar,
    forecast(h, xregFuture = []) {
      if (xregFuture.length !== userX.length || xregFuture.some((c) => c.length < h)) {
        throw new ArimaFitError(
          `forecasting ${h} days needs ${h} future values of each of the ${userX.length} regressors, got ${xregFuture.length} columns`,
        );
      }
      const { mean, variance } = ss.forecast(h);
      const se = new Float64Array(h);
      for (let l = 0; l < h; l++) {
        let xm = 0;
        if (constant && nd === 0) xm += beta[0];
        else if (constant) xm += beta[0] * (n + l + 1);
        for (let i = 0; i < userX.length; i++) xm += beta[userStart + i] * xregFuture[i][l];
        mean[l] += xm;
        se[l] = Math.sqrt(variance[l] * sigma2);
      }
      return { mean, se };
    },
  };
}

/** R's arima.string-like name: ARIMA(p,d,q)(P,D,Q)[m]. */
export function orderName(o: ArimaOrder): string {
  const seasonal = o.m > 1 && o.P + o.D + o.Q > 0 ? `(${o.P},${o.D},${o.Q})[${o.m}]` : '';
  return `ARIMA(${o.p},${o.d},${o.q})${seasonal}`;
}

/** True when the AR polynomial 1 − a1 z − … has every root outside the unit circle. */
function stationary(par: Float64Array, from: number, k: number): boolean {
  const poly = new Float64Array(k + 1);
  poly[0] = 1;
  for (let i = 0; i < k; i++) poly[i + 1] = -par[from + i];
  return minRootModulus(poly) > 1;
}

/** Smallest root modulus of 1 + sign·(c1 z + …), ignoring trailing |c| <= 1e-8 (as myarima). */
function lagRootModulus(c: Float64Array, sign: number): number {
  let last = c.length;
  while (last > 0 && !(Math.abs(c[last - 1]) > 1e-8)) last--;
  if (last === 0) return 2;
  const poly = new Float64Array(last + 1);
  poly[0] = 1;
  for (let i = 0; i < last; i++) poly[i + 1] = sign * c[i];
  return minRootModulus(poly);
}

/** Reflects non-invertible MA and seasonal MA parts in place; true when anything changed. */
function invertMa(par: Float64Array, o: ArimaOrder): boolean {
  let changed = false;
  const blocks: [number, number][] = [
    [o.p, o.q],
    [o.p + o.q + o.P, o.Q],
  ];
  for (const [from, len] of blocks) {
    if (len === 0) continue;
    const ma = par.slice(from, from + len);
    const inv = maInvert(ma);
    if (inv !== ma) {
      for (let i = 0; i < len; i++) if (par[from + i] !== inv[i]) changed = true;
      par.set(inv, from);
    }
  }
  return changed;
}

/** R's ARIMA_Gradtrans: forward-difference Jacobian (row i = d/d raw_i) of the AR transform. */
function transformJacobian(raw: Float64Array, o: ArimaOrder, k: number): Float64Array {
  const A = new Float64Array(k * k);
  for (let i = 0; i < k; i++) A[i * k + i] = 1;
  const eps = 1e-3;
  for (const [from, len] of [
    [0, o.p],
    [o.p + o.q, o.P],
  ] as [number, number][]) {
    if (len === 0) continue;
    const w1 = raw.slice(from, from + len);
    const base = new Float64Array(len);
    const bumped = new Float64Array(len);
    arFromUnconstrained(w1, 0, len, base);
    for (let i = 0; i < len; i++) {
      w1[i] += eps;
      arFromUnconstrained(w1, 0, len, bumped);
      for (let j = 0; j < len; j++) A[(from + i) * k + from + j] = (bumped[j] - base[j]) / eps;
      w1[i] -= eps;
    }
  }
  return A;
}

/**
 * forecast's `checkarima`: the coefficient variances diag(A' (n H)⁻¹ A) must be non-negative.
 * @throws ArimaFitError when the Hessian is singular (R's `solve` fails and the fit with it).
 */
function positiveVariances(
  H: Float64Array,
  A: Float64Array | null,
  k: number,
  nUsed: number,
): boolean {
  const nH = H.map((v) => v * nUsed);
  const rhs = A ?? Float64Array.from({ length: k * k }, (_, i) => (i % (k + 1) === 0 ? 1 : 0));
  const X = solve(nH, rhs, k, k);
  if (X === null) throw new ArimaFitError('the Hessian of the likelihood is singular');
  for (let i = 0; i < k; i++) {
    let v = 0;
    for (let j = 0; j < k; j++) v += rhs[j * k + i] * X[j * k + i];
    if (!(v >= 0)) return false;
  }
  return true;
}
