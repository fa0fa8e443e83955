import { describe, expect, it } from 'vitest';
import { forecastAuto, InvalidOptionError } from '../src/index';
import type { ExternalCandidate, QuantileForecast } from '../src/index';
import { forecastMany } from '../src/runtime/index';
import { seasonal } from './series';

/** The actual next h days of `y` from `end`, as a forecast that is right to the unit. */
function oracle(y: Float64Array, end: number, h: number): QuantileForecast {
  const p50 = Float64Array.from(y.subarray(end, end + h));
  return { p10: p50.map((v) => v - 1), p50, p90: p50.map((v) => v + 1) };
}

/** A candidate that knows the future at every validation origin and a fixed path at the end. */
function clairvoyant(y: Float64Array, h: number, origins: number, last: number): ExternalCandidate {
  const forecasts = [];
  for (let o = 1; o <= origins; o++)
    forecasts.push({ end: y.length - h * o, q: oracle(y, y.length - h * o, h) });
  const p50 = new Float64Array(h).fill(last);
  forecasts.push({ end: y.length, q: { p10: p50, p50, p90: p50 } });
  return { name: 'global', forecasts };
}

describe('forecastAuto with a SeriesContext', () => {
  const y = seasonal(200, 7);
  const h = 7;

  it('ranks an external candidate by the same validation as the models and uses its final forecast', () => {
    const f = forecastAuto(y, { combineTop: 1 }, { external: [clairvoyant(y, h, 3, 123)] });
    expect(f.model).toBe('statistical:global');
    expect(Array.from(f.p50)).toEqual(new Array(h).fill(123));
  });

  it('pools an external candidate with the best models when combining', () => {
    const f = forecastAuto(y, {}, { external: [clairvoyant(y, h, 3, 123)] });
    expect(f.model).toMatch(/^statistical:top3\(global,/);
  });

  it('finds the forecast of each origin by its end in the caller series, also when leading zeros are cut', () => {
    const padded = new Float64Array(250);
    padded.set(y, 50);
    const f = forecastAuto(
      padded,
      { combineTop: 1 },
      { external: [clairvoyant(padded, h, 3, 55)] },
    );
    expect(f.model).toBe('statistical:global');
    expect(f.p50[0]).toBe(55);
  });

  it('drops an external candidate with no forecast from the end of the history', () => {
    const c = clairvoyant(y, h, 3, 1);
    c.forecasts = c.forecasts.filter((f) => f.end !== y.length);
    const f = forecastAuto(y, { combineTop: 1 }, { external: [c] });
    expect(f.model).not.toContain('global');
  });

  it('is the same forecast without a context as with an empty one', () => {
    expect(forecastAuto(y, {}, {})).toEqual(forecastAuto(y));
  });

  it('rejects regressor columns and external forecasts of the wrong length, naming them', () => {
    const column = new Float64Array(y.length);
    expect(() =>
      forecastAuto(y, {}, { regressors: { names: ['holiday'], columns: [column] } }),
    ).toThrow(/regressor "holiday" has 200 values \(expected 207/);
    const short = { p10: new Float64Array(3), p50: new Float64Array(3), p90: new Float64Array(3) };
    expect(() =>
      forecastAuto(y, {}, { external: [{ name: 'global', forecasts: [{ end: 200, q: short }] }] }),
    ).toThrow(InvalidOptionError);
    expect(() => forecastAuto(y, {}, { external: [{ name: 'ets', forecasts: [] }] })).toThrow(
      /named twice or like a registry model/,
    );
  });

  it('carries contexts to worker threads', async () => {
    const inputs = Array.from({ length: 210 }, (_, i) => {
      const s = seasonal(120, i + 1);
      return { id: `P${i}`, y: s, context: { external: [clairvoyant(s, h, 3, 9)] } };
    });
    const threaded = await forecastMany(inputs, { workers: 2, combineTop: 1 });
    const inline = await forecastMany(inputs, { workers: 1, combineTop: 1 });
    expect(threaded.get('P5')?.model).toBe('statistical:global');
    expect(threaded).toEqual(inline);
    // 420 forecasts and two worker start-ups: seconds on a loaded 2-core machine.
  }, 60_000);
});
