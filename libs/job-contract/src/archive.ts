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
