import { round2 } from '@retail-forecast/util';
import { InvalidPlanningArgumentError } from './errors';
import { horizonTotals } from './stockStatus';
import type { DemandForecast, StockoutRiskRow, StockStatus } from './types';

/**
 * The n products most at risk of a stock-out, for a run summary. Order: products with
 * stockoutRisk first; then fewest days of cover (null = no demand expected, so last); then the
 * larger horizon demand; then productId, so equal runs print the same table.
 * @param forecasts one per product; a repeated productId is ranked once (its first forecast)
 * @param stock keyed by productId; only products present here (known stock) are ranked
 * @param n rows to return (integer ≥ 0)
 * @throws InvalidPlanningArgumentError for a negative or fractional n
 */
export function rankStockoutRisk(
  forecasts: readonly DemandForecast[],
  stock: Readonly<Record<string, StockStatus>>,
  n: number,
): StockoutRiskRow[] {
  if (!Number.isInteger(n) || n < 0) {
    throw new InvalidPlanningArgumentError(`n ${n} is not allowed (expected an integer >= 0)`);
  }
  const seen = new Set<string>();
  const rows: StockoutRiskRow[] = [];
  for (const f of forecasts) {
    const s = Object.prototype.hasOwnProperty.call(stock, f.productId)
      ? stock[f.productId]
      : undefined;
    if (s === undefined || seen.has(f.productId)) continue;
    seen.add(f.productId);
    rows.push({
      productId: f.productId,
      ...(f.productName !== undefined ? { productName: f.productName } : {}),
      ...(f.category !== undefined ? { category: f.category } : {}),
      currentStock: s.currentStock,
      daysOfCover: s.daysOfCover,
      stockoutRisk: s.stockoutRisk,
      horizonDays: f.horizonDays,
      forecastedDemand: round2(f.forecastedDemand),
      p90Total: round2(horizonTotals(f.daily).p90Total),
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
