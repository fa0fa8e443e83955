/** Public types of the realized-accuracy scoring (`scoreIssuedForecasts`). */

import type { SeriesValues } from '@retail-forecast/util';

/** One product and day of a forecast issued on an earlier as-of date (an archived row). */
export interface IssuedForecast {
  productId: string;
  /** YYYY-MM-DD: the issuing run's last day of history. */
  asOf: string;
  /** 1 = the day after asOf. */
  horizonDay: number;
  /** Published quantiles (units); P50 is the day's median. */
  p10: number;
  p50: number;
  p90: number;
  /**
   * Expected units that day where the P50 is a count median (`DailyForecast.mean`); absent or
   * null where the P50 is the mean (and in rows archived before the mean was kept), so the
   * expected demand is `mean ?? p50`.
   */
  mean?: number | null;
}

/** What has actually sold: a product's daily series through the scoring run's as-of. */
export interface ActualSeries {
  productId: string;
  category?: string;
  /** YYYY-MM-DD of values[0]. */
  startDate: string;
  /** Daily units, startDate through the scoring as-of inclusive. */
  values: SeriesValues;
}

export interface AccuracyOptions {
  /** YYYY-MM-DD: the scoring run's as-of; actuals are known through this day. */
  asOf: string;
  /** Forecasts issued in the last `windowDays` days are scored; default 28. */
  windowDays?: number;
  /** Seasonal period of the MASE scale; default 7. */
  period?: number;
  /** `degraded` when last week's horizon-total WAPE exceeds factor × its median; default 1.5. */
  alarmFactor?: number;
  /** Complete-horizon origins the comparison needs; default 10. */
  minOrigins?: number;
  /** Days whose one-day-ahead interval is checked for `missing`; default 7. */
  missDays?: number;
}

/**
 * Realized accuracy of a set of forecasts; null where undefined (no demand, flat history). F is
 * the day-1 P50 (the median, which absolute error rewards) for one day ahead, and the expected
 * total Σ (mean ?? P50) for a horizon total; E is the expected demand, `mean ?? p50` of day 1 or
 * the same expected total.
 */
export interface AccuracyMetrics {
  /** Forecasts scored (products × issuing dates). */
  forecasts: number;
  /** Σ|F − A| / Σ A. */
  wape: number | null;
  /** Mean over forecasts of MASE (of F) against the in-sample seasonal-naive MAE at issue time. */
  mase: number | null;
  /** Σ(E − A) / Σ A; positive = over-forecast. */
  bias: number | null;
  /** Share of actual days inside [P10, P90]. */
  coverage: number | null;
}

export interface AccuracyGroup {
  level: 'product' | 'category' | 'overall';
  /** Product id, category name (`(none)` when unknown) or `all`. */
  key: string;
  /** Each forecast's first day against that day's actual. */
  oneDayAhead: AccuracyMetrics;
  /** Each fully observed forecast's horizon total against the actual total. */
  horizonTotal: AccuracyMetrics;
}

/** One issuing date's overall accuracy (a point of the accuracy trend). */
export interface AccuracyPoint {
  /** YYYY-MM-DD the forecasts were issued on. */
  asOf: string;
  /** Weighted absolute percentage error, a fraction (0.25 = 25 %). */
  wape: number | null;
  /** Mean absolute scaled error (scaled by the in-sample seasonal-naive MAE); below 1 beats it. */
  mase: number | null;
  /** (Σ expected demand − Σ actual) / Σ actual, a fraction; positive means over-forecast. */
  bias: number | null;
  /** Share of actual days inside the P10–P90 band, a fraction (0.8 is calibrated). */
  coverage: number | null;
}

export interface AccuracyDegradation {
  /** Pooled horizon-total WAPE of the last 7 complete issuing dates. */
  lastWeekWape: number | null;
  /** Median of the daily horizon-total WAPE over the last 28 complete issuing dates. */
  medianWape: number | null;
  factor: number;
  /** Complete issuing dates in the 28-day window. */
  origins: number;
  degraded: boolean;
  /** Why no comparison was made, when none was. */
  reason?: string;
}

/** A product whose actuals keep falling outside its forecast interval. */
export interface MissingProduct {
  productId: string;
  /** Days (of `days`) with the actual outside the one-day-ahead [P10, P90]. */
  outside: number;
  days: number;
}

export interface AccuracyReport {
  asOf: string;
  /**
   * The window of issuing dates scored: its first and last day (`windowDays` days up to the day
   * before `asOf`, whether or not forecasts were issued on them), and how many issuing dates in
   * it had forecasts scored (the first and last of those are `trend.oneDayAhead`'s).
   */
  window: { from: string; to: string; origins: number };
  overall: AccuracyGroup;
  categories: AccuracyGroup[];
  products: AccuracyGroup[];
  trend: { oneDayAhead: AccuracyPoint[]; horizonTotal: AccuracyPoint[] };
  degradation: AccuracyDegradation;
  missing: MissingProduct[];
}
