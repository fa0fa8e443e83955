/**
 * The engine's plain implementations as they were before their fast paths, kept only as the
 * reference the fast paths are proven bit-identical against (see fastPaths.test.ts). Not used
 * by the engine.
 */
import { SEASON_A, SEASON_M, TREND_AD, TREND_N } from '../../src/models/etsCore';

/** Least-squares initial states: one recursion per column, then one dot product per entry. */
export function leastSquaresInitialStates(
  y: Float64Array,
  start: number,
  n: number,
  m: number,
  trendKind: number,
  seasonKind: number,
  alpha: number,
  beta: number,
  gamma: number,
  phi: number,
): { level: number; trend: number; season: Float64Array } | null {
  const hasTrend = trendKind !== TREND_N;
  const hasSeason = seasonKind === SEASON_A;
  if (seasonKind === SEASON_M) return null;
  const p = 1 + (hasTrend ? 1 : 0) + (hasSeason ? m - 1 : 0);
  const mm = hasSeason ? m : 1;
  const phiEff = trendKind === TREND_AD ? phi : 1;
  const season = new Float64Array(mm);
  // Column j (0..p-1) holds f_t(e_j); column p holds y_t - f_t(0).
  const cols = new Float64Array((p + 1) * n);
  for (let j = 0; j <= p; j++) {
    let l = 0;
    let b = 0;
    season.fill(0);
    const driven = j === p;
    if (!driven) {
      if (j === 0) l = 1;
      else if (hasTrend && j === 1) b = 1;
      else {
        const phase = j - (hasTrend ? 2 : 1) + 1;
        season[phase] = 1;
        season[0] = -1;
      }
    }
    let phase = 0;
    const off = j * n;
    for (let t = 0; t < n; t++) {
      const yt = driven ? y[start + t] : 0;
      const phib = phiEff * b;
      const q = l + phib;
      const s = hasSeason ? season[phase] : 0;
      const f = q + s;
      if (y[start + t] !== y[start + t]) {
        // Missing: no innovation in any column (so f_t stays affine in x0), and no row.
        cols[off + t] = 0;
        l = q;
        if (hasTrend) b = phib;
        phase++;
        if (phase === mm) phase = 0;
        continue;
      }
      cols[off + t] = driven ? yt - f : f;
      const d = yt - s - q;
      l = q + alpha * d;
      if (hasTrend) b = phib + beta * d;
      if (hasSeason) season[phase] = s + gamma * d;
      phase++;
      if (phase === mm) phase = 0;
    }
  }
  // Normal equations A x = r with A = Z'Z, r = Z'(y - f(0)).
  const a = new Float64Array(p * p);
  const r = new Float64Array(p);
  const rOff = p * n;
  for (let i = 0; i < p; i++) {
    const iOff = i * n;
    for (let k = i; k < p; k++) {
      const kOff = k * n;
      let acc = 0;
      for (let t = 0; t < n; t++) acc += cols[iOff + t] * cols[kOff + t];
      a[i * p + k] = acc;
      a[k * p + i] = acc;
    }
    let acc = 0;
    for (let t = 0; t < n; t++) acc += cols[iOff + t] * cols[rOff + t];
    r[i] = acc;
  }
  const x = solveSymmetric(a, r, p);
  if (x === null) return null;
  const out = new Float64Array(hasSeason ? m : 0);
  if (hasSeason) {
    let sum = 0;
    for (let ph = 1; ph < m; ph++) {
      out[ph] = x[(hasTrend ? 2 : 1) + ph - 1];
      sum += out[ph];
    }
    out[0] = -sum;
  }
  return { level: x[0], trend: hasTrend ? x[1] : 0, season: out };
}

/** Cholesky solve of a symmetric positive definite system with a tiny ridge for stability. */
function solveSymmetric(a: Float64Array, r: Float64Array, p: number): Float64Array | null {
  let trace = 0;
  for (let i = 0; i < p; i++) trace += a[i * p + i];
  const ridge = 1e-12 * (trace / p || 1);
  const lower = new Float64Array(p * p);
  for (let i = 0; i < p; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = a[i * p + j] + (i === j ? ridge : 0);
      for (let k = 0; k < j; k++) sum -= lower[i * p + k] * lower[j * p + k];
      if (i === j) {
        if (!(sum > 0)) return null;
        lower[i * p + i] = Math.sqrt(sum);
      } else lower[i * p + j] = sum / lower[j * p + j];
    }
  }
  const z = new Float64Array(p);
  for (let i = 0; i < p; i++) {
    let sum = r[i];
    for (let k = 0; k < i; k++) sum -= lower[i * p + k] * z[k];
    z[i] = sum / lower[i * p + i];
  }
  const x = new Float64Array(p);
  for (let i = p - 1; i >= 0; i--) {
    let sum = z[i];
    for (let k = i + 1; k < p; k++) sum -= lower[k * p + i] * x[k];
    x[i] = sum / lower[i * p + i];
  }
  for (let i = 0; i < p; i++) if (!Number.isFinite(x[i])) return null;
  return x;
}
