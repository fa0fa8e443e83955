// Stock risk over a forecast's horizon.
export {
  expectedDemand,
  horizonTotals,
  daysOfCover,
  isStockoutRisk,
  stockStatus,
} from './stockStatus';
export { rankStockoutRisk } from './rankStockoutRisk';
// Replenishment: reorder point, order-up-to level and the suggested order.
export { DEFAULT_REORDER_POLICY, reorderSuggestion, validateReorderPolicy } from './reorderPoint';
export {
  demandQuantile,
  normalQuantile,
  periodDemand,
  COUNT_MODEL_MAX_MEAN,
} from './demandDistribution';
export type { PeriodDemand } from './demandDistribution';
export { InventoryPlanningError, InvalidPlanningArgumentError } from './errors';
export type {
  DailyDemand,
  DemandDistribution,
  DemandForecast,
  HorizonTotals,
  ReorderPolicy,
  ReorderSuggestion,
  StockPosition,
  StockStatus,
  StockoutRiskRow,
} from './types';
