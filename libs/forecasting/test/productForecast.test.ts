import { describe, expect, it } from 'vitest';
import { cleanQuantiles, InvalidOptionError, toProductForecast } from '../src/index';

const product = { productId: 'P1', productName: 'Classic Earbuds', category: 'Electronics' };

describe('cleanQuantiles', () => {
  it('clamps negative values at 0', () => {
    const q = cleanQuantiles({ p10: [-3, -1], p50: [-0.5, 2], p90: [-0.1, 4] }, 2);
    expect(q).toEqual({ p10: [0, 0], p50: [0, 2], p90: [0, 4] });
  });

  it('uncrosses quantiles around the rounded median', () => {
    const q = cleanQuantiles({ p10: [5, 1.004], p50: [3, 1], p90: [2, 0.996] }, 2);
    expect(q).toEqual({ p10: [3, 1], p50: [3, 1], p90: [3, 1] });
  });

  it('rounds to 2 decimals, half away from zero as Math.round does for positives', () => {
    const q = cleanQuantiles({ p10: [1.234], p50: [2.345], p90: [3.0051] }, 1);
    expect(q).toEqual({ p10: [1.23], p50: [2.35], p90: [3.01] });
  });

  it('takes only the first horizon steps of longer arrays', () => {
    const q = cleanQuantiles(
      {
        p10: Float64Array.of(1, 2, 3),
        p50: Float64Array.of(2, 3, 4),
        p90: Float64Array.of(3, 4, 5),
      },
      2,
    );
    expect(q).toEqual({ p10: [1, 2], p50: [2, 3], p90: [3, 4] });
  });

  it('rejects a quantile shorter than the horizon and a horizon below 1', () => {
    const q = { p10: [1, 2], p50: [1], p90: [1, 2] };
    expect(() => cleanQuantiles(q, 2)).toThrow(/p50 has 1 values, fewer than the horizon of 2/);
    expect(() => cleanQuantiles(q, 0)).toThrow(InvalidOptionError);
  });
});

describe('toProductForecast', () => {
  it('builds the published record: dates from the day after as-of, total of daily medians', () => {
    const f = toProductForecast(product, '2024-12-30', 3, 'statistical:theta', {
      p10: Float64Array.of(0.111, -1, 2),
      p50: Float64Array.of(1.005, 0.333, 2.5),
      p90: Float64Array.of(1.5, 0.2, 9.999),
    });
    expect(f).toEqual({
      productId: 'P1',
      productName: 'Classic Earbuds',
      category: 'Electronics',
      asOf: '2024-12-30',
      horizonDays: 3,
      model: 'statistical:theta',
      forecastedDemand: 3.83,
      daily: [
        { date: '2024-12-31', p10: 0.11, p50: 1, p90: 1.5 },
        { date: '2025-01-01', p10: 0, p50: 0.33, p90: 0.33 },
        { date: '2025-01-02', p10: 2, p50: 2.5, p90: 10 },
      ],
    });
    expect(Object.keys(f)).not.toContain('fallbackReason');
  });

  it('keeps the record key order of the JSONL contract and sets fallbackReason only when given', () => {
    const q = { p10: [1], p50: [1], p90: [1] };
    const f = toProductForecast(product, '2025-04-28', 1, 'statistical:ets(A,N,N)', q, 'rejected');
    expect(Object.keys(f)).toEqual([
      'productId',
      'productName',
      'category',
      'asOf',
      'horizonDays',
      'model',
      'fallbackReason',
      'forecastedDemand',
      'daily',
    ]);
    expect(f.fallbackReason).toBe('rejected');
    expect(toProductForecast(product, '2025-04-28', 1, 'm', q, '')).not.toHaveProperty(
      'fallbackReason',
    );
  });

  it('rounds the total of the rounded medians, not the raw ones', () => {
    const f = toProductForecast(product, '2025-04-28', 3, 'm', {
      p10: [0, 0, 0],
      p50: [0.104, 0.104, 0.104],
      p90: [1, 1, 1],
    });
    expect(f.forecastedDemand).toBe(0.3);
  });
});

describe('toProductForecast data-quality flag', () => {
  const q = { p10: [1], p50: [2], p90: [3] };

  it('carries the history’s rejected days into the record', () => {
    const f = toProductForecast(
      { ...product, dataIssues: { rejectedDays: 2 } },
      '2025-03-30',
      1,
      'm',
      q,
    );
    expect(f.dataIssues).toEqual({ rejectedDays: 2 });
  });

  it('adds no flag for a clean history', () => {
    expect('dataIssues' in toProductForecast(product, '2025-03-30', 1, 'm', q)).toBe(false);
  });
});

describe('toProductForecast extra quantile levels', () => {
  const q = { p10: [1, 0], p50: [3, 0.4], p90: [6, 2] };

  it('puts each day’s extra levels in its quantiles, rounded, >= 0 and monotone with p10..p90', () => {
    const f = toProductForecast({ productId: 'A' }, '2025-04-28', 2, 'm', {
      ...q,
      quantiles: { '0.05': [0.504, -1], '0.95': [7.777, 1.5], '0.25': [2, 0.1] },
    });
    expect(f.daily[0].quantiles).toEqual({ '0.05': 0.5, '0.25': 2, '0.95': 7.78 });
    // Day 2: 0.95 below p90 is raised to it; the negative 0.05 is clamped at 0.
    expect(f.daily[1].quantiles).toEqual({ '0.05': 0, '0.25': 0.1, '0.95': 2 });
    expect(f.daily[1]).toMatchObject({ p10: 0, p50: 0.4, p90: 2 });
  });

  it('keeps the default layout when no extra level is given', () => {
    const f = toProductForecast({ productId: 'A' }, '2025-04-28', 2, 'm', { ...q, quantiles: {} });
    expect(Object.keys(f.daily[0])).toEqual(['date', 'p10', 'p50', 'p90']);
  });

  it('rejects a key that is not a level and a level shorter than the horizon', () => {
    const make = (quantiles: Record<string, number[]>) => () =>
      toProductForecast({ productId: 'A' }, '2025-04-28', 2, 'm', { ...q, quantiles });
    expect(make({ high: [1, 2] })).toThrow('quantile key "high" is not allowed');
    expect(make({ '0.9': [1, 2] })).toThrow('quantile key "0.9" is not allowed');
    expect(make({ '0.95': [1] })).toThrow(
      'quantile 0.95 has 1 values, fewer than the horizon of 2',
    );
  });
});

describe('toProductForecast outliers', () => {
  const q = { p10: [1], p50: [2], p90: [3] };
  const outliers = {
    count: 7,
    recent: [
      { index: 0, value: 0, replacement: 141.23456 },
      { index: 31, value: 2.004, replacement: 12.5 },
    ],
  };

  it('dates each listed day from the series start and rounds its units', () => {
    const f = toProductForecast({ productId: 'A', startDate: '2025-01-31' }, '2025-04-28', 1, 'm', {
      ...q,
      outliers,
    });
    expect(f.outliers).toEqual({
      count: 7,
      recent: [
        { date: '2025-01-31', value: 0, replacement: 141.23 },
        { date: '2025-03-03', value: 2, replacement: 12.5 },
      ],
    });
  });

  it('keeps count 0 and adds nothing when the forecast has no outliers', () => {
    const none = { count: 0, recent: [] };
    expect(
      toProductForecast({ productId: 'A' }, '2025-04-28', 1, 'm', { ...q, outliers: none })
        .outliers,
    ).toEqual(none);
    expect('outliers' in toProductForecast({ productId: 'A' }, '2025-04-28', 1, 'm', q)).toBe(
      false,
    );
  });

  it('refuses days it cannot date, naming the product', () => {
    expect(() =>
      toProductForecast({ productId: 'A' }, '2025-04-28', 1, 'm', { ...q, outliers }),
    ).toThrow('product A: startDate undefined is not a date');
    expect(() =>
      toProductForecast({ productId: 'B', startDate: '31/01/2025' }, '2025-04-28', 1, 'm', {
        ...q,
        outliers,
      }),
    ).toThrow(InvalidOptionError);
  });
});

describe('toProductForecast levelShift', () => {
  const q = { p10: [1], p50: [2], p90: [3] };
  const levelShift = { index: 31, before: 5.03571, after: 0.46667 };

  it('dates the first day at the new level from the series start and rounds the means', () => {
    const f = toProductForecast({ productId: 'A', startDate: '2025-01-31' }, '2025-04-28', 1, 'm', {
      ...q,
      levelShift,
    });
    expect(f.levelShift).toEqual({ date: '2025-03-03', before: 5.04, after: 0.47 });
    expect('levelShift' in toProductForecast({ productId: 'A' }, '2025-04-28', 1, 'm', q)).toBe(
      false,
    );
  });

  it('refuses a shift it cannot date, naming the product', () => {
    expect(() =>
      toProductForecast({ productId: 'A' }, '2025-04-28', 1, 'm', { ...q, levelShift }),
    ).toThrow(
      'product A: startDate undefined is not a date (expected YYYY-MM-DD, to date the level shift)',
    );
  });
});

describe('toProductForecast weekdayProfile', () => {
  const q = { p10: [1], p50: [2], p90: [3] };

  it("names the profile's source and rounds the own weeks' weight", () => {
    const category = toProductForecast({ productId: 'A' }, '2025-04-28', 1, 'm', {
      ...q,
      weekdayProfile: { category: 'dairy', ownWeight: 0.31234 },
    });
    expect(category.weekdayProfile).toEqual({ source: 'category', ownWeight: 0.31 });
    const catalogue = toProductForecast({ productId: 'A' }, '2025-04-28', 1, 'm', {
      ...q,
      weekdayProfile: { ownWeight: 0.4567 },
    });
    expect(catalogue.weekdayProfile).toEqual({ source: 'catalogue', ownWeight: 0.46 });
    expect('weekdayProfile' in toProductForecast({ productId: 'A' }, '2025-04-28', 1, 'm', q)).toBe(
      false,
    );
  });
});
