import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ForecastingError, InvalidSeriesError } from '../src/errors';
import { autoEts, EtsFitError, etsModel, fitEts, type FittedEts } from '../src/models/ets';
import { etsRecursion, SEASON_A, SEASON_N, TREND_A, TREND_N } from '../src/models/etsCore';
import { leastSquaresInitialStates } from '../src/models/etsInit';
import { nelderMead } from '../src/optim/nelderMead';
import { mulberry32 } from './series';

const DATASETS = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../../shared/datasets',
);

function expectValidForecast(fit: FittedEts, h: number): void {
  const fc = fit.forecast(h);
  expect(fc.p50).toHaveLength(h);
  for (let i = 0; i < h; i++) {
    for (const v of [fc.p10[i], fc.p50[i], fc.p90[i]]) {
      expect(Number.isFinite(v)).toBe(true);
      expect(v).toBeGreaterThanOrEqual(0);
    }
    expect(fc.p10[i]).toBeLessThanOrEqual(fc.p50[i]);
    expect(fc.p50[i]).toBeLessThanOrEqual(fc.p90[i]);
  }
}

describe('nelderMead', () => {
  it('finds the minimum of a shifted quadratic bowl', () => {
    const res = nelderMead((x) => (x[0] - 3) ** 2 + 10 * (x[1] + 1) ** 2, [0, 0], {
      maxEvaluations: 2000,
      absTol: 1e-14,
    });
    expect(res.converged).toBe(true);
    expect(res.x[0]).toBeCloseTo(3, 4);
    expect(res.x[1]).toBeCloseTo(-1, 4);
  });

  it('stays out of a region where the objective is infinite', () => {
    const res = nelderMead((x) => (x[0] < 1 ? Number.POSITIVE_INFINITY : x[0]), [5], {
      maxEvaluations: 500,
      absTol: 1e-10,
    });
    expect(res.x[0]).toBeGreaterThanOrEqual(1);
    expect(res.x[0]).toBeLessThan(1.01);
  });

  it('stops at the evaluation budget', () => {
    const res = nelderMead((x) => x[0] ** 2 + x[1] ** 2 + x[2] ** 2, [10, 10, 10], {
      maxEvaluations: 15,
      absTol: 0,
      relTol: 0,
    });
    expect(res.converged).toBe(false);
    expect(res.evaluations).toBeLessThanOrEqual(17);
  });
});

describe('ETS kernels', () => {
  it('ANN recursion reproduces hand-computed simple exponential smoothing', () => {
    const y = Float64Array.from([10, 12, 9, 11, 14]);
    const alpha = 0.3;
    let l = 10;
    let sse = 0;
    for (const v of y) {
      sse += (v - l) ** 2;
      l += alpha * (v - l);
    }
    const lik = etsRecursion(
      y,
      0,
      5,
      1,
      TREND_N,
      SEASON_N,
      false,
      alpha,
      0,
      0,
      1,
      10,
      0,
      new Float64Array(1),
      null,
    );
    expect(lik).toBeCloseTo(5 * Math.log(sse), 12);
  });

  it('least-squares initial states beat any other start for an additive model', () => {
    const rnd = mulberry32(7);
    const y = Float64Array.from(
      { length: 84 },
      (_, t) => 20 + 0.2 * t + 5 * Math.sin((2 * Math.PI * t) / 7) + rnd(),
    );
    const [alpha, beta, gamma, phi] = [0.2, 0.05, 0.1, 1];
    const ls = leastSquaresInitialStates(y, 0, 84, 7, TREND_A, SEASON_A, alpha, beta, gamma, phi);
    expect(ls).not.toBeNull();
    const lik = (level: number, trend: number, season: Float64Array) =>
      etsRecursion(
        y,
        0,
        84,
        7,
        TREND_A,
        SEASON_A,
        false,
        alpha,
        beta,
        gamma,
        phi,
        level,
        trend,
        Float64Array.from(season),
        null,
      );
    const best = lik(ls!.level, ls!.trend, ls!.season);
    for (const delta of [-0.5, 0.5]) {
      expect(best).toBeLessThan(lik(ls!.level + delta, ls!.trend, ls!.season));
      expect(best).toBeLessThan(lik(ls!.level, ls!.trend + delta / 10, ls!.season));
      const shifted = Float64Array.from(ls!.season);
      shifted[1] += delta;
      shifted[0] -= delta;
      expect(best).toBeLessThan(lik(ls!.level, ls!.trend, shifted));
    }
  });
});

describe('autoEts model selection', () => {
  it('picks a seasonal model for a weekly sine wave and forecasts it within 2 %', () => {
    const y = Float64Array.from(
      { length: 140 },
      (_, t) => 100 + 30 * Math.sin((2 * Math.PI * t) / 7),
    );
    const fit = autoEts(y);
    expect(fit.spec.season).not.toBe('N');
    const fc = fit.forecast(7);
    for (let h = 0; h < 7; h++) {
      const truth = 100 + 30 * Math.sin((2 * Math.PI * (140 + h)) / 7);
      expect(Math.abs(fc.p50[h] - truth) / truth).toBeLessThan(0.02);
    }
  });

  it('picks a trended model for a noisy linear trend', () => {
    const rnd = mulberry32(3);
    const y = Float64Array.from({ length: 200 }, (_, t) => 50 + 2 * t + 4 * (rnd() - 0.5));
    const fit = autoEts(y);
    expect(fit.spec.trend).not.toBe('N');
    const fc = fit.forecast(7);
    expect(fc.p50[6]).toBeGreaterThan(fc.p50[0]);
    expect(Math.abs(fc.p50[6] - (50 + 2 * 206)) / (50 + 2 * 206)).toBeLessThan(0.02);
  });

  it('picks a non-seasonal, non-trended model for white noise around a level', () => {
    const rnd = mulberry32(11);
    const y = Float64Array.from({ length: 300 }, () => 40 + 6 * (rnd() - 0.5));
    const fit = autoEts(y);
    expect(fit.spec.season).toBe('N');
    expect(fit.spec.trend).toBe('N');
  });

  it('only considers additive models when the data contain zeros', () => {
    const rnd = mulberry32(5);
    const y = Float64Array.from({ length: 200 }, () =>
      rnd() < 0.6 ? 0 : Math.floor(1 + 4 * rnd()),
    );
    const fit = autoEts(y);
    expect(fit.spec.error).toBe('A');
    expect(fit.spec.season).not.toBe('M');
    expectValidForecast(fit, 7);
  });

  it('restricts the search to the candidate specs given', () => {
    const y = Float64Array.from({ length: 100 }, (_, t) => 10 + (t % 7) + 0.01 * t);
    const fit = autoEts(y, { specs: [{ error: 'A', trend: 'N', season: 'N' }] });
    expect(fit.name).toBe('ets(A,N,N)');
  });

  it('is deterministic: the same input gives bit-identical output', () => {
    const rnd = mulberry32(99);
    const y = Float64Array.from({ length: 400 }, (_, t) => 30 + 10 * ((t % 7) / 7) + 8 * rnd());
    const a = autoEts(y);
    const b = autoEts(Float64Array.from(y));
    expect(b.name).toBe(a.name);
    expect(b.aicc).toBe(a.aicc);
    expect(b.params).toEqual(a.params);
    expect(b.forecast(7)).toEqual(a.forecast(7));
  });

  it('fits only the last maxFitLength points', () => {
    const rnd = mulberry32(2);
    const y = Float64Array.from({ length: 1000 }, (_, t) => (t < 600 ? 500 : 20) + 5 * rnd());
    const fit = autoEts(y, { maxFitLength: 300 });
    expect(fit.nobs).toBe(300);
    expect(fit.fitted).toHaveLength(1000);
    expect(Number.isNaN(fit.fitted![699])).toBe(true);
    expect(Number.isFinite(fit.fitted![700])).toBe(true);
    const tail = autoEts(y.slice(700));
    expect(fit.name).toBe(tail.name);
    expect(fit.forecast(7)).toEqual(tail.forecast(7));
    expect(fit.forecast(7).p50[0]).toBeLessThan(30);
  });

  it('is the default Model adapter under the name "ets"', () => {
    const y = Float64Array.from({ length: 60 }, (_, t) => 5 + (t % 3));
    expect(etsModel.name).toBe('ets');
    expect(etsModel.fit(y).name).toBe(autoEts(y).name);
  });
});

describe('autoEts robustness', () => {
  const cases: Array<[string, Float64Array]> = [
    ['one observation', Float64Array.of(4)],
    ['two observations', Float64Array.of(3, 5)],
    ['five observations', Float64Array.of(1, 0, 2, 1, 3)],
    ['ten observations', Float64Array.from({ length: 10 }, (_, t) => 5 + (t % 3))],
    ['under two seasons', Float64Array.from({ length: 17 }, (_, t) => 10 + (t % 7))],
    ['all zeros', new Float64Array(120)],
    ['a constant series', new Float64Array(120).fill(7)],
    [
      'a single huge spike',
      Float64Array.from({ length: 120 }, (_, t) => (t === 60 ? 1e6 : 3 + (t % 2))),
    ],
    [
      'values in the millions',
      Float64Array.from({ length: 400 }, (_, t) => 3e6 + 2e5 * Math.sin(t) + 1e3 * t),
    ],
    ['a spike on the last day', Float64Array.from({ length: 60 }, (_, t) => (t === 59 ? 500 : 1))],
    ['sparse counts', Float64Array.from({ length: 365 }, (_, t) => (t % 11 === 0 ? 1 : 0))],
  ];

  it.each(cases)('returns a valid, non-negative, ordered forecast for %s', (_label, y) => {
    const fit = autoEts(y);
    expectValidForecast(fit, 7);
    expectValidForecast(fit, 14);
    expect(fit.forecast(0).p50).toHaveLength(0);
  });

  it('uses only non-seasonal models below 2·period + 4 points', () => {
    const y = Float64Array.from({ length: 17 }, (_, t) => 10 + 5 * (t % 7));
    expect(autoEts(y).spec.season).toBe('N');
  });

  it('falls back to the mean model when nothing can be estimated', () => {
    const fit = autoEts(Float64Array.of(2, 4, 6));
    expect(fit.name).toBe('ets(A,N,N)');
    expect(fit.aicc).toBe(Number.POSITIVE_INFINITY);
    expect(fit.forecast(3).p50).toEqual(Float64Array.of(4, 4, 4));
  });

  it('forecasts a constant series as that constant with no spread', () => {
    const fit = autoEts(new Float64Array(100).fill(12));
    expect(fit.name).toBe('ets(A,N,N)');
    const fc = fit.forecast(7);
    for (let h = 0; h < 7; h++) {
      expect(fc.p50[h]).toBeCloseTo(12, 6);
      expect(fc.p90[h] - fc.p10[h]).toBeLessThan(1e-3);
    }
  });

  it('rejects an empty or infinite series with EtsFitError', () => {
    expect(() => autoEts(new Float64Array(0))).toThrow(EtsFitError);
    expect(() => autoEts(Float64Array.of(1, Number.POSITIVE_INFINITY, 2))).toThrow(
      /y\[1\] is Infinity/,
    );
  });

  it('treats NaN as a missing observation, and rejects a window with no known day', () => {
    expect(autoEts(Float64Array.of(1, Number.NaN, 2, 3, 2, 4)).nobs).toBe(5);
    expect(() => autoEts(Float64Array.of(Number.NaN, Number.NaN))).toThrow(InvalidSeriesError);
  });
});

describe('fitEts', () => {
  const positive = Float64Array.from({ length: 70 }, (_, t) => 20 + 5 * (t % 7));

  it('rejects additive error with multiplicative season (R restrict)', () => {
    expect(() => fitEts(positive, { error: 'A', trend: 'N', season: 'M' })).toThrow(EtsFitError);
  });

  it('rejects multiplicative models on data with zeros, naming the reason', () => {
    const y = Float64Array.from(positive);
    y[3] = 0;
    expect(() => fitEts(y, { error: 'M', trend: 'N', season: 'N' })).toThrow(/strictly positive/);
  });

  it('rejects a seasonal model on a too-short series', () => {
    const err = (() => {
      try {
        fitEts(positive.slice(0, 15), { error: 'A', trend: 'N', season: 'A' });
      } catch (e) {
        return e;
      }
      return null;
    })();
    expect(err).toBeInstanceOf(EtsFitError);
    expect(err).toBeInstanceOf(ForecastingError);
    expect((err as Error).message).toMatch(/needs >= 18 observations .* got 15/);
  });

  it('respects the usual parameter bounds', () => {
    const rnd = mulberry32(8);
    const y = Float64Array.from(
      { length: 200 },
      (_, t) => 50 + 0.3 * t + 10 * ((t % 7) - 3) + 3 * rnd(),
    );
    const fit = fitEts(y, { error: 'A', trend: 'Ad', season: 'A' });
    const { alpha, beta, gamma, phi } = fit.params;
    expect(alpha).toBeGreaterThanOrEqual(1e-4);
    expect(alpha).toBeLessThanOrEqual(0.9999);
    expect(beta).toBeLessThanOrEqual(alpha);
    expect(gamma).toBeLessThanOrEqual(1 - alpha);
    expect(phi).toBeGreaterThanOrEqual(0.8);
    expect(phi).toBeLessThanOrEqual(0.98);
    // Additive seasonal initial states sum to zero (R's normalisation).
    let sum = 0;
    for (let j = 0; j < 7; j++) sum += fit.params[`s${j}`];
    expect(Math.abs(sum)).toBeLessThan(1e-8);
  });

  it('gives damped forecasts that level off', () => {
    const y = Float64Array.from({ length: 120 }, (_, t) => 10 + 0.5 * t + Math.sin(t));
    const fc = fitEts(y, { error: 'A', trend: 'Ad', season: 'N' }).forecast(60);
    const step1 = fc.p50[1] - fc.p50[0];
    const step59 = fc.p50[59] - fc.p50[58];
    expect(step59).toBeLessThan(step1);
  });
});

describe('autoEts on real intermittent demand (superstore)', () => {
  const file = path.join(DATASETS, 'superstore/subcategory_daily_gold.csv');
  it.skipIf(!existsSync(file))('forecasts every sub-category with valid quantiles', () => {
    const rows = readFileSync(file, 'utf8').trim().split('\n').slice(1);
    const byProduct = new Map<string, Map<string, number>>();
    for (const row of rows) {
      const [id, date, qty] = row.split(',');
      if (!byProduct.has(id)) byProduct.set(id, new Map());
      byProduct.get(id)!.set(date, Number(qty));
    }
    // Daily series over the last 400 days with the missing days as zeros.
    const end = Date.UTC(2017, 11, 30);
    for (const [, sales] of byProduct) {
      const y = new Float64Array(400);
      for (let i = 0; i < 400; i++) {
        const d = new Date(end - (399 - i) * 86_400_000).toISOString().slice(0, 10);
        y[i] = sales.get(d) ?? 0;
      }
      const fit = autoEts(y);
      expect(fit.spec.error).toBe('A');
      expectValidForecast(fit, 7);
    }
  });
});
