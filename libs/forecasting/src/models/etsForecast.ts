/**
 * A fitted ETS model: the final pass that records fitted values and the final state, forecasts
 * with R's analytical prediction variances, the mean-model fallback, and `extendEts`, which runs
 * a fit over newer days without re-estimating.
 */
import type { QuantileForecast } from '../types';
import { SEASON_A, SEASON_M, SEASON_N, TREND_AD, TREND_N, etsRecursion } from './etsCore';
import type { EtsModelState, EtsTrace } from './etsCore';
import { EtsFitError } from './etsErrors';
import type { Estimate } from './etsFit';
import type { Context, EtsSpec, FittedEts } from './etsSpec';
import { etsName } from './etsSpec';

/** z for the 10% / 90% normal quantiles. */
const Z90 = 1.2815515655446004;

/**
 * The fitted model with its parameters and initial states held fixed, run over `y`: a series
 * whose first values are the ones `fit` was estimated on, continued by newer observations. The
 * states are filtered through the new days, so the forecast starts from the end of `y`; nothing
 * is re-estimated (statsforecast's `forward`, and cross-validation with `refit = False`); missing
 * (NaN) new days move the states on with their prediction, as in the fit. Returns
 * undefined when the fit has no state to carry (the mean fallback), when `y` is shorter than the
 * data fitted, or when the new days drive a multiplicative model into an invalid state.
 */
export function extendEts(fit: FittedEts, y: Float64Array): FittedEts | undefined {
  const kept = FIT_STATE.get(fit);
  if (kept === undefined || y.length < kept.end) return undefined;
  let newKnown = 0;
  for (let i = kept.end; i < y.length; i++) {
    const v = y[i];
    if (v !== v) continue;
    if (!Number.isFinite(v)) {
      throw new EtsFitError(`y[${i}] is ${v}; ETS needs finite values or NaN for missing ones`);
    }
    newKnown++;
  }
  const added = y.length - kept.end;
  const ctx: Context = {
    ...kept.ctx,
    y,
    n: y.length - kept.ctx.start,
    missing: kept.ctx.missing || newKnown < added,
    nObs: kept.ctx.nObs + newKnown,
  };
  return buildFitted(ctx, kept.est) ?? undefined;
}

/** What `extendEts` needs of a fit, kept off the public object. */
const FIT_STATE = new WeakMap<FittedEts, { ctx: Context; est: Estimate; end: number }>();

/** Returns null when the recursion leaves the valid region (only possible on data the
 * parameters were not estimated on). */
export function buildFitted(ctx: Context, est: Estimate): FittedEts | null {
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
  // Missing observations have NaN residuals and are left out of the variance.
  let sse = 0;
  let nObs = 0;
  for (let i = 0; i < n; i++) {
    const r = trace.residuals[i];
    if (r !== r) continue;
    sse += r * r;
    nObs++;
  }
  const nParams = est.np - 1;
  const sigma2 = sse / (nObs - nParams > 0 ? nObs - nParams : nObs);
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
    nobs: nObs,
    fitted,
    forecast: (h: number) => forecastEts(state, h),
  };
  // aicc and logLik stay those of the estimation when extendEts runs the fit over more days.
  FIT_STATE.set(fit, { ctx, est, end: y.length });
  return fit;
}

/** The model after the last observation (final states) and where its season stands. */
interface FinalState extends EtsModelState {
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
export function meanFallback(ctx: Context): FittedEts {
  const { y, start } = ctx;
  // Over the known observations: a missing one is neither counted nor summed.
  const n = ctx.nObs;
  let sum = 0;
  for (let i = start; i < y.length; i++) if (y[i] === y[i]) sum += y[i];
  const mean = sum / n;
  let ss = 0;
  for (let i = start; i < y.length; i++) if (y[i] === y[i]) ss += (y[i] - mean) * (y[i] - mean);
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
