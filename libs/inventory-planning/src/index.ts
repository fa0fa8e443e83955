// Stock risk over a forecast's horizon.
export { horizonTotals, daysOfCover, isStockoutRisk, stockStatus } from './stockStatus';
export { rankStockoutRisk } from './rankStockoutRisk';
// Reorder-point maths (lead time, safety stock) belongs here too, in its own src/reorderPoint.ts.
export { InventoryPlanningError, InvalidPlanningArgumentError } from './errors';
export type {
  DailyDemand,
  DemandForecast,
  HorizonTotals,
  StockStatus,
  StockoutRiskRow,
} from './types';
