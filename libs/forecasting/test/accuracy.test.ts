import { describe, expect, it } from 'vitest';
import { addDays } from '@retail-forecast/util';
import { InvalidOptionError, scoreIssuedForecasts } from '../src/index';
import type { ActualSeries, IssuedForecast } from '../src/index';

const f = (
  productId: string,
  asOf: string,
  horizonDay: number,
  p10: number,
  p50: number,
  p90: number,
): IssuedForecast => ({ productId, asOf, horizonDay, p10, p50, p90 });

// 2025-06-01 … 2025-06-14: A alternates 2, 4 (every lag-7 difference is 2, so the MASE scale is 2);
// C never sells (no scale, no WAPE).
const A: ActualSeries = {
  productId: 'A',
  category: 'X',
  startDate: '2025-06-01',
  values: Float64Array.from({ length: 14 }, (_, i) => (i % 2 === 0 ? 2 : 4)),
};
const C: ActualSeries = {
  productId: 'C',
  category: 'Y',
  startDate: '2025-06-01',
  values: new Float64Array(14),
};
const issued = [
  // Issued 06-10: day 1 = 06-11 (actual 2), day 2 = 06-12 (actual 4).
  f('A', '2025-06-10', 1, 1, 3, 5),
  f('A', '2025-06-10', 2, 2, 3, 3.5),
  // Issued 06-13: day 1 = 06-14 (actual 4) is known, day 2 is not: no horizon total.
  f('A', '2025-06-13', 1, 0, 1, 1.5),
  f('A', '2025-06-13', 2, 0, 1, 1.5),
  f('C', '2025-06-10', 1, 0, 1, 2),
  f('C', '2025-06-10', 2, 0, 1, 2),
  // No actual series: not scored.
  f('D', '2025-06-10', 1, 0, 1, 2),
];

describe('scoreIssuedForecasts', () => {
  const report = scoreIssuedForecasts(issued, [A, C], { asOf: '2025-06-14' });

  it('scores a product one day ahead and over fully observed horizons', () => {
    const a = report.products.find((p) => p.key === 'A')!;
    // day 1 pairs (A, F): (2, 3) and (4, 1): WAPE 4/6, bias −2/6, MASE mean(1/2, 3/2), 1 of 2 inside
    expect(a.oneDayAhead.forecasts).toBe(2);
    expect(a.oneDayAhead.wape).toBeCloseTo(4 / 6, 12);
    expect(a.oneDayAhead.bias).toBeCloseTo(-2 / 6, 12);
    expect(a.oneDayAhead.mase).toBeCloseTo(1, 12);
    expect(a.oneDayAhead.coverage).toBe(0.5);
    // the 06-10 total: F 6, A 6; day 2 (4) is above its P90 (3.5)
    expect(a.horizonTotal).toEqual({ forecasts: 1, wape: 0, mase: 0, bias: 0, coverage: 0.5 });
  });

  it('reports undefined metrics as null, never 0', () => {
    const c = report.products.find((p) => p.key === 'C')!;
    expect(c.oneDayAhead).toEqual({
      forecasts: 1,
      wape: null,
      mase: null,
      bias: null,
      coverage: 1,
    });
    expect(report.products.map((p) => p.key)).toEqual(['A', 'C']);
  });

  it('pools categories and the whole catalog', () => {
    expect(report.categories.map((g) => g.key)).toEqual(['X', 'Y']);
    const o = report.overall;
    // day 1: (2,3), (4,1), (0,1): WAPE 5/6, bias 1/6 − 3/6 + 1/6 = −1/6, MASE mean(0.5, 1.5), 2/3 inside
    expect(o.oneDayAhead.wape).toBeCloseTo(5 / 6, 12);
    expect(o.oneDayAhead.bias).toBeCloseTo(-1 / 6, 12);
    expect(o.oneDayAhead.mase).toBeCloseTo(1, 12);
    expect(o.oneDayAhead.coverage).toBeCloseTo(2 / 3, 12);
    // totals: A (6, 6), C (2, 0): WAPE 2/6, bias 2/6; days inside: A 1 of 2, C 2 of 2
    expect(o.horizonTotal.wape).toBeCloseTo(1 / 3, 12);
    expect(o.horizonTotal.bias).toBeCloseTo(1 / 3, 12);
    expect(o.horizonTotal.coverage).toBe(0.75);
  });

  it('gives one trend point per issuing date', () => {
    expect(report.trend.oneDayAhead.map((p) => [p.asOf, p.wape])).toEqual([
      ['2025-06-10', 1],
      ['2025-06-13', 0.75],
    ]);
    expect(report.trend.horizonTotal.map((p) => p.asOf)).toEqual(['2025-06-10']);
    expect(report.window).toEqual({ from: '2025-05-17', to: '2025-06-13', origins: 2 });
  });

  it('lists a product outside its interval on most recent days', () => {
    expect(report.missing).toEqual([]); // 2 scored days of 7 are too few to judge
    const recent = scoreIssuedForecasts(issued, [A, C], { asOf: '2025-06-14', missDays: 2 });
    expect(recent.missing).toEqual([{ productId: 'A', outside: 1, days: 1 }]);
  });

  it('rejects a bad as-of', () => {
    expect(() => scoreIssuedForecasts([], [], { asOf: '06/14/2025' })).toThrow(InvalidOptionError);
  });
});

describe('scoreIssuedForecasts: expected demand (mean) beside a median P50', () => {
  // A's actuals on 06-11 and 06-12 are 2 and 4 (MASE scale 2). Issued 06-10: day 1 P50 2 (the
  // count median) with mean 2.6, day 2 P50 3 with mean 4.9.
  const withMean: IssuedForecast[] = [
    { ...f('A', '2025-06-10', 1, 1, 2, 5), mean: 2.6 },
    { ...f('A', '2025-06-10', 2, 2, 3, 6), mean: 4.9 },
  ];
  const score = (rows: IssuedForecast[]) =>
    scoreIssuedForecasts(rows, [A], { asOf: '2025-06-14' }).overall;

  it('scores one day ahead on P50 and its bias on the mean', () => {
    const one = score(withMean).oneDayAhead;
    // WAPE |2 − 2| / 2 = 0, MASE 0 / 2 = 0; bias (2.6 − 2) / 2 = 0.3
    expect(one.wape).toBe(0);
    expect(one.mase).toBe(0);
    expect(one.bias).toBeCloseTo(0.3, 12);
    expect(one.coverage).toBe(1);
  });

  it('scores the horizon total as the expected total, the sum of the means', () => {
    // F = 2.6 + 4.9 = 7.5 against A = 2 + 4 = 6 (the P50 sum 5 would give bias −1/6):
    // WAPE 1.5 / 6, bias +1.5 / 6, MASE 1.5 / (2 days × scale 2)
    const total = score(withMean).horizonTotal;
    expect(total.wape).toBeCloseTo(0.25, 12);
    expect(total.bias).toBeCloseTo(0.25, 12);
    expect(total.mase).toBeCloseTo(0.375, 12);
    expect(total.coverage).toBe(1);
    const report = scoreIssuedForecasts(withMean, [A], { asOf: '2025-06-14' });
    expect(report.trend.horizonTotal[0].bias).toBeCloseTo(0.25, 12);
    expect(report.trend.oneDayAhead[0].bias).toBeCloseTo(0.3, 12);
  });

  it('scores rows without a mean (older archives) on P50 alone, as before', () => {
    const nullMean = withMean.map((r) => ({ ...r, mean: null }));
    const noMean = withMean.map(({ mean: _mean, ...r }) => r);
    const old = score(nullMean);
    // day 1: (2, 2), bias 0; total: F = 2 + 3 = 5 against 6: WAPE 1/6, bias −1/6, MASE 1 / 4
    expect(old.oneDayAhead.bias).toBe(0);
    expect(old.horizonTotal.wape).toBeCloseTo(1 / 6, 12);
    expect(old.horizonTotal.bias).toBeCloseTo(-1 / 6, 12);
    expect(old.horizonTotal.mase).toBeCloseTo(0.25, 12);
    expect(score(noMean)).toEqual(old);
  });
});

describe('scoreIssuedForecasts: degradation', () => {
  // 40 days selling 10 a day; one-day forecasts issued on each of the last 20 days: 11 (WAPE 0.1)
  // for 13 days, then 13 (WAPE 0.3) for the last 7. Median 0.1, last week 0.3.
  const start = '2025-05-01';
  const asOf = addDays(start, 39);
  const flat: ActualSeries = {
    productId: 'P',
    startDate: start,
    values: new Float64Array(40).fill(10),
  };
  const forecasts = Array.from({ length: 20 }, (_, i) => {
    const p50 = i < 13 ? 11 : 13;
    return f('P', addDays(asOf, -20 + i), 1, p50 - 1, p50, p50 + 1);
  });

  it('fires when last week’s WAPE exceeds the factor times the 28-day median', () => {
    const d = scoreIssuedForecasts(forecasts, [flat], { asOf, alarmFactor: 1.5 }).degradation;
    expect(d.origins).toBe(20);
    expect(d.medianWape).toBeCloseTo(0.1, 12);
    expect(d.lastWeekWape).toBeCloseTo(0.3, 12);
    expect(d.degraded).toBe(true);
  });

  it('stays quiet under a larger factor or without enough history', () => {
    expect(
      scoreIssuedForecasts(forecasts, [flat], { asOf, alarmFactor: 4 }).degradation.degraded,
    ).toBe(false);
    const short = scoreIssuedForecasts(forecasts, [flat], { asOf, minOrigins: 21 }).degradation;
    expect(short).toMatchObject({ degraded: false, origins: 20, lastWeekWape: null });
    expect(short.reason).toMatch(/20 fully observed issuing dates in the last 28 \(needs 21\)/);
  });
});
