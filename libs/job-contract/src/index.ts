export {
  JOB_ENV,
  GOLD_PREFIX,
  REPORTS_PREFIX,
  REPORT_TARGET_PATTERN,
  MODEL_SPEC_PATTERN,
  HOLIDAYS_PATTERN,
  GUARDRAIL_MODES,
  MODEL_MODES,
  LOG_FORMATS,
  ON_OFF,
  COMBINATION_PATTERN,
  COMBINATION_EXPECTED,
  OUTLIER_SETTINGS,
  LEVEL_SHIFT_SETTINGS,
  WEEKDAY_PROFILE_SETTINGS,
  JOB_LOG_LEVELS,
  JOB_DEFAULTS,
  DUPLICATE_POLICIES,
  BAD_ROW_BUDGET_PATTERN,
  isTimeZone,
  jobEnvSchema,
  parseJobEnv,
  parseQuantileLevels,
} from './env';
export type { JobEnv, JobEnvKey, JobEnvName, JobEnvIssue } from './env';
export {
  METRICS_NAMESPACE,
  DEFAULT_METRICS_SERVICE,
  METRICS_DIMENSION,
  JOB_METRICS,
  LAUNCHER_METRICS,
  buildEmfRecord,
  buildLauncherEmfRecord,
} from './metrics';
export type { EmfRecord, JobMetricName, LauncherMetricName } from './metrics';
export {
  JOB_LOG_DIR,
  JOB_LOG_FILE,
  JOB_METRICS_FILE,
  JOB_LOG_STREAM,
  JOB_METRICS_STREAM,
  LAUNCH_TAGS,
} from './logs';
export { emfLineTemplate } from './emfLineTemplate';
export {
  ARCHIVE_TABLES,
  ARCHIVE_PARTITION_KEY,
  ARCHIVE_PREFIX,
  BATCH_PREFIX,
  BATCH_INPUT_DIR,
  BATCH_OUTPUT_DIR,
  BATCH_INPUT_PREFIX,
  BATCH_OUTPUT_PREFIX,
} from './archive';
export type { ArchiveTable } from './archive';
export {
  PRODUCT_BUCKETS,
  PRODUCT_BUCKET_KEY,
  MAX_SHARDS,
  SHARD_PATTERN,
  parseShardSpec,
  parseShardCount,
  formatShard,
  SUMMARIES_PREFIX,
  summaryKey,
} from './shard';
export type { ShardSpec } from './shard';
export {
  BASE_MEMORY_BYTES,
  BYTES_PER_PRODUCT,
  USABLE_MEMORY_SHARE,
  SERIES_PER_SECOND_PER_VCPU,
  INSTANCE_OVERHEAD_MINUTES,
  SIZING_TIERS,
  PRODUCTS_PER_SHARD,
  estimateMemoryBytes,
  productsThatFit,
  planForCatalog,
  formatBytes,
  formatGiB,
} from './sizing';
export type { SizingTier, SizingPlan } from './sizing';
