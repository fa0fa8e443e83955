/**
 * Public types of the forecasting engine. Pure data: no I/O, no AWS SDK.
 */

import type { SeriesValues } from '@retail-forecast/util';
import type { CountEvidence } from './conformal';

/**
 * P10 / P50 / P90 per forecast step in any array shape: a model's Float64Arrays, an external
 * model's parsed numbers, or the rounded numbers that get published.
 */
export interface Quantiles<T extends ArrayLike<number> = ArrayLike<number>> {
  /** 10th percentile per step. */
  p10: T;
  /** Median / point forecast per step. */
  p50: T;
  /** 90th percentile per step. */
  p90: T;
  /**
   * Mean demand per step (units), present where P50 is a count median below or above it (a
   * count series, see `countMedian.ts`) or where the models of smooth demand were fitted with
   * outliers replaced (the mean then adds the replaced spikes' share, `outlierUplift`): sums of `mean`
   * are unbiased totals, sums of P50 are not. Absent: P50 is the mean (Gaussian forecasts,
   * non-count series, external models that give quantiles only).
   */
  mean?: T;
}

/** Quantile levels every model must produce: h values each, oldest step first. */
export type QuantileForecast = Quantiles<Float64Array>;

/** A model after fitting: can forecast h steps ahead. */
export interface FittedModel {
  /** Fully qualified model name, e.g. `ets(M,Ad,M)`, `theta`, `croston`. */
  readonly name: string;
  /** Forecast `h` steps; values non-negative, finite, p10 <= p50 <= p90. */
  forecast(h: number): QuantileForecast;
  /** Optional information criterion used for selection within a family (AICc). */
  readonly aicc?: number;
  /** In-sample one-step fitted values (same length as y), when the model has them. */
  readonly fitted?: Float64Array;
}

/** One model spec: fit on a daily series (oldest first) and return a fitted model. */
export interface Model {
  /** Short name used on the CLI (`--models ets,theta,snaive`). */
  readonly name: string;
  /** `y`: daily demand, oldest first; NaN marks a missing day (skipped, never read as 0).
   * Throws `InvalidSeriesError` when every day is missing. */
  fit(y: Float64Array): FittedModel;
}

/** Syntetos–Boylan demand class. */
export type DemandClass = 'smooth' | 'intermittent' | 'lumpy' | 'erratic';

/** One forecast day as written to DynamoDB and JSONL. */
export interface DailyForecast {
  /** YYYY-MM-DD */
  date: string;
  p10: number;
  p50: number;
  p90: number;
  /**
   * Expected units that day (the model's mean), where P50 is a count median or outliers were
   * replaced in the fit (`Quantiles.mean`); absent where P50 is the mean. Rounded to 2 decimals
   * like the quantiles.
   */
  mean?: number;
  /**
   * Levels asked for beyond P10/P50/P90 (`--quantiles`), keyed by the level as written
   * (`{ "0.05": 1.2, "0.95": 9.4 }`), rounded like them and monotone with them. Absent when
   * only the default levels were asked for, or when the model gave no such level (Bedrock and
   * SageMaker models give P10/P50/P90 only; their extra levels are never invented).
   */
  quantiles?: Record<string, number>;
}

/** The engine's answer for one product and horizon. */
export interface SeriesForecast extends QuantileForecast {
  /** e.g. `statistical:ets(M,Ad,M)` */
  model: string;
  /** The Syntetos–Boylan class the engine read the product in (`currentDemandClass`). */
  demandClass?: DemandClass;
  /**
   * Levels asked for (`AutoOptions.quantiles`) beyond P10/P50/P90, keyed by the level as written
   * (`"0.05"`, `"0.95"`): h values each, >= 0 and monotone in the level. Absent when none were
   * asked for.
   */
  quantiles?: Record<string, Float64Array>;
  /**
   * The days of history the engine's own candidate models were not fitted on as they were
   * (`outliers.ts`): how many one-off outliers were replaced, and the most recent of them.
   * Present when the cleaning applied: smooth demand, or erratic demand that is smooth without its
   * outliers, with more than 4 weeks of known days since the first sale (`count: 0` when it found
   * nothing to replace in smooth demand). Absent when it did not: `cleanOutliers: false`,
   * intermittent or lumpy demand, erratic demand that stays erratic without its outliers, a
   * shorter history, no demand, a constant or inactive series, or the seasonal-naive fallback
   * (fitted on every day). The calendar candidate `dhr` and external candidates (the global
   * model) read every day as it was even when it is present.
   */
  outliers?: SeriesOutliers;
  /**
   * A recent level shift the models were fitted after (`levelShift.ts`, `AutoOptions.levelShifts`):
   * `index` is the position in the caller's series of the first day at the new level (every fit
   * and the demand class start there), `before`/`after` the mean units per known day of the
   * compared weeks before it and of the days since. Absent when none was found.
   */
  levelShift?: SeriesLevelShift;
  /**
   * Set where the forecast's days were spread by the catalogue's weekday profile blended with the
   * product's own weeks (`withWeekdayPriors`, `AutoOptions.catalogueProfile`): a product under 26
   * whole weeks old whose models left its week much flatter than that profile. Absent otherwise.
   */
  weekdayProfile?: SeriesWeekdayProfile;
  /**
   * Conformal scores of the series and, when `pending`, what the catalogue step
   * (`poolCalibration`, run by `forecastMany`) needs to recalibrate it; removed by that step.
   */
  conformal?: SeriesConformal;
  /**
   * With `combination: 'select'` or `'class'`: the rule applied and every rule's
   * nested-validation score (sum of absolute P50 errors over the nested origins, units of demand;
   * lower is better). Absent for other rules, or with fewer than two validation origins.
   * `class` also carries, pending the catalogue step (`poolCombination`), the series' MASE
   * `scale` and every rule's answer (`alternatives`); after it, `pooled`: the demand class's mean
   * of nested score / scale per rule, from which the rule was chosen.
   */
  combination?: {
    rule: string;
    nested: Record<string, number>;
    scale?: number;
    alternatives?: Record<string, SeriesForecast>;
    pooled?: Record<string, number>;
  };
}

/**
 * One-off outliers replaced in a series' history before its models were fitted
 * (`SeriesForecast.outliers`). `D` locates a day: its position in the series (`index`, 0 = the
 * series' first day, as `forecastAuto` was given it) or, in the published record
 * (`ProductForecast.outliers`), its date.
 */
export interface Outliers<D extends { index: number } | { date: string } = { index: number }> {
  /** Days replaced, over the whole history fitted (at most `maxFitLength` days). */
  count: number;
  /**
   * The most recent replaced days, oldest first, at most `OUTLIER_RECENT_DAYS` (5) of them:
   * `value` the units sold that day, `replacement` the units the models were fitted on instead
   * (the resistant level + weekly season; unrounded here, rounded to 2 decimals in the published
   * record). Empty when `count` is 0.
   */
  recent: (D & { value: number; replacement: number })[];
}

/** `Outliers` as `forecastAuto` gives them: days by their position in the series. */
export type SeriesOutliers = Outliers<{ index: number }>;

/**
 * A recent level shift a forecast was fitted after (`levelShift.ts`): where the new level starts
 * (`D`: its position in the series, or in a published record its date) and the mean units per
 * known day of the weeks compared before it (`before`) and of the days since (`after`).
 */
export type LevelShift<D extends { index: number } | { date: string } = { index: number }> = D & {
  before: number;
  after: number;
};
/** `LevelShift` located by position in the series (`SeriesForecast.levelShift`). */
export type SeriesLevelShift = LevelShift<{ index: number }>;

/**
 * Scale-free conformal scores of one series' validation forecasts (see `conformal.ts`): `up` =
 * (y − P50)/(P90 − P50), `down` = (P50 − y)/(P50 − P10), half-widths floored at `floor`.
 */
export interface ConformalScores {
  up: Float64Array;
  down: Float64Array;
  floor: number;
}

/** A series' calibration state between `forecastAuto` and the catalogue step. */
export interface SeriesConformal {
  scores: ConformalScores;
  /** Set when the series had too few scores of its own: its P10/P50/P90 are then the model's
   * own (uncalibrated; on count data P10 is 0 where the day's count is 0 with probability 0.1 or
   * more), `levels` the levels `poolCalibration` is to produce, and for count data `count`, what
   * shapes the levels the pool cannot reach (`CountEvidence`), and `p10`, the model's own P10
   * that the scores are relative to. */
  pending?: {
    levels: number[];
    count?: Omit<CountEvidence, 'sizes'>;
    p10?: Float64Array;
  };
}

/**
 * The pipeline's per-product answer: what the JSONL output holds (snake_cased there) and what
 * the DynamoDB writer stores.
 */
export interface ProductForecast {
  productId: string;
  productName?: string;
  category?: string;
  /** YYYY-MM-DD, the last day of history used. */
  asOf: string;
  horizonDays: number;
  /** The model that produced the numbers, e.g. `statistical:ets(A,N,A)` or `bedrock:<id>`. */
  model: string;
  /** Set when the requested model's answer was not used. */
  fallbackReason?: string;
  /** Expected demand over the horizon (units): the sum of the daily means where the forecast
   * gives them (`Quantiles.mean`), else of the daily P50s. */
  forecastedDemand: number;
  /** horizonDays entries, dates starting the day after asOf. */
  daily: DailyForecast[];
  /**
   * Set when the history had days whose rows were rejected (unknown, NaN in the series, not 0):
   * the forecast stands on fewer days than it seems. Absent for clean histories.
   */
  dataIssues?: DataIssues;
  /**
   * Set when the published numbers are the statistical engine's and its outlier cleaning applied
   * (`SeriesForecast.outliers`): how many days of history its models saw replaced, and the most
   * recent of them by date, with the units sold and the units fitted instead. Absent otherwise
   * (another model's answer, or demand the cleaning does not apply to).
   */
  outliers?: Outliers<{ date: string }>;
  /**
   * Set when the published numbers are the statistical engine's and it fitted them after a recent
   * level shift (`SeriesForecast.levelShift`): the date of the first day at the new level, and
   * the mean units per known day before it (the weeks compared) and since, rounded to 2 decimals.
   * Absent otherwise.
   */
  levelShift?: LevelShift<{ date: string }>;
  /**
   * Set when the published numbers are the statistical engine's and it spread a young product's
   * week by the catalogue's weekday profile (`SeriesForecast.weekdayProfile`): `source` the
   * profile's products (`category`: the product's category's, `catalogue`: the whole catalogue's),
   * and `ownWeight`, the weight 0–1 of the product's own weeks in the blend, rounded to 2
   * decimals. Absent otherwise.
   */
  weekdayProfile?: { source: 'category' | 'catalogue'; ownWeight: number };
}

/** Data-quality flag of a forecast's history (sales-data's `ProductSeries.dataIssues`). */
export interface DataIssues {
  /** Days of history whose only rows were rejected, treated as missing. */
  rejectedDays: number;
}

/** Options of the automatic per-series model choice (`forecastAuto`). Plain data, so it can be
 * sent to worker threads. */
export interface AutoOptions {
  /** Days to forecast; default 7. */
  horizon?: number;
  /** Only the last N days are fitted; default 1095. Older demand says little about next week. */
  maxFitLength?: number;
  /** Rolling validation origins (each h days) used to choose a model; default 3. */
  validationOrigins?: number;
  /** The answer is the median of this many best-validated candidates (forecast pooling);
   * 1 = plain selection. Same as `combination: 'topN'`; give one or the other. */
  combineTop?: number;
  /**
   * How the ranked candidates are combined (`combinationRule.ts`): `topN` (median of the N best,
   * `top1` = plain selection), `meanN` (their mean), `weighted` (inverse validation-MSE weights
   * over all), `all` (median of all), `select` (per series, the pool depth `top1`/`top2`/`top3`
   * of lowest nested-validation error, each validation origin scored on a ranking of the others)
   * or `class` (the same choice from the nested errors pooled over the catalogue's demand class,
   * made by the catalogue step of `forecastMany`/`backtest`; a sharded run then differs from the
   * whole one).
   * Default `top3`.
   */
  combination?: string;
  /** Override the candidate models: registry names (`ets`, `theta`, `snaive`, `combo`, ...) and
   * combinations `combo(a,b,c)` (median) or `mean-combo(a,b,c)` (mean) of registry names. */
  candidates?: string[];
  /**
   * Quantile levels to produce, each in (0, 1) with at most 4 decimals; 0.1, 0.5 and 0.9 are
   * always produced (as `p10`/`p50`/`p90`), others go to `SeriesForecast.quantiles`. Default
   * [0.1, 0.5, 0.9].
   */
  quantiles?: number[];
  /** Conformal calibration of the intervals from the validation forecasts (`conformal.ts`);
   * default true: scores pooled per demand class by the catalogue step. 'series': each series
   * from its own scores, shrunk toward the model's interval (shard-invariant). False gives the
   * models' own intervals. */
  conformal?: boolean | 'series';
  /**
   * On a count series (every known value a whole number), P50 is each day's count median and
   * the model's mean goes to `SeriesForecast.mean` (`countMedian.ts`); default true. False: P50
   * is the mean, as for a non-count series.
   */
  countMedian?: boolean;
  /**
   * On smooth demand (and erratic demand that is smooth without its outliers), fit the models on
   * the history with one-off outliers (holidays, closures, stock-outs, bulk orders) replaced by a
   * resistant level + weekly season (`outliers.ts`); the validation still scores the real days.
   * Default true. False: models see every day as it was.
   */
  cleanOutliers?: boolean;
  /**
   * Fit on the days since a recent level shift (`levelShift.ts`: demand that moved by 2× or more,
   * up or down, 3–13 whole weeks ago, beyond every one of the 6–8 weeks before and beyond what the
   * same weeks of earlier years did), as on a product's days since its first sale. Default true.
   * False: the models see the whole history.
   */
  levelShifts?: boolean;
  /**
   * Spread a young product's week (under 26 whole weeks since its first sale) by the catalogue's
   * weekday profile blended with its own weeks, where the series' context carries one
   * (`weekdayPrior`, which `forecastMany` and `backtest` read across their inputs with this on).
   * Default true. False: each product's week is its models' alone.
   */
  catalogueProfile?: boolean;
}

/** How `forecastAuto` calibrates intervals: 'pool' (catalogue step), 'series', or 'off'. */
export type ConformalMode = 'pool' | 'series' | 'off';

/**
 * Known-future regressors of one series (public holidays, yearly Fourier terms, planned events):
 * `columns[j]` is regressor `names[j]`, one value per day from the series' first day through the
 * last day of the horizon, so each column has `y.length + horizon` values (history, then future).
 */
export interface Regressors {
  names: string[];
  columns: Float64Array[];
}

/**
 * Forecasts of one series made outside its own fit (for example a global model trained across the
 * whole catalogue), entered into the race as candidate `name`. `forecasts` holds one forecast per
 * training end: `end` is the number of days of `y` (from `y[0]`) the forecast was made from, so
 * the selector finds the forecast from each validation origin (`y.length - horizon·o`) and from
 * the end of the history (`y.length`). An origin without an entry drops the candidate for that
 * origin, as a model that cannot fit does.
 */
export interface ExternalCandidate {
  name: string;
  forecasts: { end: number; q: QuantileForecast }[];
}

/**
 * The weekly pattern a catalogue's products share, as one series sees it
 * (`catalogueWeekdayPrior`, `withWeekdayPriors`): a store's weekday footfall lifts most of its
 * products on the same days.
 */
export interface WeekdayPrior {
  /** The catalogue's mean share of each weekday, indexed by this series' phase t mod 7 (7
   * values averaging 1; 0 on a weekday no product sells). */
  share: number[];
  /** τ²: the variance of products' own shares around `share` beyond their weeks' noise (pooled
   * over the weekdays, ≥ 0); how far one product's week may be from the catalogue's. */
  between: number;
  /** α: how much noisier than Poisson counts the products' days are, as a negative binomial's
   * dispersion (variance μ + α μ²): the median over the products read of their weeks' share
   * variance beyond Poisson's 1/λ (≥ 0; default 0). Floors the noise of a product with under 4
   * whole weeks, which cannot show its own, and sets each weekday's tolerance in
   * `blendedProfile`. */
  dispersion?: number;
  /** The category whose products it was read from; absent: the whole catalogue's. */
  category?: string;
}

/**
 * A young product's week spread by its catalogue's weekday profile
 * (`SeriesForecast.weekdayProfile`): the category it came from (absent: the whole catalogue's)
 * and `ownWeight`, the weight 0–1 of the product's own weeks in the blend (B of
 * `blendedProfile`).
 */
export interface SeriesWeekdayProfile {
  category?: string;
  ownWeight: number;
}

/** What one series' forecast may know beyond its values; every field is optional. */
export interface SeriesContext {
  /** ISO date (YYYY-MM-DD) of `y[0]`: places calendar effects and day-of-week features. */
  startDate?: string;
  /** Known-future regressors (see {@link Regressors}). */
  regressors?: Regressors;
  /** Candidates fitted outside the series' own fit (see {@link ExternalCandidate}). */
  external?: ExternalCandidate[];
  /** The product's category: products of one category share a weekday profile first
   * (`withWeekdayPriors`). */
  category?: string;
  /** The catalogue's weekly pattern (see {@link WeekdayPrior}; `withWeekdayPriors`). */
  weekdayPrior?: WeekdayPrior;
}

/**
 * One series to forecast or backtest. The numeric entry points take Float64Array (the default);
 * `forecastMany` also takes the job's compact `SeriesValues` (`SeriesInput<SeriesValues>`) and
 * widens each series to Float64 only while it forecasts it.
 */
export interface SeriesInput<Y extends SeriesValues = Float64Array> {
  id: string;
  /**
   * Daily demand, oldest first, one value per calendar day: a day without a row is 0 (it sold
   * nothing), a day whose demand is unknown (its row was rejected) is NaN. NaN is skipped by
   * every model, the selector and the metrics; ±Infinity and negatives are rejected.
   */
  y: Y;
  /** What the forecast may know beyond `y` (see {@link SeriesContext}). */
  context?: SeriesContext;
}

/** Options of `backtest`. */
export interface BacktestOptions {
  /** Days forecast at each origin (7 in the team protocol). */
  horizon: number;
  /** Origins o = 1..origins; origin o cuts the last horizon·o days. */
  origins: number;
  /** Registry model names, plus `auto` for `forecastAuto`. */
  models: string[];
  /** Seasonal period of the MASE scale; default 7. */
  period?: number;
  /** Options passed to `forecastAuto` for the `auto` model. */
  auto?: AutoOptions;
  /**
   * The context of series `seriesId` cut to its first `length` days (its start date and calendar
   * regressors over those days and the horizon, as a run on that day would build them); `auto`
   * forecasts each training part with it. Registry models ignore it. Default: no context.
   */
  contextAt?: (seriesId: string, length: number) => SeriesContext | undefined;
  /**
   * Enter the global model into `auto`'s race, as `forecastMany`'s `globalModel` does in a run:
   * fitted at each origin on that origin's training parts. Default off.
   */
  globalModel?: boolean;
}

/** The scores of one fit (one series, one model, one origin). */
export interface BacktestFit {
  seriesId: string;
  model: string;
  /** What actually produced the numbers (e.g. `ets(A,N,A)` for `auto`). */
  chosen: string;
  origin: number;
  demandClass: DemandClass;
  mase: number;
  /** Sum of absolute errors and of actuals, kept so WAPE can be pooled. */
  absError: number;
  sumActual: number;
  /** Sum of (forecast − actual). */
  error: number;
  /** Sum over P10/P50/P90 of the pinball loss (times 2) over the horizon. */
  quantileLoss: number;
  /** Share of actuals inside [P10, P90]. */
  coverage: number;
  /** Shares of actuals above P90 and below P10 (each nominally 0.10). */
  above: number;
  below: number;
  fitMs: number;
  /** Models with a fallback only (`ExternalModel.hasFallback`): true when the model's own answer
   * was not used and its fallback forecast is what was scored. */
  fallback?: boolean;
}

/** Aggregate of many fits. */
export interface BacktestSummary {
  model: string;
  fits: number;
  /** Mean MASE over fits (the team protocol's headline figure). */
  meanMase: number;
  /** Pooled sum|e| / sum(actual); NaN when no demand at all. */
  wape: number;
  /** Pooled sum(f − a) / sum(a), f the expected demand (the mean where P50 is a count median,
   * else P50): positive means over-forecasting. */
  bias: number;
  /** Pooled weighted quantile loss over P10/P50/P90 (sum of losses / sum of actuals / 3). */
  wql: number;
  /** Mean share of actuals inside the P10–P90 band (nominal 0.8). */
  coverage: number;
  /** Mean shares of actuals above P90 and below P10 (nominal 0.1 each; with `coverage` they
   * sum to 1). A P10 of 0 cannot be undershot, so `below` is low on intermittent demand. */
  above: number;
  below: number;
  /** Mean fit + forecast time per fit, milliseconds. */
  meanFitMs: number;
  /** Fits skipped because the MASE scale was 0 (flat training data) or too little history. */
  skipped: number;
  /** Fits where the model threw (or, for an external model, gave no usable answer). */
  failed: number;
  /** Models with a fallback only (`ExternalModel.hasFallback`): scored fits whose numbers came
   * from the model's fallback. Absent where a fallback does not apply (registry models, external
   * models without one), which the leaderboard prints as `-`. */
  fallbacks?: number;
}

export interface BacktestReport {
  horizon: number;
  origins: number;
  series: number;
  /** One row per model, in the order requested. */
  byModel: BacktestSummary[];
  /** Per demand class, one row per model. */
  byClass: Partial<Record<DemandClass, BacktestSummary[]>>;
  /** How often `auto` chose each model. */
  autoChoices: Record<string, number>;
  fits: BacktestFit[];
}

/** The scores of one forecast against what happened next. */
export interface ForecastScore {
  /** Mean absolute error over the horizon divided by the training part's `maseScale`; NaN when
   * that scale is 0. */
  mase: number;
  absError: number;
  sumActual: number;
  /** Sum of (forecast − actual). */
  error: number;
  /** Sum over P10/P50/P90 of the pinball loss (times 2). */
  quantileLoss: number;
  /** Share of actuals inside [P10, P90]. */
  coverage: number;
  /** Shares of actuals above P90 and below P10 (each nominally 0.10). */
  above: number;
  below: number;
}

/** One rolling origin: the training part of every series that can be scored there. */
export interface BacktestOrigin {
  /** 1..origins; origin o holds out the last horizon·o days. */
  origin: number;
  /** Days cut from the end of every series (horizon·origin). */
  holdoutDays: number;
  /** Series (same ids) truncated at the cut; series skipped at this origin are left out. */
  trains: SeriesInput[];
}

/** What an external model answered for one series at one origin. */
export interface ExternalForecast extends Quantiles {
  /** At least horizon values each (p10, p50, p90); only the first horizon are scored. */
  /** What produced the numbers (e.g. the fallback's statistical model); default the model name. */
  chosen?: string;
  /** True when the model's own answer was rejected or missing and a fallback is given instead. */
  fallback?: boolean;
}

/** A model that forecasts outside the engine (Bedrock, Chronos, another service). */
export interface ExternalModel {
  /** Row name in the report, e.g. `bedrock:<modelId>`. */
  name: string;
  /**
   * True for a model that can answer a series with its fallback's forecast (a remote model whose
   * rejected or missing answers the statistical forecast replaces, marked `fallback`): its rows
   * count them (`BacktestSummary.fallbacks`) and its fits say `fallback`. Default false: no
   * fallback count, as for registry models, and an answer marked `fallback: true` fails the
   * backtest (InvalidOptionError) rather than being scored as the model's own.
   */
  hasFallback?: boolean;
  /**
   * Forecasts every series of one origin in one call, so a remote model can batch. Called once
   * per origin, in order. An id missing from the answer counts as a failed fit; a throw aborts
   * the backtest (a remote model's access or configuration errors are not per-series failures).
   */
  forecast(
    origin: BacktestOrigin,
  ): Promise<ReadonlyMap<string, ExternalForecast>> | ReadonlyMap<string, ExternalForecast>;
}

/** Options of `backtestExternal`: `backtest`'s, with external models allowed in `models`. */
export interface ExternalBacktestOptions extends Omit<BacktestOptions, 'models'> {
  /** Registry names, `auto` and external models, in the order the report lists them. */
  models: Array<string | ExternalModel>;
}
