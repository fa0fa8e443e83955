export type {
  Quantiles,
  QuantileForecast,
  FittedModel,
  Model,
  DemandClass,
  DailyForecast,
  SeriesForecast,
  SeriesOutliers,
  Outliers,
  LevelShift,
  SeriesLevelShift,
  ProductForecast,
  AutoOptions,
  SeriesInput,
  BacktestOptions,
  BacktestFit,
  BacktestSummary,
  BacktestReport,
  BacktestOrigin,
  ExternalBacktestOptions,
  ExternalForecast,
  ExternalModel,
  ForecastScore,
  Regressors,
  ExternalCandidate,
  SeriesContext,
  WeekdayPrior,
  SeriesWeekdayProfile,
  ConformalScores,
  SeriesConformal,
  ConformalMode,
} from './types';
export {
  ForecastingError,
  InvalidSeriesError,
  InvalidOptionError,
  UnknownModelError,
  ForecastWorkerError,
} from './errors';
export { hasMissing, countKnown } from './missing';
export {
  recentLevelShift,
  SHIFT_MIN_WEEKS,
  SHIFT_MIN_RISE_WEEKS,
  SHIFT_MAX_WEEKS,
  SHIFT_BEFORE_WEEKS,
  SHIFT_MIN_BEFORE_WEEKS,
  SHIFT_MIN_RATIO,
} from './levelShift';
export {
  weekdayProfile,
  profileChanged,
  catalogueWeekdayPrior,
  withWeekdayPriors,
  blendedProfile,
  PROFILE_WEEKS,
  PRIOR_MAX_WEEKS,
  PRIOR_MIN_PRODUCTS,
  type WeekdayProfile,
} from './weekdayProfile';
export {
  forecastAuto,
  calendarHistoryTooShort,
  calendarMinHistoryDays,
  assertValidContext,
  inactiveDays,
  INACTIVE_MIN_DAYS,
  OUTLIER_RECENT_DAYS,
  SMOOTH_CANDIDATES,
  INTERMITTENT_CANDIDATES,
} from './auto';
export {
  countMedian,
  isCountSeries,
  recountMedian,
  noSaleChance,
  weekdayZeroEvidence,
  zeroMedian,
  type ZeroEvidence,
  type ZeroTally,
  ZERO_HALF_LIFE_WEEKS,
  weekdayDispersion,
  weekdayZeroShare,
  ZERO_EVIDENCE_DAYS,
  ZERO_PRIOR_DAYS,
  withCountMedian,
  DISPERSION_WINDOW_DAYS,
} from './countMedian';
export {
  CLOSED_CHANCE,
  CLOSED_MIN_DAYS,
  closedNoSaleChance,
  isClosed,
  onOpenDays,
  weekdayClosedDays,
} from './closedWeekdays';
export {
  lumpyCountQuantiles,
  recentSizes,
  LUMPY_SIZES_WINDOW_DAYS,
  MIN_LUMPY_SIZES,
} from './lumpyCount';
export {
  cleanOutliers,
  outlierUplift,
  outlierHistoryTooShort,
  resistantFit,
  OUTLIER_FENCE_IQR,
  type CleanedSeries,
} from './outliers';
export {
  CHOOSABLE_RULES,
  COMBINATION_RULES,
  DEFAULT_COMBINATION,
  chooseRule,
  nestedRuleScores,
  poolCombination,
} from './combinationRule';
export {
  calendarRegressors,
  holidayName,
  HOLIDAY_BEFORE,
  HOLIDAY_AFTER,
  parseHolidayRegion,
  publicHolidays,
  fourierColumns,
  fourierName,
  FOURIER_MIN_DAYS,
  MAX_FOURIER_K,
  YEAR_DAYS,
  eventColumns,
  eventName,
  DHR,
  sparseDummies,
} from './calendar';
export type { CalendarOptions, HolidayRegion, EventScope, PlannedEvent } from './calendar';
export { backtest, backtestExternal, backtestOrigins } from './backtest';
export { fitGlobalModel, fitGlobalCandidates } from './global/globalModel';
export type { GlobalModelOptions, GlobalModelResult, GlobalModelStats } from './global/globalModel';
export {
  calibrateQuantiles,
  type CountEvidence,
  type CountShape,
  conformalQuantile,
  conformalScores,
  shrunkConformalScale,
  poolCalibration,
  normalizeLevels,
  levelKey,
  DEFAULT_LEVELS,
  MIN_OWN_SCORES,
  MIN_POOL_SCORES,
  PRIOR_SCORES,
} from './conformal';
export { mergeBacktestReports, scoreForecast } from './backtestScore';
export { autoChoiceCounts, formatLeaderboard } from './leaderboard';
export {
  cleanExtraLevels,
  cleanQuantiles,
  datedOutliers,
  datedLevelShift,
  toProductForecast,
} from './productForecast';
export type { ProductMeta } from './productForecast';
export {
  mase,
  maseScale,
  mae,
  wape,
  bias,
  pinballLoss,
  quantileLoss,
  weightedQuantileLoss,
  coverage,
  pitCoverage,
  tailShares,
} from './metrics';
export { scoreIssuedForecasts } from './accuracy';
export type {
  IssuedForecast,
  ActualSeries,
  AccuracyOptions,
  AccuracyMetrics,
  AccuracyGroup,
  AccuracyPoint,
  AccuracyDegradation,
  MissingProduct,
  AccuracyReport,
} from './accuracyTypes';
export {
  classifyDemand,
  currentDemandClass,
  demandStats,
  ADI_CUTOFF,
  CV2_CUTOFF,
  REGIME_LATEST_DAYS,
  REGIME_SHIFT_Z,
  REGIME_STILL_CHANCE,
  REGIME_WINDOWS_DAYS,
} from './classify';
export type { DemandStats } from './classify';
export { MODELS, getModel, modelFamily, modelNames } from './models/registry';
export { fitNaive, fitSeasonalNaive, fitRecentMean } from './models/baseline';
export {
  countQuantiles,
  fitConstantHistory,
  fitShortHistory,
  negBinomialQuantile,
} from './models/countModels';
export { fitSes } from './models/ses';
export type { SesOptions, FittedSes } from './models/ses';
export { fitTheta, fitOptimizedTheta, fitDynamicOptimizedTheta } from './models/theta';
export type { ThetaOptions, FittedTheta } from './models/theta';
export { fitCroston, fitSba, fitTsb } from './models/intermittent';
export type { CrostonOptions, TsbOptions, FittedIntermittent } from './models/intermittent';
export { comboModel, combineQuantiles } from './models/combo';
export type { Combiner } from './models/combo';
export { etsName, fitEts, autoEts, etsModel } from './models/ets';
export type { EtsSpec, EtsOptions, FittedEts } from './models/ets';
export {
  arimaOrderName,
  autoArima,
  fitArima,
  ndiffs,
  nsdiffs,
  ArimaFitError,
  arimaModel,
  fitSarima,
  sarimaForecaster,
  sarimaModel,
} from './models/arima';
export type {
  ArimaFit,
  ArimaFitOptions,
  ArimaOrder,
  AutoArimaOptions,
  SarimaFit,
} from './models/arima';
