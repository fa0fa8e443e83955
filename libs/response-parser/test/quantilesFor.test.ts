import { describe, expect, it } from 'vitest';
import { quantilesFor } from '../src/index';
import type { ParsedForecast } from '../src/index';

const rounded = (values: number[]) => values.map((v) => +v.toFixed(9));

// p10 3, p50 5, p90 7: ratios 0.6 and 1.4 to the median.
const reference = {
  p10: new Float64Array(3).fill(3),
  p50: new Float64Array(3).fill(5),
  p90: new Float64Array(3).fill(7),
};

describe('quantilesFor', () => {
  it("keeps the model's own p10/p90 when it gave both", () => {
    const forecast: ParsedForecast = {
      productId: 'P1',
      daily: [4, 5, 6],
      p10: [1, 2, 3],
      p90: [8, 9, 10],
    };
    expect(quantilesFor(forecast, reference)).toEqual({
      p10: [1, 2, 3],
      p50: [4, 5, 6],
      p90: [8, 9, 10],
    });
  });

  it("scales the statistical forecast's relative widths around a median-only answer", () => {
    const q = quantilesFor({ productId: 'P1', daily: [10, 5, 0] }, reference);
    expect(q.p50).toEqual([10, 5, 0]);
    expect(rounded(q.p10)).toEqual([6, 3, 0]);
    expect(rounded(q.p90)).toEqual([14, 7, 0]);
  });

  it('borrows the only quantile pair when the model gave just one of p10 and p90', () => {
    const q = quantilesFor({ productId: 'P1', daily: [10, 10, 10], p90: [20, 20, 20] }, reference);
    expect(rounded(q.p10)).toEqual([6, 6, 6]);
    expect(rounded(q.p90)).toEqual([14, 14, 14]);
  });

  it('uses absolute widths on days where the statistical median is 0, clamped at 0', () => {
    const zero = {
      p10: Float64Array.of(0, 0),
      p50: Float64Array.of(0, 0),
      p90: Float64Array.of(2, 3),
    };
    expect(quantilesFor({ productId: 'P1', daily: [4, 0] }, zero)).toEqual({
      p10: [4, 0],
      p50: [4, 0],
      p90: [6, 3],
    });
  });

  it('orders p10 <= p50 <= p90 even when the reference is not ordered', () => {
    const crossed = { p10: Float64Array.of(8), p50: Float64Array.of(5), p90: Float64Array.of(2) };
    expect(quantilesFor({ productId: 'P1', daily: [10] }, crossed)).toEqual({
      p10: [10],
      p50: [10],
      p90: [10],
    });
  });

  it('gives a zero-width interval on days past the end of a shorter reference', () => {
    const q = quantilesFor({ productId: 'P1', daily: [10, 10, 10, 9] }, reference);
    expect(q.p10[3]).toBe(9);
    expect(q.p90[3]).toBe(9);
  });
});
