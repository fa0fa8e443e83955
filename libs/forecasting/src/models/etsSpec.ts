/**
 * ETS model specs and names, the options, the fitted-model type, and which specs the data admit
 * (R's `restrict = TRUE` rules and minimum lengths).
 */
import type { FittedModel } from '../types';
import { SEASON_A, SEASON_M, SEASON_N, TREND_A, TREND_AD, TREND_N } from './etsCore';
import { InvalidSeriesError } from '../errors';
import { EtsFitError } from './etsErrors';

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
/** Extra observations beyond 2m a seasonal model needs before it is considered. */
const SEASONAL_EXTRA = 4;

/** All fifteen R-admissible combinations in R's search order. */
export const ALL_SPECS: readonly EtsSpec[] = (['A', 'M'] as const).flatMap((error) =>
  (['N', 'A', 'Ad'] as const).flatMap((trend) =>
    (['N', 'A', 'M'] as const)
      .filter((season) => !(error === 'A' && season === 'M'))
      .map((season) => ({ error, trend, season })),
  ),
);

export function etsName(spec: EtsSpec): string {
  return `ets(${spec.error},${spec.trend},${spec.season})`;
}

export interface Context {
  /** The full input, for `fitted` padding. */
  y: Float64Array;
  /** First index of the fitting window and its length. */
  start: number;
  n: number;
  m: number;
  positive: boolean;
  /** Mean absolute value of the window's known values, a scale for optimiser steps. */
  scale: number;
  /** True when the window has a missing (NaN) observation. */
  missing: boolean;
  /** Known observations in the window (n when nothing is missing): the n of the likelihood. */
  nObs: number;
}

export function prepare(y: Float64Array, options: EtsOptions): Context {
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
  let nObs = 0;
  for (let i = start; i < y.length; i++) {
    const v = y[i];
    // NaN is a missing observation; ±Infinity is not a value at all.
    if (v !== v) continue;
    if (!Number.isFinite(v)) {
      throw new EtsFitError(`y[${i}] is ${v}; ETS needs finite values or NaN for missing ones`);
    }
    if (!(v > 0)) positive = false;
    sumAbs += Math.abs(v);
    nObs++;
  }
  if (n > 0 && nObs === 0) {
    throw new InvalidSeriesError(
      `ets: all ${n} days of the fitting window are missing (NaN); at least one known day is needed`,
    );
  }
  return {
    y,
    start,
    n,
    m,
    positive,
    scale: nObs > 0 ? sumAbs / nObs : 0,
    missing: nObs < n,
    nObs,
  };
}

/** True when every known value of the window equals the first known one. */
export function isConstant(ctx: Context): boolean {
  const { y, start } = ctx;
  let first = Number.NaN;
  for (let i = start; i < y.length; i++) {
    const v = y[i];
    if (v !== v) continue;
    if (first !== first) first = v;
    else if (v !== first) return false;
  }
  return true;
}

export function counts(spec: EtsSpec, m: number): { smoothing: number; states: number } {
  const seasonal = spec.season !== 'N';
  return {
    smoothing:
      1 + (spec.trend !== 'N' ? 1 : 0) + (seasonal ? 1 : 0) + (spec.trend === 'Ad' ? 1 : 0),
    states: 1 + (spec.trend !== 'N' ? 1 : 0) + (seasonal ? m - 1 : 0),
  };
}

export function inadmissibleReason(ctx: Context, spec: EtsSpec): string | null {
  if (spec.error === 'A' && spec.season === 'M') {
    return 'additive error with multiplicative season is excluded (R restrict = TRUE)';
  }
  if ((spec.error === 'M' || spec.season === 'M') && !ctx.positive) {
    return 'multiplicative components need strictly positive data, the series has values <= 0';
  }
  if (spec.season !== 'N') {
    if (ctx.m < 2) return `a seasonal model needs period >= 2, got ${ctx.m}`;
    if (ctx.nObs < 2 * ctx.m + SEASONAL_EXTRA) {
      return `a seasonal model needs >= ${2 * ctx.m + SEASONAL_EXTRA} observations (2·period + ${SEASONAL_EXTRA}), got ${ctx.nObs}`;
    }
  }
  const { smoothing, states } = counts(spec, ctx.m);
  // R: estimation needs np < n - 1, and AICc needs n - (np + 1) - 1 > 0 (n: known observations).
  if (smoothing + states + 2 >= ctx.nObs) {
    return `${smoothing + states} parameters need more than ${smoothing + states + 2} observations, got ${ctx.nObs}`;
  }
  return null;
}

export function kinds(spec: EtsSpec): {
  trendKind: number;
  seasonKind: number;
  multError: boolean;
} {
  return {
    trendKind: spec.trend === 'N' ? TREND_N : spec.trend === 'A' ? TREND_A : TREND_AD,
    seasonKind: spec.season === 'N' ? SEASON_N : spec.season === 'A' ? SEASON_A : SEASON_M,
    multError: spec.error === 'M',
  };
}
