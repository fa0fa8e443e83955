export { loadSalesData } from './loadSalesData';
export { listDataFiles } from './listDataFiles';
export { parseS3Uri } from './s3Uri';
export { addDays, daysBetween, isIsoDate, isoDate } from './dates';
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
  SalesDataLogger,
  SalesDataset,
  SkipReason,
} from './types';
