/**
 * Public types of the forecasting engine. Pure data: no I/O, no AWS SDK.
 */

/** Quantile levels every model must produce. */
export interface QuantileForecast {
  /** 10th percentile per step (h values). */
  p10: Float64Array;
  /** Median / point forecast per step (h values). */
  p50: Float64Array;
  /** 90th percentile per step (h values). */
  p90: Float64Array;
}

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
}

/** The engine's answer for one product and horizon. */
export interface SeriesForecast extends QuantileForecast {
  /** e.g. `statistical:ets(M,Ad,M)` */
  model: string;
  demandClass?: DemandClass;
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
  /** Sum of daily p50 over the horizon. */
  forecastedDemand: number;
  /** horizonDays entries, dates starting the day after asOf. */
  daily: DailyForecast[];
}
