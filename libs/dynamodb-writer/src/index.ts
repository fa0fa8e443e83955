export { writeForecasts } from './writeForecasts';
export {
  DynamoDbWriterError,
  InvalidWriterOptionsError,
  TableNotFoundError,
  InvalidItemValueError,
  InvalidForecastError,
} from './errors';
export { PLANNING_ATTRIBUTES } from './itemPlanning';
export type {
  WriteOptions,
  WriteResult,
  BatchRetryOptions,
  FailedProduct,
  ItemPlanning,
} from './types';
