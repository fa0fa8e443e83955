/** One forecast day, in units sold that day. */
export interface DailyDemand {
  /** Median demand (units). */
  readonly p50: number;
  /** 90th-percentile demand (units). */
  readonly p90: number;
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
  /** Median demand over the whole horizon (units), as the forecaster reported it. */
  readonly forecastedDemand: number;
  readonly daily: readonly DailyDemand[];
}

/** Demand summed over a forecast's horizon (units, unrounded). */
export interface HorizonTotals {
  p50Total: number;
  p90Total: number;
}

/** Stock figures for one product whose `current_stock` is known. */
export interface StockStatus {
  /** Units on hand; negative for back-orders. */
  currentStock: number;
  /**
   * Days the stock lasts at the mean daily median demand: `max(currentStock, 0) ÷ (p50Total ÷
   * horizon days)`, 2 decimals. `null` when no demand is expected (mean P50 of 0: the cover is
   * unbounded, and a sentinel such as 9999 would sort as a real figure).
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
  /** Median demand over the horizon (units), 2 decimals. */
  forecastedDemand: number;
  /** 90th-percentile demand summed over the horizon (units), 2 decimals. */
  p90Total: number;
}
