import { describe, expect, it } from 'vitest';
import { countMedian, forecastAuto, weekdayDispersion } from '../src/index';
import { autoEts, extendEts, fitEts, type EtsSpec } from '../src/models/ets';
import {
  etsRecursion,
  SEASON_A,
  SEASON_M,
  SEASON_N,
  TREND_A,
  TREND_AD,
  TREND_N,
  type EtsTrace,
} from '../src/models/etsCore';
import { lcg, seasonal } from './series';

describe('etsRecursion fast path', () => {
  const y = seasonal(200, 11, 40);
  const cases = [
    ...[false, true].flatMap((mult) =>
      [TREND_N, TREND_A, TREND_AD].flatMap((trend) =>
        [SEASON_N, SEASON_A, SEASON_M].map((season) => ({ mult, trend, season })),
      ),
    ),
  ];
  it.each(cases)(
    'returns the same criterion with and without a trace (mult $mult, trend $trend, season $season)',
    ({ mult, trend, season }) => {
      const s0 =
        season === SEASON_M
          ? Float64Array.from([0.7, 0.8, 1, 1, 1.1, 1.5, 0.9])
          : season === SEASON_A
            ? Float64Array.from([-12, -8, 0, 0, 4, 20, -4])
            : new Float64Array(7);
      const run = (trace: EtsTrace | null) =>
        etsRecursion(
          y,
          3,
          190,
          7,
          trend,
          season,
          mult,
          0.2,
          0.05,
          0.1,
          0.9,
          45,
          0.3,
          Float64Array.from(s0),
          trace,
        );
      const trace: EtsTrace = {
        fitted: new Float64Array(190),
        residuals: new Float64Array(190),
        level: 0,
        trend: 0,
      };
      const fast = run(null);
      expect(Number.isFinite(fast)).toBe(true);
      // Bit-identical: the optimiser and the final fit must agree on the likelihood.
      expect(run(trace)).toBe(fast);
    },
  );

  it('rejects a non-positive forecast under multiplicative error on both paths', () => {
    const down = new Float64Array(60).map((_, t) => 100 - 3 * t + (t > 40 ? 0 : 1));
    const run = (trace: EtsTrace | null) =>
      etsRecursion(
        down,
        0,
        60,
        7,
        TREND_A,
        SEASON_N,
        true,
        0.9,
        0.9,
        0,
        1,
        100,
        -3,
        new Float64Array(7),
        trace,
      );
    const trace: EtsTrace = {
      fitted: new Float64Array(60),
      residuals: new Float64Array(60),
      level: 0,
      trend: 0,
    };
    expect(run(null)).toBe(Number.POSITIVE_INFINITY);
    expect(run(trace)).toBe(Number.POSITIVE_INFINITY);
  });
});

describe('extendEts', () => {
  const spec: EtsSpec = { error: 'A', trend: 'N', season: 'A' };

  it('with no new days reproduces the fit exactly', () => {
    const y = seasonal(150, 3);
    const fit = fitEts(y, spec);
    const same = extendEts(fit, y);
    expect(same).toBeDefined();
    expect(Array.from(same?.forecast(7).p50 ?? [])).toEqual(Array.from(fit.forecast(7).p50));
    expect(same?.params).toEqual(fit.params);
  });

  it('keeps model and parameters but filters the states through the new days', () => {
    // A wandering level, so the fitted alpha is well above 0.
    const r = lcg(9);
    const y = new Float64Array(200);
    let level = 50;
    for (let t = 0; t < 200; t++) {
      level = Math.max(5, level + 4 * (r() - 0.5));
      y[t] = Math.round(level * (t % 7 === 5 ? 1.4 : 1) * (0.95 + 0.1 * r()));
    }
    // Demand doubles over the last three weeks.
    for (let t = 179; t < 200; t++) y[t] *= 2;
    const early = autoEts(y.subarray(0, 179));
    const extended = extendEts(early, y);
    expect(early.params.alpha).toBeGreaterThan(0.1);
    expect(extended?.name).toBe(early.name);
    expect(extended?.params).toEqual(early.params);
    expect(extended?.nobs).toBe(200);
    const sum = (q: Float64Array) => q.reduce((a, b) => a + b, 0);
    const before = sum(early.forecast(7).p50);
    const after = sum(extended?.forecast(7).p50 ?? new Float64Array(7));
    // The states follow the new demand, so next week's total rises clearly.
    expect(after).toBeGreaterThan(1.5 * before);
  });

  it('returns undefined for a shorter series and for the mean fallback', () => {
    const y = seasonal(150, 3);
    expect(extendEts(fitEts(y, spec), y.subarray(0, 140))).toBeUndefined();
    const tiny = autoEts(Float64Array.from([3, 4]));
    expect(extendEts(tiny, Float64Array.from([3, 4, 5]))).toBeUndefined();
  });

  it('returns undefined when new days push a multiplicative model out of its valid region', () => {
    const y = seasonal(150, 3);
    const fit = fitEts(y, { error: 'M', trend: 'N', season: 'N' });
    const longer = new Float64Array(152);
    longer.set(y);
    // A large negative value drives the level below 0 (alpha >= 1e-4), and the next one-step
    // forecast is then not positive, which a multiplicative error cannot describe.
    longer[150] = -1e7;
    longer[151] = 50;
    expect(extendEts(fit, longer)).toBeUndefined();
    expect(extendEts(fit, longer.subarray(0, 150))).toBeDefined();
  });
});

describe('forecastAuto with ETS fitted once', () => {
  it('searches ETS on the history before the first origin and carries it to the end', () => {
    const y = seasonal(200, 31, 60);
    const f = forecastAuto(y, { candidates: ['ets', 'snaive'], combineTop: 1 });
    // Noisy demand around a fixed weekly profile: smoothing beats last week's copy.
    expect(f.model).toMatch(/^statistical:ets\(/);
    const once = autoEts(y.subarray(0, 200 - 3 * 7));
    const carried = extendEts(once, y);
    expect(f.model).toBe(`statistical:${once.name}`);
    const mean = Array.from(carried?.forecast(7).p50 ?? []).map((v) => Math.max(0, v));
    // Whole units: the carried model's forecast is the mean, and P50 its count median.
    expect(Array.from(f.mean ?? [])).toEqual(mean);
    const phi = weekdayDispersion(y);
    expect(Array.from(f.p50)).toEqual(mean.map((m) => countMedian(m, phi)));
  });

  it('is deterministic and independent of earlier calls', () => {
    const a = seasonal(400, 21, 80);
    const b = seasonal(400, 22, 30);
    const first = forecastAuto(a);
    forecastAuto(b);
    const again = forecastAuto(Float64Array.from(a));
    expect(again.model).toBe(first.model);
    expect(Array.from(again.p50)).toEqual(Array.from(first.p50));
  });
});
