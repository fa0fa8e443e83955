import type {
  AccuracyPoint as ScoredAccuracyPoint,
  LevelShift,
  Outliers,
  ProductForecast,
} from '@retail-forecast/forecasting';
import type { StockoutRiskRow } from '@retail-forecast/inventory-planning';

/**
 * Everything one run's HTML report shows: plain JSON data (the page embeds it as JSON), built by
 * the job after a run. Dates are `YYYY-MM-DD` calendar days; quantities are units sold.
 * Unknown is `null`, never 0: a section whose data was not computed in this run shows an empty
 * state that says why.
 */
export interface ReportModel {
  run: ReportRun;
  dataIssues: ReportDataIssues;
  /** Products per model that produced their numbers, most used first. */
  modelMix: ModelMixEntry[];
  /** Every forecast product, in the order the page lists them (the job sorts by id). */
  products: ReportProduct[];
  /** Products most at risk of a stock-out, most at risk first; empty when stock is unknown. */
  stockRisk: StockRiskEntry[];
  /** Reorder suggestions, most urgent first; `null` when this run did not compute them. */
  reorder: ReorderEntry[] | null;
  /** Accuracy of past runs' forecasts scored against what then sold, oldest first; `null` when not tracked. */
  accuracy: AccuracyPoint[] | null;
}

/** The run the report describes. */
export interface ReportRun {
  runId: string;
  /** Last day of history; forecast day `i` (0-based) is `asOf + 1 + i`. */
  asOf: string;
  /** Days forecast per product. */
  horizon: number;
  /** The requested model, e.g. `statistical` or `bedrock:<modelId>`. */
  model: string;
  /**
   * The statistical engine's settings beyond the sales data, as the job words them
   * (`global model on, holidays US-CA, no events`).
   */
  engine: string;
  /** `s3://bucket/prefix/` or the local path the data came from. */
  source: string;
  /** DynamoDB table written; `null` on a dry run. */
  table: string | null;
  /** ISO 8601 timestamp of the report. */
  generatedAt: string;
  durationSeconds: number;
  /** Process exit code of the run (0 all written, 1 some products failed). */
  exitCode: number;
  productsRead: number;
  productsForecast: number;
  /** Items updated in DynamoDB; `null` on a dry run. */
  productsWritten: number | null;
  /** Items left alone because they already held a newer forecast. */
  productsSkippedNewer: number;
  /** Bedrock/Chronos use; `null` for a statistical run. */
  remote: RemoteModelUse | null;
}

/** Requests and answers of a Bedrock or Chronos run. */
export interface RemoteModelUse {
  requests: number;
  retries: number;
  accepted: number;
  rejected: number;
  fallback: number;
  inputTokens: number;
  outputTokens: number;
  /** `null` when no price is known for the model. */
  estimatedCostUsd: number | null;
}

/** What was wrong with the input or the run; all zero and empty on a clean run. */
export interface ReportDataIssues {
  files: number;
  rowsRead: number;
  rowsUsed: number;
  /** Rows skipped, per reason (`invalid_date`, `negative_sales`, … ; `after_as_of` is not an error). */
  rowsSkipped: Record<string, number>;
  /** Rows summed into an existing product/day. */
  duplicateRows: number;
  /** The first reported row problems, in reading order. */
  rowSamples: RowIssueSample[];
  /**
   * File-level warnings (time zones, ids differing by whitespace, events-file lines counted once
   * or never used), as messages naming file and line; absent or empty when none.
   */
  warnings?: string[];
  /** Products whose forecast could not be written. */
  failedProducts: { productId: string; error: string }[];
  /** Products whose requested model's answer was not used, per reason code. */
  fallbacks: { count: number; reasons: Record<string, number> };
}

export interface RowIssueSample {
  /** `s3://bucket/key` or a local path. */
  file: string;
  /** 1-based line (CSV/JSON Lines) or row (Parquet). */
  row: number;
  productId?: string;
  message: string;
}

export interface ModelMixEntry {
  /** Model family without its parameters, e.g. `statistical:ets` or `bedrock:<modelId>`. */
  model: string;
  products: number;
}

/** One product's recent history and forecast, drawn as one chart. */
export interface ReportProduct {
  id: string;
  name?: string;
  category?: string;
  /** The model that produced the numbers, e.g. `statistical:ets(A,N,A)`. */
  model: string;
  /** `smooth`, `intermittent`, `lumpy` or `erratic`, when the statistical engine classified it. */
  demandClass?: string;
  /** Set when the requested model's answer was not used. */
  fallbackReason?: string;
  /**
   * The forecast record's `outliers` (README "Outliers in smooth demand"): how many days of
   * history the models were fitted on with a replacement, and the most recent of them, oldest
   * first (`date`, `value` the units sold, `replacement` the units fitted instead). The card shows
   * them when `count` > 0; absent when the cleaning did not apply.
   */
  outliers?: Outliers<{ date: string }>;
  /**
   * The forecast record's `levelShift` (README "Level shifts"): the first day at a new level the
   * models were fitted from, and the mean units a day before it and since. The card says so;
   * absent when none was read.
   */
  levelShift?: LevelShift<{ date: string }>;
  /**
   * The forecast record's `weekdayProfile` (README "Young products' weekly pattern"): a young
   * product's week spread by the weekday profile of its category's (`source` `category`) or the
   * whole catalogue's products, and the weight 0–1 of its own weeks in the blend. The card says
   * so; absent where the week is the models' own.
   */
  weekdayProfile?: ProductForecast['weekdayProfile'];
  /**
   * Recent daily units sold, oldest first; the last value is `run.asOf`. Shorter than the
   * chosen window for a product that started selling recently.
   */
  history: number[];
  /**
   * Expected units over the horizon: the forecast's `forecastedDemand` (the sum of the daily
   * means, P50 where a day has none). The card's total shows this; the page never sums P50s,
   * which on a count series are medians whose sum falls short of the expected total.
   */
  forecastedDemand: number;
  /**
   * Daily figures for `run.asOf + 1 …`, each array `run.horizon` long: the quantiles
   * (p10 ≤ p50 ≤ p90; P50 is the day's median), and `mean`, the expected units per day, present
   * when the forecast gives means (a count series, whose P50 is a count median).
   */
  forecast: { p10: number[]; p50: number[]; p90: number[]; mean?: number[] };
}

/** One row of the stock-out risk table: `rankStockoutRisk`'s row without category and horizon. */
export type StockRiskEntry = Pick<
  StockoutRiskRow,
  | 'productId'
  | 'productName'
  | 'currentStock'
  | 'forecastedDemand'
  | 'p90Total'
  | 'daysOfCover'
  | 'stockoutRisk'
>;

/** A reorder suggestion for one product. */
export interface ReorderEntry {
  productId: string;
  productName?: string;
  /** Units: place an order when stock on hand falls to this level. */
  reorderPoint: number;
  /** Units to order now; 0 when no order is needed. */
  suggestedOrderQty: number;
  /** Last day to place the order without risking a stock-out; `null` when none is needed. */
  reorderBy: string | null;
  currentStock?: number;
  leadTimeDays?: number;
}

/**
 * How well the forecasts made at one as-of date matched what then sold: the forecasting engine's
 * accuracy point (WAPE, MASE, bias as fractions; P10–P90 coverage; null where undefined), plus
 * how many products were scored when known.
 */
export interface AccuracyPoint extends ScoredAccuracyPoint {
  /** Products scored at this date. */
  products?: number;
}

/** The chart library's files, read by the app (the lib does no I/O) and inlined into the page. */
export interface ChartLibraryFiles {
  /** The library's browser script, exactly as shipped. */
  script: string;
  /** Its style sheet. */
  css: string;
}

export interface RenderReportOptions {
  /** The files named by `CHART_LIBRARY`. */
  chartLibrary: ChartLibraryFiles;
  /** Page title; default `Demand forecast <asOf>`. */
  title?: string;
}
