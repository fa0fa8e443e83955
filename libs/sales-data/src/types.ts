import type { S3Client, S3ClientConfig } from '@aws-sdk/client-s3';
import type { Logger } from '@retail-forecast/util';

/** One product's daily sales history, compact. */
export interface ProductSeries {
  productId: string;
  productName?: string;
  category?: string;
  /** avg_price of the product's latest row (by event_date). */
  latestPrice?: number;
  /** avg_rating of the product's latest row (by event_date). */
  latestRating?: number;
  /** YYYY-MM-DD of the first day with a row (first sale). */
  startDate: string;
  /** Daily units from startDate through asOf inclusive; days without a row are 0. */
  values: Float64Array;
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

/** One reported row problem (the first 20 are kept). */
export interface RowIssue {
  /** `s3://bucket/key` or local path. */
  file: string;
  /** 1-based line number for CSV/JSONL (header is line 1), 1-based row number for Parquet. */
  row: number;
  productId?: string;
  column: string;
  value: string;
  reason: SkipReason | 'duplicate_day';
  message: string;
}

export interface LoadSummary {
  files: number;
  rowsRead: number;
  rowsUsed: number;
  /** Count per skip reason (rows after as-of are counted under `after_as_of`, not an error). */
  rowsSkipped: Partial<Record<SkipReason, number>>;
  /** Rows merged into an existing product/day (summed), counted as warnings. */
  duplicateRows: number;
  /** First 20 row issues, in reading order. */
  issues: RowIssue[];
}

export interface SalesDataset {
  /** YYYY-MM-DD: `--as-of` or the latest event_date seen. */
  asOf: string;
  /** Sorted by productId. */
  products: ProductSeries[];
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
  /** Default: `noopLogger`. */
  logger?: Logger;
  onFile?(info: FileProgress): void;
}

export type DataFileFormat = 'parquet' | 'csv' | 'jsonl' | 'json';

/** One data file found under a source. */
export interface DataFile {
  /** `s3://bucket/key` or absolute local path. */
  uri: string;
  format: DataFileFormat;
  /** Size in bytes as listed. */
  size: number;
}

/** The parts of an `s3://bucket/prefix` URI. */
export interface S3Location {
  bucket: string;
  /** Key prefix without a leading slash; empty for a whole bucket. */
  prefix: string;
}
