/** One forecast day, in units sold that day. */
export interface DailyDemand {
  /** Median demand (units). */
  readonly p50: number;
  /** 90th-percentile demand (units). */
  readonly p90: number;
  /** Mean demand (units), where the forecast gives it apart from P50 (a count series, whose P50
   * is a median); absent: P50 is the mean. Read through `expectedDemand`. */
  readonly mean?: number;
}

/**
 * The part of a product's demand forecast the planning maths reads. A forecasting
 * `ProductForecast` satisfies it as it is. The horizon is the forecast's own: `daily` holds one
 * entry per forecast day (`daily.length === horizonDays`), nothing here assumes 7 days.
 */
export interface DemandForecast {
  readonly productId: string;
  readonly productName?: string;
  readonly category?: string;
  /** Days forecast (≥ 1). */
  readonly horizonDays: number;
  /** Expected demand over the whole horizon (units), as the forecaster reported it. */
  readonly forecastedDemand: number;
  readonly daily: readonly DailyDemand[];
}

/** Demand summed over a forecast's horizon (units, unrounded). */
export interface HorizonTotals {
  /** Expected demand: the daily means where given, else the P50s (`expectedDemand`). */
  expectedTotal: number;
  p90Total: number;
}

/** Stock figures for one product whose `current_stock` is known. */
export interface StockStatus {
  /** Units on hand; negative for back-orders. */
  currentStock: number;
  /**
   * Days the stock lasts at the expected daily demand: `max(currentStock, 0) ÷ (expectedTotal ÷
   * horizon days)`, 2 decimals, `expectedTotal` being the expected total (`horizonTotals`). `null`
   * when no demand is expected (the cover is unbounded, and a sentinel such as 9999 would sort as
   * a real figure).
   */
  daysOfCover: number | null;
  /** True when the horizon's P90 total (2 decimals) exceeds `currentStock`. */
  stockoutRisk: boolean;
}

/** One row of the "most at risk of stock-out" table. */
export interface StockoutRiskRow extends StockStatus {
  productId: string;
  productName?: string;
  category?: string;
  /** Days the totals below cover: the forecast's `horizonDays`. */
  horizonDays: number;
  /** Expected demand over the horizon (units), 2 decimals. */
  forecastedDemand: number;
  /** 90th-percentile demand summed over the horizon (units), 2 decimals. */
  p90Total: number;
}

/** How period demand was modelled: `none` when no demand is expected at all. */
export type DemandDistribution = 'normal' | 'poisson' | 'negative-binomial' | 'none';

/** Replenishment settings of one product (item attributes, run flags or the defaults). */
export interface ReorderPolicy {
  /** Days from placing an order to having the stock (whole days ≥ 0). */
  leadTimeDays: number;
  /** Days between two order decisions (whole days ≥ 0; 0 = continuous review). */
  reviewPeriodDays: number;
  /** Cycle service level: probability that demand over the period is covered, in (0, 1). */
  serviceLevel: number;
}

/** Stock of one product as the inventory table holds it. */
export interface StockPosition {
  /** Units on hand; negative for back-orders. */
  currentStock: number;
  /** Units ordered and not yet received; default 0. */
  onOrder?: number;
}

/** What `reorderSuggestion` advises for one product. */
export interface ReorderSuggestion {
  /** Demand quantile over the lead time at the service level, whole units. */
  reorderPoint: number;
  /** Demand quantile over lead time + review period at the service level, whole units. */
  orderUpToLevel: number;
  /** max(0, orderUpToLevel − (currentStock + onOrder)), whole units. */
  suggestedOrderQty: number;
  /** YYYY-MM-DD by which to order; null when not needed within the forecast horizon. */
  reorderBy: string | null;
  /** Distribution the order-up-to level was read from. */
  distribution: DemandDistribution;
  /** Days of lead time + review period beyond the forecast horizon (filled with mean demand). */
  extendedDays: number;
  policy: ReorderPolicy;
}
