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
import type { Model } from '../types';
import { SEASON_M } from './etsCore';
import { EtsFitError } from './etsErrors';
import {
  estimate,
  estimateSteps,
  evaluateTogether,
  refineSteps,
  refineWithStates,
  type Estimate,
} from './etsFit';
import { buildFitted, meanFallback } from './etsForecast';
import { ALL_SPECS, etsName, inadmissibleReason, isConstant, prepare } from './etsSpec';
import type { EtsOptions, EtsSpec, FittedEts } from './etsSpec';

export { EtsFitError } from './etsErrors';
export { extendEts } from './etsForecast';
export { etsName } from './etsSpec';
export type { ErrorType, EtsOptions, EtsSpec, FittedEts, SeasonType, TrendType } from './etsSpec';

/** How many of the best first-stage candidates autoEts re-optimises with their initial states. */
const REFINE_TOP = 2;

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
  // Searches run side by side (`evaluateTogether`, two evaluations per pass) in two waves: the
  // specs that start cold, then the multiplicative-error twins warm-started from the
  // additive-error estimates of the first wave. Each estimate is the one a search alone gives,
  // and `stage` keeps the one-by-one order (additive errors, their twins, multiplicative
  // seasons), so ties sort and the winner is chosen exactly as before.
  const ordered = [...candidates].sort((a, b) => estimationOrder(a) - estimationOrder(b));
  const estimates = new Map<EtsSpec, Estimate>();
  const cold = ordered.filter((spec) => estimationOrder(spec) !== 1);
  evaluateTogether(
    ctx,
    cold.map((spec) => estimateSteps(ctx, spec)),
  ).forEach((est, i) => estimates.set(cold[i], est));
  const done = new Map<string, Estimate>();
  for (const spec of cold) {
    const est = estimates.get(spec) as Estimate;
    if (spec.error === 'A' && Number.isFinite(est.aicc)) done.set(etsName(spec), est);
  }
  const twins = ordered.filter((spec) => estimationOrder(spec) === 1);
  evaluateTogether(
    ctx,
    twins.map((spec) => estimateSteps(ctx, spec, twinOf(spec, done))),
  ).forEach((est, i) => estimates.set(twins[i], est));
  const stage: Estimate[] = [];
  for (const spec of ordered) {
    const est = estimates.get(spec) as Estimate;
    if (Number.isFinite(est.aicc)) stage.push(est);
  }
  if (stage.length === 0) return meanFallback(ctx);
  // Estimating initial states too is the expensive part, so only the front runners get it.
  stage.sort((a, b) => a.aicc - b.aicc);
  const front = stage.slice(0, REFINE_TOP).filter((est) => est.seasonKind === SEASON_M);
  const refined = evaluateTogether(
    ctx,
    front.map((est) => refineSteps(ctx, est)),
  );
  let best: Estimate | null = null;
  for (let i = 0; i < stage.length; i++) {
    const at = front.indexOf(stage[i]);
    const est = i < REFINE_TOP && at >= 0 ? refined[at] : stage[i];
    if (best === null || est.aicc < best.aicc) best = est;
  }
  return buildFitted(ctx, best as Estimate) ?? meanFallback(ctx);
}

/** `Model` adapter: automatic ETS with the default options. */
export const etsModel: Model = { name: 'ets', fit: (y) => autoEts(y) };

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
