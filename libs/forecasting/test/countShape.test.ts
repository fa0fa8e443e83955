import { samplePoisson, seededRandom } from '@retail-forecast/util';
import { describe, expect, it } from 'vitest';
import {
  calibrateQuantiles,
  forecastAuto,
  levelKey,
  negBinomialQuantile,
  normalizeLevels,
  pitCoverage,
} from '../src/index';
import { negBinomialQuantiles } from '../src/models/countModels';

/** Every weekday sold nothing on half its days. */
const ZEROS = new Float64Array(7).fill(0.5);
const NO_SCORES = { up: new Float64Array(0), down: new Float64Array(0), floor: 0.01 };

describe('negBinomialQuantiles', () => {
  it('gives the lower quantiles of a known count at every level from one walk', () => {
    // Poisson(1) (variance a hair above the mean): CDF 0.368, 0.736, 0.920, 0.981, 0.996.
    const levels = [0.3, 0.5, 0.8, 0.95, 0.99];
    expect([...negBinomialQuantiles(1, 1 + 1e-6, levels)]).toEqual([0, 1, 2, 3, 4]);
    // Geometric with mean 2 (φ = 1, variance 6): CDF(k) = 1 − (2/3)^(k+1).
    expect([...negBinomialQuantiles(2, 6, [0.1, 0.5, 0.9])]).toEqual([0, 1, 5]);
  });

  it('agrees with the single-level quantile at each level', () => {
    const levels = normalizeLevels([0.01, 0.05, 0.25, 0.75, 0.95, 0.99]);
    for (const [mean, variance] of [
      [0.3, 0.5],
      [4, 8],
      [40, 400],
    ]) {
      const all = negBinomialQuantiles(mean, variance, levels);
      levels.forEach((tau, i) => expect(all[i]).toBe(negBinomialQuantile(mean, variance, tau)));
    }
  });
});

describe('calibrateQuantiles with a count shape (no scores)', () => {
  const levels = normalizeLevels([0.2, 0.3, 0.4, 0.6, 0.8, 0.95]);
  const q = {
    p10: new Float64Array(7),
    p50: new Float64Array(7).fill(1),
    p90: new Float64Array(7).fill(3),
    mean: new Float64Array(7).fill(1.2),
  };

  it("steps where the day's count steps: zero up to P(0), then the anchors' scale", () => {
    // Poisson(1.2): CDF 0.301, 0.663, 0.879, 0.966, so Q(0.2) = Q(0.3) = 0, Q(0.4) = Q(0.6) = 1,
    // Q(0.8) = 2, Q(0.9) = Q(0.95) = 3; the upper half-width (3 − 1) over Q's (3 − 1) is 1.
    const c = calibrateQuantiles(q, NO_SCORES, levels, undefined, {
      mean: q.mean,
      phi: 0,
      zeroShare: ZEROS,
    });
    const at = (tau: number) => c.quantiles[levelKey(tau)][0];
    expect([at(0.2), at(0.3), at(0.4), at(0.6), at(0.8), at(0.95)]).toEqual([0, 0, 1, 1, 2, 3]);
    expect([...c.q.p10, ...c.q.p50, ...c.q.p90]).toEqual([...q.p10, ...q.p50, ...q.p90]);
  });

  it('keeps the Gaussian stretch without a count shape (P(0) = 0.1 whatever the count)', () => {
    const c = calibrateQuantiles(q, NO_SCORES, levels);
    expect(c.quantiles[levelKey(0.2)][0]).toBeCloseTo(1 - 0.8416212 / 1.2815516, 5);
  });

  it("puts a level below P10 at 0 where the day's count is still 0 there", () => {
    // Poisson(2): P(0) = 0.135, so the 5 % quantile is 0 although the model's P10 is 0.4.
    const two = {
      p10: new Float64Array(7).fill(0.4),
      p50: new Float64Array(7).fill(2),
      p90: new Float64Array(7).fill(3.7),
      mean: new Float64Array(7).fill(2),
    };
    const at = normalizeLevels([0.05, 0.2]);
    const c = calibrateQuantiles(two, NO_SCORES, at, undefined, {
      mean: two.mean,
      phi: 0,
      zeroShare: ZEROS,
    });
    expect(c.quantiles[levelKey(0.05)][0]).toBe(0);
    // P10 is 0 too (next test); Q(0.2) = 1 is half-way to P50: 2 − 2·(1/2).
    expect(c.quantiles[levelKey(0.2)][0]).toBeCloseTo(1, 10);
  });

  it("sets P10 to 0 where the day's count is 0 with probability 0.1 or more, and only there", () => {
    // Poisson P(0): e^−2 = 0.135 (P10 0), e^−3 = 0.050 (the model's P10 kept); with φ = 1 and a
    // mean of 8, P(0) = 1/9 = 0.111 (P10 0).
    const q = {
      p10: Float64Array.of(0.4, 0.9, 2),
      p50: Float64Array.of(2, 3, 6),
      p90: Float64Array.of(3.7, 5.2, 15),
      mean: Float64Array.of(2, 3, 8),
    };
    const levels = normalizeLevels();
    const poisson = calibrateQuantiles(q, NO_SCORES, levels, undefined, {
      mean: q.mean,
      phi: 0,
      zeroShare: ZEROS,
    });
    expect([...poisson.q.p10.subarray(0, 2)]).toEqual([0, 0.9]);
    const nb = calibrateQuantiles(q, NO_SCORES, levels, undefined, {
      mean: q.mean,
      phi: 1,
      zeroShare: ZEROS,
    });
    expect(nb.q.p10[2]).toBe(0);
    // Without a count shape the model's P10 stays, and so it does where the history had fewer
    // than 1 zero day in 10 (counts steadier than Poisson, whose zeros it would overstate).
    expect([...calibrateQuantiles(q, NO_SCORES, levels).q.p10]).toEqual([0.4, 0.9, 2]);
    const steady = { mean: q.mean, phi: 0, zeroShare: new Float64Array(7).fill(0.05) };
    expect([...calibrateQuantiles(q, NO_SCORES, levels, undefined, steady).q.p10]).toEqual([
      0.4, 0.9, 2,
    ]);
  });

  it('reads zeros weekday by weekday: a closed Monday does not zero the open days', () => {
    // 1 or 2 a day, 0 every Monday (a closed day): Poisson puts P(0) at 0.22 on every day, but
    // only Mondays ever sold nothing, so only Mondays get a P10 (and levels below it) of 0.
    const r = seededRandom(4);
    const n = 364;
    const y = Float64Array.from({ length: n }, (_, t) => (t % 7 === 2 ? 0 : r() < 0.5 ? 1 : 2));
    const f = forecastAuto(y, { quantiles: normalizeLevels([0.05]) });
    for (let k = 0; k < 7; k++) {
      const closed = (n + k) % 7 === 2;
      if (closed) expect(f.p50[k]).toBe(0);
      else {
        expect(f.p10[k]).toBeGreaterThan(0);
        expect(f.quantiles![levelKey(0.05)][k]).toBeGreaterThan(0);
      }
    }
  });

  it('leaves the narrow intervals of steady counts alone', () => {
    // Exactly 1 a day (the constant-history model: 1 ∓ 1.28·√(1/60)), and 1 or 2 every day:
    // Poisson would put P(0) at 0.37 and 0.22, the history never sold 0.
    const constant = forecastAuto(new Float64Array(60).fill(1));
    expect(constant.p10[0]).toBeCloseTo(1 - 1.2815516 * Math.sqrt(1 / 60), 6);
    const r = seededRandom(9);
    const steady = forecastAuto(
      Float64Array.from({ length: 120 }, () => (r() < 0.5 ? 1 : 2)),
      {
        quantiles: normalizeLevels([0.01, 0.05]),
      },
    );
    expect(Math.min(...steady.p10)).toBeGreaterThan(0);
    // Nor are the levels below P10 0: no zero day was seen.
    expect(Math.min(...steady.quantiles![levelKey(0.01)])).toBeGreaterThan(0);
  });

  it("keeps the model's own P10 for the catalogue step, whose scores are relative to it", () => {
    // A sparse count series (P(0) well above 0.1) forecast for the pooled calibration: P10 is 0
    // now, and the pending record holds the model's P10 that the validation scores were read
    // against.
    const r = seededRandom(9);
    const y = Float64Array.from({ length: 200 }, () => samplePoisson(r, 2));
    const own = forecastAuto(y, { conformal: false });
    const pooled = forecastAuto(y, { conformal: true });
    const model = pooled.conformal!.pending!.p10!;
    expect([...pooled.p10]).toEqual([...own.p10]);
    // Each day: the model's P10, or 0 where the count rule set it; at least one such day.
    own.p10.forEach((v, k) => expect(v === 0 || v === model[k]).toBe(true));
    expect(model.some((v, k) => v > 0 && own.p10[k] === 0)).toBe(true);
  });

  it('scales the count shape to a model interval wider than the count', () => {
    // Anchors 0 / 1 / 6: the count's steps at 2 and 3 land at 1 + 5·(1/2) and 6.
    const wide = { ...q, p90: new Float64Array(7).fill(6) };
    const c = calibrateQuantiles(wide, NO_SCORES, levels, undefined, {
      mean: q.mean,
      phi: 0,
      zeroShare: ZEROS,
    });
    expect(c.quantiles[levelKey(0.8)][0]).toBe(3.5);
    expect(c.quantiles[levelKey(0.95)][0]).toBe(6);
  });
});

describe('forecastAuto: the quantile function of count demand is calibrated', () => {
  it('puts the PIT of held-out Poisson days inside P10–P90 80 % of the time', () => {
    // 40 products selling 0.4–2 units a day with a weekly pattern; the published levels
    // 0.01 … 0.99 read as a CDF, held-out weeks scored by their PIT share in [0.1, 0.9]
    // (Czado et al. 2009). A Gaussian shape between P10 and P50 puts P(0) at 0.1 where it is
    // 0.14–0.67 here, and scored about 0.68.
    const r = seededRandom(17);
    const grid = Array.from({ length: 99 }, (_, i) => Number(((i + 1) / 100).toFixed(2)));
    let pit = 0;
    let days = 0;
    for (let s = 0; s < 40; s++) {
      const rate = 0.4 + 1.6 * r();
      const n = 280;
      const y = Float64Array.from({ length: n }, (_, t) =>
        samplePoisson(r, rate * (1 + 0.3 * Math.sin((2 * Math.PI * t) / 7))),
      );
      for (const cut of [n - 21, n - 14, n - 7]) {
        const f = forecastAuto(y.subarray(0, cut), { quantiles: grid });
        for (let k = 0; k < 7; k++) {
          const at = (l: number) =>
            l === 0.1
              ? f.p10[k]
              : l === 0.5
                ? f.p50[k]
                : l === 0.9
                  ? f.p90[k]
                  : f.quantiles![levelKey(l)][k];
          pit += pitCoverage(y[cut + k], grid, grid.map(at));
          days++;
        }
      }
    }
    expect(pit / days).toBeGreaterThan(0.76);
    expect(pit / days).toBeLessThan(0.84);
  });
});
