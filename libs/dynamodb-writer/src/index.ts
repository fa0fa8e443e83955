export { writeForecasts } from './writeForecasts';
export {
  DynamoDbWriterError,
  InvalidWriterOptionsError,
  TableNotFoundError,
  InvalidItemValueError,
  InvalidForecastError,
} from './errors';
export type { WriteOptions, WriteResult, BatchRetryOptions, FailedProduct } from './types';
