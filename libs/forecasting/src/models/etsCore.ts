/**
 * Numeric kernels of the ETS state-space models (Hyndman, Koehler, Ord & Snyder 2008), written
 * to mirror R forecast's `etscalc`/`update`/`forecast` C code so likelihoods and AICc rank models
 * the way R does.
 *
 * Seasonal states are kept by phase: `s[t % m]` is the seasonal component used (and then
 * replaced) at time t of the fitting window. R's state vector (s0 = most recent, ...) is the
 * reverse of this; the public `params` translate back to R's naming.
 *
 * Why this file is long: the optimiser's hot path has one near-identical loop per error and
 * season type (`addErrorNoSeason` ... `mulErrorMulSeason`) on purpose. A loop with no type tests
 * or calls in its body lets V8 keep every state in a float register, which halves the cost of a
 * step; merging them (or sharing a helper) gives that back. Keep them separate, and keep their
 * arithmetic in the same order as the traced loop in `etsRecursion`, so both return bit-identical
 * criteria. Initial states are in `etsInit.ts`.
 */

/** Trend codes: none, additive, additive damped. */
export const TREND_N = 0;
export const TREND_A = 1;
export const TREND_AD = 2;
/** Season codes: none, additive, multiplicative. */
export const SEASON_N = 0;
export const SEASON_A = 1;
export const SEASON_M = 2;

/** R clamps perfect fits so log(0) never reaches the optimiser. */
const MIN_LIK = -1e10;

/** Where the recursion writes per-step output; only used after optimisation. */
export interface EtsTrace {
  /** One-step forecasts, length n. */
  fitted: Float64Array;
  /** Residuals: y - yhat (additive error) or (y - yhat)/yhat (multiplicative error). */
  residuals: Float64Array;
  /** Final states after the last observation; `season` is by phase of time n. */
  level: number;
  trend: number;
}

/**
 * Run the ETS recursion over `y[start, start+n)` and return R's criterion: n·log(SSE) for
 * additive errors, n·log(SSE of relative errors) + 2·Σ log|yhat| for multiplicative errors.
 * Returns +Infinity when the parameters lead to an invalid state (non-positive forecast under a
 * multiplicative error, non-positive multiplicative seasonal index, overflow).
 *
 * `season` (length m) holds the initial seasonal states by phase and is overwritten with the
 * final states; callers pass a scratch copy during optimisation.
 *
 * Missing observations (NaN): the general loop below skips them as a Kalman filter skips a
 * missing measurement — no innovation, so every state moves on with its one-step prediction —
 * and leaves them out of the SSE, the Σ log|yhat| term and the n of the criterion; their
 * residual is NaN. The fast kernels assume complete data, so callers pass `missing = true` for a
 * window with a NaN (checked once per series) and the optimiser then runs the general loop.
 */
export function etsRecursion(
  y: Float64Array,
  start: number,
  n: number,
  m: number,
  trendKind: number,
  seasonKind: number,
  multError: boolean,
  alpha: number,
  beta: number,
  gamma: number,
  phi: number,
  level0: number,
  trend0: number,
  season: Float64Array,
  trace: EtsTrace | null,
  missing = false,
): number {
  if (trace === null && !missing) {
    return criterion(
      y,
      start,
      n,
      m,
      trendKind,
      seasonKind,
      multError,
      alpha,
      beta,
      gamma,
      phi,
      level0,
      trend0,
      season,
    );
  }
  // The general loop, for the final pass that records fitted values and residuals, and for
  // windows with missing observations.
  const hasTrend = trendKind !== TREND_N;
  const betaEff = hasTrend ? beta : 0;
  const phiEff = trendKind === TREND_AD ? phi : 1;
  let l = level0;
  let b = hasTrend ? trend0 : 0;
  let sse = 0;
  let prodF = 1;
  let scale = 0;
  let phase = 0;
  let observed = 0;
  for (let t = 0; t < n; t++) {
    const yt = y[start + t];
    const phib = phiEff * b;
    const q = l + phib;
    const s = seasonKind === SEASON_N ? 0 : season[phase];
    const f = seasonKind === SEASON_N ? q : seasonKind === SEASON_A ? q + s : q * s;
    if (yt !== yt) {
      // Missing: the update with a zero innovation (l = q, b = φb, season unchanged).
      if (multError && !(f > 0)) return Number.POSITIVE_INFINITY;
      if (seasonKind === SEASON_M && (!(s > 0) || !(q !== 0))) return Number.POSITIVE_INFINITY;
      if (trace !== null) {
        trace.fitted[t] = f;
        trace.residuals[t] = Number.NaN;
      }
      l = q;
      b = phib;
      if (++phase === m) phase = 0;
      continue;
    }
    observed++;
    // The innovation of the state update (R's `update`, in innovation form: R's
    // b = phib + (beta/alpha)·(newL - l - phib) is phib + beta·d, as newL - l - phib = alpha·d).
    const d = seasonKind === SEASON_N ? yt - q : seasonKind === SEASON_A ? yt - s - q : yt / s - q;
    let e: number;
    if (multError) {
      if (!(f > 0)) return Number.POSITIVE_INFINITY;
      e = (yt - f) / f;
      prodF *= f;
      if (prodF > TWO_800 || prodF < TWO_M800) {
        const up = prodF < 1;
        prodF *= up ? TWO_800 : TWO_M800;
        scale += up ? -1 : 1;
      }
    } else e = seasonKind === SEASON_M ? yt - f : d;
    sse += e * e;
    if (trace !== null) {
      trace.fitted[t] = f;
      trace.residuals[t] = e;
    }
    if (seasonKind === SEASON_M && (!(s > 0) || !(q !== 0))) return Number.POSITIVE_INFINITY;
    l = q + alpha * d;
    b = phib + betaEff * d;
    if (seasonKind === SEASON_A) season[phase] = s + gamma * d;
    else if (seasonKind === SEASON_M) season[phase] = s + gamma * (yt / q - s);
    if (++phase === m) phase = 0;
  }
  if (trace !== null) {
    trace.level = l;
    trace.trend = b;
  }
  return finish(sse, observed, scale, prodF);
}

/** Running products of one-step forecasts are rescaled by exact powers of two (no rounding),
 * so Σ log f costs one Math.log per series instead of one per step. */
const TWO_800 = 2 ** 800;
const TWO_M800 = 2 ** -800;
const LOG_TWO_800 = 800 * Math.LN2;

/**
 * The optimiser's hot path: `etsRecursion` without a trace, dispatched to one function per error
 * and season type. Each has a single loop with no type tests or calls in its body, so V8 keeps
 * every state in a float register and a step costs about the latency of its dependency chain
 * (~4.5 ns instead of ~10 ns for the general loop; two loops in one function already lose
 * this). Without a trend, b and beta are 0, so b stays 0 and the trend update runs
 * unconditionally. Same arithmetic, in the same order, as the traced loop: both return
 * bit-identical criteria.
 */
function criterion(
  y: Float64Array,
  start: number,
  n: number,
  m: number,
  trendKind: number,
  seasonKind: number,
  multError: boolean,
  alpha: number,
  beta: number,
  gamma: number,
  phi: number,
  level0: number,
  trend0: number,
  season: Float64Array,
): number {
  const hasTrend = trendKind !== TREND_N;
  const b0 = hasTrend ? trend0 : 0;
  const betaEff = hasTrend ? beta : 0;
  const phiEff = trendKind === TREND_AD ? phi : 1;
  const kernel = multError
    ? seasonKind === SEASON_N
      ? mulErrorNoSeason
      : seasonKind === SEASON_A
        ? mulErrorAddSeason
        : mulErrorMulSeason
    : seasonKind === SEASON_N
      ? addErrorNoSeason
      : seasonKind === SEASON_A
        ? addErrorAddSeason
        : addErrorMulSeason;
  return kernel(y, start, start + n, m, alpha, betaEff, gamma, phiEff, level0, b0, season);
}

/** Additive error, no season. */
function addErrorNoSeason(
  y: Float64Array,
  start: number,
  end: number,
  m: number,
  alpha: number,
  beta: number,
  gamma: number,
  phi: number,
  l0: number,
  b0: number,
  _season: Float64Array,
): number {
  let l = l0;
  let b = b0;
  let sse = 0;
  for (let i = start; i < end; i++) {
    const yt = y[i];
    const phib = phi * b;
    const q = l + phib;
    const d = yt - q;
    sse += d * d;
    l = q + alpha * d;
    b = phib + beta * d;
  }
  return finish(sse, end - start, 0, 1);
}

/** Additive error, additive season. */
function addErrorAddSeason(
  y: Float64Array,
  start: number,
  end: number,
  m: number,
  alpha: number,
  beta: number,
  gamma: number,
  phi: number,
  l0: number,
  b0: number,
  season: Float64Array,
): number {
  let l = l0;
  let b = b0;
  let sse = 0;
  let phase = 0;
  for (let i = start; i < end; i++) {
    const yt = y[i];
    const phib = phi * b;
    const q = l + phib;
    const s = season[phase];
    const d = yt - s - q;
    sse += d * d;
    l = q + alpha * d;
    b = phib + beta * d;
    season[phase] = s + gamma * d;
    if (++phase === m) phase = 0;
  }
  return finish(sse, end - start, 0, 1);
}

/** Additive error, multiplicative season (R excludes it with restrict = TRUE; kept for the
 * kernel's completeness). */
function addErrorMulSeason(
  y: Float64Array,
  start: number,
  end: number,
  m: number,
  alpha: number,
  beta: number,
  gamma: number,
  phi: number,
  l0: number,
  b0: number,
  season: Float64Array,
): number {
  let l = l0;
  let b = b0;
  let sse = 0;
  let phase = 0;
  for (let i = start; i < end; i++) {
    const yt = y[i];
    const phib = phi * b;
    const q = l + phib;
    const s = season[phase];
    const f = q * s;
    const e = yt - f;
    sse += e * e;
    if (!(s > 0) || !(q !== 0)) return Number.POSITIVE_INFINITY;
    const d = yt / s - q;
    l = q + alpha * d;
    b = phib + beta * d;
    season[phase] = s + gamma * (yt / q - s);
    if (++phase === m) phase = 0;
  }
  return finish(sse, end - start, 0, 1);
}

/** Multiplicative error, no season. */
function mulErrorNoSeason(
  y: Float64Array,
  start: number,
  end: number,
  m: number,
  alpha: number,
  beta: number,
  gamma: number,
  phi: number,
  l0: number,
  b0: number,
  _season: Float64Array,
): number {
  let l = l0;
  let b = b0;
  let sse = 0;
  let prodF = 1;
  let scale = 0;
  for (let i = start; i < end; i++) {
    const yt = y[i];
    const phib = phi * b;
    const q = l + phib;
    if (!(q > 0)) return Number.POSITIVE_INFINITY;
    const e = (yt - q) / q;
    sse += e * e;
    prodF *= q;
    if (prodF > TWO_800 || prodF < TWO_M800) {
      const up = prodF < 1;
      prodF *= up ? TWO_800 : TWO_M800;
      scale += up ? -1 : 1;
    }
    const d = yt - q;
    l = q + alpha * d;
    b = phib + beta * d;
  }
  return finish(sse, end - start, scale, prodF);
}

/** Multiplicative error, additive season. */
function mulErrorAddSeason(
  y: Float64Array,
  start: number,
  end: number,
  m: number,
  alpha: number,
  beta: number,
  gamma: number,
  phi: number,
  l0: number,
  b0: number,
  season: Float64Array,
): number {
  let l = l0;
  let b = b0;
  let sse = 0;
  let phase = 0;
  let prodF = 1;
  let scale = 0;
  for (let i = start; i < end; i++) {
    const yt = y[i];
    const phib = phi * b;
    const q = l + phib;
    const s = season[phase];
    const f = q + s;
    if (!(f > 0)) return Number.POSITIVE_INFINITY;
    const e = (yt - f) / f;
    sse += e * e;
    prodF *= f;
    if (prodF > TWO_800 || prodF < TWO_M800) {
      const up = prodF < 1;
      prodF *= up ? TWO_800 : TWO_M800;
      scale += up ? -1 : 1;
    }
    const d = yt - s - q;
    l = q + alpha * d;
    b = phib + beta * d;
    season[phase] = s + gamma * d;
    if (++phase === m) phase = 0;
  }
  return finish(sse, end - start, scale, prodF);
}

/** Multiplicative error, multiplicative season. */
function mulErrorMulSeason(
  y: Float64Array,
  start: number,
  end: number,
  m: number,
  alpha: number,
  beta: number,
  gamma: number,
  phi: number,
  l0: number,
  b0: number,
  season: Float64Array,
): number {
  let l = l0;
  let b = b0;
  let sse = 0;
  let phase = 0;
  let prodF = 1;
  let scale = 0;
  for (let i = start; i < end; i++) {
    const yt = y[i];
    const phib = phi * b;
    const q = l + phib;
    const s = season[phase];
    const f = q * s;
    if (!(f > 0)) return Number.POSITIVE_INFINITY;
    const e = (yt - f) / f;
    sse += e * e;
    prodF *= f;
    if (prodF > TWO_800 || prodF < TWO_M800) {
      const up = prodF < 1;
      prodF *= up ? TWO_800 : TWO_M800;
      scale += up ? -1 : 1;
    }
    if (!(s > 0) || !(q !== 0)) return Number.POSITIVE_INFINITY;
    const d = yt / s - q;
    l = q + alpha * d;
    b = phib + beta * d;
    season[phase] = s + gamma * (yt / q - s);
    if (++phase === m) phase = 0;
  }
  return finish(sse, end - start, scale, prodF);
}

/** R's criterion from the SSE and, for multiplicative errors, Π f = prodF · 2^(800·scale). */
function finish(sse: number, n: number, scale: number, prodF: number): number {
  if (!Number.isFinite(sse)) return Number.POSITIVE_INFINITY;
  let lik = n * Math.log(sse);
  if (prodF !== 1 || scale !== 0) lik += 2 * (scale * LOG_TWO_800 + Math.log(prodF));
  if (Number.isNaN(lik)) return Number.POSITIVE_INFINITY;
  return lik < MIN_LIK ? MIN_LIK : lik;
}
