/**
 * The exact Gaussian likelihood of a stationary ARMA process by the Kalman filter, the hot loop of
 * every maximum-likelihood ARIMA fit (R's `ARIMA_Like` for d = 0, with its sparse covariance
 * update written out). `fitArima` applies it to the differenced series when no day is missing:
 * the likelihood of y with the differencing states diffuse is the likelihood of the differenced
 * series (Ansley & Kohn 1985; Durbin & Koopman 2012, §5.7), which R's large-κ prior (κ = 1e6)
 * approximates closely. The filter then carries an r-state, r = max(p + mP, q + mQ + 1), instead
 * of r + d + mD, and its covariance by a rank-one recursion.
 */
import { stationaryCovariance } from './arimaCore';
import { solve } from './linear';

/** Buffers of one state size, reused across the calls of one fit. */
export class ArmaWorkspace {
  readonly a: Float64Array;
  readonly k: Float64Array;
  readonly w: Float64Array;
  readonly s: Float64Array;

  constructor(readonly r: number) {
    this.a = new Float64Array(r);
    this.k = new Float64Array(r);
    this.w = new Float64Array(r);
    this.s = new Float64Array(r);
  }
}

/**
 * Kalman filter of the ARMA(φ, θ) state (Harvey's form, state size `ws.r`) over `w` (no NaN),
 * from the stationary prior with unit innovation variance: the sums of R's `ARIMA_Like`. The
 * covariance is never formed: started at the stationary covariance, its change from one day to
 * the next has rank one, which the Chandrasekhar recursions carry (Morf, Sidhu & Kailath 1974;
 * Herbst 2015) — O(r) a day instead of O(r²). Observations whose prediction variance is 1e4 or
 * more are left out of the sums, as R does.
 * @returns ssq = Σ v²/F, sumlog = Σ log F, nu = observations counted.
 */
export function armaLikelihood(
  y: Float64Array,
  phi: Float64Array,
  theta: Float64Array,
  ws: ArmaWorkspace,
): { ssq: number; sumlog: number; nu: number } {
  const { r, a, k, w, s } = ws;
  const p = phi.length;
  const P0 = stateCovariance(phi, theta, r) ?? stationaryCovariance(phi, theta, r);
  // Predicted form: F = Z P Z', k = T P Z', P_{t+1} − P_t = m w w'.
  let F = P0[0];
  for (let i = 0; i < r; i++) k[i] = (i < p ? phi[i] * P0[0] : 0) + (i < r - 1 ? P0[i + 1] : 0);
  w.set(k);
  let m = -1 / F;
  a.fill(0);
  let ssq = 0;
  let sumlog = 0;
  let nu = 0;
  const n = y.length;
  for (let l = 0; l < n; l++) {
    const v = y[l] - a[0];
    if (F < 1e4) {
      nu++;
      ssq += (v * v) / F;
      sumlog += Math.log(F);
    }
    const gain = v / F;
    const a0 = a[0];
    for (let i = 0; i < r - 1; i++) a[i] = a[i + 1] + k[i] * gain;
    a[r - 1] = k[r - 1] * gain;
    for (let i = 0; i < p; i++) a[i] += phi[i] * a0;
    // Converged (a pure MA part reaches its steady state exactly): nothing left to carry.
    if (m === 0) continue;
    const u = w[0];
    for (let i = 0; i < r - 1; i++) s[i] = w[i + 1];
    s[r - 1] = 0;
    for (let i = 0; i < p; i++) s[i] += phi[i] * u;
    const Fn = F + m * u * u;
    const mu = m * u;
    for (let i = 0; i < r; i++) k[i] += mu * s[i];
    const c = u / Fn;
    for (let i = 0; i < r; i++) w[i] = s[i] - c * k[i];
    m *= Fn / F;
    F = Fn;
  }
  return { ssq, sumlog, nu };
}

/**
 * Covariance (row-major r × r, unit innovation variance) of the stationary ARMA state in
 * Harvey's form, from the process' autocovariances γ and ψ weights: state entry i is
 * Σ_{k≥i} φ_k y_{t−1−(k−i)} + Σ_{k≥i} R_k ε_{t−(k−i)} with R = (1, θ1, …), so every entry of the
 * covariance is a short sum over the non-zero φ and R (a seasonal model has few) — the same
 * matrix as `stationaryCovariance` solves for, without iterating T. The autocovariances solve
 * the (p + 1)-equation system of Brockwell & Davis (1991, §3.3, method 2).
 * @returns null when that system is singular (a unit root), so the caller can fall back.
 */
export function stateCovariance(
  phi: Float64Array,
  theta: Float64Array,
  r: number,
): Float64Array | null {
  const p = phi.length;
  const q = theta.length;
  // ψ_0..ψ_{r}, and c(h) = Σ_{j≥h} θ_j ψ_{j−h} (θ_0 = 1): Cov(y_t, ε_{t−j}) = ψ_j.
  const psi = new Float64Array(r + 1);
  for (let j = 0; j <= r; j++) {
    let v = j === 0 ? 1 : j <= q ? theta[j - 1] : 0;
    for (let k = 1; k <= Math.min(j, p); k++) v += phi[k - 1] * psi[j - k];
    psi[j] = v;
  }
  const c = (h: number): number => {
    let v = 0;
    for (let j = h; j <= q; j++) v += (j === 0 ? 1 : theta[j - 1]) * psi[j - h];
    return v;
  };
  const gamma = new Float64Array(Math.max(r, p + 1));
  const A = new Float64Array((p + 1) * (p + 1));
  const b = new Float64Array(p + 1);
  for (let h = 0; h <= p; h++) {
    A[h * (p + 1) + h] += 1;
    for (let k = 1; k <= p; k++) A[h * (p + 1) + Math.abs(h - k)] -= phi[k - 1];
    b[h] = c(h);
  }
  const g = solve(A, b, p + 1);
  if (g === null || !(g[0] > 0)) return null;
  gamma.set(g);
  for (let h = p + 1; h < gamma.length; h++) {
    let v = c(h);
    for (let k = 1; k <= p; k++) v += phi[k - 1] * gamma[h - k];
    gamma[h] = v;
  }
  // Non-zero φ_k (k = 0..r−1 here: phi[k]) and R_k.
  const fi: number[] = [];
  const ri: number[] = [];
  for (let k = 0; k < r; k++) {
    if (k < p && phi[k] !== 0) fi.push(k);
    if (k === 0 || (k - 1 < q && theta[k - 1] !== 0)) ri.push(k);
  }
  const S = new Float64Array(r * r);
  for (let i = 0; i < r; i++) {
    for (let j = i; j < r; j++) {
      let v = 0;
      for (const k of fi) {
        if (k < i) continue;
        const a = k - i;
        for (const l of fi) if (l >= j) v += phi[k] * phi[l] * gamma[Math.abs(a - (l - j))];
        // Cov(y_{t−1−a}, ε_{t−b}) = ψ_{b−a−1} for b > a.
        for (const l of ri) {
          const bb = l - j;
          if (bb > a) v += phi[k] * (l === 0 ? 1 : theta[l - 1]) * psi[bb - a - 1];
        }
      }
      for (const k of ri) {
        if (k < i) continue;
        const a = k - i;
        const Rk = k === 0 ? 1 : theta[k - 1];
        for (const l of fi) {
          const bb = l - j;
          if (bb >= 0 && a > bb) v += Rk * phi[l] * psi[a - bb - 1];
        }
        // ε terms meet when a = l − j.
        const l = a + j;
        if (l < r && (l === 0 || (l - 1 < q && theta[l - 1] !== 0))) {
          v += Rk * (l === 0 ? 1 : theta[l - 1]);
        }
      }
      S[i * r + j] = v;
      S[j * r + i] = v;
    }
  }
  return S;
}
