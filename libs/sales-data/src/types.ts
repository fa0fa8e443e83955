import type { S3Client, S3ClientConfig } from '@aws-sdk/client-s3';
import type { Logger, SeriesValues } from '@retail-forecast/util';
import type { DUPLICATE_POLICIES, ShardSpec } from '@retail-forecast/job-contract';

/** One product's daily sales history, compact. */
export interface ProductSeries {
  productId: string;
  productName?: string;
  category?: string;
  /** avg_price of the product's latest row (by event_date). */
  latestPrice?: number;
  /** avg_rating of the product's latest row (by event_date). */
  latestRating?: number;
  /** YYYY-MM-DD of the first day with a row (a valid or a rejected one). */
  startDate: string;
  /**
   * Daily units from startDate through asOf inclusive. A day without any row is 0 (the Gold zone
   * only holds days with sales); a day whose only rows were rejected (unparsable, negative, NaN
   * daily_sales) is `NaN`: unknown, never 0. A valid row for the same day wins over a rejected one.
   * The narrowest exact `SeriesValues` type: a Uint8Array (1 byte a day) for whole units up to
   * 255, Uint16Array up to 65,535, a float type for unknown days, fractions and larger values;
   * exactly `asOf - startDate + 1` long. Often a view into a buffer shared with other products
   * (the loader's day slabs): read it, copy it, but do not transfer or write into its buffer.
   */
  values: SeriesValues;
  /** Present when the history has unknown days: how many of `values` are NaN. */
  dataIssues?: DataIssues;
}

/** Data-quality flag of one product, carried into the forecast record. */
export interface DataIssues {
  /** Days of the history whose only rows were rejected (NaN in the series). */
  rejectedDays: number;
}

/**
 * What to do with two rows for the same product and day whose daily_sales differ (identical
 * rows are always counted once): `max` keeps the larger (an append-mode re-run with late data
 * only adds sales, so the larger total is the more complete one), `sum` adds them (partial
 * aggregates), `last` keeps the one read last (files in path order, rows in file order),
 * `error` fails that product alone.
 */
export type DuplicatePolicy = (typeof DUPLICATE_POLICIES)[number];

/** How many rejected rows a load tolerates: a number of rows or a percentage of rows read. */
export type BadRowBudget = { kind: 'rows'; rows: number } | { kind: 'percent'; percent: number };

/** A product that could not be given a series (every row rejected, or `--on-duplicate error`). */
export interface ProductProblem {
  productId: string;
  error: string;
}

/** A file-level or id-level finding worth a warning (the first 20 are kept). */
export interface LoadWarning {
  kind:
    | 'utc_midnight_shift'
    | 'time_zone'
    | 'partition_conflict'
    /** A column named like a Gold column but not exactly (`Category`), so not read. */
    | 'column_name'
    | 'similar_ids'
    | 'duplicates_dropped'
    | 'stale_data'
    /** A line of the `--events` file that is counted once or never used (see eventsFile.ts). */
    | 'events_file';
  /** The file concerned, when there is one. */
  file?: string;
  message: string;
}

/** Why a row was skipped. */
export type SkipReason =
  | 'invalid_date'
  | 'invalid_sales'
  | 'negative_sales'
  | 'missing_product_id'
  | 'after_as_of'
  /** A JSON Lines line that is not valid JSON or not an object. */
  | 'invalid_json';

/** Why a row was reported: a rejection, or a duplicate day whose values conflict. */
export type IssueReason = SkipReason | 'conflicting_duplicate';

/** One reported row problem (the first 20 are kept). */
export interface RowIssue {
  /** `s3://bucket/key` or local path. */
  file: string;
  /** 1-based line number for CSV/JSONL (header is line 1), 1-based row number for Parquet. */
  row: number;
  productId?: string;
  column: string;
  value: string;
  reason: IssueReason;
  message: string;
}

export interface LoadSummary {
  files: number;
  rowsRead: number;
  rowsUsed: number;
  /** Count per skip reason (rows after as-of are counted under `after_as_of`, not an error). */
  rowsSkipped: Partial<Record<SkipReason, number>>;
  /** Rows rejected as bad (every skip reason but `after_as_of`); the bad-row budget counts these. */
  rowsRejected: number;
  /** The first rejected row, for the bad-row budget's message. */
  firstRejected?: RowIssue;
  /** Rows identical to one already read (same product, day and daily_sales), counted once. */
  duplicatesDropped: number;
  /** Rows for a product and day already read with a different daily_sales, resolved by policy. */
  conflictingDuplicates: number;
  duplicatePolicy: DuplicatePolicy;
  /** Products whose series has NaN days (see `ProductSeries.values`). */
  productsFlagged: number;
  /** First 20 row issues (rejections and conflicting duplicates), in reading order. */
  issues: RowIssue[];
  /** First 20 file- and id-level warnings. */
  warnings: LoadWarning[];
  /** With `shard` set: which share was loaded and how (`rowsRead` counts this shard's rows only). */
  shard?: ShardLoad;
}

/** How a shard run found its share of the catalog. */
export interface ShardLoad {
  /** `i/N`. */
  shard: string;
  /**
   * `bucketed`: only its `product_bucket=NN/` folders were read; `filtered`: every file was read
   * and rows filtered by hash; `whole`: `0/1`, the whole catalog.
   */
  layout: 'bucketed' | 'filtered' | 'whole';
  /** Data files under the source. */
  filesListed: number;
  /** Rows read and left to the other shards (not counted in `rowsRead`). */
  rowsOtherShards: number;
}

export interface SalesDataset {
  /** YYYY-MM-DD: `--as-of` or the latest event_date seen. */
  asOf: string;
  /** Sorted by productId. */
  products: ProductSeries[];
  /** Products left out: every row rejected, or conflicting duplicates under policy `error`. */
  failedProducts: ProductProblem[];
  summary: LoadSummary;
}

/** Reported after each data file has been read. */
export interface FileProgress {
  /** `s3://bucket/key` or local path. */
  file: string;
  /** 1-based position of this file, so `index === total` on the last one. */
  index: number;
  total: number;
  /** Data rows read from this file (used or skipped). */
  rows: number;
  /** Products loaded so far (after this file), for a memory check while loading. */
  products: number;
}

export interface LoadSalesDataOptions {
  /** `s3://bucket/prefix/`, or a local file or directory. */
  source: string;
  /** YYYY-MM-DD; rows after it are skipped (`after_as_of`). Default: the latest valid event_date. */
  asOf?: string;
  /** A ready client (the app creates one at start-up). Mutually exclusive with `s3Config`. */
  s3?: S3Client;
  /** Config for a client the loader creates; checksum settings are forced to `WHEN_REQUIRED`. */
  s3Config?: S3ClientConfig;
  /**
   * IANA zone (validated with `Intl`) whose local dates bare UTC instants denote (`…Z` strings,
   * epoch numbers, Parquet timestamps without zone metadata). Default: UTC.
   */
  timeZone?: string;
  /** Default `max`. */
  onDuplicate?: DuplicatePolicy;
  /** Past this many rejected rows the load fails with BadRowsError. Default: no limit. */
  maxBadRows?: BadRowBudget;
  /** Default: `noopLogger`. */
  logger?: Logger;
  onFile?(info: FileProgress): void;
  /**
   * Load only the products of shard i/N: `crc32(product_id) mod N === i`. With a
   * `product_bucket=NN/` layout and N dividing 64 only the shard's buckets are read.
   */
  shard?: ShardSpec;
  /**
   * Decode Parquet files on worker threads. Default: on the calling thread. The result is the
   * same either way: files are still fed to the accumulator one at a time in listing order.
   */
  parquetDecode?: ParquetDecodeOptions;
}

/** How Parquet files are decoded on worker threads (`loadSalesData`'s `parquetDecode`). */
export interface ParquetDecodeOptions {
  /**
   * Decoding threads, e.g. `os.availableParallelism()` (each decodes one file at a time);
   * 0 decodes on the calling thread.
   */
  workers: number;
  /**
   * Script the threads load. It must export `decodeParquetTask` and, where
   * `isParquetDecodeWorker()` is true, do nothing else at load. Default: the lib's own entry,
   * which needs tsx (running from source); an esbuild bundle passes its own `import.meta.url`.
   */
  workerUrl?: URL;
  /**
   * Loads with fewer listed Parquet bytes than this decode on the calling thread, where starting
   * threads (about 0.1 s each) costs more than it saves. Default 4 MiB.
   */
  minBytes?: number;
  /**
   * Listed bytes of Parquet files fetched and decoded ahead of the one being fed (decoded
   * columns take about 8 times that); one larger file is still decoded, alone. Default 64 MiB.
   */
  maxBytesInFlight?: number;
  /**
   * Each thread's V8 heap limit in MiB (Node's `resourceLimits.maxOldGenerationSizeMb`): a file
   * whose decoding needs more fails alone with a DecodeWorkerError naming it and the limit, rather
   * than the process running out of memory. Default `defaultDecodeHeapMb(workers)`: the threads
   * together get at most half the machine's memory, none more than the main thread's own limit.
   */
  maxOldGenerationSizeMb?: number;
}

export type DataFileFormat = 'parquet' | 'csv' | 'jsonl' | 'json';

/** One data file found under a source. */
export interface DataFile {
  /** `s3://bucket/key` or absolute local path. */
  uri: string;
  format: DataFileFormat;
  /** Size in bytes as listed. */
  size: number;
  /**
   * Hive-style `key=value` folders between the source and the file (URL-decoded;
   * `__HIVE_DEFAULT_PARTITION__` is null), outermost first; absent when there are none.
   */
  partitions?: Record<string, string | null>;
}

/** The parts of an `s3://bucket/prefix` URI. */
export interface S3Location {
  bucket: string;
  /** Key prefix without a leading slash; empty for a whole bucket. */
  prefix: string;
}
