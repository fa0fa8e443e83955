import type { ProductForecast } from '@retail-forecast/forecasting';
import { forecastTotals, round2 } from './buildForecastUpdate';
import type { StockoutRiskRow, StockStatus } from './types';

/**
 * The n products most at risk of a stock-out, for the app's summary table. Order: products with
 * stockoutRisk first; then fewest days of cover (null = no demand expected, so last); then the
 * larger 7-day demand; then productId, so equal runs print the same table.
 * Only products present in `stock` (written, with a known current_stock) are ranked.
 */
export function rankStockoutRisk(
  forecasts: readonly ProductForecast[],
  stock: Readonly<Record<string, StockStatus>>,
  n: number,
): StockoutRiskRow[] {
  if (!Number.isInteger(n) || n < 0) {
    throw new RangeError(`n ${n} is not allowed (expected an integer >= 0)`);
  }
  const seen = new Set<string>();
  const rows: StockoutRiskRow[] = [];
  for (const f of forecasts) {
    const s = Object.prototype.hasOwnProperty.call(stock, f.productId)
      ? stock[f.productId]
      : undefined;
    if (s === undefined || seen.has(f.productId)) continue;
    seen.add(f.productId);
    const totals = forecastTotals(f);
    rows.push({
      productId: f.productId,
      ...(f.productName !== undefined ? { productName: f.productName } : {}),
      ...(f.category !== undefined ? { category: f.category } : {}),
      currentStock: s.currentStock,
      daysOfCover: s.daysOfCover,
      stockoutRisk: s.stockoutRisk,
      forecastedDemand: totals.forecastedDemand,
      p90Total: round2(totals.p90Total),
    });
  }
  rows.sort(compareRisk);
  return rows.slice(0, n);
}

function compareRisk(a: StockoutRiskRow, b: StockoutRiskRow): number {
  if (a.stockoutRisk !== b.stockoutRisk) return a.stockoutRisk ? -1 : 1;
  const ca = a.daysOfCover ?? Number.POSITIVE_INFINITY;
  const cb = b.daysOfCover ?? Number.POSITIVE_INFINITY;
  if (ca !== cb) return ca < cb ? -1 : 1;
  if (a.forecastedDemand !== b.forecastedDemand) return b.forecastedDemand - a.forecastedDemand;
  return a.productId < b.productId ? -1 : a.productId > b.productId ? 1 : 0;
}
