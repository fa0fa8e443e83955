import type { ExitKind, HasExitKind } from '@retail-forecast/util';

/** Machine-readable error kinds; the app maps every one of them to exit code 2 (bad input). */
export type SalesDataErrorCode =
  | 'INVALID_ARGUMENT'
  | 'INVALID_SOURCE'
  | 'NO_DATA'
  | 'MISSING_COLUMN'
  | 'CORRUPT_FILE'
  | 'SOURCE_READ'
  | 'BAD_ROWS'
  | 'SHARD_LAYOUT';

/** Base of every error thrown by `@retail-forecast/sales-data`. */
export class SalesDataError extends Error implements HasExitKind {
  readonly code: SalesDataErrorCode;
  /** Every sales-data error is about the input (source, files, rows, as-of): exit 2. */
  readonly exitKind: ExitKind = 'input';

  constructor(code: SalesDataErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SalesDataError';
    this.code = code;
  }
}

/** A caller-supplied value (as-of date, options) is invalid. */
export class InvalidArgumentError extends SalesDataError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('INVALID_ARGUMENT', message, options);
    this.name = 'InvalidArgumentError';
  }
}

/** The source is neither an `s3://` URI nor a readable data file or directory. */
export class InvalidSourceError extends SalesDataError {
  readonly source: string;

  constructor(source: string, message: string, options?: { cause?: unknown }) {
    super('INVALID_SOURCE', message, options);
    this.name = 'InvalidSourceError';
    this.source = source;
  }
}

/** The source holds no data files, or no row that could be used. */
export class NoDataError extends SalesDataError {
  readonly source: string;

  constructor(source: string, message = `no forecast_ready data under ${source}`) {
    super('NO_DATA', message);
    this.name = 'NoDataError';
    this.source = source;
  }
}

/** A data file lacks one of `product_id`, `event_date`, `daily_sales`. */
export class MissingColumnError extends SalesDataError {
  readonly file: string;
  readonly column: string;

  /** @param hint appended to the message (e.g. what the header looks like instead) */
  constructor(file: string, column: string, found: readonly string[], hint?: string) {
    super(
      'MISSING_COLUMN',
      `${file} has no "${column}" column (found: ${found.length ? found.join(', ') : 'none'}; ` +
        'required: product_id, event_date, daily_sales)' +
        (hint ? `: ${hint}` : ''),
    );
    this.name = 'MissingColumnError';
    this.file = file;
    this.column = column;
  }
}

/** A data file cannot be decoded (bad Parquet magic or footer, malformed CSV, invalid JSON array). */
export class CorruptFileError extends SalesDataError {
  readonly file: string;

  constructor(file: string, message: string, options?: { cause?: unknown }) {
    super('CORRUPT_FILE', message, options);
    this.name = 'CorruptFileError';
    this.file = file;
  }
}

/** Listing or reading the source failed (S3 error, missing local path, permissions). */
export class SourceReadError extends SalesDataError {
  readonly file: string;

  constructor(file: string, message: string, options?: { cause?: unknown }) {
    super('SOURCE_READ', message, options);
    this.name = 'SourceReadError';
    this.file = file;
  }
}

/** More rows were rejected than the bad-row budget allows; raised before anything is written. */
export class BadRowsError extends SalesDataError {
  readonly rejected: number;
  readonly allowed: number;

  constructor(message: string, rejected: number, allowed: number) {
    super('BAD_ROWS', message);
    this.name = 'BadRowsError';
    this.rejected = rejected;
    this.allowed = allowed;
  }
}

/** A `product_bucket=NN/` file holds a product whose bucket is another: shards would miss it. */
export class ShardLayoutError extends SalesDataError {
  readonly file: string;

  constructor(file: string, message: string) {
    super('SHARD_LAYOUT', message);
    this.name = 'ShardLayoutError';
    this.file = file;
  }
}

/**
 * A Parquet decode worker thread crashed, exited or could not start: the machine or the
 * deployment is at fault, not the data, so this is no SalesDataError and exits 1, not 2.
 */
export class DecodeWorkerError extends Error implements HasExitKind {
  readonly exitKind: ExitKind = 'failure';
  /** The file the worker was decoding. */
  readonly file: string;

  constructor(file: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DecodeWorkerError';
    this.file = file;
  }
}
