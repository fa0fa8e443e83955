import { seededRandom } from '@retail-forecast/util';
import { describe, expect, it } from 'vitest';
import { forecastAuto } from '../src/index';
import { MIN_SHAPE_RESIDUALS, reshapeInterval, residualShape } from '../src/intervalShape';
import { quantileSorted } from '../src/numeric/stats';

const Z90 = 1.2815515655446004;

function gaussian(rand: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
}

/** Residuals e as (y, fitted) pairs with fitted 0 (the first 7 days are never read). */
function asSeries(e: number[]): { y: Float64Array; fitted: Float64Array } {
  const y = new Float64Array(7 + e.length);
  y.set(e, 7);
  return { y, fitted: new Float64Array(y.length) };
}

describe('residualShape', () => {
  it('is 1 on both sides for normal residuals', () => {
    const rand = seededRandom(1);
    const { y, fitted } = asSeries(Array.from({ length: 20000 }, () => 3 * gaussian(rand)));
    const s = residualShape(y, fitted)!;
    expect(s.residuals).toBe(20000);
    expect(s.up).toBeCloseTo(1, 1);
    expect(s.down).toBeCloseTo(1, 1);
  });

  it('is below 1 when a few large errors (holidays) inflate the mean square', () => {
    const rand = seededRandom(2);
    // 4 % of days 8σ off, the rest normal: rms ≈ 1.9σ, while the 0.1/0.9 quantiles stay near ±1.3σ.
    const e = Array.from({ length: 5000 }, (_, i) => (i % 25 === 0 ? -8 : gaussian(rand)));
    const { y, fitted } = asSeries(e);
    const s = residualShape(y, fitted)!;
    expect(s.up).toBeLessThan(0.8);
    expect(s.down).toBeLessThan(0.8);
  });

  it('tells the two tails apart for skewed residuals', () => {
    const rand = seededRandom(3);
    // Exponential(1) − 1: a long upper tail, a short lower one.
    const { y, fitted } = asSeries(Array.from({ length: 5000 }, () => -Math.log(1 - rand()) - 1));
    const s = residualShape(y, fitted)!;
    // q0.9 = ln 10 − 1 = 1.303, q0.1 = ln(10/9) − 1 = −0.895, rms = 1.
    expect(s.up).toBeCloseTo(1.303 / Z90, 1);
    expect(s.down).toBeCloseTo(0.895 / Z90, 1);
  });

  it('reads the tails from the real days and the Gaussian σ from the series the model was fitted on', () => {
    const rand = seededRandom(4);
    // The model saw a cleaned copy (normal errors, σ = 2); the real days hold a deep dip one day
    // in 8, which the cleaning replaced.
    const clean = Array.from({ length: 4000 }, () => 2 * gaussian(rand));
    const real = clean.map((v, i) => (i % 8 === 0 ? v - 20 : v));
    const { y: fittedOn, fitted } = asSeries(clean);
    const { y } = asSeries(real);
    const s = residualShape(y, fitted, fittedOn)!;
    const sorted = Float64Array.from(real).sort();
    const sigma = Math.sqrt(clean.reduce((a, v) => a + v * v, 0) / clean.length);
    expect(s.residuals).toBe(4000);
    expect(s.up).toBeCloseTo(quantileSorted(sorted, 0.9) / (Z90 * sigma), 12);
    expect(s.down).toBeCloseTo(-quantileSorted(sorted, 0.1) / (Z90 * sigma), 12);
    // The dips sit below the 0.1 quantile's bulk: the lower tail widens, the upper barely moves.
    const cleanOnly = residualShape(fittedOn, fitted)!;
    expect(s.down).toBeGreaterThan(1.3 * cleanOnly.down);
    expect(Math.abs(s.up - cleanOnly.up)).toBeLessThan(0.15);
  });

  it('is undefined with too few residuals or none that differ from zero', () => {
    const short = asSeries(new Array<number>(MIN_SHAPE_RESIDUALS - 1).fill(1));
    expect(residualShape(short.y, short.fitted)).toBeUndefined();
    const perfect = asSeries(new Array<number>(500).fill(0));
    expect(residualShape(perfect.y, perfect.fitted)).toBeUndefined();
    // Unknown days are not residuals.
    const gaps = asSeries(Array.from({ length: 150 }, (_, i) => (i % 3 === 0 ? 1 : Number.NaN)));
    expect(residualShape(gaps.y, gaps.fitted)).toBeUndefined();
  });
});

describe('reshapeInterval', () => {
  it('scales each half-width around the mean, reading a cut P10 from the upper side', () => {
    const q = {
      p10: Float64Array.of(6, 0),
      p50: Float64Array.of(10, 2),
      p90: Float64Array.of(14, 5),
      mean: Float64Array.of(10, 2.5),
    };
    const r = reshapeInterval(q, { up: 0.5, down: 0.75, residuals: 300 });
    expect(Array.from(r.p90)).toEqual([12, 2.5 + 0.5 * 2.5]);
    // Day 1: 10 − 0.75·4. Day 2: P10 was cut at 0, so the width below is max(2.5, 2.5) → 0.625.
    expect(Array.from(r.p10)).toEqual([7, 2.5 - 0.75 * 2.5]);
    expect(r.p50).toBe(q.p50);
    expect(r.mean).toBe(q.mean);
    // A wide lower tail still stops at 0, and the median stays inside.
    const wide = reshapeInterval(q, { up: 0.1, down: 3, residuals: 300 });
    expect(wide.p10[1]).toBe(0);
    expect(wide.p90[1]).toBeGreaterThanOrEqual(wide.p50[1]);
  });
});

describe('forecastAuto on smooth demand with holiday dips', () => {
  it('keeps P10–P90 near 80 % of ordinary days instead of widening for the dips', () => {
    const rand = seededRandom(9);
    let inside = 0;
    let days = 0;
    let ratio = 0;
    for (let s = 0; s < 24; s++) {
      const n = 500;
      const y = new Float64Array(n + 7);
      for (let t = 0; t < y.length; t++) {
        const weekly = [1, 1, 1, 1, 1.2, 1.5, 0.8][t % 7];
        // About 10 dips a year to 30 % of a day's demand (public holidays).
        const dip = (t * 37 + s * 11) % 36 === 0 && t < n ? 0.3 : 1;
        y[t] = Math.max(0, Math.round(100 * weekly * dip + 8 * gaussian(rand)));
      }
      const f = forecastAuto(y.subarray(0, n));
      for (let k = 0; k < 7; k++) {
        const a = y[n + k];
        if (a >= f.p10[k] && a <= f.p90[k]) inside++;
        days++;
        ratio += (f.p90[k] - f.p10[k]) / (2 * Z90 * 8);
      }
    }
    const coverage = inside / days;
    // Gaussian widths from a mean square that holds the dips would cover nearly every ordinary day.
    expect(coverage).toBeGreaterThan(0.7);
    expect(coverage).toBeLessThan(0.9);
    // And the interval is not much wider than the ordinary noise's own (σ = 8 a day).
    expect(ratio / days).toBeLessThan(1.5);
  });
});

describe('forecastAuto on smooth demand with one-off outliers in the past and the future', () => {
  it('reads the interval tails from the real days, so outliers to come stay covered at the nominal rate', () => {
    const rand = seededRandom(21);
    let inside = 0;
    let below = 0;
    let days = 0;
    for (let s = 0; s < 30; s++) {
      const n = 420;
      const y = new Float64Array(n + 7);
      for (let t = 0; t < y.length; t++) {
        const weekly = [1, 1, 1, 1, 1.2, 1.5, 0.8][t % 7];
        // One day in 12, anywhere (history and next week alike): a closure, a stock-out, a
        // storm — demand at 20–60 % of an ordinary day. The cleaning takes them out of the
        // history the models are fitted on; the week forecast can hold one all the same.
        const outlier = rand() < 1 / 12 ? 0.2 + 0.4 * rand() : 1;
        y[t] = Math.max(0, Math.round(200 * weekly * outlier + 10 * gaussian(rand)));
      }
      const f = forecastAuto(y.subarray(0, n));
      expect(f.outliers?.count).toBeGreaterThan(10);
      for (let k = 0; k < 7; k++) {
        const a = y[n + k];
        if (a >= f.p10[k] && a <= f.p90[k]) inside++;
        else if (a < f.p10[k]) below++;
        days++;
      }
    }
    // Tails read from the cleaned days alone (the errors the models never made) leave every
    // outlier to come below P10: about 0.08 of days on top of the nominal 0.10.
    expect(inside / days).toBeGreaterThan(0.74);
    expect(inside / days).toBeLessThan(0.9);
    expect(below / days).toBeLessThan(0.16);
  });
});
