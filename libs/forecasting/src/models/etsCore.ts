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
 * bit-identical criteria. A multiplicative kernel that meets an invalid state flags it and runs
 * on to the end (its numbers are discarded, the result is +Infinity) rather than returning from
 * inside the loop: the early exit alone made those loops about twice as slow.
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
  let valid = true;
  for (let i = start; i < end; i++) {
    const yt = y[i];
    const phib = phi * b;
    const q = l + phib;
    if (!(q > 0)) valid = false;
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
  return valid ? finish(sse, end - start, scale, prodF) : Number.POSITIVE_INFINITY;
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
  let valid = true;
  for (let i = start; i < end; i++) {
    const yt = y[i];
    const phib = phi * b;
    const q = l + phib;
    const s = season[phase];
    const f = q + s;
    if (!(f > 0)) valid = false;
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
  return valid ? finish(sse, end - start, scale, prodF) : Number.POSITIVE_INFINITY;
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
  let valid = true;
  for (let i = start; i < end; i++) {
    const yt = y[i];
    const phib = phi * b;
    const q = l + phib;
    const s = season[phase];
    const f = q * s;
    if (!(f > 0) || !(s > 0) || !(q !== 0)) valid = false;
    const e = (yt - f) / f;
    sse += e * e;
    prodF *= f;
    if (prodF > TWO_800 || prodF < TWO_M800) {
      const up = prodF < 1;
      prodF *= up ? TWO_800 : TWO_M800;
      scale += up ? -1 : 1;
    }
    const d = yt / s - q;
    l = q + alpha * d;
    b = phib + beta * d;
    season[phase] = s + gamma * (yt / q - s);
    if (++phase === m) phase = 0;
  }
  return valid ? finish(sse, end - start, scale, prodF) : Number.POSITIVE_INFINITY;
}

/** R's criterion from the SSE and, for multiplicative errors, Π f = prodF · 2^(800·scale). */
function finish(sse: number, n: number, scale: number, prodF: number): number {
  if (!Number.isFinite(sse)) return Number.POSITIVE_INFINITY;
  let lik = n * Math.log(sse);
  if (prodF !== 1 || scale !== 0) lik += 2 * (scale * LOG_TWO_800 + Math.log(prodF));
  if (Number.isNaN(lik)) return Number.POSITIVE_INFINITY;
  return lik < MIN_LIK ? MIN_LIK : lik;
}

/**
 * An ETS model in the kernels' terms: its kind codes, smoothing parameters and states (`level`,
 * `trend`, `season` of length m; initial or final depending on the holder).
 */
export interface EtsModelState {
  trendKind: number;
  seasonKind: number;
  multError: boolean;
  alpha: number;
  beta: number;
  gamma: number;
  phi: number;
  level: number;
  trend: number;
  season: Float64Array;
}

/**
 * One evaluation of the estimation criterion, as a search asks for it: the model and its
 * smoothing parameters and initial states. `season` (length m) is overwritten, as by
 * `etsRecursion`.
 */
export type CriterionCall = EtsModelState;

/** `etsRecursion` without a trace for `call` over y[start, start+n). */
export function criterionOf(
  y: Float64Array,
  start: number,
  n: number,
  m: number,
  call: CriterionCall,
  missing: boolean,
): number {
  return etsRecursion(
    y,
    start,
    n,
    m,
    call.trendKind,
    call.seasonKind,
    call.multError,
    call.alpha,
    call.beta,
    call.gamma,
    call.phi,
    call.level,
    call.trend,
    call.season,
    null,
    missing,
  );
}

/**
 * Which two-lane kernel evaluates a call (`criterionPair`): 1 additive error (no or additive
 * season), 2 multiplicative error (no or additive season), 3 multiplicative error and season;
 * 0 none (a window with missing days, or additive error with multiplicative season).
 */
export function pairFamily(call: CriterionCall, missing: boolean): number {
  if (missing) return 0;
  if (call.seasonKind === SEASON_M) return call.multError ? 3 : 0;
  return call.multError ? 2 : 1;
}

/**
 * The criteria of two calls of the same `pairFamily` over a complete window, written to out[0]
 * and out[1]: bit-identical to `criterionOf` for each. One recursion is a chain of dependent
 * operations that keeps the CPU waiting; two independent ones in one loop cost little more
 * than one. A model without a season runs as an additive season of zeros with gamma = 0, which
 * takes the same values: s = +0 gives yt - 0 - q = yt - q, q + 0 = q wherever q > 0 is
 * checked, and the seasonal states stay +0 (any NaN or ±Infinity makes the SSE non-finite in
 * both forms, so both return +Infinity). `zerosA`/`zerosB` are scratch of length m for such a lane.
 */
export function criterionPair(
  y: Float64Array,
  start: number,
  n: number,
  m: number,
  a: CriterionCall,
  b: CriterionCall,
  zerosA: Float64Array,
  zerosB: Float64Array,
  out: Float64Array,
): void {
  const family = pairFamily(a, false);
  const mixed = family !== pairFamily(b, false);
  const end = start + n;
  const tA = a.trendKind !== TREND_N;
  const tB = b.trendKind !== TREND_N;
  const sA = a.seasonKind !== SEASON_N;
  const sB = b.seasonKind !== SEASON_N;
  // The same effective parameters as `criterion`.
  const betaA = tA ? a.beta : 0;
  const betaB = tB ? b.beta : 0;
  const phiA = a.trendKind === TREND_AD ? a.phi : 1;
  const phiB = b.trendKind === TREND_AD ? b.phi : 1;
  const b0A = tA ? a.trend : 0;
  const b0B = tB ? b.trend : 0;
  if (mixed) {
    // Each lane without a season gets its own zeros (as below).
    mixedPair(
      y,
      start,
      end,
      m,
      a.multError,
      a.seasonKind === SEASON_M,
      a.alpha,
      betaA,
      sA ? a.gamma : 0,
      phiA,
      a.level,
      b0A,
      sA ? a.season : zerosA.fill(0),
      b.multError,
      b.seasonKind === SEASON_M,
      b.alpha,
      betaB,
      sB ? b.gamma : 0,
      phiB,
      b.level,
      b0B,
      sB ? b.season : zerosB.fill(0),
      out,
    );
    return;
  }
  if (family === 3) {
    mulErrorMulSeasonPair(
      y,
      start,
      end,
      m,
      a.alpha,
      betaA,
      a.gamma,
      phiA,
      a.level,
      b0A,
      a.season,
      b.alpha,
      betaB,
      b.gamma,
      phiB,
      b.level,
      b0B,
      b.season,
      out,
    );
    return;
  }
  // Each lane without a season gets its own zeros: a lane gone NaN must not reach the other.
  let seasonA = a.season;
  let seasonB = b.season;
  if (!sA) seasonA = zerosA.fill(0);
  if (!sB) seasonB = zerosB.fill(0);
  const gammaA = sA ? a.gamma : 0;
  const gammaB = sB ? b.gamma : 0;
  const kernel = family === 1 ? addErrorPair : mulErrorPair;
  kernel(
    y,
    start,
    end,
    m,
    a.alpha,
    betaA,
    gammaA,
    phiA,
    a.level,
    b0A,
    seasonA,
    b.alpha,
    betaB,
    gammaB,
    phiB,
    b.level,
    b0B,
    seasonB,
    out,
  );
}

/** Two lanes of `addErrorAddSeason`. */
function addErrorPair(
  y: Float64Array,
  start: number,
  end: number,
  m: number,
  alphaA: number,
  betaA: number,
  gammaA: number,
  phiA: number,
  l0A: number,
  b0A: number,
  seasonA: Float64Array,
  alphaB: number,
  betaB: number,
  gammaB: number,
  phiB: number,
  l0B: number,
  b0B: number,
  seasonB: Float64Array,
  out: Float64Array,
): void {
  let lA = l0A;
  let bA = b0A;
  let lB = l0B;
  let bB = b0B;
  let sseA = 0;
  let sseB = 0;
  let phase = 0;
  for (let i = start; i < end; i++) {
    const yt = y[i];
    const phibA = phiA * bA;
    const phibB = phiB * bB;
    const qA = lA + phibA;
    const qB = lB + phibB;
    const sA = seasonA[phase];
    const sB = seasonB[phase];
    const dA = yt - sA - qA;
    const dB = yt - sB - qB;
    sseA += dA * dA;
    sseB += dB * dB;
    lA = qA + alphaA * dA;
    lB = qB + alphaB * dB;
    bA = phibA + betaA * dA;
    bB = phibB + betaB * dB;
    seasonA[phase] = sA + gammaA * dA;
    seasonB[phase] = sB + gammaB * dB;
    if (++phase === m) phase = 0;
  }
  out[0] = finish(sseA, end - start, 0, 1);
  out[1] = finish(sseB, end - start, 0, 1);
}

/** Two lanes of `mulErrorAddSeason`; a lane that leaves the valid region gives +Infinity. */
function mulErrorPair(
  y: Float64Array,
  start: number,
  end: number,
  m: number,
  alphaA: number,
  betaA: number,
  gammaA: number,
  phiA: number,
  l0A: number,
  b0A: number,
  seasonA: Float64Array,
  alphaB: number,
  betaB: number,
  gammaB: number,
  phiB: number,
  l0B: number,
  b0B: number,
  seasonB: Float64Array,
  out: Float64Array,
): void {
  let lA = l0A;
  let bA = b0A;
  let lB = l0B;
  let bB = b0B;
  let sseA = 0;
  let sseB = 0;
  let prodA = 1;
  let prodB = 1;
  let scaleA = 0;
  let scaleB = 0;
  let validA = true;
  let validB = true;
  let phase = 0;
  for (let i = start; i < end; i++) {
    const yt = y[i];
    const phibA = phiA * bA;
    const phibB = phiB * bB;
    const qA = lA + phibA;
    const qB = lB + phibB;
    const sA = seasonA[phase];
    const sB = seasonB[phase];
    const fA = qA + sA;
    const fB = qB + sB;
    // A lane past an invalid state runs on (its numbers are discarded) so the other keeps
    // its loop.
    if (!(fA > 0)) validA = false;
    if (!(fB > 0)) validB = false;
    const eA = (yt - fA) / fA;
    const eB = (yt - fB) / fB;
    sseA += eA * eA;
    sseB += eB * eB;
    prodA *= fA;
    prodB *= fB;
    if (prodA > TWO_800 || prodA < TWO_M800) {
      const up = prodA < 1;
      prodA *= up ? TWO_800 : TWO_M800;
      scaleA += up ? -1 : 1;
    }
    if (prodB > TWO_800 || prodB < TWO_M800) {
      const up = prodB < 1;
      prodB *= up ? TWO_800 : TWO_M800;
      scaleB += up ? -1 : 1;
    }
    const dA = yt - sA - qA;
    const dB = yt - sB - qB;
    lA = qA + alphaA * dA;
    lB = qB + alphaB * dB;
    bA = phibA + betaA * dA;
    bB = phibB + betaB * dB;
    seasonA[phase] = sA + gammaA * dA;
    seasonB[phase] = sB + gammaB * dB;
    if (++phase === m) phase = 0;
  }
  out[0] = validA ? finish(sseA, end - start, scaleA, prodA) : Number.POSITIVE_INFINITY;
  out[1] = validB ? finish(sseB, end - start, scaleB, prodB) : Number.POSITIVE_INFINITY;
}

/** Two lanes of `mulErrorMulSeason`; a lane that leaves the valid region gives +Infinity. */
function mulErrorMulSeasonPair(
  y: Float64Array,
  start: number,
  end: number,
  m: number,
  alphaA: number,
  betaA: number,
  gammaA: number,
  phiA: number,
  l0A: number,
  b0A: number,
  seasonA: Float64Array,
  alphaB: number,
  betaB: number,
  gammaB: number,
  phiB: number,
  l0B: number,
  b0B: number,
  seasonB: Float64Array,
  out: Float64Array,
): void {
  let lA = l0A;
  let bA = b0A;
  let lB = l0B;
  let bB = b0B;
  let sseA = 0;
  let sseB = 0;
  let prodA = 1;
  let prodB = 1;
  let scaleA = 0;
  let scaleB = 0;
  let validA = true;
  let validB = true;
  let phase = 0;
  for (let i = start; i < end; i++) {
    const yt = y[i];
    const phibA = phiA * bA;
    const phibB = phiB * bB;
    const qA = lA + phibA;
    const qB = lB + phibB;
    const sA = seasonA[phase];
    const sB = seasonB[phase];
    const fA = qA * sA;
    const fB = qB * sB;
    if (!(fA > 0) || !(sA > 0) || !(qA !== 0)) validA = false;
    if (!(fB > 0) || !(sB > 0) || !(qB !== 0)) validB = false;
    const eA = (yt - fA) / fA;
    const eB = (yt - fB) / fB;
    sseA += eA * eA;
    sseB += eB * eB;
    prodA *= fA;
    prodB *= fB;
    if (prodA > TWO_800 || prodA < TWO_M800) {
      const up = prodA < 1;
      prodA *= up ? TWO_800 : TWO_M800;
      scaleA += up ? -1 : 1;
    }
    if (prodB > TWO_800 || prodB < TWO_M800) {
      const up = prodB < 1;
      prodB *= up ? TWO_800 : TWO_M800;
      scaleB += up ? -1 : 1;
    }
    const dA = yt / sA - qA;
    const dB = yt / sB - qB;
    lA = qA + alphaA * dA;
    lB = qB + alphaB * dB;
    bA = phibA + betaA * dA;
    bB = phibB + betaB * dB;
    seasonA[phase] = sA + gammaA * (yt / qA - sA);
    seasonB[phase] = sB + gammaB * (yt / qB - sB);
    if (++phase === m) phase = 0;
  }
  out[0] = validA ? finish(sseA, end - start, scaleA, prodA) : Number.POSITIVE_INFINITY;
  out[1] = validB ? finish(sseB, end - start, scaleB, prodB) : Number.POSITIVE_INFINITY;
}

/**
 * Two lanes of any kinds (the kernel for two asks of different `pairFamily`): each lane takes
 * the additive- or multiplicative-error form and the additive or multiplicative season of its
 * own model, with the operations of the matching single kernel in the same order. A lane
 * without a season passes zeros with gamma = 0 (see `criterionPair`).
 */
function mixedPair(
  y: Float64Array,
  start: number,
  end: number,
  m: number,
  mulErrA: boolean,
  mulSeasonA: boolean,
  alphaA: number,
  betaA: number,
  gammaA: number,
  phiA: number,
  l0A: number,
  b0A: number,
  seasonA: Float64Array,
  mulErrB: boolean,
  mulSeasonB: boolean,
  alphaB: number,
  betaB: number,
  gammaB: number,
  phiB: number,
  l0B: number,
  b0B: number,
  seasonB: Float64Array,
  out: Float64Array,
): void {
  let lA = l0A;
  let bA = b0A;
  let lB = l0B;
  let bB = b0B;
  let sseA = 0;
  let sseB = 0;
  let prodA = 1;
  let prodB = 1;
  let scaleA = 0;
  let scaleB = 0;
  let validA = true;
  let validB = true;
  let phase = 0;
  for (let i = start; i < end; i++) {
    const yt = y[i];
    const phibA = phiA * bA;
    const phibB = phiB * bB;
    const qA = lA + phibA;
    const qB = lB + phibB;
    const sA = seasonA[phase];
    const sB = seasonB[phase];
    let dA: number;
    let dB: number;
    if (mulSeasonA) {
      const fA = qA * sA;
      if (!(fA > 0) || !(sA > 0) || !(qA !== 0)) validA = false;
      const eA = (yt - fA) / fA;
      sseA += eA * eA;
      prodA *= fA;
      dA = yt / sA - qA;
    } else {
      const fA = qA + sA;
      dA = yt - sA - qA;
      if (mulErrA) {
        if (!(fA > 0)) validA = false;
        const eA = (yt - fA) / fA;
        sseA += eA * eA;
        prodA *= fA;
      } else sseA += dA * dA;
    }
    if (mulSeasonB) {
      const fB = qB * sB;
      if (!(fB > 0) || !(sB > 0) || !(qB !== 0)) validB = false;
      const eB = (yt - fB) / fB;
      sseB += eB * eB;
      prodB *= fB;
      dB = yt / sB - qB;
    } else {
      const fB = qB + sB;
      dB = yt - sB - qB;
      if (mulErrB) {
        if (!(fB > 0)) validB = false;
        const eB = (yt - fB) / fB;
        sseB += eB * eB;
        prodB *= fB;
      } else sseB += dB * dB;
    }
    if (prodA > TWO_800 || prodA < TWO_M800) {
      const up = prodA < 1;
      prodA *= up ? TWO_800 : TWO_M800;
      scaleA += up ? -1 : 1;
    }
    if (prodB > TWO_800 || prodB < TWO_M800) {
      const up = prodB < 1;
      prodB *= up ? TWO_800 : TWO_M800;
      scaleB += up ? -1 : 1;
    }
    lA = qA + alphaA * dA;
    lB = qB + alphaB * dB;
    bA = phibA + betaA * dA;
    bB = phibB + betaB * dB;
    seasonA[phase] = mulSeasonA ? sA + gammaA * (yt / qA - sA) : sA + gammaA * dA;
    seasonB[phase] = mulSeasonB ? sB + gammaB * (yt / qB - sB) : sB + gammaB * dB;
    if (++phase === m) phase = 0;
  }
  out[0] = validA ? finish(sseA, end - start, scaleA, prodA) : Number.POSITIVE_INFINITY;
  out[1] = validB ? finish(sseB, end - start, scaleB, prodB) : Number.POSITIVE_INFINITY;
}
