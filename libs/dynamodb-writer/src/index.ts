export { writeForecasts } from './writeForecasts';
export { rankStockoutRisk } from './rankStockoutRisk';
export { createInventoryTable, seedInventory } from './inventoryTable';
export {
  DynamoDbWriterError,
  InvalidWriterOptionsError,
  TableNotFoundError,
  TableNotActiveError,
  UnprocessedItemsError,
  InvalidItemValueError,
  InvalidForecastError,
} from './errors';
export type {
  WriteOptions,
  WriteResult,
  WriterLogger,
  BatchRetryOptions,
  StockStatus,
  FailedProduct,
  StockoutRiskRow,
  InventoryItem,
  CreateTableOptions,
  CreateTableResult,
} from './types';
