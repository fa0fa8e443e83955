export { loadSalesData, parseBadRowBudget } from './loadSalesData';
export { STALE_AFTER_DAYS } from './SalesAccumulator';
export { isValidTimeZone } from './timeZones';
export { listDataFiles } from './listDataFiles';
export { parseS3Uri } from './s3Uri';
export { ownsProduct, productBucket, productHash, selectShardFiles } from './shard';
export { createS3Client } from './s3Client';
export { decodeParquetTask, isParquetDecodeWorker } from './decode/decodeParquet';
export { DEFAULT_DECODE_MIN_BYTES } from './decode/ParquetDecodeQueue';
// The date helpers are util's; re-exported because the app imports addDays from here. They throw
// util's InvalidDateError (exit kind `input`), not a SalesDataError.
export { addDays, daysBetween, isIsoDate, isoDate } from '@retail-forecast/util';
export {
  BadRowsError,
  CorruptFileError,
  DecodeWorkerError,
  InvalidArgumentError,
  InvalidSourceError,
  MissingColumnError,
  NoDataError,
  SalesDataError,
  ShardLayoutError,
  SourceReadError,
} from './errors';
export type { SalesDataErrorCode } from './errors';
export type {
  BadRowBudget,
  DataFile,
  DataFileFormat,
  DataIssues,
  DuplicatePolicy,
  IssueReason,
  LoadWarning,
  ProductProblem,
  FileProgress,
  LoadSalesDataOptions,
  LoadSummary,
  ParquetDecodeOptions,
  ProductSeries,
  RowIssue,
  S3Location,
  SalesDataset,
  ShardLoad,
  SkipReason,
} from './types';
export { parseEventsCsv, readEventsFile, unmatchedEventScopes } from './eventsFile';
export type { EventRow, EventsFileOptions } from './eventsFile';
