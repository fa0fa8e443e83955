import { describe, expect, it } from 'vitest';
import { countQuantiles, fitShortHistory, forecastAuto, negBinomialQuantile } from '../src/index';
import { mulberry32 } from './series';

const H = 7;
const sum = (a: ArrayLike<number>) => Array.from(a).reduce((s, v) => s + v, 0);
const width = (y: Float64Array) => {
  const q = fitShortHistory(y).forecast(1);
  return q.p90[0] - q.p10[0];
};

describe('negative-binomial quantiles', () => {
  it('match the distribution function (mean 4, variance 8: size 4, p = 1/2)', () => {
    // P(0) = 1/16, P(1) = 1/8, so F(0) < 0.1 <= F(1); F(7) = 0.887 < 0.9 <= F(8) = 0.927.
    expect(negBinomialQuantile(4, 8, 0.1)).toBe(1);
    expect(negBinomialQuantile(4, 8, 0.9)).toBe(8);
  });

  it('approach Poisson quantiles as the variance approaches the mean', () => {
    // Poisson(4): F(1) = 0.092, F(2) = 0.238, F(6) = 0.889, F(7) = 0.949.
    expect(negBinomialQuantile(4, 4.0001, 0.1)).toBe(2);
    expect(negBinomialQuantile(4, 4.0001, 0.9)).toBe(7);
  });

  it('keep P10 < P50 < P90 where the 90 % quantile of a day is 0', () => {
    const q = countQuantiles(0.08, 0.0862, 1);
    expect([q.p10[0], q.p50[0], q.p90[0]]).toEqual([0, 0.08, 1]);
  });
});

describe('short histories (field case FC-14)', () => {
  it('gives a new product with one day of 4 units a wide count interval around 4', () => {
    // SKU-NEW1: its only row is the last day; the days before it, on the catalogue's calendar,
    // have no row (0) and come before its first sale.
    const y = new Float64Array(60);
    y[59] = 4;
    const f = forecastAuto(y);
    for (let k = 0; k < H; k++) {
      expect(f.p50[k]).toBe(4);
      expect(f.p10[k]).toBeLessThan(f.p50[k]);
      expect(f.p90[k]).toBeGreaterThan(f.p50[k]);
    }
    // Negative binomial with mean 4 and variance 8 (one day's Poisson–Gamma predictive).
    expect(Array.from(f.p10)).toEqual(new Array(H).fill(1));
    expect(Array.from(f.p90)).toEqual(new Array(H).fill(8));
    // Well above the 28 of the zero-width interval it had before.
    expect(sum(f.p90)).toBeGreaterThanOrEqual(50);
  });

  it('gives the live product with 60 days of exactly 10 a narrow, non-degenerate interval', () => {
    const f = forecastAuto(new Float64Array(60).fill(10));
    for (let k = 0; k < H; k++) {
      expect(f.p50[k]).toBe(10);
      // 10 ∓ 1.2816·√(10/60) = 9.48 … 10.52
      expect(f.p10[k]).toBeCloseTo(9.477, 3);
      expect(f.p90[k]).toBeCloseTo(10.523, 3);
    }
  });

  it('keeps the P50 at the mean of the known days (the point forecast it had before)', () => {
    const f = forecastAuto(Float64Array.from([2, 4, 6]), { horizon: 3 });
    expect(Array.from(f.p50)).toEqual([4, 4, 4]);
  });

  it('widens the interval as the history shrinks', () => {
    let previous = Infinity;
    for (let n = 1; n <= 13; n++) {
      const w = width(new Float64Array(n).fill(4));
      expect(w).toBeLessThanOrEqual(previous);
      previous = w;
    }
    expect(width(Float64Array.of(4))).toBeGreaterThan(width(new Float64Array(13).fill(4)));
  });

  it('keeps an over-dispersed short history wider than a Poisson-like one of the same mean', () => {
    expect(width(Float64Array.of(1, 15, 2, 12, 0))).toBeGreaterThan(
      width(Float64Array.of(6, 6, 6, 6, 6)),
    );
  });

  it('gives p10 < p50 < p90 on every day for 1–13 days of any counts', () => {
    const r = mulberry32(5);
    for (let trial = 0; trial < 300; trial++) {
      const n = 1 + (trial % 13);
      const y = new Float64Array(n);
      const scale = [0.2, 1, 5, 50, 5000][trial % 5];
      for (let i = 0; i < n; i++) y[i] = Math.round(scale * 2 * r() * (r() < 0.5 ? 0 : 1));
      y[0] = Math.max(1, y[0]);
      const f = forecastAuto(y);
      for (let k = 0; k < H; k++) {
        expect(f.p10[k]).toBeLessThan(f.p50[k]);
        expect(f.p50[k]).toBeLessThan(f.p90[k]);
      }
    }
  });

  it('forecasts zeros, with a zero interval, for a history without any demand', () => {
    const f = forecastAuto(new Float64Array(60));
    expect(f.model).toBe('statistical:zero');
    expect(Array.from(f.p90)).toEqual(new Array(H).fill(0));
  });
});
