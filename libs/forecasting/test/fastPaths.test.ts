/**
 * The engine's fast paths compute the same numbers, to the last bit, as the plain code they
 * replaced (kept in ./reference): checked on random series, complete and with missing days.
 */
import { describe, expect, it } from 'vitest';
import { SEASON_A, SEASON_M, SEASON_N, TREND_A, TREND_AD, TREND_N } from '../src/models/etsCore';
import { leastSquaresInitialStates } from '../src/models/etsInit';
import * as slow from './reference/slowPaths';
import { mulberry32 } from './series';

/** The bits of every number, so +0/-0 and NaN payloads count as differences. */
function bits(values: ArrayLike<number>): string {
  return Buffer.from(Float64Array.from(values).buffer).toString('hex');
}

/** A random daily series: smooth with a weekly pattern, or sporadic counts; some days missing. */
function randomSeries(rnd: () => number, n: number, missing: boolean): Float64Array {
  const y = new Float64Array(n);
  const sporadic = rnd() < 0.4;
  const level = 1 + 100 * rnd();
  for (let t = 0; t < n; t++) {
    const weekly = 1 + 0.3 * Math.sin((2 * Math.PI * t) / 7 + rnd() * 0.2);
    y[t] = sporadic
      ? rnd() < 0.7
        ? 0
        : 1 + Math.floor(5 * rnd())
      : Math.round(level * weekly * (0.8 + 0.4 * rnd()));
  }
  if (missing) for (let k = 0; k < 1 + 5 * rnd(); k++) y[Math.floor(rnd() * n)] = NaN;
  return y;
}

describe('leastSquaresInitialStates (columns in pairs, dot products four at a time)', () => {
  it('returns the bits of the plain column-by-column solve on random series and parameters', () => {
    const rnd = mulberry32(2026);
    let compared = 0;
    for (let trial = 0; trial < 240; trial++) {
      const m = [7, 7, 4, 12][trial % 4];
      const n = 3 * m + Math.floor(rnd() * 400);
      const start = Math.floor(rnd() * 20);
      const y = randomSeries(rnd, start + n, trial % 3 === 2);
      const trendKind = [TREND_N, TREND_A, TREND_AD][trial % 3];
      const seasonKind = [SEASON_N, SEASON_A, SEASON_A, SEASON_M][Math.floor(trial / 3) % 4];
      const alpha = 1e-4 + 0.9 * rnd();
      const args = [
        y,
        start,
        n,
        m,
        trendKind,
        seasonKind,
        alpha,
        1e-4 + alpha * rnd(),
        1e-4 + (1 - alpha) * rnd(),
        0.8 + 0.18 * rnd(),
      ] as const;
      const fast = leastSquaresInitialStates(...args);
      const plain = slow.leastSquaresInitialStates(...args);
      if (plain === null) {
        expect(fast).toBeNull();
        continue;
      }
      expect(fast).not.toBeNull();
      expect(bits([fast!.level, fast!.trend, ...fast!.season])).toBe(
        bits([plain.level, plain.trend, ...plain.season]),
      );
      compared++;
    }
    // Most draws must have been real solves, not two nulls.
    expect(compared).toBeGreaterThan(150);
  });
});
