import { describe, expect, it } from 'vitest';
import { forecastAuto, InvalidSeriesError, MODELS } from '../src/index';
import type { QuantileForecast } from '../src/index';
import { NASTY } from './series';

const H = 7;

function checkQuantiles(q: QuantileForecast): void {
  for (const key of ['p10', 'p50', 'p90'] as const) {
    expect(q[key]).toBeInstanceOf(Float64Array);
    expect(q[key].length).toBe(H);
  }
  for (let k = 0; k < H; k++) {
    for (const v of [q.p10[k], q.p50[k], q.p90[k]]) {
      expect(Number.isFinite(v)).toBe(true);
      expect(v).toBeGreaterThanOrEqual(0);
    }
    expect(q.p10[k]).toBeLessThanOrEqual(q.p50[k]);
    expect(q.p50[k]).toBeLessThanOrEqual(q.p90[k]);
  }
}

const asArrays = (q: QuantileForecast) => [Array.from(q.p10), Array.from(q.p50), Array.from(q.p90)];

/** Per-test time limit: ARIMA runs a stepwise search of up to 94 likelihood fits per series. */
const timeoutOf = (name: string): number | undefined => (name === 'arima' ? 300_000 : undefined);

// The model contract starts at one observation (ETS rejects an empty series); forecastAuto
// handles empty histories itself.
const NON_EMPTY = Object.entries(NASTY).filter(([, y]) => y.length > 0);

describe.each(Object.keys(MODELS))('model %s (contract)', (name) => {
  const model = MODELS[name];
  it.each(NON_EMPTY)(
    'gives h finite, non-negative, ordered quantiles on %s',
    (_, y) => {
      checkQuantiles(model.fit(y).forecast(H));
    },
    timeoutOf(name),
  );

  it.each(NON_EMPTY)(
    'is deterministic and repeatable on %s',
    (_, y) => {
      const fitted = model.fit(y);
      const first = fitted.forecast(H);
      // A second forecast from the same fit, and a one-shot fit+forecast, must agree exactly.
      expect(asArrays(fitted.forecast(H))).toEqual(asArrays(first));
      expect(asArrays(model.fit(Float64Array.from(y)).forecast(H))).toEqual(asArrays(first));
    },
    timeoutOf(name),
  );

  it(
    'does not modify its input',
    () => {
      const y = NASTY.seasonal;
      const copy = Float64Array.from(y);
      model.fit(y).forecast(H);
      expect(Array.from(y)).toEqual(Array.from(copy));
    },
    timeoutOf(name),
  );

  it(
    'forecasts the longer horizon consistently with the shorter one',
    () => {
      const fitted = model.fit(NASTY.seasonal);
      const short = fitted.forecast(3);
      const long = fitted.forecast(H);
      expect(Array.from(long.p50.subarray(0, 3))).toEqual(Array.from(short.p50));
    },
    timeoutOf(name),
  );
});

describe('forecastAuto (contract)', () => {
  it.each(Object.entries(NASTY))(
    'gives h finite, non-negative, ordered quantiles on %s',
    (_, y) => {
      const f = forecastAuto(y);
      checkQuantiles(f);
      expect(f.model).toMatch(/^statistical:/);
      expect(asArrays(forecastAuto(Float64Array.from(y)))).toEqual(asArrays(f));
    },
  );

  it('forecasts zeros for an all-zero history', () => {
    const f = forecastAuto(NASTY['all-zero']);
    expect(f.model).toBe('statistical:zero');
    expect(Array.from(f.p90)).toEqual(new Array(H).fill(0));
  });

  it('stays at the scale of a series in the millions', () => {
    const f = forecastAuto(NASTY.millions);
    for (const v of f.p50) {
      expect(v).toBeGreaterThan(1e6);
      expect(v).toBeLessThan(1e7);
    }
  });
});

/** NASTY series with missing (NaN) days: scattered, a missing week, missing first and last days. */
const GAPPY: [string, Float64Array][] = [
  ['seasonal, every 9th day missing', NASTY.seasonal.map((v, i) => (i % 9 === 4 ? NaN : v))],
  [
    'intermittent, a missing week',
    NASTY.intermittent.map((v, i) => (i >= 200 && i < 207 ? NaN : v)),
  ],
  [
    'seasonal, first and last days missing',
    NASTY.seasonal.map((v, i, a) => (i < 3 || i === a.length - 1 ? NaN : v)),
  ],
  ['short, mostly missing', Float64Array.from([NaN, 3, NaN, NaN, 5, NaN, 4])],
  ['one known day', Float64Array.from([NaN, NaN, 6, NaN])],
  ['millions with gaps', NASTY.millions.map((v, i) => (i % 5 === 0 ? NaN : v))],
];

describe.each(Object.keys(MODELS))('model %s with missing (NaN) days (contract)', (name) => {
  const model = MODELS[name];
  it.each(GAPPY)(
    'gives h finite, non-negative, ordered quantiles on %s',
    (_, y) => {
      checkQuantiles(model.fit(y).forecast(H));
    },
    timeoutOf(name),
  );

  it(
    'does not read a missing day as a zero',
    () => {
      // Sales of 10 every known day: a model that read the missing days as 0 would forecast
      // well below 10.
      const y = new Float64Array(70).fill(10).map((v, i) => (i % 3 === 1 ? NaN : v + (i % 2)));
      const q = model.fit(y).forecast(H);
      for (const v of q.p50) expect(v).toBeGreaterThan(9.5);
    },
    timeoutOf(name),
  );

  it(
    'throws InvalidSeriesError when every day is missing',
    () => {
      expect(() => model.fit(new Float64Array(30).fill(NaN))).toThrow(InvalidSeriesError);
    },
    timeoutOf(name),
  );
});

describe('forecastAuto with missing (NaN) days (contract)', () => {
  it.each(GAPPY)('gives h finite, non-negative, ordered quantiles on %s', (_, y) => {
    checkQuantiles(forecastAuto(y));
  });
});
