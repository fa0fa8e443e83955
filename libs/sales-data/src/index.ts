export { loadSalesData } from './loadSalesData';
export { listDataFiles } from './listDataFiles';
export { parseS3Uri } from './s3Uri';
// The date helpers are util's; re-exported because the app imports addDays from here. They throw
// util's InvalidDateError (exit kind `input`), not a SalesDataError.
export { addDays, daysBetween, isIsoDate, isoDate } from '@retail-forecast/util';
export {
  CorruptFileError,
  InvalidArgumentError,
  InvalidSourceError,
  MissingColumnError,
  NoDataError,
  SalesDataError,
  SourceReadError,
} from './errors';
export type { SalesDataErrorCode } from './errors';
export type {
  DataFile,
  DataFileFormat,
  FileProgress,
  LoadSalesDataOptions,
  LoadSummary,
  ProductSeries,
  RowIssue,
  S3Location,
  SalesDataset,
  SkipReason,
} from './types';
