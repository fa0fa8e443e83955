import type { ExitKind, HasExitKind } from '@retail-forecast/util';

/** Base of every error thrown by `@retail-forecast/forecast-archive`. */
export class ForecastArchiveError extends Error implements HasExitKind {
  /** An archive that cannot be read or written fails the run (exit 1) unless a subclass says otherwise. */
  readonly exitKind: ExitKind = 'failure';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ForecastArchiveError';
  }
}

/** The archive setting is neither `s3://bucket/prefix/` nor a directory path. */
export class InvalidArchiveLocationError extends ForecastArchiveError {
  /** A bad `--archive` value is configuration: exit 2. */
  override readonly exitKind: ExitKind = 'config';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'InvalidArchiveLocationError';
  }
}

/** Listing, reading, writing or deleting an archive object failed. */
export class ArchiveIoError extends ForecastArchiveError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ArchiveIoError';
  }
}

/** An archived Parquet file lacks a column or holds a value the schema does not allow. */
export class CorruptArchiveError extends ForecastArchiveError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CorruptArchiveError';
  }
}
