/**
 * Initial states of the ETS recursion in `etsCore.ts`: R's heuristic `initstate` (classical
 * decomposition, then a regression on the first seasonally adjusted points) and, for models with
 * a linear state recursion, the least-squares optimal initial state for given smoothing
 * parameters. Seasonal states are by phase, as in `etsCore.ts`.
 */
import { SEASON_A, SEASON_M, SEASON_N, TREND_AD, TREND_N } from './etsCore';

/**
 * Initial states following R's `initstate`: classical decomposition for the seasonal indices,
 * then the level (and slope) from the first max(10, 2m) seasonally adjusted points (known points:
 * missing ones, NaN, are skipped here and in the decomposition).
 * Returns [level, trend, seasonByPhase...] with seasonByPhase of length m (phase 0 is derived
 * from the others by the normalisation constraint during fitting).
 */
export function initialStates(
  y: Float64Array,
  start: number,
  n: number,
  m: number,
  trendKind: number,
  seasonKind: number,
): { level: number; trend: number; season: Float64Array } {
  const season = new Float64Array(seasonKind === SEASON_N ? 0 : m);
  const adjusted = new Float64Array(n);
  if (seasonKind === SEASON_N) {
    for (let i = 0; i < n; i++) adjusted[i] = y[start + i];
  } else {
    const figure = decomposeFigure(y, start, n, m, seasonKind === SEASON_M);
    if (seasonKind === SEASON_M) {
      // R keeps multiplicative indices away from zero and rescales if they sum above m.
      let sum = 0;
      for (let p = 1; p < m; p++) {
        figure[p] = Math.max(figure[p], 1e-2);
        sum += figure[p];
      }
      if (sum > m) {
        const denom = sum + 1e-2 * (m - 1);
        for (let p = 1; p < m; p++) figure[p] /= denom;
      }
    }
    season.set(figure);
    for (let i = 0; i < n; i++) {
      const s = figure[i % m];
      adjusted[i] = seasonKind === SEASON_A ? y[start + i] - s : y[start + i] / Math.max(s, 1e-2);
    }
  }
  // The first maxn known points (missing ones are NaN in `adjusted` and skipped; with complete
  // data these are the first maxn points, as R).
  let known = 0;
  for (let i = 0; i < n; i++) if (adjusted[i] === adjusted[i]) known++;
  const maxn = Math.min(Math.max(10, 2 * (seasonKind === SEASON_N ? 1 : m)), known);
  if (trendKind === TREND_N) {
    let sum = 0;
    for (let i = 0, c = 0; c < maxn; i++) {
      if (adjusted[i] !== adjusted[i]) continue;
      sum += adjusted[i];
      c++;
    }
    return { level: sum / maxn, trend: 0, season };
  }
  // Least squares of adjusted[i] on x = i + 1; the intercept is the level at time 0.
  const xs = new Float64Array(maxn);
  const ys = new Float64Array(maxn);
  for (let i = 0, c = 0; c < maxn; i++) {
    if (adjusted[i] !== adjusted[i]) continue;
    xs[c] = i + 1;
    ys[c] = adjusted[i];
    c++;
  }
  let sx = 0;
  let sy = 0;
  for (let i = 0; i < maxn; i++) {
    sx += xs[i];
    sy += ys[i];
  }
  const mx = sx / maxn;
  const my = sy / maxn;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < maxn; i++) {
    const dx = xs[i] - mx;
    sxx += dx * dx;
    sxy += dx * (ys[i] - my);
  }
  const slope = sxx > 0 ? sxy / sxx : 0;
  let level = my - slope * mx;
  let trend = slope;
  // As R: keep l0 + b0 away from zero so a multiplicative error has a usable first forecast.
  if (Math.abs(level + trend) < 1e-8) {
    level *= 1 + 1e-3;
    trend *= 1 + 1e-3;
  }
  return { level, trend, season };
}

/**
 * Seasonal figure of a classical decomposition (R's `decompose`): centred moving average of
 * order m (2×m for even m), detrended values averaged per phase, then normalised to sum 0
 * (additive) or mean 1 (multiplicative). Requires n >= 2m - 1 so every phase has a value.
 */
function decomposeFigure(
  y: Float64Array,
  start: number,
  n: number,
  m: number,
  multiplicative: boolean,
): Float64Array {
  const half = Math.floor(m / 2);
  const even = m % 2 === 0;
  const sums = new Float64Array(m);
  const counts = new Float64Array(m);
  for (let t = half; t < n - half; t++) {
    let ma = 0;
    if (even) {
      ma = 0.5 * (y[start + t - half] + y[start + t + half]);
      for (let k = t - half + 1; k < t + half; k++) ma += y[start + k];
      ma /= m;
    } else {
      for (let k = t - half; k <= t + half; k++) ma += y[start + k];
      ma /= m;
    }
    const v = multiplicative ? (ma !== 0 ? y[start + t] / ma : 1) : y[start + t] - ma;
    // A missing value, or one in the window, gives NaN: that point is left out (R's na.rm).
    if (v !== v) continue;
    sums[t % m] += v;
    counts[t % m] += 1;
  }
  const figure = new Float64Array(m);
  let total = 0;
  for (let p = 0; p < m; p++) {
    figure[p] = counts[p] > 0 ? sums[p] / counts[p] : multiplicative ? 1 : 0;
    total += figure[p];
  }
  const mean = total / m;
  for (let p = 0; p < m; p++) {
    if (multiplicative) figure[p] = mean !== 0 ? figure[p] / mean : 1;
    else figure[p] -= mean;
  }
  return figure;
}

/**
 * For models whose state recursion is linear (no multiplicative season) the one-step forecasts
 * are affine in the initial state: f_t(x0) = f_t(0) + Σ_j x0_j·f_t(e_j) where f_t(e_j) is the
 * recursion driven by basis direction j with y = 0. So, for fixed smoothing parameters, the
 * initial state minimising the sum of squared errors is a small least-squares problem
 * (free states: level, trend, seasonal phases 1..m-1 with phase 0 = -Σ others). A missing (NaN)
 * observation gives no innovation (as in `etsRecursion`) and no row.
 * Returns null when the normal equations are singular.
 *
 * Speed without a different number: each column's recursion is a chain of dependent additions
 * and each dot product a chain of additions into one sum, so the CPU mostly waits. Columns are
 * filtered two at a time in one loop and dot products taken four at a time (four sums, each
 * still over t in order), which lets independent chains overlap; every operation on every value
 * is the one the plain loops do, so the result is bit-identical (about 3× faster for a weekly
 * model on two years of days). Windows with a missing day take the plain loop.
 * `shareBasis`: keep (or reuse) this window length's basis columns and their Gram matrix for
 * these parameters (see SHARED_BASES); for parameters many series are solved at.
 */
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
  shareBasis = false,
): { level: number; trend: number; season: Float64Array } | null {
  const hasTrend = trendKind !== TREND_N;
  const hasSeason = seasonKind === SEASON_A;
  if (seasonKind === SEASON_M) return null;
  const p = 1 + (hasTrend ? 1 : 0) + (hasSeason ? m - 1 : 0);
  const mm = hasSeason ? m : 1;
  const phiEff = trendKind === TREND_AD ? phi : 1;
  // Column j (0..p-1) holds f_t(e_j); column p holds y_t - f_t(0).
  const cols = new Float64Array((p + 1) * n);
  let complete = true;
  for (let t = 0; t < n; t++) {
    if (y[start + t] !== y[start + t]) {
      complete = false;
      break;
    }
  }
  const spec: ColumnSpec = { n, mm, hasTrend, hasSeason, alpha, beta, gamma, phiEff };
  const key = `${n} ${m} ${trendKind} ${seasonKind} ${alpha} ${beta} ${gamma} ${phi}`;
  const shared = complete && shareBasis ? SHARED_BASES.get(key) : undefined;
  if (shared !== undefined) {
    // Only the driven column and its products with the basis columns depend on y.
    const driven = y.subarray(start, start + n);
    const state = basisState(p, p, hasTrend, mm);
    linearColumnPair(spec, driven, state, p, driven, state, p, p, cols);
    const r = new Float64Array(p);
    drivenProducts(shared.cols, cols.subarray(p * n), n, p, r);
    return solution(solveSymmetric(shared.a, r, p), m, hasTrend, hasSeason);
  }
  if (complete) {
    const zeros = new Float64Array(n);
    const driven = y.subarray(start, start + n);
    for (let j = 0; j <= p; j += 2) {
      const k = Math.min(j + 1, p);
      linearColumnPair(
        spec,
        j === p ? driven : zeros,
        basisState(j, p, hasTrend, mm),
        j,
        k === p ? driven : zeros,
        basisState(k, p, hasTrend, mm),
        k,
        p,
        cols,
      );
    }
  } else {
    for (let j = 0; j <= p; j++)
      linearColumnMissing(spec, y, start, basisState(j, p, hasTrend, mm), j, p, cols);
  }
  // Normal equations A x = r with A = Z'Z, r = Z'(y - f(0)).
  const a = new Float64Array(p * p);
  const r = new Float64Array(p);
  gram(cols, n, p, a, r);
  if (complete && shareBasis) {
    if (SHARED_BASES.size >= SHARED_BASES_MAX) {
      SHARED_BASES.delete(SHARED_BASES.keys().next().value as string);
    }
    SHARED_BASES.set(key, { cols: cols.slice(0, p * n), a });
  }
  return solution(solveSymmetric(a, r, p), m, hasTrend, hasSeason);
}

/**
 * Basis columns and their Gram matrix by window length, period, model and parameters. They do
 * not depend on the data, and every series is first solved at the same starting parameters
 * (R's `initparam`), so a catalogue of equally long histories computes them once per model
 * (`shareBasis`); only the driven column and r are the series' own. Bounded, oldest first out.
 */
const SHARED_BASES = new Map<string, { cols: Float64Array; a: Float64Array }>();
const SHARED_BASES_MAX = 48;

/** r[i] = Σ_t z_i(t)·d(t) over t in order (four sums per pass), as `gram` sums column p. */
function drivenProducts(
  basis: Float64Array,
  driven: Float64Array,
  n: number,
  p: number,
  r: Float64Array,
): void {
  let i = 0;
  for (; i + 3 < p; i += 4) {
    const o0 = i * n;
    const o1 = o0 + n;
    const o2 = o1 + n;
    const o3 = o2 + n;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let t = 0; t < n; t++) {
      const d = driven[t];
      s0 += basis[o0 + t] * d;
      s1 += basis[o1 + t] * d;
      s2 += basis[o2 + t] * d;
      s3 += basis[o3 + t] * d;
    }
    r[i] = s0;
    r[i + 1] = s1;
    r[i + 2] = s2;
    r[i + 3] = s3;
  }
  for (; i < p; i++) {
    const o0 = i * n;
    let s0 = 0;
    for (let t = 0; t < n; t++) s0 += basis[o0 + t] * driven[t];
    r[i] = s0;
  }
}

/** The initial states from the least-squares solution x (null: singular). */
function solution(
  x: Float64Array | null,
  m: number,
  hasTrend: boolean,
  hasSeason: boolean,
): { level: number; trend: number; season: Float64Array } | null {
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

/** What every column's recursion shares. */
interface ColumnSpec {
  n: number;
  /** Seasonal states (1 without a season: one state that stays 0). */
  mm: number;
  hasTrend: boolean;
  hasSeason: boolean;
  alpha: number;
  beta: number;
  gamma: number;
  phiEff: number;
}

/** Initial state of column j: basis direction j (level, trend, seasonal phase j), 0 for the
 * driven column p. The seasonal states are the returned array's [2, 2 + mm). */
function basisState(j: number, p: number, hasTrend: boolean, mm: number): Float64Array {
  const state = new Float64Array(2 + mm);
  if (j === p) return state;
  if (j === 0) state[0] = 1;
  else if (hasTrend && j === 1) state[1] = 1;
  else {
    state[2 + j - (hasTrend ? 2 : 1) + 1] = 1;
    state[2] = -1;
  }
  return state;
}

/**
 * Columns j and k (the same column twice is allowed) over a complete window: `yj`/`yk` are the
 * window's values for the driven column p and zeros for a basis column. Each lane does exactly
 * the operations of the plain per-column loop (`linearColumnMissing` without a missing day).
 */
function linearColumnPair(
  c: ColumnSpec,
  yj: Float64Array,
  sj: Float64Array,
  j: number,
  yk: Float64Array,
  sk: Float64Array,
  k: number,
  p: number,
  cols: Float64Array,
): void {
  const { n, mm, hasTrend, hasSeason, alpha, beta, gamma, phiEff } = c;
  const drivenJ = j === p;
  const drivenK = k === p;
  const offJ = j * n;
  const offK = k * n;
  let lj = sj[0];
  let bj = sj[1];
  let lk = sk[0];
  let bk = sk[1];
  let phase = 2;
  for (let t = 0; t < n; t++) {
    const ytj = yj[t];
    const ytk = yk[t];
    const phibj = phiEff * bj;
    const phibk = phiEff * bk;
    const qj = lj + phibj;
    const qk = lk + phibk;
    const ssj = hasSeason ? sj[phase] : 0;
    const ssk = hasSeason ? sk[phase] : 0;
    const fj = qj + ssj;
    const fk = qk + ssk;
    cols[offJ + t] = drivenJ ? ytj - fj : fj;
    cols[offK + t] = drivenK ? ytk - fk : fk;
    const dj = ytj - ssj - qj;
    const dk = ytk - ssk - qk;
    lj = qj + alpha * dj;
    lk = qk + alpha * dk;
    if (hasTrend) {
      bj = phibj + beta * dj;
      bk = phibk + beta * dk;
    }
    if (hasSeason) {
      sj[phase] = ssj + gamma * dj;
      sk[phase] = ssk + gamma * dk;
    }
    phase++;
    if (phase === mm + 2) phase = 2;
  }
}

/** Column j over a window with missing days (the plain loop). */
function linearColumnMissing(
  c: ColumnSpec,
  y: Float64Array,
  start: number,
  state: Float64Array,
  j: number,
  p: number,
  cols: Float64Array,
): void {
  const { n, mm, hasTrend, hasSeason, alpha, beta, gamma, phiEff } = c;
  const driven = j === p;
  const off = j * n;
  let l = state[0];
  let b = state[1];
  let phase = 2;
  for (let t = 0; t < n; t++) {
    const yt = driven ? y[start + t] : 0;
    const phib = phiEff * b;
    const q = l + phib;
    const s = hasSeason ? state[phase] : 0;
    const f = q + s;
    if (y[start + t] !== y[start + t]) {
      // Missing: no innovation in any column (so f_t stays affine in x0), and no row.
      cols[off + t] = 0;
      l = q;
      if (hasTrend) b = phib;
      phase++;
      if (phase === mm + 2) phase = 2;
      continue;
    }
    cols[off + t] = driven ? yt - f : f;
    const d = yt - s - q;
    l = q + alpha * d;
    if (hasTrend) b = phib + beta * d;
    if (hasSeason) state[phase] = s + gamma * d;
    phase++;
    if (phase === mm + 2) phase = 2;
  }
}

/**
 * a[i·p + k] = Σ_t z_i(t)·z_k(t) for i <= k < p (mirrored) and r[i] = Σ_t z_i(t)·z_p(t), where
 * z_j is column j of `cols`; four sums per pass, each over t in order.
 */
function gram(cols: Float64Array, n: number, p: number, a: Float64Array, r: Float64Array): void {
  // Column p (the driven one) is summed like the others; its products with column i go to r[i].
  for (let i = 0; i < p; i++) {
    const oi = i * n;
    let k = i;
    for (; k + 3 <= p; k += 4) {
      const o0 = k * n;
      const o1 = o0 + n;
      const o2 = o1 + n;
      const o3 = o2 + n;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let t = 0; t < n; t++) {
        const z = cols[oi + t];
        s0 += z * cols[o0 + t];
        s1 += z * cols[o1 + t];
        s2 += z * cols[o2 + t];
        s3 += z * cols[o3 + t];
      }
      put(a, r, p, i, k, s0);
      put(a, r, p, i, k + 1, s1);
      put(a, r, p, i, k + 2, s2);
      put(a, r, p, i, k + 3, s3);
    }
    for (; k <= p; k++) {
      const o0 = k * n;
      let s0 = 0;
      for (let t = 0; t < n; t++) s0 += cols[oi + t] * cols[o0 + t];
      put(a, r, p, i, k, s0);
    }
  }
}

/** Stores the sum of columns i and k: in r[i] for the driven column k = p, else in a (mirrored). */
function put(a: Float64Array, r: Float64Array, p: number, i: number, k: number, v: number): void {
  if (k === p) r[i] = v;
  else {
    a[i * p + k] = v;
    a[k * p + i] = v;
  }
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
