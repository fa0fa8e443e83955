import { describe, expect, it } from 'vitest';
import {
  fitCroston,
  fitDynamicOptimizedTheta,
  fitNaive,
  fitOptimizedTheta,
  fitRecentMean,
  fitSba,
  fitSeasonalNaive,
  fitSes,
  fitTheta,
  fitTsb,
  getModel,
  UnknownModelError,
  comboModel,
  MODELS,
  InvalidSeriesError,
} from '../src/index';
import { isSeasonal, multiplicativeSeasonalIndices } from '../src/numeric/stats';
import { sesPass } from '../src/models/ses';
import { intermittent, seasonal } from './series';

const Z90 = 1.2815515655446004;
const arr = (a: Float64Array) => Array.from(a);

describe('seasonal naive', () => {
  it('repeats the last week and widens its band each week', () => {
    const y = Float64Array.from([1, 2, 3, 4, 5, 6, 7, 2, 3, 4, 5, 6, 7, 8]);
    const f = fitSeasonalNaive(y).forecast(9);
    expect(arr(f.p50)).toEqual([2, 3, 4, 5, 6, 7, 8, 2, 3]);
    // Seasonal differences are all 1, so sd = 1; week 2 has sd √2.
    expect(f.p90[0] - f.p50[0]).toBeCloseTo(Z90, 12);
    expect(f.p90[7] - f.p50[7]).toBeCloseTo(Z90 * Math.SQRT2, 12);
  });

  it('falls back to naive, and says so, with less than a week of data', () => {
    const f = fitSeasonalNaive(Float64Array.from([3, 4, 6]));
    expect(f.name).toBe('naive');
    expect(arr(f.forecast(2).p50)).toEqual([6, 6]);
  });
});

describe('naive and recent mean', () => {
  it('naive uses random-walk intervals sd·√k', () => {
    const f = fitNaive(Float64Array.from([10, 12, 10, 12, 10])).forecast(4);
    expect(arr(f.p50)).toEqual([10, 10, 10, 10]);
    expect(f.p90[3] - 10).toBeCloseTo(Z90 * 2 * 2, 12); // sd = 2, √4 = 2
  });

  it('recent mean averages the window only', () => {
    const f = fitRecentMean(Float64Array.from([100, 1, 2, 3]), 3).forecast(2);
    expect(arr(f.p50)).toEqual([2, 2]);
  });
});

describe('SES', () => {
  it('matches a hand computation with a fixed alpha', () => {
    // l0 = 1; l1 = 1 + 0.5·2 = 2; l2 = 2; l3 = 2 + 0.5·2 = 3. SSE = 4 + 0 + 4 over 3 errors.
    const f = fitSes(Float64Array.from([1, 3, 2, 4]), { alpha: 0.5 });
    expect(f.level).toBe(3);
    expect(f.sigma2).toBeCloseTo(8 / 3, 12);
    const q = f.forecast(2);
    expect(arr(q.p50)).toEqual([3, 3]);
    expect(q.p90[1] - 3).toBeCloseTo(Z90 * Math.sqrt(8 / 3) * Math.sqrt(1.25), 12);
  });

  it('optimises alpha to the least-squares minimum (checked on a fine grid)', () => {
    const y = intermittent(200, 11, 0.6);
    const fit = fitSes(y);
    let bestSse = Infinity;
    for (let a = 0.01; a <= 0.99; a += 0.0005) bestSse = Math.min(bestSse, sesPass(y, a).sse);
    expect(sesPass(y, fit.alpha).sse).toBeLessThanOrEqual(bestSse + 1e-9 * bestSse);
  });
});

describe('Theta', () => {
  it('is SES plus half the OLS drift (hand computation, R thetaf formula)', () => {
    // SES(α = 0.5) level 3; OLS slope of [1,3,2,4] is 0.8, drift 0.4;
    // (1 − 0.5⁴)/0.5 = 1.875, so the path is 3 + 0.4·(k + 1.875).
    const f = fitTheta(Float64Array.from([1, 3, 2, 4]), { alpha: 0.5 }).forecast(3);
    expect(f.p50[0]).toBeCloseTo(3.75, 12);
    expect(f.p50[1]).toBeCloseTo(4.15, 12);
    expect(f.p50[2]).toBeCloseTo(4.55, 12);
  });

  it('deseasonalises when the lag-7 autocorrelation is significant', () => {
    const y = seasonal(140, 21);
    expect(isSeasonal(y, 7)).toBe(true);
    const fit = fitTheta(y);
    expect(fit.seasonalIndices).toBeDefined();
    const p = fit.forecast(7).p50;
    // Day 5 of the profile (×1.5) must come out well above day 0 (×0.7).
    const day = (d: number) => p[(d - (140 % 7) + 7) % 7];
    expect(day(5) / day(0)).toBeGreaterThan(1.8);
  });

  it('leaves white noise alone', () => {
    const fit = fitTheta(intermittent(140, 3, 0.9));
    expect(fit.seasonalIndices).toBeUndefined();
  });

  it('multiplicative indices average to 1 and recover the profile', () => {
    const profile = [0.5, 1, 1, 1, 1, 1, 1.5];
    const y = new Float64Array(70).map((_, t) => 10 * profile[t % 7]);
    const idx = multiplicativeSeasonalIndices(y, 7) as Float64Array;
    expect(idx.reduce((a, b) => a + b, 0) / 7).toBeCloseTo(1, 12);
    for (let i = 0; i < 7; i++) expect(idx[i]).toBeCloseTo(profile[i], 12);
  });

  it('OTM and DOTM follow a clean linear trend', () => {
    const y = new Float64Array(60).map((_, t) => 10 + 2 * t);
    for (const fit of [
      fitOptimizedTheta(y, { seasonal: false }),
      fitDynamicOptimizedTheta(y, { seasonal: false }),
    ]) {
      const p = fit.forecast(3).p50;
      expect(p[0]).toBeGreaterThan(125);
      expect(p[0]).toBeLessThan(134);
      expect(p[2] - p[0]).toBeGreaterThan(2);
    }
  });
});

describe('Croston family', () => {
  // Demands 4 (interval 2), 2 (interval 3), 6 (interval 1).
  const y = Float64Array.from([0, 4, 0, 0, 2, 6]);

  it('Croston = SES(sizes) / SES(intervals), α = 0.1, started at the first values', () => {
    // sizes: 4 → 4 + 0.1·(2−4) = 3.8 → 3.8 + 0.1·(6−3.8) = 4.02
    // intervals: 2 → 2.1 → 2.1 + 0.1·(1−2.1) = 1.99
    const f = fitCroston(y);
    expect(f.size).toBeCloseTo(4.02, 12);
    expect(f.rate).toBeCloseTo(4.02 / 1.99, 12);
    expect(f.forecast(3).p50[2]).toBeCloseTo(4.02 / 1.99, 12);
  });

  it('SBA applies the (1 − α/2) bias correction', () => {
    expect(fitSba(y).rate).toBeCloseTo((4.02 / 1.99) * 0.95, 12);
  });

  it('a single demand is spread over its interval', () => {
    expect(fitCroston(Float64Array.from([0, 0, 0, 8])).rate).toBe(2);
  });

  it('TSB with fixed parameters matches a hand computation', () => {
    // z0 = 4, p0 = 3/6 = 0.5; a = 0.5, b = 0.5
    // t0 0: p .25 | t1 4: z 4, p .625 | t2 0: p .3125 | t3 0: p .15625
    // t4 2: z 3, p .578125 | t5 6: z 4.5, p .7890625
    const f = fitTsb(y, { alphaDemand: 0.5, alphaProbability: 0.5 });
    expect(f.size).toBeCloseTo(4.5, 12);
    expect(f.rate).toBeCloseTo(4.5 * 0.7890625, 12);
  });

  it('TSB decays after demand stops, Croston does not', () => {
    const stopped = new Float64Array(200);
    for (let t = 0; t < 120; t += 3) stopped[t] = 3;
    expect(fitTsb(stopped).rate).toBeLessThan(0.5 * fitCroston(stopped).rate);
  });

  it('gives P10 = 0 and a P90 of a plausible demand size on sparse demand', () => {
    const f = fitCroston(intermittent(300, 5)).forecast(7);
    expect(f.p10[0]).toBe(0);
    expect(f.p90[0]).toBeGreaterThanOrEqual(f.p50[0]);
    expect(f.p90[0]).toBeLessThanOrEqual(5);
  });
});

describe('registry and combinations', () => {
  it('rejects an unknown model name, naming the choices', () => {
    expect(() => getModel('prophet')).toThrow(UnknownModelError);
    expect(() => getModel('prophet')).toThrow(/"prophet".*snaive/);
  });

  it('the median combination takes the middle member step by step', () => {
    const y = seasonal(70, 2);
    const combo = comboModel([MODELS.naive, MODELS.snaive, MODELS.mean]).fit(y).forecast(7);
    const parts = [MODELS.naive, MODELS.snaive, MODELS.mean].map((m) => m.fit(y).forecast(7));
    for (let k = 0; k < 7; k++) {
      const mid = parts.map((p) => p.p50[k]).sort((a, b) => a - b)[1];
      expect(combo.p50[k]).toBe(mid);
    }
  });

  it('a combination leaves out a member that cannot fit (ForecastingError), but not a bug', () => {
    const unfit = {
      name: 'unfit',
      fit: () => {
        throw new InvalidSeriesError('too short for this model');
      },
    };
    const fit = comboModel([unfit, MODELS.snaive]).fit(seasonal(30));
    expect(fit.name).toBe('combo(snaive)');
    const buggy = {
      name: 'buggy',
      fit: () => {
        throw new TypeError('x is undefined');
      },
    };
    expect(() => comboModel([buggy, MODELS.snaive]).fit(seasonal(30))).toThrow(TypeError);
  });
});
