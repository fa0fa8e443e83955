import { describe, expect, it } from 'vitest';
import { forecastAuto, INTERMITTENT_CANDIDATES, MODELS, SMOOTH_CANDIDATES } from '../src/index';
import { fitSarima, sarimaForecaster, type SarimaFit } from '../src/models/arima/sarima';
import { lcg } from './series';

/** Box–Muller normal draws from the shared LCG. */
function normals(n: number, seed: number): Float64Array {
  const r = lcg(seed);
  return Float64Array.from({ length: n }, () => {
    const u = Math.max(r(), 1e-12);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r());
  });
}

/** y_t − y_{t−7} = e_t + θ e_{t−1} + Θ e_{t−7} + θΘ e_{t−8}, from a weekly profile at level 100. */
function airline(n: number, theta: number, sTheta: number, seed: number): Float64Array {
  const e = normals(n, seed);
  const y = new Float64Array(n);
  const profile = [80, 90, 100, 100, 110, 150, 95];
  for (let t = 0; t < n; t++) {
    if (t < 8) {
      y[t] = profile[t % 7] + 3 * e[t];
      continue;
    }
    y[t] = y[t - 7] + 3 * (e[t] + theta * e[t - 1] + sTheta * e[t - 7] + theta * sTheta * e[t - 8]);
  }
  return y;
}

/**
 * Reference for a carried model: the model's difference equation written on y with the expanded
 * polynomials, (1 − φB)(1 − B⁷)(y_t − β(t+1)) = (1 + θB)(1 + ΘB⁷) e_t (d = 0), residuals 0 for the
 * first 8 days of the window, then the h-step forecast with future shocks 0.
 */
function referenceForecast(fit: SarimaFit, y: Float64Array, h: number): number[] {
  expect(fit.d).toBe(0);
  const x = Array.from(y.subarray(fit.start));
  const n = x.length;
  const u = (t: number, v: number[]) => v[t] - fit.drift * (t + 1);
  const ar = [fit.ar1, 0, 0, 0, 0, 0, 1, -fit.ar1]; // u_t = Σ ar_k u_{t−k−1} + MA part
  const ma = [fit.ma1, 0, 0, 0, 0, 0, fit.sma1, fit.ma1 * fit.sma1];
  const all = [...x, ...new Array<number>(h).fill(0)];
  const e = new Array<number>(n + h).fill(0);
  for (let t = 0; t < n + h; t++) {
    if (t < 8) continue;
    let pred = 0;
    for (let k = 0; k < 8; k++)
      pred += ar[k] * u(t - k - 1, all) + (t - k - 1 >= 8 ? ma[k] * e[t - k - 1] : 0);
    if (t < n) e[t] = u(t, all) - pred;
    else all[t] = pred + fit.drift * (t + 1);
  }
  return all.slice(n);
}

describe('fitSarima', () => {
  it('recovers the MA coefficients of a seasonal ARIMA(0,0,1)(0,1,1)[7]', () => {
    const y = airline(364, 0.4, -0.6, 3);
    const fit = fitSarima(y);
    expect(fit.d).toBe(0);
    expect(fit.ma1 + fit.ar1).toBeCloseTo(0.4, 0);
    expect(fit.sma1).toBeGreaterThan(-0.75);
    expect(fit.sma1).toBeLessThan(-0.45);
    expect(Math.sqrt(fit.sigma2)).toBeGreaterThan(2.5);
    expect(Math.sqrt(fit.sigma2)).toBeLessThan(3.5);
  });

  it('estimates on the last 364 days only', () => {
    const y = airline(500, 0.3, -0.5, 4);
    const fit = fitSarima(y);
    expect(fit.start).toBe(500 - 364);
    expect(fitSarima(y.subarray(136)).ar1).toBe(fit.ar1);
  });

  it('rejects a window with a missing day, naming why, and the registry falls back to the mean', () => {
    const y = airline(120, 0.3, -0.5, 5);
    y[100] = Number.NaN;
    expect(() => fitSarima(y)).toThrow(/missing days/);
    expect(MODELS.sarima.fit(y).name).toBe('sarima:mean-fallback');
  });

  it('rejects a window under four weeks', () => {
    expect(() => fitSarima(airline(27, 0.3, -0.5, 6))).toThrow(/28 days/);
  });
});

describe('sarimaForecaster (carried forward without re-estimation)', () => {
  const y = airline(321, 0.4, -0.6, 7);
  const fit = fitSarima(y.subarray(0, 300));

  it('forecasts from the fitted history as the difference equation does', () => {
    const got = Array.from(sarimaForecaster(fit, y.subarray(0, 300)).forecast(7).p50);
    referenceForecast(fit, y.subarray(0, 300), 7).forEach((v, k) => {
      expect(got[k]).toBeCloseTo(Math.max(0, v), 8);
    });
  });

  it('carried 21 days on equals a fresh run of the same coefficients over the longer series', () => {
    const carried = Array.from(sarimaForecaster(fit, y).forecast(7).p50);
    referenceForecast(fit, y, 7).forEach((v, k) =>
      expect(carried[k]).toBeCloseTo(Math.max(0, v), 8),
    );
    // And it moved: the newer days changed the forecast.
    const before = Array.from(sarimaForecaster(fit, y.subarray(0, 300)).forecast(7).p50);
    expect(carried).not.toEqual(before);
  });

  it('bridges a missing newer day with its one-step forecast and stays finite', () => {
    const gappy = Float64Array.from(y);
    gappy[310] = Number.NaN;
    const q = sarimaForecaster(fit, gappy).forecast(7);
    for (const v of [...q.p10, ...q.p50, ...q.p90]) expect(Number.isFinite(v)).toBe(true);
  });

  it('widens its interval with the horizon', () => {
    const q = sarimaForecaster(fit, y).forecast(14);
    expect(q.p90[13] - q.p10[13]).toBeGreaterThan(q.p90[0] - q.p10[0]);
  });

  it('refuses to carry back to a shorter series', () => {
    expect(() => sarimaForecaster(fit, y.subarray(0, 200))).toThrow(/carry sarima back/);
  });
});

describe('sarima in the candidate pool', () => {
  it('is a smooth candidate, alone and in the combo-eat median, and not an intermittent one', () => {
    expect(SMOOTH_CANDIDATES).toContain('sarima');
    expect(SMOOTH_CANDIDATES).toContain('combo-eat');
    expect(INTERMITTENT_CANDIDATES).not.toContain('sarima');
    expect(SMOOTH_CANDIDATES.slice(0, 1)).toEqual(['combo']);
  });

  it('is searched once before the first origin and carried to the end in forecastAuto', () => {
    const y = airline(400, 0.4, -0.6, 8);
    const f = forecastAuto(y, { candidates: ['sarima', 'snaive'], combineTop: 1 });
    const once = fitSarima(y.subarray(0, 400 - 3 * 7));
    const carried = sarimaForecaster(once, y);
    expect(f.model).toBe(`statistical:${carried.name}`);
    expect(Array.from(f.p50)).toEqual(Array.from(carried.forecast(7).p50));
  });

  it('leaves the race, alone and inside combo-eat, where it can only answer with the mean', () => {
    // A missing day in every window: fitSarima refuses, the registry model falls back to the mean.
    const y = airline(400, 0.4, -0.6, 10);
    for (let t = 5; t < 400; t += 30) y[t] = Number.NaN;
    y[400 - 2] = Number.NaN;
    expect(MODELS.sarima.fit(y).name).toBe('sarima:mean-fallback');
    const alone = forecastAuto(y, { candidates: ['sarima', 'snaive'], combineTop: 1 });
    expect(alone.model).toBe('statistical:snaive');
    const combo = forecastAuto(y, { candidates: ['combo-eat'] });
    expect(combo.model).toBe('statistical:combo(ets,theta)');
  });

  it('builds combo-eat from the same fits as its members', () => {
    const y = airline(400, 0.4, -0.6, 9);
    const f = forecastAuto(y, { candidates: ['combo-eat'] });
    expect(f.model).toBe('statistical:combo(ets,sarima,theta)');
  });
});
