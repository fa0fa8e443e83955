import { calendarCandidate, DHR, eventDays } from './calendar/dhr';
import { MIN_SEARCH_KNOWN_DAYS } from './calendar/regArErrors';
import { classifyDemand, currentDemandClass } from './classify';
import { recentLevelShift } from './levelShift';
import { blendedProfile, PRIOR_MAX_WEEKS, profileChanged, weekdayProfile } from './weekdayProfile';
import { calibrateSeries, normalizeLevels, type CountEvidence } from './conformal';
import { ForecastingError, InvalidOptionError } from './errors';
import { finalizeQuantiles, zeroQuantiles } from './intervals';
import { recentSizes } from './lumpyCount';
import { assertValidSeries, countKnown, hasMissing } from './missing';
import { cleanOutliers, outlierUplift, outlierHistoryTooShort } from './outliers';
import { fitSeasonalNaive } from './models/baseline';
import { fitConstantHistory, fitShortHistory } from './models/countModels';
import { combineQuantiles, type Combiner } from './models/combo';
import {
  countMedian,
  isCountSeries,
  recountMedian,
  weekdayDispersion,
  withCountMedian,
  weekdayZeroEvidence,
  weekdayZeroShare,
} from './countMedian';
import { isClosed, onOpenDays, weekdayClosedDays } from './closedWeekdays';
import {
  MIN_SHAPE_RESIDUALS,
  reshapeInterval,
  residualShape,
  type IntervalShape,
} from './intervalShape';
import {
  combineRace,
  DEFAULT_COMBINATION,
  parseCombination,
  withCombination,
  type RuleAnswer,
} from './combinationRule';
import { fitSarima, sarimaForecaster } from './models/arima';
import { autoEts, extendEts } from './models/ets';
import { getModel } from './models/registry';
import { fitTheta } from './models/theta';
import { isConstant, meanKnown } from './numeric/stats';
import type {
  SeriesLevelShift,
  AutoOptions,
  ConformalMode,
  DemandClass,
  FittedModel,
  ExternalCandidate,
  QuantileForecast,
  SeriesContext,
  SeriesForecast,
  SeriesOutliers,
} from './types';

/** Candidates for regular demand: state-space smoothing, Theta, seasonal ARIMA, the seasonal
 * benchmark and two medians (combinations are rarely the worst and often the best, M3/M4). */
export const SMOOTH_CANDIDATES = ['combo', 'combo-eat', 'ets', 'theta', 'sarima', 'snaive'];
/** Candidates for sporadic demand: TSB (Teunter, Syntetos & Babai: its probability of a sale
 * decays on every day without one) and SBA (Croston without its bias), the methods made for it,
 * then the smooth ones. The order has the last word in the race (`rankCandidates`: equal P50
 * errors, every count median 0, and validation weeks that sold nothing), and the first candidate
 * answers alone without a race (under 5 weeks of history). With combo, ETS and Theta first, such
 * ties took the means behind `forecasted_demand` from Theta's drift and the seasonal naive's
 * empty weeks (bench `sparse`: bias −0.143). TSB before SBA: SBA smooths only the intervals
 * between orders, so a young product's two orders 2 days apart and 25 silent days read as an
 * order every 2 days (39.9 for a week that sells about 6; a new-user trial). */
export const INTERMITTENT_CANDIDATES = ['tsb', 'sba', 'combo', 'ets', 'theta', 'snaive'];

/** Named combinations the selector builds from members it already fitted. */
const COMBOS: Record<string, string[]> = {
  combo: ['ets', 'theta', 'snaive'],
  'combo-eat': ['ets', 'sarima', 'theta'],
};

/**
 * `combo` (the registry's median of ETS, Theta and seasonal naive), `combo-eat` (median of ETS,
 * `sarima` and Theta), `combo(a,b,...)` (median of registry models) or `mean-combo(a,b,...)`
 * (their mean).
 */
function parseCombo(candidate: string): { members: string[]; how: Combiner } | undefined {
  if (COMBOS[candidate]) return { members: COMBOS[candidate], how: 'median' };
  const m = /^(mean-)?combo\(([a-z0-9,]+)\)$/.exec(candidate);
  if (!m) return undefined;
  return { members: m[2].split(','), how: m[1] ? 'mean' : 'median' };
}

/** Weekly seasonality of daily retail demand; the registry models use the same period. */
const PERIOD = 7;
// Three years: ~150 observations per weekday and three yearly cycles; older demand mostly adds
// fitting time.
const DEFAULTS = { horizon: 7, maxFitLength: 1095, validationOrigins: 3 };
/** Fewer known days than this (since the first sale) get the count model of `fitShortHistory`. */
const SHORT_HISTORY = 14;

interface Resolved {
  horizon: number;
  maxFitLength: number;
  validationOrigins: number;
  /** The combination rule (`combinationRule.ts`): `topN`, `meanN`, `weighted`, `all`, `select`,
   * `class`. */
  combination: string;
  candidates?: string[];
  levels: number[];
  conformal: ConformalMode;
  /** P50 as the count median on count series (`countMedian.ts`). */
  countMedian: boolean;
  /** Smooth demand fitted on the history with one-off outliers replaced (`outliers.ts`). */
  cleanOutliers: boolean;
  /** Fitted on the days since a recent level shift (`levelShift.ts`). */
  levelShifts: boolean;
  /** Young products' weeks spread by the catalogue's profile (`weekdayProfile.ts`). */
  catalogueProfile: boolean;
}

function positiveInt(name: string, v: number | undefined, fallback: number, min: number): number {
  if (v === undefined) return fallback;
  if (!Number.isInteger(v) || v < min) {
    throw new InvalidOptionError(`${name} ${v} is not allowed (expected an integer >= ${min})`);
  }
  return v;
}

function conformalMode(v: AutoOptions['conformal']): ConformalMode {
  if (v === undefined || v === true) return 'pool';
  if (v === false) return 'off';
  if (v === 'series') return v;
  throw new InvalidOptionError(
    `conformal ${String(v)} is not allowed (expected true, false or 'series')`,
  );
}

function booleanOption(name: string, v: unknown, fallback: boolean): boolean {
  if (v === undefined) return fallback;
  if (typeof v !== 'boolean') {
    const shown = typeof v === 'string' ? JSON.stringify(v) : String(v);
    throw new InvalidOptionError(`${name} ${shown} is not allowed (expected true or false)`);
  }
  return v;
}

/** `combination`, or `topN` from the older `combineTop: N`; giving both is refused. */
function combinationOf(options: AutoOptions): string {
  const top = positiveInt('combineTop', options.combineTop, 0, 1);
  if (options.combination === undefined) return top > 0 ? `top${top}` : DEFAULT_COMBINATION;
  if (top > 0) {
    throw new InvalidOptionError(
      `combineTop ${top} and combination "${options.combination}" are both given (expected one of them)`,
    );
  }
  parseCombination(options.combination);
  return options.combination;
}

export function resolveAutoOptions(options: AutoOptions = {}): Resolved {
  return {
    horizon: positiveInt('horizon', options.horizon, DEFAULTS.horizon, 1),
    maxFitLength: positiveInt('maxFitLength', options.maxFitLength, DEFAULTS.maxFitLength, 1),
    validationOrigins: positiveInt(
      'validationOrigins',
      options.validationOrigins,
      DEFAULTS.validationOrigins,
      0,
    ),
    combination: combinationOf(options),
    candidates: options.candidates?.map((c) => {
      for (const m of parseCombo(c)?.members ?? [c]) if (m !== DHR) getModel(m);
      return c;
    }),
    levels: normalizeLevels(options.quantiles),
    conformal: conformalMode(options.conformal),
    countMedian: booleanOption('countMedian', options.countMedian, true),
    cleanOutliers: booleanOption('cleanOutliers', options.cleanOutliers, true),
    levelShifts: booleanOption('levelShifts', options.levelShifts, true),
    catalogueProfile: booleanOption('catalogueProfile', options.catalogueProfile, true),
  };
}

type Fit = { q: QuantileForecast; name: string };

/** The name suffix of a registry model that answered with the mean instead of its own form. */
const MEAN_FALLBACK = ':mean-fallback';

/**
 * Checks a series' context against the series and the horizon: every regressor column holds
 * `n + h` values (history, then horizon), every external forecast `h` steps from an end within
 * the history. Throws `InvalidOptionError` naming the regressor or candidate and the lengths.
 */
export function assertValidContext(context: SeriesContext, n: number, h: number): void {
  const { regressors, external = [] } = context;
  if (regressors) {
    if (regressors.names.length !== regressors.columns.length) {
      throw new InvalidOptionError(
        `regressors have ${regressors.names.length} names but ${regressors.columns.length} columns`,
      );
    }
    regressors.columns.forEach((column, j) => {
      if (column.length !== n + h) {
        throw new InvalidOptionError(
          `regressor "${regressors.names[j]}" has ${column.length} values (expected ${n + h}: ${n} days of history and ${h} of horizon)`,
        );
      }
    });
  }
  const names = new Set<string>();
  for (const c of external) {
    if (names.has(c.name) || getModelOrUndefined(c.name)) {
      throw new InvalidOptionError(
        `external candidate "${c.name}" is named twice or like a registry model`,
      );
    }
    names.add(c.name);
    for (const f of c.forecasts) {
      const bad = [f.q.p10, f.q.p50, f.q.p90].find((a) => a.length !== h);
      if (bad || !Number.isInteger(f.end) || f.end < 1 || f.end > n) {
        throw new InvalidOptionError(
          `external candidate "${c.name}": the forecast from end ${f.end} is not ${h} steps from a day 1..${n} of the series`,
        );
      }
    }
  }
}

function getModelOrUndefined(name: string): unknown {
  try {
    return getModel(name);
  } catch {
    return undefined;
  }
}

/**
 * Candidates whose fit includes a search are estimated once, on the history before the first
 * validation origin; the forecasts from later origins (and from the end of the history) keep the
 * searched parameters and recompute only what follows from the data given them. This is
 * rolling-origin validation without refitting (statsforecast's `cross_validation(refit=False)`):
 * - ETS (up to 15 models by AICc, each by Nelder–Mead): model and parameters fixed, the states
 *   (level, trend, season) filtered through the newer days;
 * - Theta: the SES smoothing parameter fixed; drift, seasonal test and indices (closed forms)
 *   recomputed;
 * - seasonal ARIMA (`sarima`): d and the coefficients fixed, its recursion (shocks, differences)
 *   run on through the newer days.
 * Smoothing parameters and model form fitted on a year of history move little when three weeks
 * are added, while the states, which carry the recent demand, are fully updated. Cheap models
 * (seasonal naive, SBA, TSB's small grid) are simply refitted at every origin.
 */
const FIT_ONCE: Record<
  string,
  (train: Float64Array) => (y: Float64Array) => FittedModel | undefined
> = {
  ets: (train) => {
    const fit = autoEts(train);
    return (y) => extendEts(fit, y);
  },
  theta: (train) => {
    const { alpha } = fitTheta(train);
    return (y) => fitTheta(y, { alpha });
  },
  sarima: (train) => {
    const fit = fitSarima(train);
    return (y) => sarimaForecaster(fit, y);
  },
};

/**
 * Forecasts of every candidate from every origin: `cuts[o]` is the training length at origin o
 * (o = 0: the full history). Cheap models are refitted at each origin; FIT_ONCE models are
 * fitted at the earliest origin and extended; combinations take the median of their members'
 * forecasts from the same origin.
 */
class CandidateForecasts {
  private readonly cache = new Map<string, (Fit | null | undefined)[]>();
  private readonly once = new Map<string, ((y: Float64Array) => FittedModel | undefined) | null>();
  /** One-step fitted values of the candidates fitted on the whole history (origin 0). */
  private readonly fittedAtEnd = new Map<string, Float64Array>();
  /**
   * @param start index in the caller's `y` of `x[0]`, so an external candidate's forecast from
   * `x.subarray(0, cut)` is the one made from `start + cut` days of `y`
   */
  constructor(
    private readonly x: Float64Array,
    private readonly h: number,
    private readonly cuts: number[],
    private readonly external: ReadonlyMap<string, ExternalCandidate> = new Map(),
    private readonly start = 0,
    /** Count series: the dispersion at origin o (`weekdayDispersion` of the days before its
     * cut), for each candidate's count median; undefined: P50 stays the mean. */
    private readonly dispersionAt?: (o: number) => number,
    /** The days as they were, where `x` has its outliers replaced (`outliers.ts`). */
    private readonly real: Float64Array = x,
    /** Count series: the weekdays read closed at origin o (`weekdayClosedDays` of the days
     * before its cut), off which each registry model's demand is moved (`onOpenDays`). */
    private readonly closedAt?: (o: number) => Float64Array,
  ) {}

  /** A candidate's forecast from origin o as the race sees it: P50 the count median on a count
   * series (`withCountMedian`: a forecast carrying `mean` already has one). */
  private counted(q: QuantileForecast, o: number): QuantileForecast {
    return this.dispersionAt ? withCountMedian(q, this.dispersionAt(o)) : q;
  }

  get(candidate: string, o: number): Fit | undefined {
    let row = this.cache.get(candidate);
    if (!row) {
      row = new Array<Fit | null | undefined>(this.cuts.length);
      this.cache.set(candidate, row);
    }
    const hit = row[o];
    if (hit !== undefined) return hit ?? undefined;
    const result = this.compute(candidate, o);
    row[o] = result ?? null;
    return result;
  }

  private compute(candidate: string, o: number): Fit | undefined {
    const combo = parseCombo(candidate);
    if (combo) {
      const fitted = combo.members.filter((m) => this.get(m, o) !== undefined);
      if (fitted.length === 0) return undefined;
      const label = combo.how === 'mean' ? 'mean-combo' : 'combo';
      const q = combineQuantiles(
        fitted.map((m) => (this.get(m, o) as Fit).q),
        combo.how,
      );
      // On a count series the combination's P50 is the count median of its mean, a whole number
      // even where two members' medians are averaged.
      return {
        q: this.dispersionAt ? recountMedian(q, this.dispersionAt(o)) : q,
        name: `${label}(${fitted.join(',')})`,
      };
    }
    const outside = this.external.get(candidate);
    if (outside) {
      const end = this.start + this.cuts[o];
      const hit = outside.forecasts.find((f) => f.end === end);
      return hit ? { q: this.counted(finalizeQuantiles(hit.q), o), name: outside.name } : undefined;
    }
    const train = this.x.subarray(0, this.cuts[o]);
    try {
      const fitted = Object.hasOwn(FIT_ONCE, candidate)
        ? this.extended(candidate, train)
        : undefined;
      const model = fitted ?? getModel(candidate).fit(train);
      // A registry model standing in its mean for a form it could not fit (`sarima:mean-fallback`)
      // is out of the race: the mean is not the candidate that was validated for.
      if (model.name.endsWith(MEAN_FALLBACK)) return undefined;
      if (o === 0 && model.fitted) this.fittedAtEnd.set(candidate, model.fitted);
      const closed = this.closedAt?.(o);
      const q = closed?.some(isClosed)
        ? onOpenDays(finalizeQuantiles(model.forecast(Math.max(this.h, 7))), closed, this.h)
        : finalizeQuantiles(model.forecast(this.h));
      return { q: this.counted(q, o), name: model.name };
    } catch (err) {
      // A model that cannot fit this series (it says so with a ForecastingError) simply drops
      // out of the race; anything else is a bug in the model and must not be hidden.
      if (err instanceof ForecastingError) return undefined;
      throw err;
    }
  }

  /** The tail shape of `candidate`'s one-step residuals over the whole history
   * (`intervalShape.ts`): its errors on the real days (outliers included, as next week may hold
   * one) relative to the σ of the history it was fitted on; undefined when it did not fit, has no
   * fitted values or too few days. */
  residualShape(candidate: string): IntervalShape | undefined {
    if (!this.get(candidate, 0)) return undefined;
    const fitted = this.fittedAtEnd.get(candidate);
    return fitted ? residualShape(this.real, fitted, this.x) : undefined;
  }

  /** The once-fitted model carried to the end of `train`; undefined means refit (rarely: the
   * search failed, the fit has no state to carry, or new data left a multiplicative model's
   * valid region). */
  private extended(candidate: string, train: Float64Array): FittedModel | undefined {
    let carry = this.once.get(candidate);
    if (carry === undefined) {
      try {
        carry = FIT_ONCE[candidate](this.x.subarray(0, this.cuts[this.cuts.length - 1]));
      } catch (err) {
        if (!(err instanceof ForecastingError)) throw err;
        carry = null;
      }
      this.once.set(candidate, carry);
    }
    return carry === null ? undefined : carry(train);
  }
}

/** Replaced days a forecast lists in `SeriesForecast.outliers.recent`: the most recent ones. */
export const OUTLIER_RECENT_DAYS = 5;

/**
 * The history the models of smooth demand are fitted on (`outliers.ts`): `x` with its one-off
 * outliers replaced when the demand is smooth, or erratic only because of them (one bulk order
 * of 20× makes a smooth series erratic: without it the series classifies smooth); otherwise `x`.
 * The published demand class stays the one of the real days. `outliers` says what was replaced
 * (`SeriesForecast.outliers`, positions counted from `start`, the index in the caller's series of
 * `x[0]`); absent when the cleaning does not apply.
 */
function withoutOutliers(
  x: Float64Array,
  demandClass: DemandClass,
  wholeUnits: boolean,
  start: number,
): { y: Float64Array; outliers?: SeriesOutliers; uplift?: number } {
  if (demandClass !== 'smooth' && demandClass !== 'erratic') return { y: x };
  if (outlierHistoryTooShort(x, PERIOD)) return { y: x };
  const cleaned = cleanOutliers(x, PERIOD, wholeUnits);
  if (
    demandClass === 'erratic' &&
    (cleaned.index.length === 0 || classifyDemand(cleaned.y) !== 'smooth')
  )
    return { y: x };
  const recent = cleaned.index.slice(-OUTLIER_RECENT_DAYS).map((t) => ({
    index: start + t,
    value: x[t],
    replacement: cleaned.y[t],
  }));
  const uplift = outlierUplift(x, cleaned);
  return { y: cleaned.y, outliers: { count: cleaned.index.length, recent }, uplift };
}

/** Each step's mean raised by the replaced spikes' share of demand (`outlierUplift`). */
function withUplift(mean: Float64Array, uplift: number): Float64Array {
  return Float64Array.from(mean, (v) => v * (1 + uplift));
}

/** A product whose sales stopped this long ago, and far longer than any earlier gap, is inactive. */
export const INACTIVE_MIN_DAYS = 28;
const INACTIVE_GAP_FACTOR = 3;

/**
 * Days since the last sale when the product looks inactive (discontinued, delisted, out of
 * stock for good), else 0. Inactive: the trailing run of zero days is at least
 * {@link INACTIVE_MIN_DAYS} and at least three times the longest run of zero days before it, so
 * sporadic demand whose usual gaps are long is not mistaken for it. Such a product's past level
 * and residuals describe a demand that is gone: fitted models keep a wide interval from them
 * (and planners would order against its P90), while the count model of the idle stretch gives
 * what no sale in L days supports — P(a sale tomorrow) near 1/(2L) (see `fitShortHistory`).
 * Missing (NaN) days are neither sales nor zeros: they do not end a run, and do not count in it.
 */
export function inactiveDays(x: Float64Array): number {
  let idle = 0;
  let i = x.length - 1;
  for (; i >= 0; i--) {
    const v = x[i];
    if (v > 0) break;
    if (v === 0) idle++;
  }
  if (i < 0 || idle < INACTIVE_MIN_DAYS) return 0;
  let longest = 0;
  let run = 0;
  for (let j = 0; j <= i; j++) {
    const v = x[j];
    if (v > 0) run = 0;
    else if (v === 0 && ++run > longest) longest = run;
  }
  return idle >= INACTIVE_GAP_FACTOR * longest ? idle : 0;
}

function firstNonZero(y: Float64Array): number {
  for (let i = 0; i < y.length; i++) if (y[i] > 0) return i;
  return y.length;
}

/** Validation forecasts of an answer from the race, for its conformal calibration. */
interface Race {
  blocks: { q: QuantileForecast; actual: Float64Array }[];
  meanDemand: number;
  conformal: ConformalMode;
}

/**
 * What a count series' history `y` says of its days' counts, for an answer's P10 and levels: its
 * dispersion `phi`, each weekday's zero share and recent days without a sale, the weekdays it
 * does not sell on (`closedDays`, `weekdayClosedDays` of `y`, where any) and, for lumpy demand,
 * its recent demand sizes (`lumpyCount.ts`).
 */
function countEvidence(
  y: Float64Array,
  phi: number,
  demandClass: DemandClass,
  closedDays = weekdayClosedDays(y, phi),
): CountEvidence {
  const sizes = demandClass === 'lumpy' ? recentSizes(y) : undefined;
  return {
    phi,
    zeroShare: weekdayZeroShare(y),
    zeroEvidence: weekdayZeroEvidence(y),
    ...(closedDays.some((d) => d > 0) ? { closedDays } : {}),
    ...(sizes ? { sizes } : {}),
  };
}

/**
 * One published answer. `dispersion`: count data, whose P50 is still the model's mean (answers
 * from the race already carry their count medians). `count`: count data whose interval came
 * from a fitted model (the race, the seasonal-naive fallback), so its P10 and the levels beyond
 * P10/P50/P90 are read with the day's count (`CountShape`); the count models of empty, constant
 * and inactive histories set their own and do not take it.
 */
function answer(
  q: QuantileForecast,
  model: string,
  demandClass: DemandClass,
  levels: number[],
  race?: Race,
  dispersion?: number,
  count?: CountEvidence,
): SeriesForecast {
  const f = finalizeQuantiles(dispersion === undefined ? q : withCountMedian(q, dispersion));
  const c = calibrateSeries(
    f,
    race?.blocks ?? [],
    race?.meanDemand ?? 0,
    levels,
    race?.conformal ?? 'off',
    count,
  );
  return { ...c, ...(f.mean ? { mean: f.mean } : {}), model: `statistical:${model}`, demandClass };
}

/**
 * Where `forecastAuto` starts fitting `y`: days before a product's first sale are not demand (it
 * was not listed yet), history older than `maxFitLength` days says little about next week, and
 * the days before a recent level shift (`levelShift.ts`, with `levelShifts`) describe a demand
 * that is gone, so all are cut. `shift` says where the last cut came from.
 */
function fitStart(
  y: Float64Array,
  opt: Pick<Resolved, 'maxFitLength' | 'levelShifts'>,
): { start: number; shift?: SeriesLevelShift } {
  const start = Math.max(firstNonZero(y), y.length - opt.maxFitLength);
  const shift = opt.levelShifts ? recentLevelShift(y.subarray(start)) : undefined;
  if (!shift) return { start };
  const at = start + shift.index;
  return { start: at, shift: { ...shift, index: at } };
}

/** As many validation origins (at most `wanted`) as leave at least four weeks to train on. */
function originCount(n: number, h: number, wanted: number): number {
  let origins = wanted;
  while (origins > 0 && n - h * origins < 4 * PERIOD) origins--;
  return origins;
}

/**
 * The days since the first sale, none unknown, that `forecastAuto` with `options` needs for its
 * calendar candidate `dhr`: `MIN_SEARCH_KNOWN_DAYS` (42) plus horizon × validation origins
 * (63 with the defaults). See `calendarHistoryTooShort`.
 */
export function calendarMinHistoryDays(options: AutoOptions = {}): number {
  const opt = resolveAutoOptions(options);
  return MIN_SEARCH_KNOWN_DAYS + opt.horizon * opt.validationOrigins;
}

/**
 * Whether `y` is too short for the calendar candidate `dhr` of `forecastAuto` (so holidays and
 * events can have no effect on its forecast): `dhr` is searched on the days before the earliest
 * validation origin, which must hold at least 42 known days (`MIN_SEARCH_KNOWN_DAYS`). With the
 * defaults (horizon 7, 3 origins) and no unknown day that is 63 days since the first sale
 * (42 + 3 × horizon). Pure; the same start and origins as `forecastAuto` with `options`.
 * @param y daily history, NaN = unknown day
 */
export function calendarHistoryTooShort(y: ArrayLike<number>, options: AutoOptions = {}): boolean {
  const opt = resolveAutoOptions(options);
  const { start } = fitStart(y instanceof Float64Array ? y : Float64Array.from(y), opt);
  const n = y.length - start;
  const earliest = n - opt.horizon * originCount(n, opt.horizon, opt.validationOrigins);
  return countKnown(y, start, start + earliest) < MIN_SEARCH_KNOWN_DAYS;
}

/**
 * Forecasts one daily series:
 * 1. cut the history to the product's first sale and to `maxFitLength` days;
 * 2. classify demand (Syntetos–Boylan ADI / CV² as the product sells now, `currentDemandClass`:
 *    the whole history's class unless regular demand turned sporadic); no demand at all → zeros;
 *    under 14 known days → the mean with a count-data interval (`fitShortHistory`); the same
 *    count every known day → that count with the narrow interval of `fitConstantHistory`;
 * 3. rank the class's candidates by rolling-origin validation: absolute error of P50 summed over
 *    the last `validationOrigins` blocks of h days (the ranking MASE would give, as all
 *    candidates share the series' scale). Models with a parameter search (ETS, Theta) are
 *    searched once, on the history before the first origin, and carried forward with fixed
 *    parameters (see FIT_ONCE); cheap models are refitted at each origin;
 * 4. bring every model to the end of the history the same way (cheap ones refitted, searched
 *    ones carried forward) and combine them by `options.combination` (`combinationRule.ts`):
 *    by default the median (quantile by quantile) of the 3 best — forecast pooling (Kourentzes,
 *    Barrow & Petropoulos 2019), which keeps most of the gain of selection while the noise of a
 *    3-week validation rarely picks a bad single model; `select`/`class` choose the pool depth
 *    by nested validation (per series / per demand class in the catalogue step).
 * On a count series (every known value a whole number; `options.countMedian`, default true) every
 * candidate's P50 is the day's count median of its mean (`countMedian.ts`), ranking and combining
 * included, and the answer carries the mean as `mean` (the sum of which is the expected total);
 * short histories keep P50 = mean. On smooth demand, or erratic demand that is smooth without its
 * outliers (`options.cleanOutliers`, default true), the models are fitted on the history with its
 * one-off outliers replaced by a resistant level + weekly season (`outliers.ts`: holidays,
 * closures, stock-outs are not news about the next week), while the validation scores the real
 * days; the answer's `outliers` says how many days were replaced and which were the most recent
 * (`SeriesForecast.outliers`). For smooth and erratic demand the interval's half-widths are
 * scaled to the tails of ETS's one-step residuals on the real days (`intervalShape.ts`).
 * Missing days (NaN in `y`) are unknown, never 0: every model skips them (see each model), the
 * classification counts only known days, and a missing day in a validation block is not scored.
 * A product that stopped selling (see `inactiveDays`: at least 28 days without a sale, three times
 * its longest earlier gap) gets the count model of that idle stretch, not the models of a demand
 * that is gone. A history without demand (all zeros since the start) forecasts zeros with a zero-width
 * interval: after L days without a sale the Poisson–Gamma model of `fitShortHistory`, even with
 * a Jeffreys Gamma(½, 0) prior, puts P(a sale tomorrow) near 1/(2L), under 10% from L = 5 on,
 * so P10 = P50 = P90 = 0 is the count model's answer rather than a missing interval.
 * `context` (optional) carries what the series' own values do not: its start date, known-future
 * regressors, and `external` candidates fitted outside this series (a global model across the
 * catalogue), which join the class's candidates and are ranked, pooled and combined like them,
 * from their forecasts at the same origins (see `ExternalCandidate`).
 * Never NaN, never negative; throws only for invalid input (`InvalidSeriesError`: ±Infinity,
 * negatives, or a non-empty series without a known day) or options and context
 * (`InvalidOptionError`). An empty series (a product with no history yet) forecasts zeros.
 */
export function forecastAuto(
  y: Float64Array,
  options: AutoOptions = {},
  context: SeriesContext = {},
): SeriesForecast {
  const opt = resolveAutoOptions(options);
  assertValidSeries(y);
  assertValidContext(context, y.length, opt.horizon);
  const { start, shift } = fitStart(y, opt);
  const f = forecastSince(y, start, opt, context);
  const reshape = (g: SeriesForecast): SeriesForecast =>
    shift
      ? { ...withWeekdayProfile(g, y, start), levelShift: shift }
      : opt.catalogueProfile
        ? withWeekdayPrior(g, y, start, context)
        : g;
  const out = reshape(f);
  const alternatives = f.combination?.alternatives;
  if (!alternatives || !out.combination) return out;
  // `class`: the catalogue step answers with one of these, which must be reshaped alike.
  const reshaped = Object.fromEntries(
    Object.entries(alternatives).map(([rule, a]) => [rule, a === f ? out : reshape(a)]),
  );
  return { ...out, combination: { ...out.combination, alternatives: reshaped } };
}

/**
 * The spread of a week: log(highest / lowest) of v(k) over the open days k of the horizon's first
 * 7 (of h), 0 where the lowest is not above 0.
 */
function weekSpread(v: (k: number) => number, open: (k: number) => boolean, h: number): number {
  let lo = Infinity;
  let hi = 0;
  for (let k = 0; k < Math.min(h, PERIOD); k++) {
    if (!open(k)) continue;
    lo = Math.min(lo, v(k));
    hi = Math.max(hi, v(k));
  }
  return lo > 0 ? Math.log(hi / lo) : 0;
}

/**
 * A forecast fitted on the days since a level shift (`start`), its days spread by the weekday
 * profile of the weeks before the shift (`weekdayProfile`) where the models found a much flatter
 * week: a few noisy weeks since the shift often show no weekly season the models accept, while
 * months before it do, and weekday indices are shares of a week, which a move in level leaves
 * as they were. Applied where the forecast's own spread of its first 7 days (highest / lowest
 * mean over the open days) is under the square root of the profile's (less than half of it in
 * logs), no open day's mean is 0, and the weeks since the shift do not disagree with the profile
 * (`profileChanged`: a pattern that changed with the level stays the models'). Each 7-day block
 * of the horizon keeps its expected total (`spreadByWeek`): each day's mean becomes the block's
 * total × its weekday's share, P10, P90 and the
 * other levels move by the same factor, and on a count series P50 is the count median of the new
 * mean (`countMedian`, with the dispersion of the days since the shift). A weekday that never
 * sold in the profile's weeks, nor since, is closed: every level 0 and its demand moved to the
 * open days, flat or not (the closed-weekday rule of the race needs 12 such days, which a history
 * cut at a shift may not hold).
 */
function withWeekdayProfile(f: SeriesForecast, y: Float64Array, start: number): SeriesForecast {
  const profile = weekdayProfile(y, start);
  const mean = f.mean ?? f.p50;
  const h = mean.length;
  if (!profile || h === 0) return f;
  const share = profile.share;
  const phase = (k: number) => (y.length + k) % PERIOD;
  // A weekday that never sold in the profile's weeks and sold since is open now, and the profile
  // no longer this product's.
  const reopened = new Set<number>();
  for (let t = start; t < y.length; t++)
    if (y[t] > 0 && share[t % PERIOD] === 0) reopened.add(t % PERIOD);
  const open = (k: number) => share[phase(k)] > 0 || reopened.has(phase(k));
  for (let k = 0; k < h; k++) if (open(k) && !(mean[k] > 0)) return f;
  const usable = reopened.size === 0 && !profileChanged(y, start, y.length, profile);
  const flat =
    usable &&
    weekSpread((k) => mean[k], open, h) < 0.5 * weekSpread((k) => share[phase(k)], open, h);
  let closedSold = false;
  for (let k = 0; k < h; k++) if (!open(k) && (mean[k] > 0 || f.p90[k] > 0)) closedSold = true;
  if (!flat && !closedSold) return f;
  return withMeans(
    f,
    y,
    start,
    spreadByWeek(mean, (k) => share[phase(k)], open, flat),
  );
}

/**
 * The horizon's daily means moved week by week, each 7-day block keeping its expected total (a
 * trend the models forecast across weeks stays): on the block's open days its total × weight(k)
 * / the sum of its open days' weights where `flat` (the week's shape is the profile's), else
 * mean[k] × its total / its open days' total (the models' shape, the closed days' demand moved);
 * 0 on the other days. A block without an open day gives its total to the block before it (the
 * first such block to the next).
 */
function spreadByWeek(
  mean: ArrayLike<number>,
  weight: (k: number) => number,
  open: (k: number) => boolean,
  flat: boolean,
): Float64Array {
  const h = mean.length;
  const groups: number[][] = [];
  let carry: number[] = [];
  for (let first = 0; first < h; first += PERIOD) {
    const days = [...carry];
    for (let k = first; k < Math.min(first + PERIOD, h); k++) days.push(k);
    if (days.some(open)) {
      groups.push(days);
      carry = [];
    } else carry = days;
  }
  if (groups.length === 0) return Float64Array.from(mean);
  groups[groups.length - 1].push(...carry);
  const moved = new Float64Array(h);
  for (const days of groups) {
    let total = 0;
    let openTotal = 0;
    let weights = 0;
    for (const k of days) {
      total += mean[k];
      if (!open(k)) continue;
      openTotal += mean[k];
      weights += weight(k);
    }
    for (const k of days) {
      if (!open(k)) continue;
      moved[k] =
        flat && weights > 0 ? (total * weight(k)) / weights : (mean[k] * total) / openTotal;
    }
  }
  return moved;
}

/**
 * `f` with each day's mean replaced by `moved` (a day moved to 0 gets every level 0): P10, P90 and
 * the other levels move by each day's factor moved / mean, and on a count series (`f.mean` set)
 * P50 is the count median of the new mean (`countMedian`, with the dispersion of y from `start`);
 * the levels stay ordered around P50.
 */
function withMeans(
  f: SeriesForecast,
  y: Float64Array,
  start: number,
  moved: Float64Array,
): SeriesForecast {
  const mean = f.mean ?? f.p50;
  const by = (v: ArrayLike<number>) =>
    Float64Array.from(v, (x, k) => (moved[k] > 0 && mean[k] > 0 ? (x * moved[k]) / mean[k] : 0));
  const phi = f.mean ? weekdayDispersion(y.subarray(start)) : undefined;
  const p50 = phi === undefined ? moved : Float64Array.from(moved, (m) => countMedian(m, phi));
  const p10 = Float64Array.from(by(f.p10), (v, k) => Math.min(v, p50[k]));
  const p90 = Float64Array.from(by(f.p90), (v, k) => Math.max(v, p50[k]));
  const quantiles = f.quantiles
    ? Object.fromEntries(
        Object.entries(f.quantiles).map(([level, v]) => [
          level,
          Float64Array.from(by(v), (x, k) =>
            Number(level) < 0.5 ? Math.min(x, p50[k]) : Math.max(x, p50[k]),
          ),
        ]),
      )
    : undefined;
  return {
    ...f,
    p10,
    p50,
    p90,
    ...(f.mean ? { mean: moved } : {}),
    ...(quantiles ? { quantiles } : {}),
  };
}

/**
 * The candidates that read a series' known events: the calendar candidate and the external ones
 * (the global model's calendar features).
 */
function eventReaders(context: SeriesContext): Set<string> {
  return new Set([DHR, ...(context.external ?? []).map((c) => c.name)]);
}

/**
 * A young product's forecast (under PRIOR_MAX_WEEKS whole weeks since `start`) spread over its
 * week by the catalogue's weekday profile blended with its own weeks (`blendedProfile`), where the
 * models left its week much flatter than that blend (spread of the first 7 days' means, highest /
 * lowest over the open days, under the square root of the blend's: `weekSpread`): a few weeks of
 * one product's noisy days rarely show the weekly season the models need to accept, while the
 * catalogue's products together do. Where the models do show a week they keep it (on real
 * stations of `npm run bench -- transit` cut to 2–26 weeks, reshaping every young week lost
 * 7 %). Each open day becomes its 7-day block's expected total × its weekday's blended share
 * (`withMeans` moves the levels). A day the models sell on that has no blended
 * share (the catalogue never sells on that weekday, nor did the product) is closed: its demand
 * moves to the open days, flat or not, as after a level shift. Each 7-day block of the horizon
 * keeps its own total (`spreadByWeek`: a trend across weeks stays). `blendedProfile` leaves a
 * product whose own weeks or weekdays disagree with the blend to its models. Left as it was where the
 * horizon holds a known event or holiday (a regressor not 0) and the answer holds a candidate that
 * reads it (`dhr`, an external candidate: its shape then carries more than the weekday), or where
 * the product's own weeks disagree with the catalogue's.
 */
function withWeekdayPrior(
  f: SeriesForecast,
  y: Float64Array,
  start: number,
  context: SeriesContext,
): SeriesForecast {
  const prior = context.weekdayPrior;
  const n = y.length;
  if (!prior || (n - start) / PERIOD >= PRIOR_MAX_WEEKS) return f;
  const h = f.p50.length;
  // A known event in the horizon that a candidate of the answer reads (the calendar candidate, an
  // external one such as the global model): the models' shape carries more than the weekday.
  const members = new Set(f.model.split(/[:(),{}]/));
  const event = context.regressors?.columns.some((c) => c.subarray(n, n + h).some((v) => v !== 0));
  if (event && [...eventReaders(context)].some((name) => members.has(name))) return f;
  const mean = f.mean ?? f.p50;
  const profile = blendedProfile(y, start, n, prior);
  if (!profile) return f;
  const share = (k: number) => profile.share[(n + k) % PERIOD];
  // Open: a day the models sell on and the blended week has a share of. A day the models sell on
  // but the blend has none (the catalogue never sells that weekday, nor did the product) is
  // closed: its demand goes to the open days, flat or not.
  const open = (k: number) => mean[k] > 0 && share(k) > 0;
  let opened = false;
  let closedSold = false;
  for (let k = 0; k < h; k++) {
    if (open(k)) opened = true;
    else if (mean[k] > 0) closedSold = true;
  }
  if (!opened) return f;
  const flat = weekSpread((k) => mean[k], open, h) < 0.5 * weekSpread(share, open, h);
  if (!flat && !closedSold) return f;
  return {
    ...withMeans(f, y, start, spreadByWeek(mean, share, open, flat)),
    weekdayProfile: {
      ...(prior.category !== undefined ? { category: prior.category } : {}),
      ownWeight: profile.ownWeight,
    },
  };
}

/**
 * `forecastAuto` of `y` fitted from index `start` on (`fitStart`), options resolved and checked.
 */
function forecastSince(
  y: Float64Array,
  start: number,
  opt: Resolved,
  context: SeriesContext,
): SeriesForecast {
  const h = opt.horizon;
  const x = y.subarray(start);
  const n = x.length;
  const demandClass = currentDemandClass(x);
  // Count data (whole units): every P50 is the day's count median, the mean kept beside it.
  const wholeUnits = isCountSeries(x);
  const counts = opt.countMedian && wholeUnits;
  const dispersion = counts ? weekdayDispersion(x) : undefined;
  if (n === 0)
    return answer(zeroQuantiles(h), 'zero', demandClass, opt.levels, undefined, dispersion);
  const known = hasMissing(x) ? countKnown(x) : n;
  if (known < SHORT_HISTORY) {
    const short = fitShortHistory(x);
    // Its P50 stays the mean: from 1–13 days the count model's interval is kept strictly around
    // it (P10 < P50 < P90, field case FC-14), which an integer median of sparse demand cannot be.
    return answer(short.forecast(h), short.name, demandClass, opt.levels);
  }
  if (isConstant(x)) {
    const flat = fitConstantHistory(x[0], known);
    return answer(flat.forecast(h), flat.name, demandClass, opt.levels, undefined, dispersion);
  }
  const idle = inactiveDays(x);
  if (idle > 0) {
    // Read as the count model of the idle stretch alone: no sale in L days.
    const inactive = fitShortHistory(x.subarray(n - idle));
    return answer(
      inactive.forecast(h),
      `inactive(${idle}d)`,
      demandClass,
      opt.levels,
      undefined,
      dispersion,
    );
  }

  const sporadic = demandClass === 'intermittent' || demandClass === 'lumpy';
  const external = new Map((context.external ?? []).map((c) => [c.name, c]));
  const pool = (opt.candidates ?? (sporadic ? INTERMITTENT_CANDIDATES : SMOOTH_CANDIDATES)).filter(
    (c) => c !== DHR,
  );
  const candidates = [...pool, ...[...external.keys()].filter((name) => !pool.includes(name))];

  const origins = originCount(n, h, opt.validationOrigins);

  const ranked = origins > 0 && candidates.length > 1;
  // Without a ranking, models are fitted on the whole history.
  const cuts = Array.from({ length: ranked ? origins + 1 : 1 }, (_, o) => n - h * o);
  // Calendar effects (see calendar/dhr.ts) join the race when the context has regressors.
  const calendar =
    context.regressors && (!opt.candidates || opt.candidates.includes(DHR))
      ? calendarCandidate(x, context.regressors, start, h, cuts)
      : undefined;
  if (calendar) {
    external.set(calendar.name, calendar);
    candidates.push(calendar.name);
  }
  const dispersions: number[] = [];
  // Smooth demand (and erratic demand that is smooth without its outliers): the models are
  // fitted on the history with its one-off outliers replaced (outliers.ts); the race still scores
  // the real days, and the calendar candidate (which models holidays) and external candidates
  // read the real days too.
  const {
    y: fitOn,
    outliers,
    uplift,
  } = opt.cleanOutliers
    ? withoutOutliers(x, demandClass, wholeUnits, start)
    : { y: x, outliers: undefined, uplift: undefined };
  // Count data: each origin's dispersion from the days before its cut only, of the history the
  // models were fitted on (the spikes a cleaning replaced would otherwise widen the count around
  // a mean that leaves them out, and pull its median down).
  const dispersionAt = counts
    ? (o: number) => (dispersions[o] ??= weekdayDispersion(fitOn.subarray(0, cuts[o])))
    : undefined;
  // Count data: the weekdays closed before each origin's cut, off which the models' demand moves.
  const closedDays: Float64Array[] = [];
  const closedAt = dispersionAt
    ? (o: number) =>
        (closedDays[o] ??= weekdayClosedDays(fitOn.subarray(0, cuts[o]), dispersionAt(o)))
    : undefined;
  // What the fitted history says of its counts, for the answers' P10 and extra levels.
  const fitEvidence =
    dispersionAt && closedAt
      ? countEvidence(fitOn, dispersionAt(0), demandClass, closedAt(0))
      : undefined;
  // Every answer of the race (each rule's, for `class`) says what its models were fitted on, and
  // its mean takes back the replaced spikes' share of demand (`outlierUplift`; dips stay out, they
  // may be stock-outs): bulk orders and promotions stay in the expected totals.
  const reported = (f: SeriesForecast): SeriesForecast =>
    outliers
      ? { ...f, outliers, ...(uplift ? { mean: withUplift(f.mean ?? f.p50, uplift) } : {}) }
      : f;
  const forecasts = new CandidateForecasts(
    fitOn,
    h,
    cuts,
    external,
    start,
    dispersionAt,
    x,
    closedAt,
  );
  // Smooth and erratic demand: Gaussian half-widths scaled to the tails of ETS's residuals on the
  // real days (intervalShape.ts), for the answer and its validation forecasts alike. Sporadic demand keeps
  // the count models' own intervals.
  const shape =
    !sporadic && candidates.includes('ets') && known > MIN_SHAPE_RESIDUALS
      ? forecasts.residualShape('ets')
      : undefined;
  // A rule's answer from origin o as published: on a count series its P50 re-read as the count
  // median of its combined mean (whole units, also where a rule averages members: `top2`, `meanN`,
  // `weighted`; unchanged for the median of an odd number of registry members), then the tails.
  const shaped = (q: QuantileForecast, o = 0) => {
    const counted = dispersionAt ? recountMedian(q, dispersionAt(o)) : q;
    return shape ? reshapeInterval(counted, shape) : counted;
  };
  const race = (blocks: Race['blocks']): Race => ({
    blocks: blocks.map((b, i) => ({ ...b, q: shaped(b.q, i + 1) })),
    meanDemand: meanKnown(x),
    conformal: opt.conformal,
  });
  if (!ranked) {
    // No evidence to rank on: the first candidate is the designated default.
    for (const c of candidates) {
      const r = forecasts.get(c, 0);
      if (r) {
        const a = answer(
          shaped(r.q),
          r.name,
          demandClass,
          opt.levels,
          race([]),
          undefined,
          fitEvidence,
        );
        return reported(a);
      }
    }
  } else {
    // Known events from each origin: on their days the combination takes the candidates that
    // read them (applyRule). Not on sporadic demand: a holiday's effect on a few units, seen once
    // or twice a year, is not told from noise (the superstore with US holidays lost 1 %).
    const regressors = sporadic ? undefined : context.regressors;
    const events: (Uint8Array | undefined)[] = [];
    const pick = combineRace(
      {
        get: (c, o) => forecasts.get(c, o),
        candidates,
        x,
        cuts,
        h,
        tailTieBreak: sporadic,
        ...(regressors
          ? {
              eventDays: (o: number) =>
                o in events ? events[o] : (events[o] = eventDays(regressors, x, cuts[o], h)),
              eventReaders: eventReaders(context),
            }
          : {}),
      },
      opt.combination,
    );
    if (pick) {
      const make = (a: RuleAnswer) =>
        reported(
          answer(
            shaped(a.q),
            a.name,
            demandClass,
            opt.levels,
            race(a.blocks),
            undefined,
            fitEvidence,
          ),
        );
      return withCombination(make(pick), pick, make, x, PERIOD);
    }
  }
  const fallback = fitSeasonalNaive(x, PERIOD);
  return answer(
    fallback.forecast(h),
    fallback.name,
    demandClass,
    opt.levels,
    undefined,
    dispersion,
    dispersion === undefined ? undefined : countEvidence(x, dispersion, demandClass),
  );
}
