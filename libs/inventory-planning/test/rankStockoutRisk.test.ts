import { exitKindOf } from '@retail-forecast/util';
import { describe, expect, it } from 'vitest';
import {
  InvalidPlanningArgumentError,
  InventoryPlanningError,
  rankStockoutRisk,
} from '../src/index';
import type { StockStatus } from '../src/index';
import { demand } from './fixtures';

describe('rankStockoutRisk', () => {
  const forecasts = [
    demand('SAFE', { p50: 1, productName: 'Safe', category: 'C' }),
    demand('RISK_LOW_COVER', { p50: 4 }),
    demand('RISK_HIGH_COVER', { p50: 2 }),
    demand('NO_DEMAND', { p50: 0 }),
    demand('UNKNOWN_STOCK', { p50: 9 }),
    demand('SAFE_LOW_COVER', { p50: 3 }),
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

  it('returns only the top n rows, carrying names, the horizon and its totals', () => {
    const [first, second] = rankStockoutRisk(forecasts, stock, 2);
    const none = rankStockoutRisk(forecasts, stock, 0);

    expect(rankStockoutRisk(forecasts, stock, 2)).toHaveLength(2);
    expect(first).toEqual({
      productId: 'RISK_LOW_COVER',
      currentStock: 4,
      daysOfCover: 1,
      stockoutRisk: true,
      horizonDays: 7,
      forecastedDemand: 28,
      p90Total: 35,
    });
    expect(second.productId).toBe('RISK_HIGH_COVER');
    expect(none).toEqual([]);
    expect(rankStockoutRisk(forecasts, stock, 6).find((r) => r.productId === 'SAFE')).toMatchObject(
      { productName: 'Safe', category: 'C' },
    );
  });

  it('totals each product over its own horizon, rounded to 2 decimals', () => {
    const s: StockStatus = { currentStock: 1, daysOfCover: 2, stockoutRisk: true };
    const [row] = rankStockoutRisk(
      [demand('LONG', { p50s: [1.111, 1.111, 1.111, 1.111], spread: 0.3333 })],
      { LONG: s },
      1,
    );

    expect(row).toMatchObject({ horizonDays: 4, forecastedDemand: 4.44, p90Total: 5.78 });
  });

  it('ranks a repeated productId once, from its first forecast', () => {
    const s: StockStatus = { currentStock: 1, daysOfCover: 2, stockoutRisk: true };

    const rows = rankStockoutRisk([demand('A', { p50: 1 }), demand('A', { p50: 5 })], { A: s }, 5);

    expect(rows).toHaveLength(1);
    expect(rows[0].forecastedDemand).toBe(7);
  });

  it('breaks ties by larger demand, then productId', () => {
    const tied = [demand('B', { p50: 1 }), demand('A', { p50: 1 }), demand('C', { p50: 5 })];
    const s: StockStatus = { currentStock: 1, daysOfCover: 2, stockoutRisk: true };

    const ranked = rankStockoutRisk(tied, { A: s, B: s, C: s }, 3).map((r) => r.productId);

    expect(ranked).toEqual(['C', 'A', 'B']);
  });

  it('rejects a negative or fractional n as a caller bug (exit kind failure)', () => {
    const err = (() => {
      try {
        rankStockoutRisk(forecasts, stock, -1);
      } catch (e) {
        return e;
      }
    })();

    expect(err).toBeInstanceOf(InvalidPlanningArgumentError);
    expect(err).toBeInstanceOf(InventoryPlanningError);
    expect((err as Error).message).toBe('n -1 is not allowed (expected an integer >= 0)');
    expect(exitKindOf(err)).toBe('failure');
    expect(() => rankStockoutRisk(forecasts, stock, 1.5)).toThrow(InvalidPlanningArgumentError);
  });
});
