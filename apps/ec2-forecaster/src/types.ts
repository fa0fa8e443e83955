import type { SeriesValues } from '@retail-forecast/util';
import type {
  BadRowBudget,
  DuplicatePolicy,
  LoadWarning,
  RowIssue,
} from '@retail-forecast/sales-data';
import type { BedrockRunStats } from '@retail-forecast/bedrock-client';
import type { AccuracyReport, BacktestReport, SeriesContext } from '@retail-forecast/forecasting';
import type {
  GUARDRAIL_MODES,
  LOG_FORMATS,
  MODEL_MODES,
  OUTLIER_SETTINGS,
  LEVEL_SHIFT_SETTINGS,
  WEEKDAY_PROFILE_SETTINGS,
  ShardSpec,
} from '@retail-forecast/job-contract';
import type { ReorderPolicy } from '@retail-forecast/inventory-planning';
import type { LogLevel } from '@retail-forecast/util';

/** Streams and environment of one CLI invocation (the process's own, or a test's). */
export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WriteStream | NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
  /** Forecasting worker entry (the bundle passes its own URL). */
  workerUrl?: URL;
}

/**
 * A model setting: `statistical`, `bedrock:<modelId>`, `chronos:<endpoint ARN or model id>` or
 * `chronos2:<SageMaker endpoint name or ARN>`.
 */
export type ModelSpec = { kind: 'statistical'; id: 'statistical' } | RemoteModelSpec;

/**
 * A remote model: a Converse LLM or a Chronos-Bolt endpoint on Amazon Bedrock, or Chronos-2 on a
 * SageMaker endpoint.
 */
export interface RemoteModelSpec {
  kind: 'bedrock' | 'chronos' | 'chronos2';
  id: string;
}

export type GuardrailMode = (typeof GUARDRAIL_MODES)[number];
/** `sync`: one Converse call per prompt batch; `batch`: one batch inference job; `auto`: by size. */
export type ModelMode = (typeof MODEL_MODES)[number];

/** Where and as whom a Bedrock batch inference job runs (set for `batch` and `auto`). */
export interface BatchSettings {
  /** The batch service role Bedrock assumes. */
  roleArn: string;
  /** `s3://bucket/prefix/`: records go under `input/`, answers under `output/`. */
  s3: string;
  /** Products from which `auto` sends a batch job. */
  threshold: number;
  pollSeconds: number;
}
export type LogFormat = (typeof LOG_FORMATS)[number];
/** `clean` (smooth demand fitted with its one-off outliers replaced) or `keep`. */
export type OutlierSetting = (typeof OUTLIER_SETTINGS)[number];
/** `follow` (demand that moved 2× or more 3–13 weeks ago fitted since the shift) or `ignore`. */
export type LevelShiftSetting = (typeof LEVEL_SHIFT_SETTINGS)[number];
/** `catalogue` (young products' flat weeks spread by the catalogue's weekday profile) or `own`. */
export type WeekdayProfileSetting = (typeof WEEKDAY_PROFILE_SETTINGS)[number];

/** Everything a run needs, parsed once at the edge. */
export interface RunConfig {
  runId: string;
  /** `s3://bucket/prefix/` or a local file/directory. */
  source: string;
  /** DynamoDB table; absent only with dryRun. */
  table?: string;
  asOf?: string;
  horizon: number;
  /** Quantile levels asked for (`--quantiles`), sorted; absent: P10/P50/P90 only. */
  quantiles?: number[];
  model: ModelSpec;
  guardrail: GuardrailMode;
  modelMode: ModelMode;
  /** Set when `modelMode` is `batch` or `auto` and the model is a Converse model. */
  batch?: BatchSettings;
  output?: string;
  /** HTML report: a local `.html` file or `s3://bucket/prefix/` (see `report.ts`). */
  report?: string;
  dryRun: boolean;
  json: boolean;
  /** Parallel DynamoDB updates / Bedrock requests. */
  concurrency: number;
  /** Forecasting and Parquet-decoding worker threads (0 = automatic; 1 = the main thread). */
  workers: number;
  /** Whether the global model across products joins every product's model race. */
  globalModel: boolean;
  /** How each product's ranked models are combined (`AutoOptions.combination`). */
  combination: string;
  /**
   * Whether smooth demand is fitted with its one-off outliers replaced (`--outliers clean`,
   * `AutoOptions.cleanOutliers`) or on every day as it was (`keep`).
   */
  cleanOutliers: boolean;
  /**
   * Whether demand that moved 2× or more 3–13 weeks ago is fitted on the days since the shift
   * (`--level-shifts follow`, `AutoOptions.levelShifts`) or on the whole history (`ignore`).
   */
  followLevelShifts: boolean;
  /**
   * Whether a young product's week that its models left flat is spread by its category's or
   * catalogue's weekday profile (`--weekday-profile catalogue`, `AutoOptions.catalogueProfile`)
   * or kept as its models made it (`own`).
   */
  catalogueProfile: boolean;
  /** File where the job appends CloudWatch Embedded Metric Format lines. */
  metricsFile?: string;
  /** `Service` dimension of the job's metrics. */
  metricsService: string;
  logFormat: LogFormat;
  logLevel: LogLevel;
  region?: string;
  /** IANA zone of bare UTC instants in the Gold data. */
  timezone: string;
  onDuplicate: DuplicatePolicy;
  maxBadRows: BadRowBudget;
  /** Minutes after the start by which the run must be done (model requests stop earlier). */
  deadlineMinutes: number;
  /** Replenishment policy for items without their own attributes. */
  reorder: ReorderPolicy;
  /** Forecast archive: `s3://bucket/prefix/` or a local directory. */
  archive?: string;
  /** `AccuracyDegraded` fires above this × the 28-day median horizon-total WAPE. */
  accuracyAlarmFactor: number;
  /** Forecast only this share of the catalog (`--shard i/N`, N > 1); absent for the whole. */
  shard?: ShardSpec;
  /** Where the run writes its JSON summary (`s3://bucket/prefix/` or a directory). */
  summaries?: string;
  /** Public holidays of this country or region (`US`, `US-CA`) as calendar regressors. */
  holidays?: string;
  /** Known-future events CSV, a local path or `s3://bucket/key`. */
  events?: string;
}

/** Run settings given as command-line flags; each wins over its environment variable. */
export interface RunFlags {
  source?: string;
  table?: string;
  asOf?: string;
  horizon?: string | number;
  quantiles?: string;
  model?: string;
  guardrail?: string;
  modelMode?: string;
  batchThreshold?: string | number;
  output?: string;
  report?: string;
  dryRun?: boolean;
  json?: boolean;
  concurrency?: string | number;
  workers?: string | number;
  globalModel?: string;
  combination?: string;
  outliers?: string;
  levelShifts?: string;
  weekdayProfile?: string;
  metricsFile?: string;
  logFormat?: string;
  timezone?: string;
  onDuplicate?: string;
  maxBadRows?: string;
  deadlineMinutes?: string | number;
  leadTimeDays?: string | number;
  reviewPeriodDays?: string | number;
  serviceLevel?: string | number;
  archive?: string;
  shard?: string;
  summaries?: string;
  holidays?: string;
  events?: string;
}

export interface StockRiskRow {
  productId: string;
  productName?: string;
  currentStock: number;
  /**
   * Expected units over the run's horizon (`ProductForecast.forecastedDemand`: the sum of the
   * daily means, P50 where a day has none).
   */
  forecastedDemand: number;
  /** P90 total over the run's horizon. */
  p90Total: number;
  daysOfCover: number | null;
  stockoutRisk: boolean;
}

/** One product's reorder suggestion as the summary shows it. */
export interface ReorderRow {
  productId: string;
  productName?: string;
  currentStock: number;
  reorderPoint: number;
  orderUpToLevel: number;
  suggestedOrderQty: number;
  /** YYYY-MM-DD; null when no order is due within the horizon. */
  reorderBy: string | null;
  leadTimeDays: number;
  reviewPeriodDays: number;
  serviceLevel: number;
}

/** A holiday or event column and the number of products whose history sees it too rarely. */
export interface SparseCalendarColumn {
  /** `holiday:<name>`, `holiday:before`, `holiday:after` or `event:<name>`. */
  name: string;
  products: number;
}

/** The run's settings of the statistical engine beyond the sales data, as the summary records them. */
export interface EngineSettings {
  /** `--global-model on` (`FORECAST_GLOBAL_MODEL`): one model across products joined every race. */
  globalModel: boolean;
  /**
   * `--combination` (`FORECAST_COMBINATION`): how each product's best-validated models were
   * combined (`top3` by default; see the README's "Combination rule"). With `select` or `class` the
   * JSONL `model` names the rule each product got.
   */
  combination: string;
  /**
   * `--outliers` (`FORECAST_OUTLIERS`): `clean` when smooth demand was fitted with its one-off
   * outliers replaced (the default; README "Outliers in smooth demand (`outliers.ts`)"), `keep`
   * when on every day as it was.
   */
  outliers: OutlierSetting;
  /**
   * `--level-shifts` (`FORECAST_LEVEL_SHIFTS`): `follow` when demand that moved 2× or more 3–13
   * weeks ago was fitted on the days since the shift (the default; README "Level shifts"),
   * `ignore` when on the whole history.
   */
  levelShifts: LevelShiftSetting;
  /**
   * `--weekday-profile` (`FORECAST_WEEKDAY_PROFILE`): `catalogue` when a young product's week
   * that its models left flat was spread by its category's or catalogue's weekday profile (the
   * default; README "Young products' weekly pattern"), `own` when its models' week was kept.
   */
  weekdayProfile: WeekdayProfileSetting;
  /** `--holidays` (`FORECAST_HOLIDAYS`) as used, upper case (`US-CA`); null for none. */
  holidays: string | null;
  /** `--events` (`FORECAST_EVENTS`): the file and the event rows read from it; null for none. */
  events: { uri: string; rows: number } | null;
  /**
   * Holidays and events seen on fewer than two days of some products' history, so no effect of
   * them is estimated for those products (`name`, `products`), most products first; empty when
   * none or without calendar effects.
   */
  sparseCalendar: SparseCalendarColumn[];
  /**
   * Products whose history is too short for the calendar candidate `dhr` (63 days since the first
   * sale at horizon 7; see the README's "Calendar effects"), so `--holidays`/`--events` cannot
   * change their forecasts; 0 without calendar effects.
   */
  calendarTooShort: number;
}

export interface RunSummary {
  runId: string;
  /**
   * With `--shard`: which share of the catalog this run forecast and how it was read
   * (`bucketed`: only its product_bucket folders; `filtered`: every file, rows filtered by hash).
   */
  shard?: { shard: string; layout: string; filesListed: number; rowsOtherShards: number };
  source: string;
  table: string | null;
  asOf: string;
  horizon: number;
  model: string;
  /** What the statistical engine was given beyond the sales: how the numbers were made. */
  engine: EngineSettings;
  dryRun: boolean;
  output: string | null;
  files: number;
  rows: {
    read: number;
    used: number;
    /** Per reason, rows after the as-of day included. */
    skipped: Record<string, number>;
    /** Rows rejected as bad (not after_as_of); their days are unknown, never 0. */
    rejected: number;
    /** The bad-row budget the run was held to, as set (`1%`, `25`). */
    maxBadRows: string;
    /** Identical rows (same product, day and daily_sales) counted once. */
    duplicatesDropped: number;
    /** Rows for one product and day with different daily_sales, resolved by `policy`. */
    conflictingDuplicates: { count: number; policy: DuplicatePolicy };
    issues: RowIssue[];
  };
  /**
   * File- and id-level warnings (time zones, partition conflicts, ids differing by whitespace),
   * then the `--events` file's (repeated lines, scopes matching nothing), each naming file and line.
   */
  warnings: LoadWarning[];
  products: {
    read: number;
    /** Products whose history has rejected (unknown) days: their records carry `data_issues`. */
    flagged: number;
    forecast: number;
    written: number;
    skippedNewer: number;
    failed: { productId: string; error: string }[];
    /** Written, but current_stock could not be read: stored cover, risk and reorder fields kept (exit 1). */
    stockNotRead: { productId: string; reason: string }[];
  };
  models: Record<string, number>;
  /**
   * What the outlier cleaning (`engine.outliers`) replaced in the forecasts published: the days
   * replaced (the sum of the records' `outliers.count`) and the products with at least one, out
   * of `products.forecast`. Only statistical forecasts count (a Bedrock or SageMaker answer saw
   * every day as it was); both 0 with `--outliers keep`.
   */
  outliers: { daysReplaced: number; products: number };
  /**
   * The forecasts published that were fitted after a level shift (`engine.levelShifts`): the
   * products whose record carries `levelShift`, out of `products.forecast`. Only statistical
   * forecasts count (a Bedrock or SageMaker answer saw the whole history); 0 with
   * `--level-shifts ignore`.
   */
  levelShifts: { products: number };
  /**
   * The forecasts published whose week was spread by the catalogue's weekday profile
   * (`engine.weekdayProfile`): the products whose record carries `weekdayProfile`, out of
   * `products.forecast`, and of them `category` those whose profile was their category's (the
   * rest the whole catalogue's). Only statistical forecasts count; 0 with `--weekday-profile own`.
   */
  weekdayProfile: { products: number; category: number };
  fallbacks: { count: number; reasons: Record<string, number> };
  bedrock: BedrockRunStats | null;
  stockRisk: StockRiskRow[];
  /** Every product with a known stock: the earliest reorder date first, no date last. */
  reorder: ReorderRow[];
  /** With `--archive`: where this run's partitions went, or why they did not. */
  archive: {
    uri: string;
    forecastsPartition: string | null;
    accuracyPartition: string | null;
    forecastRows: number;
    error: string | null;
  } | null;
  /** Realized accuracy of earlier archived forecasts; null without an archive or history. */
  accuracy: AccuracyReport | null;
  durationSeconds: number;
  exitCode: number;
}

/** One product's history as the forecasting step takes it (the prompt lib's shape). */
export interface StepProduct {
  productId: string;
  productName?: string;
  category?: string;
  /** Daily units sold, oldest first; the last value is the as-of day. */
  history: SeriesValues;
  /** Calendar regressors and the start date, when the run has `--holidays` or `--events`. */
  context?: SeriesContext;
}

/** One `backtest --models` entry: a statistical model name, or a remote model. */
export type BacktestModelSpec =
  { kind: 'statistical'; name: string } | (RemoteModelSpec & { name: string });

export type RemoteBacktestModel = Extract<
  BacktestModelSpec,
  { kind: 'bedrock' | 'chronos' | 'chronos2' }
>;

/** Predicted and actual Bedrock use of one model over all origins. */
export interface BacktestBedrockUsage {
  /** `bedrock:<id>` or `chronos:<id>`, as in the leaderboard. */
  model: string;
  /** From `estimateBedrockCost`, summed over origins, before any request. */
  estimate: {
    requests: number;
    /** Full-rate input tokens. */
    inputTokens: number;
    outputTokens: number;
    /** System-prompt tokens expected from / into the prompt cache. */
    cacheReadTokens: number;
    cacheWriteTokens: number;
    /** null when no price is known for the model. */
    costUsd: number | null;
    /** The same requests without prompt caching. */
    costWithoutCacheUsd: number | null;
    costNote?: string;
    /** Origins sent as a batch inference job (priced at the batch price) rather than on demand. */
    batchOrigins?: number;
    /** The same tokens at the on-demand price, when some origins go as batch jobs. */
    onDemandCostUsd?: number | null;
    /**
     * Not in the figures above: the most re-asks can add (every sent product asked once more
     * alone, on demand; `BedrockCostEstimate.reasksAtMost`). `costUsd` null when unpriced.
     */
    reasksAtMost: { requests: number; costUsd: number | null };
  };
  /** `forecastWithBedrock`'s stats summed over origins; null when the model was never called. */
  actual: BedrockRunStats | null;
}

export interface BacktestJson extends BacktestReport {
  /** The engine settings `auto` was backtested with (as a run's summary records them). */
  engine: EngineSettings;
  bedrock: BacktestBedrockUsage[];
  /** Products the loader left out (every row rejected, or conflicting duplicates under
   * `--on-duplicate error`), with why; the command then exits 1. */
  leftOut: { productId: string; error: string }[];
}
