/**
 * Maximum-likelihood estimation of one ETS model: the bounded smoothing-parameter transform,
 * R's starting values, stage 1 (smoothing parameters for fixed initial states, alternated with
 * least-squares states for linear models) and stage 2 (smoothing parameters and initial states
 * together).
 */
import { nelderMeadSteps } from '../optim/nelderMead';
import {
  SEASON_A,
  SEASON_M,
  SEASON_N,
  TREND_AD,
  TREND_N,
  criterionOf,
  criterionPair,
  pairFamily,
  type CriterionCall,
  type EtsModelState,
} from './etsCore';
import { initialStates, leastSquaresInitialStates } from './etsInit';
import type { Context, EtsSpec } from './etsSpec';
import { counts, kinds } from './etsSpec';

/** R's default bounds: alpha, beta, gamma in [1e-4, 0.9999], phi in [0.8, 0.98]. */
const LOWER = 1e-4;
const UPPER = 0.9999;
const PHI_LOWER = 0.8;
const PHI_UPPER = 0.98;
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

/** A fitted model: its initial states, `season` by phase (phase 0 derived by normalisation). */
export interface Estimate extends EtsModelState {
  spec: EtsSpec;
  lik: number;
  /** Smoothing parameters + free initial states + 1 (variance), as R's AICc counts them. */
  np: number;
  aicc: number;
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

/**
 * A search: it yields each criterion evaluation it needs (the call object and its season
 * scratch are its own and reused) and takes the criterion's value back; `evaluateAlone` and
 * `evaluateTogether` run searches.
 */
export type EtsSearch<T> = Generator<CriterionCall, T, number>;

/** Optimise the smoothing parameters with the initial states held fixed (R's `initstate` by default). */
function* optimiseSmoothing(
  ctx: Context,
  spec: EtsSpec,
  opts: StageOptions = {},
): EtsSearch<Estimate> {
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
  const call: CriterionCall = {
    trendKind,
    seasonKind,
    multError,
    alpha: 0,
    beta: 0,
    gamma: 0,
    phi: 0,
    level,
    trend,
    season: scratch,
  };
  const u0 = opts.u0 ?? startingSmoothing(spec, m);
  const search = nelderMeadSteps(u0, {
    step: opts.step ?? 1,
    maxEvaluations: (opts.evalsPerDim ?? STAGE1_EVALS_PER_DIM) * u0.length + 20,
    absTol: LIK_TOL,
    relTol: 0,
  });
  let next = search.next();
  while (!next.done) {
    decode(next.value, spec, par);
    if (seasonKind !== SEASON_N) scratch.set(season0);
    call.alpha = par[0];
    call.beta = par[1];
    call.gamma = par[2];
    call.phi = par[3];
    next = search.next(yield call);
  }
  const res = next.value;
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
    aicc: aiccOf(res.fx, np, ctx.nObs),
  };
}

/** Runs one search, evaluating each criterion as it is asked for. */
export function evaluateAlone<T>(ctx: Context, search: EtsSearch<T>): T {
  let next = search.next();
  while (!next.done) {
    next = search.next(criterionOf(ctx.y, ctx.start, ctx.n, ctx.m, next.value, ctx.missing));
  }
  return next.value;
}

/**
 * Runs independent searches on the same window side by side and returns their results in
 * order: in each round every unfinished search asks for one evaluation, and two asks of the
 * same kind are evaluated in one two-lane pass (`criterionPair`), which costs little more than
 * one. Each search sees exactly the values `evaluateAlone` would give it, so its result is the
 * same to the last bit; only the interleaving differs.
 */
export function evaluateTogether<T>(ctx: Context, searches: EtsSearch<T>[]): T[] {
  const { y, start, n, m, missing } = ctx;
  const results = new Array<T>(searches.length);
  const asks = new Array<CriterionCall | null>(searches.length).fill(null);
  for (let i = 0; i < searches.length; i++) {
    const next = searches[i].next();
    if (next.done) results[i] = next.value;
    else asks[i] = next.value;
  }
  const values = new Float64Array(searches.length);
  const pair = new Float64Array(2);
  const zerosA = new Float64Array(m);
  const zerosB = new Float64Array(m);
  const waiting = [-1, -1, -1, -1];
  for (;;) {
    let asked = 0;
    waiting.fill(-1);
    for (let i = 0; i < searches.length; i++) {
      const call = asks[i];
      if (call === null) continue;
      asked++;
      const family = pairFamily(call, missing);
      if (family === 0) {
        values[i] = criterionOf(y, start, n, m, call, missing);
      } else if (waiting[family] < 0) {
        waiting[family] = i;
      } else {
        const j = waiting[family];
        criterionPair(y, start, n, m, asks[j] as CriterionCall, call, zerosA, zerosB, pair);
        values[j] = pair[0];
        values[i] = pair[1];
        waiting[family] = -1;
      }
    }
    if (asked === 0) return results;
    // Asks left without a partner of their kind pair across kinds (a slower two-lane kernel,
    // still far cheaper than two passes).
    let odd = -1;
    for (const j of waiting) {
      if (j < 0) continue;
      if (odd < 0) {
        odd = j;
        continue;
      }
      criterionPair(
        y,
        start,
        n,
        m,
        asks[odd] as CriterionCall,
        asks[j] as CriterionCall,
        zerosA,
        zerosB,
        pair,
      );
      values[odd] = pair[0];
      values[j] = pair[1];
      odd = -1;
    }
    if (odd >= 0) values[odd] = criterionOf(y, start, n, m, asks[odd] as CriterionCall, missing);
    for (let i = 0; i < searches.length; i++) {
      if (asks[i] === null) continue;
      const next = searches[i].next(values[i]);
      if (next.done) {
        results[i] = next.value;
        asks[i] = null;
      } else asks[i] = next.value;
    }
  }
}

/**
 * Stage 1: optimise the smoothing parameters for fixed initial states, then, for models with a
 * linear state recursion (no multiplicative season), alternate with the least-squares optimal
 * initial state: exact for additive errors, a close start for multiplicative ones, and kept only
 * when the likelihood improves. Cold starts use R's `initparam` values; warm starts begin at the
 * estimate of a closely related model (its additive-error or additive-season twin), which is
 * usually near the optimum and saves most of the simplex iterations.
 */
export function estimate(ctx: Context, spec: EtsSpec, warm?: Estimate): Estimate {
  return evaluateAlone(ctx, estimateSteps(ctx, spec, warm));
}

/** `estimate` as a search. */
export function* estimateSteps(ctx: Context, spec: EtsSpec, warm?: Estimate): EtsSearch<Estimate> {
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
          true,
        ) ?? undefined;
    }
  }
  let est = yield* optimiseSmoothing(ctx, spec, { init, u0, step });
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
    const next = yield* optimiseSmoothing(ctx, spec, {
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

/**
 * Stage 2: optimise smoothing parameters and initial states together (as R does), starting
 * from stage 1. Keeps the stage 1 estimate if the joint search finds nothing better.
 */
export function refineWithStates(ctx: Context, est: Estimate): Estimate {
  return evaluateAlone(ctx, refineSteps(ctx, est));
}

/** `refineWithStates` as a search. */
export function* refineSteps(ctx: Context, est: Estimate): EtsSearch<Estimate> {
  const { spec, trendKind, seasonKind, multError } = est;
  const { m, scale } = ctx;
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
  const call: CriterionCall = {
    trendKind,
    seasonKind,
    multError,
    alpha: 0,
    beta: 0,
    gamma: 0,
    phi: 0,
    level: 0,
    trend: 0,
    season: scratch,
  };
  const search = nelderMeadSteps(x0, {
    step: steps,
    maxEvaluations: STAGE2_EVALS_PER_DIM * dim + 50,
    absTol: LIK_TOL,
    relTol: 0,
  });
  let next = search.next();
  evaluations: while (!next.done) {
    const x = next.value;
    decode(x, spec, par);
    if (hasSeason) {
      for (let p = 1; p < m; p++) scratch[p] = x[ns + (hasTrend ? 2 : 1) + p - 1];
      normaliseSeason(scratch, seasonKind, m);
      if (seasonKind === SEASON_M) {
        for (let p = 0; p < m; p++) {
          if (!(scratch[p] > 0)) {
            next = search.next(Number.POSITIVE_INFINITY);
            continue evaluations;
          }
        }
      }
    }
    call.alpha = par[0];
    call.beta = par[1];
    call.gamma = par[2];
    call.phi = par[3];
    call.level = x[ns];
    call.trend = hasTrend ? x[ns + 1] : 0;
    next = search.next(yield call);
  }
  const res = next.value;
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
    aicc: aiccOf(res.fx, est.np, ctx.nObs),
  };
}
