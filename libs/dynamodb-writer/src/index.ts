export { writeForecasts } from './writeForecasts';
export { createWriterClient } from './createWriterClient';
export { runWriterWorkerIfChild } from './updateWorker';
export type { WriterClientOptions } from './createWriterClient';
export { WriterRetryStrategy, WRITER_SDK_MAX_ATTEMPTS } from './writerRetryStrategy';
export { MAX_PARTITION_KEY_BYTES } from './productKey';
export {
  DynamoDbWriterError,
  InvalidWriterOptionsError,
  TableNotFoundError,
  InvalidItemValueError,
  InvalidForecastError,
  KeySchemaMismatchError,
  DynamoDbAccessDeniedError,
  DynamoDbUnreachableError,
} from './errors';
export { PLANNING_ATTRIBUTES } from './itemPlanning';
export type {
  WriteOptions,
  WriteResult,
  BatchRetryOptions,
  FailedProduct,
  StockNotRead,
  ItemPlanning,
} from './types';
