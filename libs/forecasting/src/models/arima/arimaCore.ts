/**
 * The numeric kernels of seasonal ARIMA, after R's `stats::arima` (Gardner, Harvey & Phillips
 * 1980; Durbin & Koopman 2012, ch. 3): the parameter layout and its stationarity transform, the
 * state-space form with the differencing inside the state, the exact Gaussian likelihood by the
 * Kalman filter (missing days are simply not observed), the conditional sum of squares (CSS) and
 * the Kalman forecast. Pure functions over Float64Arrays.
 */

/** Orders of a seasonal ARIMA(p,d,q)(P,D,Q)[m]. */
export interface ArimaOrder {
  p: number;
  d: number;
  q: number;
  P: number;
  D: number;
  Q: number;
  /** Seasonal period (7 for daily data with a weekly cycle); 1 when non-seasonal. */
  m: number;
}

/** Number of ARMA coefficients: p + q + P + Q (laid out in that order, as R's `coef`). */
export function armaCount(o: ArimaOrder): number {
  return o.p + o.q + o.P + o.Q;
}

/**
 * Coefficients of the differencing operator (1 − B)^d (1 − B^m)^D written as
 * y_t = Σ delta_i y_{t−i} + w_t: `delta` has length d + mD (R's `Delta`).
 */
export function differencingDelta(o: ArimaOrder): Float64Array {
  let poly = [1];
  const times = (b: number[]): void => {
    const out = new Array<number>(poly.length + b.length - 1).fill(0);
    for (let i = 0; i < poly.length; i++)
      for (let j = 0; j < b.length; j++) out[i + j] += poly[i] * b[j];
    poly = out;
  };
  for (let i = 0; i < o.d; i++) times([1, -1]);
  if (o.m > 1) {
    const seasonal = new Array<number>(o.m + 1).fill(0);
    seasonal[0] = 1;
    seasonal[o.m] = -1;
    for (let i = 0; i < o.D; i++) times(seasonal);
  }
  return Float64Array.from(poly.slice(1), (v) => -v);
}

/**
 * Maps k unconstrained values to the coefficients of a stationary AR(k): tanh gives partial
 * autocorrelations in (−1, 1), Durbin–Levinson turns them into AR coefficients (Jones 1980;
 * R's `partrans`). Reads raw[from..from+k), writes out[from..from+k).
 */
export function arFromUnconstrained(
  raw: ArrayLike<number>,
  from: number,
  k: number,
  out: Float64Array,
): void {
  const work = new Float64Array(k);
  for (let j = 0; j < k; j++) out[from + j] = Math.tanh(raw[from + j]);
  for (let j = 1; j < k; j++) {
    const a = out[from + j];
    for (let i = 0; i < j; i++) work[i] = out[from + i] - a * out[from + j - i - 1];
    for (let i = 0; i < j; i++) out[from + i] = work[i];
  }
}

/** Inverse of `arFromUnconstrained` for a stationary AR(k) (R's `invpartrans`). */
export function arToUnconstrained(
  ar: ArrayLike<number>,
  from: number,
  k: number,
  out: Float64Array,
): void {
  const cur = new Float64Array(k);
  const work = new Float64Array(k);
  for (let j = 0; j < k; j++) cur[j] = ar[from + j];
  for (let j = k - 1; j > 0; j--) {
    const a = cur[j];
    for (let i = 0; i < j; i++) work[i] = (cur[i] + a * cur[j - i - 1]) / (1 - a * a);
    for (let i = 0; i < j; i++) cur[i] = work[i];
  }
  for (let j = 0; j < k; j++) out[from + j] = Math.atanh(cur[j]);
}

/**
 * The ARMA part of a parameter vector [ar(p), ma(q), sar(P), sma(Q), …] as the full lag
 * polynomials φ (length p + mP) and θ (length q + mQ) of the product
 * (1 − φ(B))(1 − Φ(B^m)) and (1 + θ(B))(1 + Θ(B^m)). With `transform`, the AR blocks are read as
 * unconstrained values (`arFromUnconstrained`).
 */
export function expandArma(
  par: ArrayLike<number>,
  o: ArimaOrder,
  transform: boolean,
): { phi: Float64Array; theta: Float64Array } {
  const { p, q, P, Q, m } = o;
  let params: ArrayLike<number> = par;
  if (transform && (p > 0 || P > 0)) {
    const t = Float64Array.from({ length: armaCount(o) }, (_, i) => par[i]);
    if (p > 0) arFromUnconstrained(par, 0, p, t);
    if (P > 0) arFromUnconstrained(par, p + q, P, t);
    params = t;
  }
  const phi = new Float64Array(p + m * P);
  const theta = new Float64Array(q + m * Q);
  for (let i = 0; i < p; i++) phi[i] = params[i];
  for (let i = 0; i < q; i++) theta[i] = params[p + i];
  for (let j = 0; j < P; j++) {
    const s = params[p + q + j];
    phi[(j + 1) * m - 1] += s;
    for (let i = 0; i < p; i++) phi[(j + 1) * m + i] -= params[i] * s;
  }
  for (let j = 0; j < Q; j++) {
    const s = params[p + q + P + j];
    theta[(j + 1) * m - 1] += s;
    for (let i = 0; i < q; i++) theta[(j + 1) * m + i] += params[p + i] * s;
  }
  return { phi, theta };
}

/**
 * State-space form of ARIMA (R's `makeARIMA`): state of size rd = r + nd with
 * r = max(len φ, len θ + 1); the first r entries are the ARMA state (Harvey's form), the last
 * nd = len δ the lagged undifferenced values, observed through Z = (1, 0…0, δ).
 */
export class ArimaStateSpace {
  readonly r: number;
  readonly rd: number;
  /** Filtered state and its covariance (row-major rd × rd), updated by `filter`. */
  readonly a: Float64Array;
  readonly P: Float64Array;
  private readonly Pn: Float64Array;
  private readonly anew: Float64Array;
  private readonly mm: Float64Array;
  private readonly mz: Float64Array;

  constructor(
    readonly phi: Float64Array,
    readonly theta: Float64Array,
    readonly delta: Float64Array,
    /** Prior variance of the differencing states (R's `kappa`). */
    kappa = 1e6,
  ) {
    this.r = Math.max(phi.length, theta.length + 1);
    this.rd = this.r + delta.length;
    const rd = this.rd;
    this.a = new Float64Array(rd);
    this.P = new Float64Array(rd * rd);
    this.Pn = new Float64Array(rd * rd);
    this.anew = new Float64Array(rd);
    this.mm = new Float64Array(rd * rd);
    this.mz = new Float64Array(rd);
    const q0 = stationaryCovariance(phi, theta, this.r);
    for (let i = 0; i < this.r; i++)
      for (let j = 0; j < this.r; j++) this.Pn[i * rd + j] = q0[i * this.r + j];
    for (let i = this.r; i < rd; i++) this.Pn[i * rd + i] = kappa;
  }

  /** R vector entry i of the disturbance loading (1, θ1, …, 0…0). */
  private loading(i: number): number {
    return i === 0 ? 1 : i - 1 < this.theta.length ? this.theta[i - 1] : 0;
  }

  /** out = T · x for a state vector (out and x distinct). */
  private transition(x: Float64Array, out: Float64Array): void {
    const { r, rd, phi, delta } = this;
    const p = phi.length;
    const a0 = x[0];
    for (let i = 0; i < r; i++) out[i] = (i < r - 1 ? x[i + 1] : 0) + (i < p ? phi[i] * a0 : 0);
    if (rd > r) {
      let t = a0;
      for (let k = 0; k < delta.length; k++) t += delta[k] * x[r + k];
      out[r] = t;
      for (let i = r + 1; i < rd; i++) out[i] = x[i - 1];
    }
  }

  /** out = T · X, or T · X' when `transposed`; X row-major rd × rd. */
  private transitionMatrix(X: Float64Array, out: Float64Array, transposed: boolean): void {
    const { r, rd, phi, delta } = this;
    const p = phi.length;
    const nd = delta.length;
    // Element (i, j) of X (or X') is X[i * si + j * sj].
    const si = transposed ? 1 : rd;
    const sj = transposed ? rd : 1;
    for (let j = 0; j < rd; j++) {
      const cj = j * sj;
      const x0 = X[cj];
      for (let i = 0; i < r - 1; i++) out[i * rd + j] = X[(i + 1) * si + cj];
      out[(r - 1) * rd + j] = 0;
      for (let i = 0; i < p; i++) out[i * rd + j] += phi[i] * x0;
      if (nd > 0) {
        let t = x0;
        for (let k = 0; k < nd; k++) t += delta[k] * X[(r + k) * si + cj];
        out[r * rd + j] = t;
        for (let i = r + 1; i < rd; i++) out[i * rd + j] = X[(i - 1) * si + cj];
      }
    }
  }

  /** P ← T P T' + R R'. */
  private predictCovariance(from: Float64Array, to: Float64Array): void {
    const rd = this.rd;
    this.transitionMatrix(from, this.mm, false);
    // T (T P)' = T P T' since P is symmetric.
    this.transitionMatrix(this.mm, to, true);
    const nq = this.theta.length + 1;
    for (let i = 0; i < nq; i++) {
      const vi = this.loading(i);
      for (let j = 0; j < nq; j++) to[i * rd + j] += vi * this.loading(j);
    }
  }

  /**
   * Runs the Kalman filter over y (NaN = not observed) from the stationary/diffuse prior
   * (R's `ARIMA_Like`). Observations whose prediction variance is 1e4 or more (the diffuse
   * start of a differenced model) are left out of the sums, as R does.
   * @returns ssq = Σ v²/F, sumlog = Σ log F, nu = observations counted; fills `residuals`
   * (standardized innovations, NaN where missing) when given.
   */
  filter(
    y: ArrayLike<number>,
    residuals?: Float64Array,
  ): { ssq: number; sumlog: number; nu: number } {
    const { r, rd, delta, a, P, anew, mz } = this;
    a.fill(0);
    let ssq = 0;
    let sumlog = 0;
    let nu = 0;
    const Pnew = this.Pn.slice();
    const prevPnew = new Float64Array(rd * rd);
    // Once the predicted covariance stops changing (to 1e-12 relative) the filter is in its
    // steady state: gain and covariances are reused until a missing day perturbs them.
    let steady = false;
    let gain = 0;
    for (let l = 0; l < y.length; l++) {
      this.transition(a, anew);
      const yl = y[l];
      if (l > 0 && !steady) {
        prevPnew.set(Pnew);
        this.predictCovariance(P, Pnew);
        if (yl === yl && y[l - 1] === y[l - 1] && l > rd) {
          let change = 0;
          let size = 0;
          for (let i = 0; i < rd * rd; i++) {
            change = Math.max(change, Math.abs(Pnew[i] - prevPnew[i]));
            size = Math.max(size, Math.abs(Pnew[i]));
          }
          steady = change <= 1e-12 * size;
        }
      }
      if (yl === yl) {
        let fc = anew[0];
        for (let k = 0; k < delta.length; k++) fc += delta[k] * anew[r + k];
        const resid = yl - fc;
        const fresh = !steady || gain === 0;
        if (fresh) {
          for (let i = 0; i < rd; i++) {
            let t = Pnew[i * rd];
            for (let k = 0; k < delta.length; k++) t += delta[k] * Pnew[i * rd + r + k];
            mz[i] = t;
          }
          gain = mz[0];
          for (let k = 0; k < delta.length; k++) gain += delta[k] * mz[r + k];
        }
        if (gain < 1e4) {
          nu++;
          ssq += (resid * resid) / gain;
          sumlog += Math.log(gain);
        }
        if (residuals) residuals[l] = resid / Math.sqrt(gain);
        for (let i = 0; i < rd; i++) a[i] = anew[i] + (mz[i] * resid) / gain;
        if (fresh) {
          for (let i = 0; i < rd; i++)
            for (let j = 0; j < rd; j++) P[i * rd + j] = Pnew[i * rd + j] - (mz[i] * mz[j]) / gain;
        }
      } else {
        a.set(anew);
        if (steady) {
          steady = false;
          gain = 0;
        }
        P.set(Pnew);
        if (residuals) residuals[l] = Number.NaN;
      }
    }
    return { ssq, sumlog, nu };
  }

  /**
   * h-step forecasts from the filtered state (R's `KalmanForecast`): means and variances in
   * units of the innovation variance. Does not change the filtered state.
   */
  forecast(h: number): { mean: Float64Array; variance: Float64Array } {
    const { r, rd, delta } = this;
    const a = this.a.slice();
    const next = new Float64Array(rd);
    let P = this.P.slice();
    let Pn = new Float64Array(rd * rd);
    const mean = new Float64Array(h);
    const variance = new Float64Array(h);
    for (let l = 0; l < h; l++) {
      this.transition(a, next);
      a.set(next);
      let fc = a[0];
      for (let k = 0; k < delta.length; k++) fc += delta[k] * a[r + k];
      mean[l] = fc;
      this.predictCovariance(P, Pn);
      [P, Pn] = [Pn, P];
      // Z P Z'
      let v = 0;
      for (let i = 0; i < rd; i++) {
        const zi = i === 0 ? 1 : i >= r ? delta[i - r] : 0;
        if (zi === 0) continue;
        for (let j = 0; j < rd; j++) {
          const zj = j === 0 ? 1 : j >= r ? delta[j - r] : 0;
          if (zj !== 0) v += zi * zj * P[i * rd + j];
        }
      }
      variance[l] = v;
    }
    return { mean, variance };
  }
}

/**
 * Covariance (row-major r × r, unit innovation variance) of the stationary ARMA state: the
 * solution of Σ = T Σ T' + R R', summed as Σ_k T^k R R' T'^k — term by term with the sparse
 * companion matrix while that is cheap, then by doubling (Σ ← Σ + A Σ A', A ← A²) for AR parts
 * close to a unit root.
 */
export function stationaryCovariance(
  phi: Float64Array,
  theta: Float64Array,
  r: number,
): Float64Array {
  const S = new Float64Array(r * r);
  const load = (i: number): number => (i === 0 ? 1 : i - 1 < theta.length ? theta[i - 1] : 0);
  for (let i = 0; i < r; i++) for (let j = 0; j < r; j++) S[i * r + j] = load(i) * load(j);
  if (r === 1) {
    // φ has at most one entry here.
    const f = phi.length > 0 ? phi[0] : 0;
    S[0] = 1 / (1 - f * f);
    return S;
  }
  const p = phi.length;
  // X_k = T^k V T'^k and B = T^k, both advanced with the companion structure (O(r²) a step).
  let X = S.slice();
  let Y = new Float64Array(r * r);
  let B = new Float64Array(r * r);
  let C = new Float64Array(r * r);
  for (let i = 0; i < r; i++) B[i * r + i] = 1;
  const companion = (from: Float64Array, to: Float64Array, transposed: boolean): void => {
    const si = transposed ? 1 : r;
    const sj = transposed ? r : 1;
    for (let j = 0; j < r; j++) {
      const x0 = from[j * sj];
      for (let i = 0; i < r - 1; i++) to[i * r + j] = from[(i + 1) * si + j * sj];
      to[(r - 1) * r + j] = 0;
      for (let i = 0; i < p; i++) to[i * r + j] += phi[i] * x0;
    }
  };
  for (let k = 0; k < 32; k++) {
    companion(X, Y, false);
    companion(Y, X, true);
    companion(B, C, false);
    [B, C] = [C, B];
    let change = 0;
    let size = 0;
    for (let i = 0; i < r * r; i++) {
      S[i] += X[i];
      change = Math.max(change, Math.abs(X[i]));
      size = Math.max(size, Math.abs(S[i]));
    }
    if (change <= 1e-15 * size) return S;
  }
  // S now sums the first 33 terms and B = T^32: one more step, then double from there.
  companion(B, C, false);
  [B, C] = [C, B];
  Y = new Float64Array(r * r);
  X = new Float64Array(r * r);
  for (let iter = 0; iter < 64; iter++) {
    matMul(B, S, X, r, false);
    matMul(X, B, Y, r, true);
    let change = 0;
    let size = 0;
    for (let k = 0; k < r * r; k++) {
      S[k] += Y[k];
      change = Math.max(change, Math.abs(Y[k]));
      size = Math.max(size, Math.abs(S[k]));
    }
    if (change <= 1e-15 * size) break;
    matMul(B, B, C, r, false);
    [B, C] = [C, B];
  }
  return S;
}

/** out = X · Y (or X · Y' when `transposeY`), square r × r row-major. */
function matMul(
  X: Float64Array,
  Y: Float64Array,
  out: Float64Array,
  r: number,
  transposeY: boolean,
): void {
  for (let i = 0; i < r; i++) {
    for (let j = 0; j < r; j++) {
      let s = 0;
      for (let k = 0; k < r; k++) s += X[i * r + k] * (transposeY ? Y[j * r + k] : Y[k * r + j]);
      out[i * r + j] = s;
    }
  }
}

/**
 * Conditional sum of squares (R's `ARIMA_CSS`): differences y, then runs the ARMA recursion
 * from observation `ncond` on with earlier innovations at 0. Returns σ² = SS / counted, and the
 * residuals (0 before `ncond`) in `residuals` when given.
 */
export function cssVariance(
  y: ArrayLike<number>,
  o: ArimaOrder,
  phi: Float64Array,
  theta: Float64Array,
  ncond: number,
  residuals?: Float64Array,
): number {
  const n = y.length;
  const w = Float64Array.from(y);
  for (let i = 0; i < o.d; i++) for (let l = n - 1; l > 0; l--) w[l] -= w[l - 1];
  for (let i = 0; i < o.D; i++) for (let l = n - 1; l >= o.m; l--) w[l] -= w[l - o.m];
  const resid = new Float64Array(n);
  let ssq = 0;
  let nu = 0;
  const p = phi.length;
  const q = theta.length;
  for (let l = ncond; l < n; l++) {
    let t = w[l];
    for (let j = 0; j < p; j++) t -= phi[j] * w[l - j - 1];
    const jmax = Math.min(l - ncond, q);
    for (let j = 0; j < jmax; j++) t -= theta[j] * resid[l - j - 1];
    resid[l] = t;
    if (residuals) residuals[l] = t;
    if (t === t) {
      nu++;
      ssq += t * t;
    }
  }
  return ssq / nu;
}
