import { describe, expect, it } from 'vitest';
import { samplePoisson as poisson } from '@retail-forecast/util';
import {
  calibrateQuantiles,
  conformalScores,
  forecastAuto,
  InvalidOptionError,
  normalizeLevels,
  PRIOR_SCORES,
  shrunkConformalScale,
} from '../src/index';
import { forecastMany } from '../src/runtime/index';
import type { QuantileForecast } from '../src/index';
import { intermittent, lcg, seasonal } from './series';

const Z90 = 1.2815515655446004;

function gaussian(r: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
}

/** Negative binomial of size 1 (geometric) as a Gamma(1)–Poisson mixture: P(0) = 1/(1 + mean). */
function negBinomial1(r: () => number, mean: number): number {
  return poisson(r, -mean * Math.log(1 - r()));
}

function flat(p10: number, p50: number, p90: number): QuantileForecast {
  return { p10: Float64Array.of(p10), p50: Float64Array.of(p50), p90: Float64Array.of(p90) };
}

/** A one-day "model" calibrated on `cal` draws, judged on `test` draws. */
function judge(
  q: QuantileForecast,
  draw: () => number,
  cal: number,
  test: number,
  prior: number,
): { c: QuantileForecast; share: (f: (y: number, c: QuantileForecast) => boolean) => number } {
  const blocks = Array.from({ length: cal }, () => ({ q, actual: [draw()] }));
  const c = calibrateQuantiles(q, conformalScores(blocks, q.p50[0]), normalizeLevels(), prior).q;
  const ys = Array.from({ length: test }, draw);
  return { c, share: (f) => ys.filter((y) => f(y, c)).length / test };
}

describe('shrunkConformalScale', () => {
  it('interpolates the rank (n+1)(1 − share) without a prior', () => {
    const s = Float64Array.from({ length: 21 }, (_, i) => i + 1);
    // 22 × 0.9 = 19.8: between the 19th and 20th smallest.
    expect(shrunkConformalScale(s, 0.1, 0)).toBeCloseTo(19.8, 9);
    expect(shrunkConformalScale(s, 0.5, 0)).toBeCloseTo(11, 9);
    // (0 + 1) / 22 > 0.04: 21 scores cannot place a 96 % level.
    expect(shrunkConformalScale(s, 0.04, 0)).toBe(Infinity);
  });

  it("returns the model's own scale under an overwhelming prior, and with no scores", () => {
    const s = Float64Array.from({ length: 21 }, (_, i) => 3 + i);
    expect(shrunkConformalScale(s, 0.1, 1e9)).toBeCloseTo(1, 5);
    // Gaussian stretch: z(0.95) / z(0.9).
    expect(shrunkConformalScale(new Float64Array(0), 0.05, 1e9)).toBeCloseTo(1.6448536 / Z90, 5);
    expect(shrunkConformalScale(new Float64Array(0), 0.1, PRIOR_SCORES)).toBeCloseTo(1, 5);
  });

  it('moves between its own scores and the prior as the prior weight grows', () => {
    const s = Float64Array.from({ length: 21 }, (_, i) => i / 20); // all at or below 1
    const none = shrunkConformalScale(s, 0.1, 0);
    const some = shrunkConformalScale(s, 0.1, PRIOR_SCORES);
    expect(none).toBeLessThan(some);
    expect(some).toBeLessThan(1);
  });

  it('gives nominal coverage on average from 21 exchangeable Gaussian scores', () => {
    // Split conformal with the interpolated rank: E[share above] = 0.1 exactly for continuous
    // scores (the rounded-up rank would give 2/22 = 0.091). 4,000 trials: SE 0.0047.
    const r = lcg(3);
    let above = 0;
    const trials = 4000;
    for (let t = 0; t < trials; t++) {
      const s = Float64Array.from({ length: 21 }, () => gaussian(r)).sort();
      if (gaussian(r) > shrunkConformalScale(s, 0.1, 0)) above++;
    }
    expect(Math.abs(above / trials - 0.1)).toBeLessThan(0.019);
  });
});

describe('calibrateQuantiles with a prior (per-series mode): each tail on its own target', () => {
  // 2,000 calibration scores outweigh the 21 pseudo-scores of the (wrong) model interval; test
  // shares over 20,000 draws have SE ≤ 0.003, the calibration quantile's sampling ≈ 0.007.
  it('Gaussian demand with an interval 1.6× too wide: 10 % above P90 and 10 % below P10', () => {
    const r = lcg(21);
    const q = flat(100 - 1.6 * Z90 * 10, 100, 100 + 1.6 * Z90 * 10);
    const { share } = judge(q, () => 100 + 10 * gaussian(r), 2000, 20000, PRIOR_SCORES);
    expect(Math.abs(share((y, c) => y > c.p90[0]) - 0.1)).toBeLessThan(0.025);
    expect(Math.abs(share((y, c) => y < c.p10[0]) - 0.1)).toBeLessThan(0.025);
  });

  it('Poisson(4) with a too-wide Gaussian interval: P10 and P90 become its 10 % / 90 % quantiles', () => {
    // Integer demand: a quantile q of level τ has P(y < q) ≤ τ ≤ P(y ≤ q); the exact ones are
    // P10 = 2 (P(y < 2) = 0.092, P(y ≤ 2) = 0.238) and P90 = 7 (P(y > 7) = 0.051, P(y ≥ 7) = 0.111).
    const r = lcg(22);
    const q = flat(4 - 1.6 * Z90 * 2, 4, 4 + 1.6 * Z90 * 2);
    const { c, share } = judge(q, () => poisson(r, 4), 2000, 20000, PRIOR_SCORES);
    expect(share((y) => y > c.p90[0])).toBeLessThan(0.1 + 0.02);
    expect(share((y) => y >= c.p90[0])).toBeGreaterThan(0.1 - 0.02);
    expect(share((y) => y < c.p10[0])).toBeLessThan(0.1 + 0.02);
    expect(share((y) => y <= c.p10[0])).toBeGreaterThan(0.1 - 0.02);
    // Only the interval moves; P90 lands on the integer 7 (P(y ≤ 1) = 0.092 is too close to 0.1
    // for P10's integer to be told apart from 2,000 scores and a too-wide prior).
    expect(c.p50[0]).toBe(4);
    expect(c.p90[0]).toBe(7);
  });

  it('negative binomial with many zero days: P10 stays 0, P90 its 90 % quantile', () => {
    // Size 1, mean 3: P(0) = 0.25 ≥ 0.1, so the 10 % quantile is 0 and nothing falls below it
    // (P10–P90 then covers ≈ 90 %, not 80 %: the count-data floor of the README). P90 = 8:
    // P(y > 8) = 0.75^9 = 0.075, P(y ≥ 8) = 0.75^8 = 0.100.
    const r = lcg(23);
    const q = flat(0, 2, 2 + 2.5 * Z90 * 3);
    const { c, share } = judge(q, () => negBinomial1(r, 3), 2000, 20000, PRIOR_SCORES);
    expect(c.p10[0]).toBe(0);
    expect(share((y) => y > c.p90[0])).toBeLessThan(0.1 + 0.02);
    expect(share((y) => y >= c.p90[0])).toBeGreaterThan(0.1 - 0.02);
    expect(share((y) => y >= c.p10[0] && y <= c.p90[0])).toBeGreaterThan(0.88);
  });
});

describe("forecastAuto with conformal: 'series'", () => {
  it('calibrates each series from its own scores alone: the same in any catalogue or shard', async () => {
    const ys = [seasonal(200, 1, 40), seasonal(200, 2, 80), intermittent(200, 4)];
    const alone = ys.map((y) => forecastAuto(y, { conformal: 'series' }));
    const many = await forecastMany(
      ys.map((y, i) => ({ id: `s${i}`, y })),
      { conformal: 'series', workers: 1 },
    );
    alone.forEach((f, i) => {
      const g = many.get(`s${i}`);
      expect(g?.p10).toEqual(f.p10);
      expect(g?.p90).toEqual(f.p90);
      expect(f.conformal).toBeUndefined();
    });
    // The median is the models' own; only the interval may move.
    const own = forecastAuto(ys[0], { conformal: false });
    expect(alone[0].p50).toEqual(own.p50);
    expect(alone[0].p90).not.toEqual(own.p90);
  });

  it('rejects an unknown mode and names it', () => {
    expect(() => forecastAuto(seasonal(60, 1), { conformal: 'pool' as never })).toThrow(
      InvalidOptionError,
    );
    expect(() => forecastAuto(seasonal(60, 1), { conformal: 'pool' as never })).toThrow(/pool/);
  });
});
