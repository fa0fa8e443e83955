import { round2 } from '@retail-forecast/util';
import type { DailyDemand, HorizonTotals, StockStatus } from './types';

/**
 * A day's expected demand (units): its mean where the forecast gives one (a count series' P50 is
 * a median, below the mean and 0 for sparse demand), else its P50.
 */
export function expectedDemand(d: DailyDemand): number {
  return d.mean ?? d.p50;
}

/**
 * Expected (`expectedDemand`) and P90 demand summed over every forecast day (units, unrounded,
 * summed in day order).
 * @param daily one entry per forecast day
 */
export function horizonTotals(daily: readonly DailyDemand[]): HorizonTotals {
  let expectedTotal = 0;
  let p90Total = 0;
  for (const d of daily) {
    expectedTotal += expectedDemand(d);
    p90Total += d.p90;
  }
  return { expectedTotal, p90Total };
}

/**
 * Days of cover: `max(currentStock, 0) ÷ (expectedTotal ÷ horizonDays)`, 2 decimals. Negative stock
 * (back-orders) counts as no cover. `null` when the expected daily demand is 0, where cover is unbounded.
 * @param currentStock units on hand
 * @param expectedTotal expected demand over the horizon (units; `horizonTotals`)
 * @param horizonDays days `expectedTotal` covers (≥ 1)
 * @returns days
 */
export function daysOfCover(
  currentStock: number,
  expectedTotal: number,
  horizonDays: number,
): number | null {
  const meanDaily = expectedTotal / horizonDays;
  return meanDaily > 0 ? round2(Math.max(currentStock, 0) / meanDaily) : null;
}

/**
 * Stock-out risk: the horizon's P90 demand total, rounded to 2 decimals as it is reported, exceeds
 * the stock on hand. A zero median with a positive P90 can still be at risk.
 * @param currentStock units on hand
 * @param p90Total 90th-percentile demand over the horizon (units)
 */
export function isStockoutRisk(currentStock: number, p90Total: number): boolean {
  return round2(p90Total) > currentStock;
}

/**
 * Cover and risk of one product over its forecast's own horizon (`daily.length` days).
 * @param forecast its daily P50/P90, one entry per forecast day
 * @param currentStock units on hand (negative for back-orders)
 */
export function stockStatus(
  forecast: { readonly daily: readonly DailyDemand[] },
  currentStock: number,
): StockStatus {
  const { expectedTotal, p90Total } = horizonTotals(forecast.daily);
  return {
    currentStock,
    daysOfCover: daysOfCover(currentStock, expectedTotal, forecast.daily.length),
    stockoutRisk: isStockoutRisk(currentStock, p90Total),
  };
}
