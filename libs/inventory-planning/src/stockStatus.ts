import { round2 } from '@retail-forecast/util';
import type { DailyDemand, HorizonTotals, StockStatus } from './types';

/**
 * P50 and P90 demand summed over every forecast day (units, unrounded, summed in day order).
 * @param daily one entry per forecast day
 */
export function horizonTotals(daily: readonly DailyDemand[]): HorizonTotals {
  let p50Total = 0;
  let p90Total = 0;
  for (const d of daily) {
    p50Total += d.p50;
    p90Total += d.p90;
  }
  return { p50Total, p90Total };
}

/**
 * Days of cover: `max(currentStock, 0) ÷ (p50Total ÷ horizonDays)`, 2 decimals. Negative stock
 * (back-orders) counts as no cover. `null` when the mean daily P50 is 0, where cover is unbounded.
 * @param currentStock units on hand
 * @param p50Total median demand over the horizon (units)
 * @param horizonDays days `p50Total` covers (≥ 1)
 * @returns days
 */
export function daysOfCover(
  currentStock: number,
  p50Total: number,
  horizonDays: number,
): number | null {
  const meanP50 = p50Total / horizonDays;
  return meanP50 > 0 ? round2(Math.max(currentStock, 0) / meanP50) : null;
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
  const { p50Total, p90Total } = horizonTotals(forecast.daily);
  return {
    currentStock,
    daysOfCover: daysOfCover(currentStock, p50Total, forecast.daily.length),
    stockoutRisk: isStockoutRisk(currentStock, p90Total),
  };
}
