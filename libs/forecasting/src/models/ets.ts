/**
 * Exponential smoothing state-space models (ETS) with automatic selection by AICc, after
 * Hyndman, Koehler, Ord & Snyder (2008) and R forecast's `ets()`:
 * - models ETS(error ∈ {A,M}, trend ∈ {N,A,Ad}, season ∈ {N,A,M}) under R's default
 *   `restrict = TRUE` (no additive error with multiplicative season) and
 *   `allow.multiplicative.trend = FALSE`; multiplicative parts only for strictly positive data;
 * - estimation by R's likelihood criterion (`opt.crit = "lik"`), usual parameter bounds, R's
 *   `initparam`/`initstate` starting points, and AICc counted like R (smoothing parameters +
 *   free initial states + 1 for the variance);
 * - forecast means from the state recursion and variances from R's analytical class 1 / class 2
 *   formulas; for multiplicative seasonality (class 3) the variance is exact for h <= m.
 */
import { nelderMead } from '../optim/nelderMead';
import type { FittedModel, Model, QuantileForecast } from '../types';
import {
  SEASON_A,
  SEASON_M,
  SEASON_N,
  TREND_A,
  TREND_AD,
  TREND_N,
  etsRecursion,
  initialStates,
  leastSquaresInitialStates,
  type EtsTrace,
} from './etsCore';
import { EtsFitError } from './etsErrors';

export { EtsFitError } from './etsErrors';

export type ErrorType = 'A' | 'M';
export type TrendType = 'N' | 'A' | 'Ad';
export type SeasonType = 'N' | 'A' | 'M';
export interface EtsSpec {
  error: ErrorType;
  trend: TrendType;
  season: SeasonType;
}
export interface EtsOptions {
  /** Seasonal period; default 7 (weekly pattern in daily data). */
  period?: number;
  /** Fit on the last N points only; default 730. */
  maxFitLength?: number;
  /** Candidate set for autoEts; default the admissible set for the data. */
  specs?: EtsSpec[];
}
export interface FittedEts extends FittedModel {
  readonly spec: EtsSpec;
  /** AICc as R computes it; Infinity for the mean fallback (no likelihood to compare). */
  readonly aicc: number;
  /** Residual variance (of relative errors for multiplicative-error models). */
  readonly sigma2: number;
  /** alpha, beta, gamma, phi (when present), initial l, b and seasonal s0..s{m-1} (R naming). */
  readonly params: Record<string, number>;
  /** R's log-likelihood, -0.5·(n·log SSE [+ 2·Σ log|yhat|]); NaN for the mean fallback. */
  readonly logLik: number;
  /** Number of observations the model was fitted on (the last `maxFitLength` at most). */
  readonly nobs: number;
}

const DEFAULT_PERIOD = 7;
const DEFAULT_MAX_FIT_LENGTH = 730;
/** R's default bounds: alpha, beta, gamma in [1e-4, 0.9999], phi in [0.8, 0.98]. */
const LOWER = 1e-4;
const UPPER = 0.9999;
const PHI_LOWER = 0.8;
const PHI_UPPER = 0.98;
/** z for the 10% / 90% normal quantiles. */
const Z90 = 1.2815515655446004;
/** Extra observations beyond 2m a seasonal model needs before it is considered. */
const SEASONAL_EXTRA = 4;
/** How many of the best first-stage candidates autoEts re-optimises with their initial states. */
const REFINE_TOP = 2;
/** Simplex budgets: evaluations per optimised coordinate (plus a small constant). */
const STAGE1_EVALS_PER_DIM = 30;
const STAGE2_EVALS_PER_DIM = 20;
/**
 * Convergence tolerance on R's criterion (n·log SSE scale, the scale of AICc). Models within a
 * few AICc units have essentially equal support (Burnham & Anderson 2002, Δ < 2), so resolving
 * the criterion to 0.1 never changes a meaningful ranking, while the simplex's last shrink steps
 * towards 0.01 cost about a third of all evaluations (measured: mean AICc over 200 series moves
 * by +0.3, evaluations per series drop from ~1,160 to ~760).
 */
const LIK_TOL = 0.1;
/** Least-squares initial-state / smoothing-parameter alternations for linear models. */
const LS_ROUNDS = 2;

/** All fifteen R-admissible combinations in R's search order. */
const ALL_SPECS: readonly EtsSpec[] = (['A', 'M'] as const).flatMap((error) =>
  (['N', 'A', 'Ad'] as const).flatMap((trend) =>
    (['N', 'A', 'M'] as const)
      .filter((season) => !(error === 'A' && season === 'M'))
      .map((season) => ({ error, trend, season })),
  ),
);

export function etsName(spec: EtsSpec): string {
  return `ets(${spec.error},${spec.trend},${spec.season})`;
}

/**
 * Fit one ETS model by maximum likelihood on the last `maxFitLength` points of `y`.
 * Throws EtsFitError when the model is not admissible for the data (forbidden combination,
 * multiplicative part on non-positive data, too few points, non-finite values).
 */
export function fitEts(y: Float64Array, spec: EtsSpec, options: EtsOptions = {}): FittedEts {
  const ctx = prepare(y, options);
  const reason = inadmissibleReason(ctx, spec);
  if (reason !== null) throw new EtsFitError(`${etsName(spec)} cannot be fitted: ${reason}`);
  const first = estimate(ctx, spec);
  if (!Number.isFinite(first.lik)) {
    throw new EtsFitError(
      `${etsName(spec)} found no valid parameters for the ${ctx.n} observations given`,
    );
  }
  const fit = buildFitted(ctx, refineWithStates(ctx, first));
  if (fit === null) {
    throw new EtsFitError(`${etsName(spec)} left the valid state region at its own estimate`);
  }
  return fit;
}

/**
 * Fit every admissible candidate and return the one with the lowest AICc (R's `ets(y)` with
 * `model = "ZZZ"`). Never throws on finite input of length >= 1: when no model can be
 * estimated (very short series) it returns the mean model, ETS(A,N,N) with alpha = 0 and the
 * level at the sample mean.
 */
export function autoEts(y: Float64Array, options: EtsOptions = {}): FittedEts {
  if (y.length === 0) throw new EtsFitError('autoEts needs at least one observation, got 0');
  const ctx = prepare(y, options);
  // As R does, a constant series gets simple exponential smoothing: every model fits it
  // perfectly, and comparing clamped log(0) likelihoods would pick one at random.
  const pool = isConstant(ctx) ? [{ error: 'A', trend: 'N', season: 'N' } as EtsSpec] : undefined;
  const candidates = (pool ?? options.specs ?? ALL_SPECS).filter(
    (spec) => inadmissibleReason(ctx, spec) === null,
  );
  const stage: Estimate[] = [];
  const done = new Map<string, Estimate>();
  const ordered = [...candidates].sort((a, b) => estimationOrder(a) - estimationOrder(b));
  for (const spec of ordered) {
    const est = estimate(ctx, spec, twinOf(spec, done));
    if (!Number.isFinite(est.aicc)) continue;
    done.set(etsName(spec), est);
    stage.push(est);
  }
  if (stage.length === 0) return meanFallback(ctx);
  // Estimating initial states too is the expensive part, so only the front runners get it.
  stage.sort((a, b) => a.aicc - b.aicc);
  let best: Estimate | null = null;
  for (let i = 0; i < stage.length; i++) {
    const est =
      i < REFINE_TOP && stage[i].seasonKind === SEASON_M
        ? refineWithStates(ctx, stage[i])
        : stage[i];
    if (best === null || est.aicc < best.aicc) best = est;
  }
  return buildFitted(ctx, best as Estimate) ?? meanFallback(ctx);
}

/**
 * The fitted model with its parameters and initial states held fixed, run over `y`: a series
 * whose first values are the ones `fit` was estimated on, continued by newer observations. The
 * states are filtered through the new days, so the forecast starts from the end of `y`; nothing
 * is re-estimated (statsforecast's `forward`, and cross-validation with `refit = False`). Returns
 * undefined when the fit has no state to carry (the mean fallback), when `y` is shorter than the
 * data fitted, or when the new days drive a multiplicative model into an invalid state.
 */
export function extendEts(fit: FittedEts, y: Float64Array): FittedEts | undefined {
  const kept = FIT_STATE.get(fit);
  if (kept === undefined || y.length < kept.end) return undefined;
  for (let i = kept.end; i < y.length; i++) {
    if (!Number.isFinite(y[i]))
      throw new EtsFitError(`y[${i}] is ${y[i]}; ETS needs finite values`);
  }
  const ctx: Context = { ...kept.ctx, y, n: y.length - kept.ctx.start };
  return buildFitted(ctx, kept.est) ?? undefined;
}

/** `Model` adapter: automatic ETS with the default options. */
export const etsModel: Model = { name: 'ets', fit: (y) => autoEts(y) };

// ---------------------------------------------------------------------------------------------

interface Context {
  /** The full input, for `fitted` padding. */
  y: Float64Array;
  /** First index of the fitting window and its length. */
  start: number;
  n: number;
  m: number;
  positive: boolean;
  /** Mean absolute value of the window, a scale for optimiser steps. */
  scale: number;
}

interface Estimate {
  spec: EtsSpec;
  trendKind: number;
  seasonKind: number;
  multError: boolean;
  alpha: number;
  beta: number;
  gamma: number;
  phi: number;
  level: number;
  trend: number;
  /** Initial seasonal states by phase (phase 0 derived by normalisation). */
  season: Float64Array;
  lik: number;
  /** Smoothing parameters + free initial states + 1 (variance), as R's AICc counts them. */
  np: number;
  aicc: number;
}

function prepare(y: Float64Array, options: EtsOptions): Context {
  const m = options.period ?? DEFAULT_PERIOD;
  if (!Number.isInteger(m) || m < 1) {
    throw new EtsFitError(`period ${m} is not a positive integer`);
  }
  const maxFit = options.maxFitLength ?? DEFAULT_MAX_FIT_LENGTH;
  if (!(maxFit >= 1)) throw new EtsFitError(`maxFitLength ${maxFit} must be >= 1`);
  const n = Math.min(y.length, Math.floor(maxFit));
  const start = y.length - n;
  let positive = n > 0;
  let sumAbs = 0;
  for (let i = start; i < y.length; i++) {
    const v = y[i];
    if (!Number.isFinite(v)) {
      throw new EtsFitError(`y[${i}] is ${v}; ETS needs finite values`);
    }
    if (!(v > 0)) positive = false;
    sumAbs += Math.abs(v);
  }
  return { y, start, n, m, positive, scale: n > 0 ? sumAbs / n : 0 };
}

function isConstant(ctx: Context): boolean {
  const { y, start } = ctx;
  for (let i = start + 1; i < y.length; i++) if (y[i] !== y[start]) return false;
  return true;
}

function counts(spec: EtsSpec, m: number): { smoothing: number; states: number } {
  const seasonal = spec.season !== 'N';
  return {
    smoothing:
      1 + (spec.trend !== 'N' ? 1 : 0) + (seasonal ? 1 : 0) + (spec.trend === 'Ad' ? 1 : 0),
    states: 1 + (spec.trend !== 'N' ? 1 : 0) + (seasonal ? m - 1 : 0),
  };
}

function inadmissibleReason(ctx: Context, spec: EtsSpec): string | null {
  if (spec.error === 'A' && spec.season === 'M') {
    return 'additive error with multiplicative season is excluded (R restrict = TRUE)';
  }
  if ((spec.error === 'M' || spec.season === 'M') && !ctx.positive) {
    return 'multiplicative components need strictly positive data, the series has values <= 0';
  }
  if (spec.season !== 'N') {
    if (ctx.m < 2) return `a seasonal model needs period >= 2, got ${ctx.m}`;
    if (ctx.n < 2 * ctx.m + SEASONAL_EXTRA) {
      return `a seasonal model needs >= ${2 * ctx.m + SEASONAL_EXTRA} observations (2·period + ${SEASONAL_EXTRA}), got ${ctx.n}`;
    }
  }
  const { smoothing, states } = counts(spec, ctx.m);
  // R: estimation needs np < n - 1, and AICc needs n - (np + 1) - 1 > 0.
  if (smoothing + states + 2 >= ctx.n) {
    return `${smoothing + states} parameters need more than ${smoothing + states + 2} observations, got ${ctx.n}`;
  }
  return null;
}

function kinds(spec: EtsSpec): { trendKind: number; seasonKind: number; multError: boolean } {
  return {
    trendKind: spec.trend === 'N' ? TREND_N : spec.trend === 'A' ? TREND_A : TREND_AD,
    seasonKind: spec.season === 'N' ? SEASON_N : spec.season === 'A' ? SEASON_A : SEASON_M,
    multError: spec.error === 'M',
  };
}

const logistic = (u: number): number => 1 / (1 + Math.exp(-u));
const logit = (p: number): number => {
  const c = Math.min(Math.max(p, 1e-9), 1 - 1e-9);
  return Math.log(c / (1 - c));
};

/**
 * Smoothing parameters live in an unbounded space: alpha = L + (U-L)·σ(u0), beta in
 * [L, min(U, alpha)], gamma in [L, min(U, 1-alpha)], phi in [0.8, 0.98]. This enforces R's
 * usual bounds (beta < alpha, gamma < 1 - alpha) without a penalty cliff for the simplex.
 */
function decode(u: Float64Array, spec: EtsSpec, out: Float64Array): void {
  let k = 0;
  const alpha = LOWER + (UPPER - LOWER) * logistic(u[k++]);
  out[0] = alpha;
  out[1] = spec.trend !== 'N' ? LOWER + (Math.min(UPPER, alpha) - LOWER) * logistic(u[k++]) : 0;
  out[2] =
    spec.season !== 'N' ? LOWER + (Math.min(UPPER, 1 - alpha) - LOWER) * logistic(u[k++]) : 0;
  out[3] = spec.trend === 'Ad' ? PHI_LOWER + (PHI_UPPER - PHI_LOWER) * logistic(u[k++]) : 1;
}

function encode(spec: EtsSpec, alpha: number, beta: number, gamma: number, phi: number): number[] {
  const u = [logit((alpha - LOWER) / (UPPER - LOWER))];
  if (spec.trend !== 'N') u.push(logit((beta - LOWER) / (Math.min(UPPER, alpha) - LOWER)));
  if (spec.season !== 'N') u.push(logit((gamma - LOWER) / (Math.min(UPPER, 1 - alpha) - LOWER)));
  if (spec.trend === 'Ad') u.push(logit((phi - PHI_LOWER) / (PHI_UPPER - PHI_LOWER)));
  return u;
}

/** R's `initparam` starting values (alpha scaled down by m for seasonal models). */
function startingSmoothing(spec: EtsSpec, m: number): number[] {
  const mm = spec.season === 'N' ? 1 : m;
  const alpha = LOWER + (0.2 * (UPPER - LOWER)) / mm;
  const beta = LOWER + 0.1 * (Math.min(UPPER, alpha) - LOWER);
  const gamma = LOWER + 0.05 * (Math.min(UPPER, 1 - alpha) - LOWER);
  const phi = PHI_LOWER + 0.99 * (PHI_UPPER - PHI_LOWER);
  return encode(spec, alpha, beta, gamma, phi);
}

/** Write phase 0 from the normalisation: seasonal states sum to 0 (additive) or m (mult.). */
function normaliseSeason(season: Float64Array, seasonKind: number, m: number): void {
  let sum = 0;
  for (let p = 1; p < m; p++) sum += season[p];
  season[0] = (seasonKind === SEASON_M ? m : 0) - sum;
}

function aiccOf(lik: number, np: number, n: number): number {
  if (!Number.isFinite(lik) || n - np - 1 <= 0) return Number.POSITIVE_INFINITY;
  return lik + 2 * np + (2 * np * (np + 1)) / (n - np - 1);
}

interface StageOptions {
  init?: { level: number; trend: number; season: Float64Array };
  u0?: number[];
  step?: number;
  evalsPerDim?: number;
}

/** Optimise the smoothing parameters with the initial states held fixed (R's `initstate` by default). */
function optimiseSmoothing(ctx: Context, spec: EtsSpec, opts: StageOptions = {}): Estimate {
  const { trendKind, seasonKind, multError } = kinds(spec);
  const { m, n, start, y } = ctx;
  let init = opts.init;
  if (init === undefined) {
    init = initialStates(y, start, n, m, trendKind, seasonKind);
    if (seasonKind !== SEASON_N) normaliseSeason(init.season, seasonKind, m);
  }
  const { level, trend, season: season0 } = init;
  const scratch = new Float64Array(m);
  const par = new Float64Array(4);
  const objective = (u: Float64Array): number => {
    decode(u, spec, par);
    if (seasonKind !== SEASON_N) scratch.set(season0);
    return etsRecursion(
      y,
      start,
      n,
      m,
      trendKind,
      seasonKind,
      multError,
      par[0],
      par[1],
      par[2],
      par[3],
      level,
      trend,
      scratch,
      null,
    );
  };
  const u0 = opts.u0 ?? startingSmoothing(spec, m);
  const res = nelderMead(objective, u0, {
    step: opts.step ?? 1,
    maxEvaluations: (opts.evalsPerDim ?? STAGE1_EVALS_PER_DIM) * u0.length + 20,
    absTol: LIK_TOL,
    relTol: 0,
  });
  decode(res.x, spec, par);
  const { smoothing, states } = counts(spec, m);
  const np = smoothing + states + 1;
  return {
    spec,
    trendKind,
    seasonKind,
    multError,
    alpha: par[0],
    beta: par[1],
    gamma: par[2],
    phi: par[3],
    level,
    trend,
    season: season0,
    lik: res.fx,
    np,
    aicc: aiccOf(res.fx, np, n),
  };
}

/**
 * Stage 1: optimise the smoothing parameters for fixed initial states, then, for models with a
 * linear state recursion (no multiplicative season), alternate with the least-squares optimal
 * initial state: exact for additive errors, a close start for multiplicative ones, and kept only
 * when the likelihood improves. Cold starts use R's `initparam` values; warm starts begin at the
 * estimate of a closely related model (its additive-error or additive-season twin), which is
 * usually near the optimum and saves most of the simplex iterations.
 */
function estimate(ctx: Context, spec: EtsSpec, warm?: Estimate): Estimate {
  const { trendKind, seasonKind } = kinds(spec);
  const { y, start, n, m } = ctx;
  const linear = seasonKind !== SEASON_M;
  let u0: number[];
  let init: StageOptions['init'];
  let step = 1;
  if (warm !== undefined) {
    const phi = warm.trendKind === TREND_AD ? warm.phi : PHI_LOWER + 0.99 * (PHI_UPPER - PHI_LOWER);
    u0 = encode(spec, warm.alpha, warm.beta, warm.gamma, phi);
    init = statesFrom(warm, seasonKind, m);
    step = 0.5;
  } else {
    u0 = startingSmoothing(spec, m);
    if (linear) {
      const par = new Float64Array(4);
      decode(Float64Array.from(u0), spec, par);
      init =
        leastSquaresInitialStates(
          y,
          start,
          n,
          m,
          trendKind,
          seasonKind,
          par[0],
          par[1],
          par[2],
          par[3],
        ) ?? undefined;
    }
  }
  let est = optimiseSmoothing(ctx, spec, { init, u0, step });
  // A warm-started multiplicative-error twin already starts from its additive twin's
  // least-squares states; least squares minimises the additive SSE, not the relative-error
  // criterion, so further alternation rarely helps that model and costs two more searches.
  if (!linear || !Number.isFinite(est.lik) || (spec.error === 'M' && warm !== undefined)) {
    return est;
  }
  for (let round = 0; round < LS_ROUNDS; round++) {
    const ls = leastSquaresInitialStates(
      y,
      start,
      n,
      m,
      trendKind,
      seasonKind,
      est.alpha,
      est.beta,
      est.gamma,
      est.phi,
    );
    if (ls === null) break;
    const next = optimiseSmoothing(ctx, spec, {
      init: ls,
      u0: encode(spec, est.alpha, est.beta, est.gamma, est.phi),
      step: 0.5,
      evalsPerDim: STAGE1_EVALS_PER_DIM / 2,
    });
    const improved = next.lik < est.lik - LIK_TOL;
    if (next.lik < est.lik) est = next;
    if (!improved) break;
  }
  return est;
}

/** Initial states of `warm` for a model with `seasonKind`, converting additive indices. */
function statesFrom(
  warm: Estimate,
  seasonKind: number,
  m: number,
): { level: number; trend: number; season: Float64Array } {
  const trend = warm.trendKind === TREND_N ? 0 : warm.trend;
  if (seasonKind === SEASON_N) return { level: warm.level, trend, season: new Float64Array(0) };
  if (warm.seasonKind === seasonKind) return { level: warm.level, trend, season: warm.season };
  const season = new Float64Array(m);
  if (warm.seasonKind === SEASON_A && seasonKind === SEASON_M && warm.level > 0) {
    // s_mult ≈ 1 + s_add / level, kept positive and rescaled to sum m.
    let sum = 0;
    for (let p = 0; p < m; p++) {
      season[p] = Math.max(1 + warm.season[p] / warm.level, 1e-2);
      sum += season[p];
    }
    for (let p = 0; p < m; p++) season[p] *= m / sum;
  } else season.fill(seasonKind === SEASON_M ? 1 : 0);
  return { level: warm.level, trend, season };
}

/** The already-estimated model a spec is warm-started from, if any. */
function twinOf(spec: EtsSpec, done: Map<string, Estimate>): Estimate | undefined {
  // Multiplicative seasons start cold: R's decomposition gives better indices than converted
  // additive ones.
  if (spec.error === 'A' || spec.season === 'M') return undefined;
  return done.get(etsName({ ...spec, error: 'A' }));
}

/** Additive-error models first, then their multiplicative twins, multiplicative seasons last. */
function estimationOrder(spec: EtsSpec): number {
  return spec.error === 'A' ? 0 : spec.season === 'M' ? 2 : 1;
}

/**
 * Stage 2: optimise smoothing parameters and initial states together (as R does), starting
 * from stage 1. Keeps the stage 1 estimate if the joint search finds nothing better.
 */
function refineWithStates(ctx: Context, est: Estimate): Estimate {
  const { spec, trendKind, seasonKind, multError } = est;
  const { m, n, start, y, scale } = ctx;
  const u0 = encode(spec, est.alpha, est.beta, est.gamma, est.phi);
  const ns = u0.length;
  const hasTrend = trendKind !== TREND_N;
  const hasSeason = seasonKind !== SEASON_N;
  const dim = ns + 1 + (hasTrend ? 1 : 0) + (hasSeason ? m - 1 : 0);
  const x0 = new Float64Array(dim);
  const steps = new Float64Array(dim);
  const unit = scale > 0 ? scale : 1;
  for (let i = 0; i < ns; i++) {
    x0[i] = u0[i];
    steps[i] = 0.5;
  }
  let k = ns;
  x0[k] = est.level;
  steps[k++] = 0.1 * Math.max(Math.abs(est.level), 0.1 * unit);
  if (hasTrend) {
    x0[k] = est.trend;
    steps[k++] = 0.1 * Math.max(Math.abs(est.trend), 0.001 * unit);
  }
  if (hasSeason) {
    for (let p = 1; p < m; p++) {
      x0[k] = est.season[p];
      steps[k++] =
        seasonKind === SEASON_M ? 0.05 : 0.1 * Math.max(Math.abs(est.season[p]), 0.05 * unit);
    }
  }
  const scratch = new Float64Array(m);
  const par = new Float64Array(4);
  const objective = (x: Float64Array): number => {
    decode(x, spec, par);
    if (hasSeason) {
      for (let p = 1; p < m; p++) scratch[p] = x[ns + (hasTrend ? 2 : 1) + p - 1];
      normaliseSeason(scratch, seasonKind, m);
      if (seasonKind === SEASON_M) {
        for (let p = 0; p < m; p++) if (!(scratch[p] > 0)) return Number.POSITIVE_INFINITY;
      }
    }
    return etsRecursion(
      y,
      start,
      n,
      m,
      trendKind,
      seasonKind,
      multError,
      par[0],
      par[1],
      par[2],
      par[3],
      x[ns],
      hasTrend ? x[ns + 1] : 0,
      scratch,
      null,
    );
  };
  const res = nelderMead(objective, x0, {
    step: steps,
    maxEvaluations: STAGE2_EVALS_PER_DIM * dim + 50,
    absTol: LIK_TOL,
    relTol: 0,
  });
  if (!(res.fx < est.lik)) return est;
  decode(res.x, spec, par);
  const season = new Float64Array(hasSeason ? m : 0);
  if (hasSeason) {
    for (let p = 1; p < m; p++) season[p] = res.x[ns + (hasTrend ? 2 : 1) + p - 1];
    normaliseSeason(season, seasonKind, m);
  }
  return {
    ...est,
    alpha: par[0],
    beta: par[1],
    gamma: par[2],
    phi: par[3],
    level: res.x[ns],
    trend: hasTrend ? res.x[ns + 1] : 0,
    season,
    lik: res.fx,
    aicc: aiccOf(res.fx, est.np, n),
  };
}

/** What `extendEts` needs of a fit, kept off the public object. */
const FIT_STATE = new WeakMap<FittedEts, { ctx: Context; est: Estimate; end: number }>();

/** Returns null when the recursion leaves the valid region (only possible on data the
 * parameters were not estimated on). */
function buildFitted(ctx: Context, est: Estimate): FittedEts | null {
  const { m, n, start, y } = ctx;
  const { spec, trendKind, seasonKind, multError } = est;
  const finalSeason = new Float64Array(m);
  if (seasonKind !== SEASON_N) finalSeason.set(est.season);
  const trace: EtsTrace = {
    fitted: new Float64Array(n),
    residuals: new Float64Array(n),
    level: 0,
    trend: 0,
  };
  const lik = etsRecursion(
    y,
    start,
    n,
    m,
    trendKind,
    seasonKind,
    multError,
    est.alpha,
    est.beta,
    est.gamma,
    est.phi,
    est.level,
    est.trend,
    finalSeason,
    trace,
  );
  if (lik === Number.POSITIVE_INFINITY) return null;
  let sse = 0;
  for (let i = 0; i < n; i++) sse += trace.residuals[i] * trace.residuals[i];
  const nParams = est.np - 1;
  const sigma2 = sse / (n - nParams > 0 ? n - nParams : n);
  const fitted = new Float64Array(y.length).fill(Number.NaN);
  fitted.set(trace.fitted, start);

  const params: Record<string, number> = { alpha: est.alpha };
  if (trendKind !== TREND_N) params.beta = est.beta;
  if (seasonKind !== SEASON_N) params.gamma = est.gamma;
  if (trendKind === TREND_AD) params.phi = est.phi;
  params.l = est.level;
  if (trendKind !== TREND_N) params.b = est.trend;
  // R's s0 is the state for time 0 (phase m-1 here), s1 the one before, and so on.
  for (let j = 0; j < (seasonKind !== SEASON_N ? m : 0); j++)
    params[`s${j}`] = est.season[m - 1 - j];

  const state: FinalState = {
    trendKind,
    seasonKind,
    multError,
    alpha: est.alpha,
    beta: est.beta,
    gamma: est.gamma,
    phi: trendKind === TREND_AD ? est.phi : 1,
    level: trace.level,
    trend: trace.trend,
    season: finalSeason,
    nextPhase: n % m,
    m,
    sigma2,
  };
  const fit: FittedEts = {
    name: etsName(spec),
    spec,
    aicc: est.aicc,
    sigma2,
    params,
    logLik: -0.5 * est.lik,
    nobs: n,
    fitted,
    forecast: (h: number) => forecastEts(state, h),
  };
  // aicc and logLik stay those of the estimation when extendEts runs the fit over more days.
  FIT_STATE.set(fit, { ctx, est, end: y.length });
  return fit;
}

interface FinalState {
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
  nextPhase: number;
  m: number;
  sigma2: number;
}

/**
 * Point forecasts from the final state; variances from R's `class1` (additive error, linear),
 * `class2` (multiplicative error, no multiplicative season) formulas. For multiplicative error
 * with multiplicative season, y(n+h) = s·Z(h) where Z follows the non-seasonal class 2 model
 * and s is the (not yet updated) seasonal index, which is exact for h <= m; beyond one season it
 * ignores the seasonal index's own noise.
 */
function forecastEts(st: FinalState, h: number): QuantileForecast {
  if (!Number.isInteger(h) || h < 0) {
    throw new EtsFitError(`forecast horizon ${h} is not a non-negative integer`);
  }
  const p10 = new Float64Array(h);
  const p50 = new Float64Array(h);
  const p90 = new Float64Array(h);
  const { trendKind, seasonKind, multError, alpha, beta, gamma, phi, level, trend, m, sigma2 } = st;
  const seasonalMult = seasonKind === SEASON_M;
  // Non-seasonal part mu_j = l + (phi + ... + phi^j)·b and c_j = alpha + beta·(phi + ... + phi^j)
  // (+ gamma every m steps for an additive season, which class 3 leaves out).
  const mu = new Float64Array(h);
  const c = new Float64Array(h);
  const seasonAt = new Float64Array(h);
  let phiSum = 0;
  let phiPow = 1;
  for (let j = 1; j <= h; j++) {
    phiPow *= phi;
    phiSum += phiPow;
    const s = seasonKind === SEASON_N ? 0 : st.season[(st.nextPhase + j - 1) % m];
    seasonAt[j - 1] = s;
    const base = level + (trendKind === TREND_N ? 0 : phiSum * trend);
    mu[j - 1] = seasonKind === SEASON_A ? base + s : base;
    c[j - 1] =
      alpha +
      (trendKind === TREND_N ? 0 : beta * phiSum) +
      (seasonKind === SEASON_A && j % m === 0 ? gamma : 0);
  }
  const variance = new Float64Array(h);
  if (!multError) {
    let cum = 0;
    for (let j = 0; j < h; j++) {
      variance[j] = sigma2 * (1 + cum);
      cum += c[j] * c[j];
    }
  } else {
    // R's class2 recursion on theta_j = E[mu_j^2 ...].
    const theta = new Float64Array(h);
    for (let j = 0; j < h; j++) {
      let acc = 0;
      for (let i = 0; i < j; i++) acc += c[i] * c[i] * theta[j - 1 - i];
      theta[j] = mu[j] * mu[j] + sigma2 * acc;
      variance[j] = (1 + sigma2) * theta[j] - mu[j] * mu[j];
    }
  }
  for (let j = 0; j < h; j++) {
    let mean = mu[j];
    let v = variance[j];
    if (seasonalMult) {
      mean *= seasonAt[j];
      v *= seasonAt[j] * seasonAt[j];
    }
    const sd = Number.isFinite(v) && v > 0 ? Math.sqrt(v) : 0;
    if (!Number.isFinite(mean)) mean = Number.isFinite(level) ? level : 0;
    const mid = Math.max(0, mean);
    p50[j] = mid;
    p10[j] = Math.min(mid, Math.max(0, mean - Z90 * sd));
    p90[j] = Math.max(mid, mean + Z90 * sd);
  }
  return { p10, p50, p90 };
}

/** Mean model for series too short for any ETS fit: ETS(A,N,N) with alpha = 0, l0 = mean. */
function meanFallback(ctx: Context): FittedEts {
  const { y, start, n } = ctx;
  let sum = 0;
  for (let i = start; i < y.length; i++) sum += y[i];
  const mean = sum / n;
  let ss = 0;
  for (let i = start; i < y.length; i++) ss += (y[i] - mean) * (y[i] - mean);
  // One point carries no spread; a Poisson-like variance (= mean) suits daily unit counts.
  const sigma2 = n >= 2 ? ss / (n - 1) : Math.abs(mean);
  const fitted = new Float64Array(y.length).fill(Number.NaN);
  fitted.fill(mean, start);
  const spec: EtsSpec = { error: 'A', trend: 'N', season: 'N' };
  const state: FinalState = {
    trendKind: TREND_N,
    seasonKind: SEASON_N,
    multError: false,
    alpha: 0,
    beta: 0,
    gamma: 0,
    phi: 1,
    level: mean,
    trend: 0,
    season: new Float64Array(0),
    nextPhase: 0,
    m: ctx.m,
    // Prediction variance of the mean model: sigma^2 (1 + 1/n).
    sigma2: sigma2 * (1 + 1 / n),
  };
  return {
    name: etsName(spec),
    spec,
    aicc: Number.POSITIVE_INFINITY,
    sigma2,
    params: { alpha: 0, l: mean },
    logLik: Number.NaN,
    nobs: n,
    fitted,
    forecast: (h: number) => forecastEts(state, h),
  };
}
