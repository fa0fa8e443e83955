// Local-mode and test helpers (`@retail-forecast/dynamodb-writer/testing`): create and seed an
// inventory table the way other systems would have filled it. Never used by the daily job.
export { createInventoryTable, seedInventory } from './inventoryTable';
export type { InventoryItem, CreateTableOptions, CreateTableResult } from './inventoryTable';
export { TableNotActiveError, UnprocessedItemsError } from '../errors';
