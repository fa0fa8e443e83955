import { describe, expect, it } from 'vitest';
import { samplePoisson as poisson } from '@retail-forecast/util';
import {
  fitGlobalCandidates,
  fitGlobalModel,
  forecastAuto,
  InvalidOptionError,
} from '../src/index';
import type { SeriesInput } from '../src/index';
import { negativeBinomialQuantiles } from '../src/global/negativeBinomial';
import { fitPoissonRidge } from '../src/global/poissonRidge';
import { forecastMany } from '../src/runtime/index';
import { NASTY, intermittent, mulberry32, seasonal } from './series';

const h = 7;
/** A row cap that keeps these fits to milliseconds. */
const SMALL = { maxRows: 8000 };

/** Short series sharing one weekly profile at different levels, Poisson noise. */
function sharedWeekly(count: number, days: number, seed: number): SeriesInput[] {
  const r = mulberry32(seed);
  const profile = [0.5, 0.7, 0.9, 1, 1.2, 1.9, 0.8];
  return Array.from({ length: count }, (_, i) => {
    const level = 2 + 10 * r();
    const y = new Float64Array(days);
    for (let t = 0; t < days; t++) y[t] = poisson(r, level * profile[t % 7]);
    return { id: `S${i}`, y };
  });
}

function catalogue(): SeriesInput[] {
  const withGaps = seasonal(200, 11);
  for (const t of [3, 50, 51, 52, 190, 199]) withGaps[t] = NaN;
  return [
    ...Array.from({ length: 30 }, (_, i) => ({ id: `smooth${i}`, y: seasonal(180, i + 1, 5 + i) })),
    ...Array.from({ length: 20 }, (_, i) => ({ id: `sparse${i}`, y: intermittent(250, i + 2) })),
    ...Object.entries(NASTY).map(([id, y]) => ({ id, y })),
    { id: 'gaps', y: withGaps },
    { id: 'short', y: seasonal(20, 5) },
    { id: 'negative', y: Float64Array.from([1, 2, -3, 4]) },
  ];
}

describe('fitGlobalModel', () => {
  it('forecasts h finite, non-negative, ordered steps from every validation origin and the end', () => {
    const inputs = catalogue();
    const { candidates, stats } = fitGlobalModel(inputs, SMALL);
    expect(stats.rows).toBeGreaterThan(1000);
    expect(candidates.size).toBeGreaterThan(50);
    for (const id of ['smooth0', 'sparse3', 'gaps', 'seasonal', 'intermittent']) {
      const n = inputs.find((s) => s.id === id)!.y.length;
      const c = candidates.get(id)!;
      expect(c.name).toBe('global');
      expect(c.forecasts.map((f) => f.end)).toEqual([n - 21, n - 14, n - 7, n]);
    }
    for (const c of candidates.values()) {
      for (const { q } of c.forecasts) {
        for (let k = 0; k < h; k++) {
          expect([q.p10.length, q.p50.length, q.p90.length]).toEqual([h, h, h]);
          expect(Number.isFinite(q.p90[k])).toBe(true);
          expect(q.p10[k]).toBeGreaterThanOrEqual(0);
          expect(q.p10[k]).toBeLessThanOrEqual(q.p50[k]);
          expect(q.p50[k]).toBeLessThanOrEqual(q.p90[k]);
        }
      }
    }
  });

  it('leaves out an invalid series without harming the others, and one with no demand', () => {
    const { candidates } = fitGlobalModel(catalogue(), SMALL);
    expect(candidates.has('negative')).toBe(false);
    expect(candidates.has('all-zero')).toBe(false);
    expect(candidates.has('empty')).toBe(false);
    expect(candidates.has('smooth1')).toBe(true);
  });

  it('forecasts a short series only from ends with two weeks of history since its first sale', () => {
    const { candidates } = fitGlobalModel(catalogue(), SMALL);
    expect(candidates.get('short')?.forecasts.map((f) => f.end)).toEqual([20]);
  });

  it('recovers a weekly pattern shared by many short series better than seasonal naive', () => {
    const inputs = sharedWeekly(150, 70, 3);
    // Hold out the last week of every series and forecast it from the day before.
    const trains = inputs.map((s) => ({ id: s.id, y: s.y.subarray(0, s.y.length - h) }));
    const candidates = fitGlobalCandidates(trains);
    let global = 0;
    let naive = 0;
    for (const s of inputs) {
      const n = s.y.length - h;
      const q = candidates.get(s.id)!.forecasts.find((f) => f.end === n)!.q;
      for (let k = 0; k < h; k++) {
        global += Math.abs(q.p50[k] - s.y[n + k]);
        naive += Math.abs(s.y[n + k - 7] - s.y[n + k]);
      }
    }
    expect(global).toBeLessThan(0.85 * naive);
  });

  it('never reads a day at or after an origin it forecasts from (no leakage)', () => {
    const inputs = catalogue().filter((s) => s.id !== 'negative');
    const before = fitGlobalModel(inputs, SMALL).candidates;
    for (const o of [3, 2]) {
      // Everything from origin o on is replaced; forecasts from it and earlier must not move.
      const changed = inputs.map((s) => {
        const y = Float64Array.from(s.y);
        for (let t = Math.max(0, y.length - h * o); t < y.length; t++) y[t] = 1000 + t;
        return { id: s.id, y };
      });
      const after = fitGlobalModel(changed, SMALL).candidates;
      for (const s of inputs) {
        const cut = s.y.length - h * o;
        const early = (c: typeof before) =>
          c.get(s.id)?.forecasts.filter((f) => f.end <= cut) ?? [];
        expect(early(after)).toEqual(early(before));
      }
    }
  });

  it('uses a regressor by name: a promotion column lifts the forecast of a promoted day', () => {
    const r = mulberry32(9);
    const inputs = Array.from({ length: 80 }, (_, i) => {
      const n = 120;
      const promo = new Float64Array(n + h);
      for (let t = 0; t < n + h; t++) promo[t] = r() < 0.15 ? 1 : 0;
      promo[n + 2] = 1;
      promo[n + 3] = 0;
      const y = new Float64Array(n);
      for (let t = 0; t < n; t++) y[t] = poisson(r, 8 * (promo[t] ? 3 : 1));
      return { id: `R${i}`, y, context: { regressors: { names: ['promo'], columns: [promo] } } };
    });
    const { candidates, stats } = fitGlobalModel(inputs, SMALL);
    expect(stats.featureNames).toContain('reg_promo');
    let lifted = 0;
    for (const s of inputs) {
      const q = candidates.get(s.id)!.forecasts.find((f) => f.end === 120)!.q;
      if (q.p50[2] > 1.8 * q.p50[3]) lifted++;
    }
    expect(lifted).toBeGreaterThan(70);
  });

  it('is deterministic, and the same through forecastMany with 1 and 2 workers', async () => {
    const inputs = [...sharedWeekly(180, 90, 5), ...catalogue().slice(0, 50)];
    expect(fitGlobalModel(inputs, SMALL).candidates).toEqual(
      fitGlobalModel(inputs, SMALL).candidates,
    );
    const one = await forecastMany(inputs, { workers: 1, globalModel: SMALL });
    const two = await forecastMany(inputs, { workers: 2, globalModel: SMALL });
    expect(two).toEqual(one);
    expect([...one.values()].some((f) => f.model.includes('global'))).toBe(true);
    const without = await forecastMany(inputs, { workers: 1 });
    expect([...without.values()].some((f) => f.model.includes('global'))).toBe(false);
  }, 60_000);

  it('joins forecastAuto as an external candidate', () => {
    const inputs = sharedWeekly(100, 120, 8);
    const candidates = fitGlobalCandidates(inputs, { maxRows: 5000 });
    const f = forecastAuto(
      inputs[0].y,
      { combineTop: 1, candidates: ['snaive'] },
      {
        external: [candidates.get(inputs[0].id)!],
      },
    );
    expect(['statistical:global', 'statistical:snaive']).toContain(f.model);
  });

  it('rejects options out of range, naming them', () => {
    expect(() => fitGlobalModel([], { maxRows: 0 })).toThrow(InvalidOptionError);
    expect(() => fitGlobalModel([], { horizon: 1.5 })).toThrow(/horizon 1.5/);
    expect(() => fitGlobalModel([], { lambda: -1 })).toThrow(/lambda -1/);
  });
});

describe('fitPoissonRidge', () => {
  it('recovers the coefficients of simulated Poisson counts', () => {
    const r = mulberry32(4);
    const n = 20000;
    const X = new Float64Array(n * 3);
    const z = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const a = r() * 2 - 1;
      const b = r() < 0.5 ? 1 : 0;
      X.set([1, a, b], i * 3);
      z[i] = poisson(r, Math.exp(1 + 0.5 * a - 0.7 * b));
    }
    const { beta } = fitPoissonRidge(X, z, 3, { lambda: 1e-8 });
    expect(beta[0]).toBeCloseTo(1, 1);
    expect(beta[1]).toBeCloseTo(0.5, 1);
    expect(beta[2]).toBeCloseTo(-0.7, 1);
  });
});

describe('negativeBinomialQuantiles', () => {
  it('gives the Poisson quantiles when theta is huge', () => {
    // Poisson(3): CDF 0.050, 0.199, 0.423, 0.647, 0.815, 0.916 at 0..5.
    expect(negativeBinomialQuantiles(3, 1e9)).toEqual({ p10: 1, p50: 3, p90: 5 });
  });

  it('widens with the dispersion and stays ordered and non-negative at any mean', () => {
    const narrow = negativeBinomialQuantiles(20, 100);
    const wide = negativeBinomialQuantiles(20, 1);
    expect(wide.p90 - wide.p10).toBeGreaterThan(narrow.p90 - narrow.p10);
    for (const mu of [0, 0.01, 0.5, 59, 61, 1e6]) {
      const q = negativeBinomialQuantiles(mu, 0.5);
      expect(0 <= q.p10 && q.p10 <= q.p50 && q.p50 <= q.p90 && Number.isFinite(q.p90)).toBe(true);
    }
  });
});
