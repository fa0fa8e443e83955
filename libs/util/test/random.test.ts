import { describe, expect, it } from 'vitest';
import { samplePoisson, seededRandom } from '../src/index';

/** Mean and variance of n draws of Poisson(mean). */
function moments(mean: number, n: number, seed: number): { m: number; v: number } {
  const r = seededRandom(seed);
  let s = 0;
  let s2 = 0;
  for (let i = 0; i < n; i++) {
    const k = samplePoisson(r, mean);
    expect(Number.isInteger(k) && k >= 0).toBe(true);
    s += k;
    s2 += k * k;
  }
  const m = s / n;
  return { m, v: s2 / n - m * m };
}

describe('samplePoisson', () => {
  it.each([0.3, 4, 50, 200])(
    'draws counts whose mean and variance are both the mean (%s), within 4 standard errors',
    (mean) => {
      const n = 20_000;
      const { m, v } = moments(mean, n, 7);
      expect(Math.abs(m - mean)).toBeLessThan(4 * Math.sqrt(mean / n));
      // Var of the sample variance of a Poisson ≈ (μ + 2μ²)/n.
      expect(Math.abs(v - mean)).toBeLessThan(4 * Math.sqrt((mean + 2 * mean * mean) / n));
    },
  );

  it('gives 0 for a mean of 0 or below without drawing', () => {
    let draws = 0;
    const r = () => {
      draws++;
      return 0.5;
    };
    expect(samplePoisson(r, 0)).toBe(0);
    expect(samplePoisson(r, -1)).toBe(0);
    expect(draws).toBe(0);
  });

  it('repeats the same counts for the same seed', () => {
    const a = seededRandom(11);
    const b = seededRandom(11);
    const xs = Array.from({ length: 50 }, () => samplePoisson(a, 3));
    expect(Array.from({ length: 50 }, () => samplePoisson(b, 3))).toEqual(xs);
  });
});
