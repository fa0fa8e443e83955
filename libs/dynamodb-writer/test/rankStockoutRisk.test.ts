import { describe, expect, it } from 'vitest';
import { rankStockoutRisk } from '../src/index';
import type { StockStatus } from '../src/index';
import { makeForecast } from './fixtures';

describe('rankStockoutRisk', () => {
  const forecasts = [
    makeForecast('SAFE', { p50: 1, productName: 'Safe', category: 'C' }),
    makeForecast('RISK_LOW_COVER', { p50: 4 }),
    makeForecast('RISK_HIGH_COVER', { p50: 2 }),
    makeForecast('NO_DEMAND', { p50: 0 }),
    makeForecast('UNKNOWN_STOCK', { p50: 9 }),
    makeForecast('SAFE_LOW_COVER', { p50: 3 }),
  ];
  const stock: Record<string, StockStatus> = {
    SAFE: { currentStock: 100, daysOfCover: 100, stockoutRisk: false },
    RISK_LOW_COVER: { currentStock: 4, daysOfCover: 1, stockoutRisk: true },
    RISK_HIGH_COVER: { currentStock: 12, daysOfCover: 6, stockoutRisk: true },
    NO_DEMAND: { currentStock: 0, daysOfCover: null, stockoutRisk: false },
    SAFE_LOW_COVER: { currentStock: 30, daysOfCover: 10, stockoutRisk: false },
  };

  it('puts at-risk products first, then the fewest days of cover, with no-demand products last', () => {
    const ranked = rankStockoutRisk(forecasts, stock, 10).map((r) => r.productId);

    expect(ranked).toEqual([
      'RISK_LOW_COVER',
      'RISK_HIGH_COVER',
      'SAFE_LOW_COVER',
      'SAFE',
      'NO_DEMAND',
    ]);
  });

  it('returns only the top n rows, carrying names and totals', () => {
    const [first, second] = rankStockoutRisk(forecasts, stock, 2);
    const none = rankStockoutRisk(forecasts, stock, 0);

    expect(rankStockoutRisk(forecasts, stock, 2)).toHaveLength(2);
    expect(first).toEqual({
      productId: 'RISK_LOW_COVER',
      currentStock: 4,
      daysOfCover: 1,
      stockoutRisk: true,
      forecastedDemand: 28,
      p90Total: 35,
    });
    expect(second.productId).toBe('RISK_HIGH_COVER');
    expect(none).toEqual([]);
    expect(rankStockoutRisk(forecasts, stock, 6).find((r) => r.productId === 'SAFE')).toMatchObject(
      { productName: 'Safe', category: 'C' },
    );
  });

  it('breaks ties by larger demand, then productId', () => {
    const tied = [
      makeForecast('B', { p50: 1 }),
      makeForecast('A', { p50: 1 }),
      makeForecast('C', { p50: 5 }),
    ];
    const s: StockStatus = { currentStock: 1, daysOfCover: 2, stockoutRisk: true };

    const ranked = rankStockoutRisk(tied, { A: s, B: s, C: s }, 3).map((r) => r.productId);

    expect(ranked).toEqual(['C', 'A', 'B']);
  });

  it('rejects a negative or fractional n', () => {
    expect(() => rankStockoutRisk(forecasts, stock, -1)).toThrow('n -1 is not allowed');
    expect(() => rankStockoutRisk(forecasts, stock, 1.5)).toThrow(RangeError);
  });
});
