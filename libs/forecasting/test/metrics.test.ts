import { describe, expect, it } from 'vitest';
import {
  bias,
  classifyDemand,
  coverage,
  pitCoverage,
  demandStats,
  mase,
  maseScale,
  quantileLoss,
  tailShares,
  wape,
  weightedQuantileLoss,
} from '../src/index';

const f64 = (a: number[]) => Float64Array.from(a);

describe('metrics', () => {
  it('maseScale uses the seasonal-naive MAE, falling back to naive when that is 0', () => {
    const train = f64([1, 2, 3, 4, 5, 6, 7, 3, 2, 3, 4, 5, 6, 7]);
    // Lag-7 differences: 2, 0, 0, 0, 0, 0, 0 → 2/7.
    expect(maseScale(train, 7)).toBeCloseTo(2 / 7, 12);
    const weeklyRepeat = f64([1, 2, 3, 4, 5, 6, 7, 1, 2, 3, 4, 5, 6, 7]);
    // Seasonal scale 0 → naive: |diffs| sum = 6·1 + 6 + 6·1 = 18 over 13.
    expect(maseScale(weeklyRepeat, 7)).toBeCloseTo(18 / 13, 12);
    expect(maseScale(f64([5, 5, 5]), 7)).toBe(0);
  });

  it('mase divides the MAE by the scale and is NaN on a flat history', () => {
    const train = f64([1, 2, 3, 4, 5, 6, 7, 3, 2, 3, 4, 5, 6, 7]);
    expect(mase(f64([1, 1]), f64([2, 3]), train)).toBeCloseTo(1.5 / (2 / 7), 12);
    expect(mase(f64([1]), f64([2]), f64([4, 4, 4]))).toBeNaN();
  });

  it('wape and bias are relative to total demand', () => {
    expect(wape(f64([2, 0, 2]), f64([1, 1, 3]))).toBeCloseTo(3 / 4, 12);
    expect(bias(f64([2, 0, 2]), f64([1, 1, 3]))).toBeCloseTo(1 / 4, 12);
    expect(wape(f64([0, 0]), f64([1, 1]))).toBeNaN();
  });

  it('quantileLoss is twice the pinball loss summed over P10/P50/P90', () => {
    const q = { p10: f64([1]), p50: f64([2]), p90: f64([3]) };
    // actual 4: 0.1·3 + 0.5·2 + 0.9·1 = 2.2 → ×2 = 4.4
    expect(quantileLoss(f64([4]), q)).toBeCloseTo(4.4, 12);
    // actual 0: 0.9·1 + 0.5·2 + 0.1·3 = 2.2 → ×2 = 4.4
    expect(quantileLoss(f64([0]), q)).toBeCloseTo(4.4, 12);
    expect(weightedQuantileLoss(f64([4]), q)).toBeCloseTo(4.4 / 4 / 3, 12);
  });

  it('coverage counts actuals inside the P10–P90 band', () => {
    const q = { p10: f64([1, 1, 1, 1]), p50: f64([2, 2, 2, 2]), p90: f64([3, 3, 3, 3]) };
    expect(coverage(f64([0, 1, 3, 4]), q)).toBe(0.5);
  });

  it('tailShares splits the days outside the band into above P90 and below P10', () => {
    const q = { p10: f64([1, 1, 1, 1, 1]), p50: f64([2, 2, 2, 2, 2]), p90: f64([3, 3, 3, 3, 3]) };
    // 0 below, 1 and 3 on the bounds (inside), 4 and 5 above; the missing day is not counted.
    expect(tailShares(f64([0, 1, 3, 4, 5]), q)).toEqual({ above: 0.4, below: 0.2 });
    const withMissing = { p10: f64([1, 1]), p50: f64([2, 2]), p90: f64([3, 3]) };
    expect(tailShares(f64([NaN, 4]), withMissing)).toEqual({ above: 1, below: 0 });
    expect(tailShares(f64([NaN]), { p10: f64([1]), p50: f64([2]), p90: f64([3]) })).toEqual({
      above: NaN,
      below: NaN,
    });
  });
});

describe('classifyDemand', () => {
  it('uses the Syntetos–Boylan cut-offs ADI 1.32 and CV² 0.49', () => {
    expect(classifyDemand(f64([5, 6, 5, 6, 5, 6]))).toBe('smooth');
    expect(classifyDemand(f64([1, 20, 1, 30, 2, 25]))).toBe('erratic');
    expect(classifyDemand(f64([5, 0, 0, 6, 0, 0, 5, 0]))).toBe('intermittent');
    expect(classifyDemand(f64([1, 0, 0, 30, 0, 0, 2, 0]))).toBe('lumpy');
    expect(classifyDemand(f64([0, 0, 0]))).toBe('intermittent');
  });

  it('reports ADI and CV² (sample variance of non-zero sizes)', () => {
    const s = demandStats(f64([2, 0, 4, 0]));
    expect(s.adi).toBe(2);
    expect(s.demandDays).toBe(2);
    // sizes 2, 4: mean 3, sample variance 2 → CV² = 2/9
    expect(s.cv2).toBeCloseTo(2 / 9, 12);
  });
});

describe('pitCoverage (non-randomised PIT, Czado, Gneiting & Held 2009)', () => {
  const levels = Array.from({ length: 99 }, (_, i) => (i + 1) / 100);
  /** Quantile function of Poisson(mean) at `levels`: the smallest k with F(k) ≥ τ. */
  const poissonQuantiles = (mean: number) => {
    const cdf: number[] = [];
    let p = Math.exp(-mean);
    let c = p;
    for (let k = 0; k < 200; k++) {
      cdf.push(c);
      p *= mean / (k + 1);
      c += p;
    }
    return {
      values: levels.map((tau) => cdf.findIndex((f) => f >= tau - 1e-12)),
      pmf: cdf.map((f, k) => f - (k > 0 ? cdf[k - 1] : 0)),
    };
  };

  it('averages to 0.80 over a calibrated count forecast, where the inclusive coverage is far above', () => {
    for (const mean of [0.3, 1.4, 4, 12]) {
      const { values, pmf } = poissonQuantiles(mean);
      let pit = 0;
      let inclusive = 0;
      pmf.forEach((p, y) => {
        pit += p * pitCoverage(y, levels, values);
        if (y >= values[9] && y <= values[89]) inclusive += p;
      });
      // The grid's resolution (0.01) bounds the error.
      expect(Math.abs(pit - 0.8)).toBeLessThan(0.02);
      if (mean <= 4) expect(inclusive).toBeGreaterThan(0.85);
    }
  });

  it('shares a zero between the levels by probability: P(0) = 0.6 puts 5/6 of it inside', () => {
    const values = levels.map((tau) => (tau <= 0.6 ? 0 : tau <= 0.9 ? 1 : 2));
    expect(pitCoverage(0, levels, values)).toBeCloseTo(0.5 / 0.6, 12);
    // y = 1: F(1−) = 0.6, F(1) = 0.9, wholly inside; y = 2 lies above P90.
    expect(pitCoverage(1, levels, values)).toBe(1);
    expect(pitCoverage(2, levels, values)).toBeCloseTo(0, 12);
    expect(pitCoverage(Number.NaN, levels, values)).toBeNaN();
  });

  it('is the plain inside/outside count for a continuous forecast', () => {
    const values = levels.map((tau) => 100 + 10 * (tau - 0.5));
    expect(pitCoverage(100.3, levels, values)).toBe(1);
    expect(pitCoverage(95.05, levels, values)).toBe(0); // below P10 = 96
    expect(pitCoverage(103.7, levels, values)).toBe(1);
    expect(pitCoverage(104.95, levels, values)).toBe(0); // above P90 = 104
  });
});
