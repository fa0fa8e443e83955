/**
 * Layout of the forecast archive, shared by the job (which writes and reads it) and the
 * infrastructure (which grants the instance access to it): Hive-style partitions
 * `<archive>/<table>/as_of=YYYY-MM-DD/part-00000.parquet`, queryable by Athena/Glue.
 */
export const ARCHIVE_TABLES = {
  /** One row per product and forecast day. */
  forecasts: 'forecasts',
  /** One row per accuracy group (product, category, overall) and kind. */
  accuracy: 'accuracy',
} as const;

export type ArchiveTable = keyof typeof ARCHIVE_TABLES;

/** The partition column in every archive table. */
export const ARCHIVE_PARTITION_KEY = 'as_of';

/** Where the deployed job archives under the Gold bucket. */
export const ARCHIVE_PREFIX = 'forecast_archive/';

/**
 * Bedrock batch inference under the Gold bucket (`FORECAST_BATCH_S3` = `s3://<gold>/<BATCH_PREFIX>`):
 * the job writes each run's records under `<BATCH_PREFIX><BATCH_INPUT_DIR><job name>/`, and Bedrock
 * (as the batch service role) writes the answers under `<BATCH_PREFIX><BATCH_OUTPUT_DIR><job id>/`.
 * The stack grants the role read on the one and write on the other.
 */
export const BATCH_PREFIX = 'bedrock_batch/';
export const BATCH_INPUT_DIR = 'input/';
export const BATCH_OUTPUT_DIR = 'output/';
export const BATCH_INPUT_PREFIX = `${BATCH_PREFIX}${BATCH_INPUT_DIR}`;
export const BATCH_OUTPUT_PREFIX = `${BATCH_PREFIX}${BATCH_OUTPUT_DIR}`;
