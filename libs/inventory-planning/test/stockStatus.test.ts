import { describe, expect, it } from 'vitest';
import { daysOfCover, horizonTotals, isStockoutRisk, stockStatus } from '../src/index';
import { demand } from './fixtures';

describe('horizonTotals', () => {
  it('sums P50 and P90 over every forecast day, unrounded', () => {
    const totals = horizonTotals(demand('A', { p50s: [1, 2, 3.3333], spread: 0.5 }).daily);

    expect(totals.expectedTotal).toBeCloseTo(6.3333, 10);
    expect(totals.p90Total).toBeCloseTo(7.8333, 10);
  });

  it('sums the daily means where the forecast gives them (a count median P50 of 0 still sells)', () => {
    const daily = [
      { p50: 0, p90: 2, mean: 0.6 },
      { p50: 0, p90: 2, mean: 0.7 },
      { p50: 1, p90: 3 },
    ];
    expect(horizonTotals(daily).expectedTotal).toBeCloseTo(2.3, 10);
    // Cover reads the expected demand: 0.7667 a day, not the medians' 0.3333.
    expect(stockStatus({ daily }, 10).daysOfCover).toBe(13.04);
  });
});

describe('daysOfCover', () => {
  it('divides the stock by the mean daily median demand, to 2 decimals', () => {
    // mean p50 = 14.3383 / 7 = 2.0483; 10 / 2.0483 = 4.882
    expect(daysOfCover(10, 14.3383, 7)).toBe(4.88);
  });

  it('uses the horizon it is given, not a fixed week', () => {
    expect(daysOfCover(10, 28, 14)).toBe(5);
    expect(daysOfCover(10, 28, 7)).toBe(2.5);
  });

  it('is null when no demand is expected and 0 for back-orders', () => {
    expect(daysOfCover(5, 0, 7)).toBeNull();
    expect(daysOfCover(-4, 14, 7)).toBe(0);
  });
});

describe('isStockoutRisk', () => {
  it('flags a P90 total above the stock, compared at 2 decimals', () => {
    expect(isStockoutRisk(10, 21.3383)).toBe(true);
    expect(isStockoutRisk(10, 10.004)).toBe(false);
    expect(isStockoutRisk(10, 10.006)).toBe(true);
  });
});

describe('stockStatus', () => {
  it('computes cover and risk over the forecast days', () => {
    const f = demand('A', { p50s: [1, 2, 3, 1.005, 2, 2, 3.3333], spread: 1 });

    expect(stockStatus(f, 10)).toEqual({ currentStock: 10, daysOfCover: 4.88, stockoutRisk: true });
  });

  it('takes the horizon from the forecast', () => {
    const fortnight = demand('A', { p50: 2, horizonDays: 14 });

    // mean p50 2 → 5 days; p90 total 14 × 3 = 42 > 10
    expect(stockStatus(fortnight, 10)).toEqual({
      currentStock: 10,
      daysOfCover: 5,
      stockoutRisk: true,
    });
    expect(stockStatus(fortnight, 42).stockoutRisk).toBe(false);
  });

  it('reports a risk with unbounded cover when the median is zero but the P90 is not', () => {
    expect(stockStatus(demand('A', { p50: 0, spread: 0 }), 0)).toEqual({
      currentStock: 0,
      daysOfCover: null,
      stockoutRisk: false,
    });
    expect(stockStatus(demand('B', { p50: 0, spread: 1 }), 3)).toEqual({
      currentStock: 3,
      daysOfCover: null,
      stockoutRisk: true,
    });
  });

  it('reports zero cover and a risk for negative stock (back-orders)', () => {
    expect(stockStatus(demand('A'), -4)).toEqual({
      currentStock: -4,
      daysOfCover: 0,
      stockoutRisk: true,
    });
  });
});
