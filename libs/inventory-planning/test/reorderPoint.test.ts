import { describe, expect, it } from 'vitest';
import {
  DEFAULT_REORDER_POLICY,
  InvalidPlanningArgumentError,
  demandQuantile,
  normalQuantile,
  periodDemand,
  reorderSuggestion,
} from '../src/index';
import type { DailyDemand } from '../src/index';

const Z90 = 1.2815515655446004;
const AS_OF = '2025-06-30';

/** `days` identical forecast days with mean p50 and normal σ (p90 = p50 + z0.90·σ). */
const days = (p50: number, sd: number, n = 7): DailyDemand[] =>
  Array.from({ length: n }, () => ({ p50, p90: p50 + Z90 * sd }));

describe('normalQuantile', () => {
  it('matches the standard normal table', () => {
    expect(normalQuantile(0.5)).toBeCloseTo(0, 9);
    expect(normalQuantile(0.95)).toBeCloseTo(1.6448536, 6);
    expect(normalQuantile(0.99)).toBeCloseTo(2.3263479, 6);
    expect(normalQuantile(0.01)).toBeCloseTo(-2.3263479, 6);
  });
});

describe('periodDemand', () => {
  it('sums daily means and variances, σ from the upper half of the interval', () => {
    const d = periodDemand(days(10, 3), 4);
    expect(d.mean).toBeCloseTo(40, 9);
    expect(d.sd).toBeCloseTo(6, 9); // √(4 · 3²)
    expect(d.extendedDays).toBe(0);
  });

  it('extends beyond the horizon with the mean daily P50 and the last day’s variance', () => {
    const daily = [...days(8, 1, 6), { p50: 22, p90: 22 + Z90 * 2 }]; // mean p50 = 70/7 = 10
    const d = periodDemand(daily, 10);
    expect(d.extendedDays).toBe(3);
    expect(d.mean).toBeCloseTo(70 + 3 * 10, 9);
    expect(d.sd).toBeCloseTo(Math.sqrt(6 * 1 + 4 + 3 * 4), 9);
  });
});

describe('periodDemand with daily means (count medians as P50)', () => {
  it('sums the means, σ from P90 above the mean, the same numbers as a mean P50 would give', () => {
    const counted: DailyDemand[] = Array.from({ length: 7 }, () => ({ p50: 0, p90: 2, mean: 0.6 }));
    const asMean: DailyDemand[] = Array.from({ length: 7 }, () => ({ p50: 0.6, p90: 2 }));
    const d = periodDemand(counted, 4);
    expect(d.mean).toBeCloseTo(2.4, 9);
    expect(d.sd).toBeCloseTo(Math.sqrt(4) * (1.4 / Z90), 9);
    expect(d).toEqual(periodDemand(asMean, 4));
    expect(reorderSuggestion({ asOf: AS_OF, daily: counted }, { currentStock: 3 })).toEqual(
      reorderSuggestion({ asOf: AS_OF, daily: asMean }, { currentStock: 3 }),
    );
  });
});

describe('demandQuantile', () => {
  it('reads a geometric (negative binomial r = 1) quantile for over-dispersed counts', () => {
    // mean 2, variance 6: r = 4 / 4 = 1, p = 1/3, CDF(k) = 1 − (2/3)^(k+1)
    const q = demandQuantile({ mean: 2, sd: Math.sqrt(6) }, 0.95);
    expect(q).toEqual({ value: 7, distribution: 'negative-binomial' });
  });

  it('never goes below zero in the normal case', () => {
    expect(demandQuantile({ mean: 0, sd: 5 }, 0.05).value).toBe(0);
  });
});

describe('reorderSuggestion', () => {
  // Normal case. Days: P50 10, σ 3; horizon 7; lead time 4, review 7 (11 days: 4 extended).
  // Lead time: mean 40, σ 6.  Cycle: mean 110, σ √(11·9) = 9.9499.
  const normal = { asOf: AS_OF, daily: days(10, 3) };
  const policy = { leadTimeDays: 4, reviewPeriodDays: 7, serviceLevel: 0.95 };

  it('computes s, S, the order and the date at a 0.95 service level (normal demand)', () => {
    // s = ⌈40 + 1.64485·6⌉ = ⌈49.87⌉ = 50; S = ⌈110 + 1.64485·9.9499⌉ = ⌈126.37⌉ = 127
    // IP = 60 + 20 = 80 → order 127 − 80 = 47; 80 − 10k < 50 first at k = 4 → 2025-07-04
    const r = reorderSuggestion(normal, { currentStock: 60, onOrder: 20 }, policy);
    expect(r).toMatchObject({
      reorderPoint: 50,
      orderUpToLevel: 127,
      suggestedOrderQty: 47,
      reorderBy: '2025-07-04',
      distribution: 'normal',
      extendedDays: 4,
    });
  });

  it('orders less and later at 0.5 than at 0.99', () => {
    // 0.5: s = 40, S = 110, order 30, 80 − 10k < 40 at k = 5
    const half = reorderSuggestion(
      normal,
      { currentStock: 60, onOrder: 20 },
      {
        ...policy,
        serviceLevel: 0.5,
      },
    );
    expect(half).toMatchObject({
      reorderPoint: 40,
      orderUpToLevel: 110,
      suggestedOrderQty: 30,
      reorderBy: '2025-07-05',
    });
    // 0.99: s = ⌈40 + 2.32635·6⌉ = ⌈53.96⌉ = 54, S = ⌈110 + 2.32635·9.9499⌉ = ⌈133.15⌉ = 134,
    // order 54, 80 − 10k < 54 at k = 3
    const high = reorderSuggestion(
      normal,
      { currentStock: 60, onOrder: 20 },
      {
        ...policy,
        serviceLevel: 0.99,
      },
    );
    expect(high).toMatchObject({
      reorderPoint: 54,
      orderUpToLevel: 134,
      suggestedOrderQty: 54,
      reorderBy: '2025-07-03',
    });
  });

  it('orders up to S today when there is no stock', () => {
    const r = reorderSuggestion(normal, { currentStock: 0 }, policy);
    expect(r).toMatchObject({ suggestedOrderQty: 127, reorderBy: AS_OF });
  });

  it('counts back-orders against the order', () => {
    const r = reorderSuggestion(normal, { currentStock: -5 }, policy);
    expect(r.suggestedOrderQty).toBe(132);
  });

  it('has a reorder point of 0 with lead time 0, and orders the day stock runs out', () => {
    // S over 7 days: mean 70, σ √63 = 7.937 → ⌈70 + 13.055⌉ = 84; order 84 − 30 = 54
    // 30 − 10k < 0 first at k = 4
    const r = reorderSuggestion(normal, { currentStock: 30 }, { ...policy, leadTimeDays: 0 });
    expect(r).toMatchObject({
      reorderPoint: 0,
      orderUpToLevel: 84,
      suggestedOrderQty: 54,
      reorderBy: '2025-07-04',
      extendedDays: 0,
    });
  });

  it('uses Poisson quantiles for slow count demand', () => {
    // 2/7 a day with no spread: lead time 7 → Poisson(2). CDF: 0.1353, 0.4060, 0.6767, 0.8571,
    // 0.9473, 0.9834, 0.9955 → 0.5 → 2, 0.95 → 5, 0.99 → 6
    const slow = { asOf: AS_OF, daily: days(2 / 7, 0) };
    const at = (serviceLevel: number) =>
      reorderSuggestion(
        slow,
        { currentStock: 3 },
        {
          leadTimeDays: 7,
          reviewPeriodDays: 0,
          serviceLevel,
        },
      );
    expect(at(0.5)).toMatchObject({ reorderPoint: 2, orderUpToLevel: 2, suggestedOrderQty: 0 });
    expect(at(0.95)).toMatchObject({
      reorderPoint: 5,
      orderUpToLevel: 5,
      suggestedOrderQty: 2,
      reorderBy: AS_OF,
      distribution: 'poisson',
    });
    expect(at(0.99).reorderPoint).toBe(6);
  });

  it('uses a negative binomial for over-dispersed count demand', () => {
    // 0.5 a day, variance 1.5 a day: 4 days → mean 2, variance 6 → geometric, p = 1/3.
    // (2/3)^(k+1) ≤ 1 − level: 0.5 → k = 1, 0.95 → k = 7, 0.99 → k = 11
    const lumpy = { asOf: AS_OF, daily: days(0.5, Math.sqrt(1.5)) };
    const at = (serviceLevel: number) =>
      reorderSuggestion(
        lumpy,
        { currentStock: 0 },
        {
          leadTimeDays: 4,
          reviewPeriodDays: 0,
          serviceLevel,
        },
      ).reorderPoint;
    expect([at(0.5), at(0.95), at(0.99)]).toEqual([1, 7, 11]);
  });

  it('gives no date when stock lasts beyond the horizon', () => {
    const r = reorderSuggestion(normal, { currentStock: 500 }, policy);
    expect(r).toMatchObject({ suggestedOrderQty: 0, reorderBy: null });
  });

  it('applies the documented defaults', () => {
    expect(DEFAULT_REORDER_POLICY).toEqual({
      leadTimeDays: 7,
      reviewPeriodDays: 7,
      serviceLevel: 0.95,
    });
    expect(reorderSuggestion(normal, { currentStock: 0 }).policy).toEqual(DEFAULT_REORDER_POLICY);
  });

  it('rejects a bad policy, naming each value', () => {
    expect(() =>
      reorderSuggestion(
        normal,
        { currentStock: 1 },
        {
          leadTimeDays: -1,
          reviewPeriodDays: 1.5,
          serviceLevel: 1,
        },
      ),
    ).toThrow(
      /leadTimeDays -1 is not allowed.*reviewPeriodDays 1.5 is not allowed.*serviceLevel 1 is not allowed/,
    );
    expect(() => reorderSuggestion(normal, { currentStock: 1, onOrder: -2 }, policy)).toThrow(
      InvalidPlanningArgumentError,
    );
  });
});
