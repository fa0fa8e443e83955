import { describe, expect, it } from 'vitest';
import {
  backtest,
  classifyDemand,
  coverage,
  forecastAuto,
  InvalidSeriesError,
  mae,
  maseScale,
  MODELS,
  scoreForecast,
  wape,
} from '../src/index';
import { mulberry32, seasonal } from './series';

const H = 7;
const total = (a: ArrayLike<number>) => Array.from(a).reduce((s, v) => s + v, 0);

/** A weekly-pattern series (level 50) with 5 % of its days, chosen at random, replaced. */
function withGaps(y: Float64Array, value: number, seed = 9): Float64Array {
  const r = mulberry32(seed);
  const out = Float64Array.from(y);
  for (let i = 0; i < out.length; i++) if (r() < 0.05) out[i] = value;
  return out;
}

describe('missing days (NaN) in forecastAuto', () => {
  const full = seasonal(400, 11);
  const gaps = withGaps(full, NaN);
  const zeros = withGaps(full, 0);

  it('forecasts a series with 5 % missing days close to the full series, never NaN', () => {
    const a = forecastAuto(full);
    const b = forecastAuto(gaps);
    for (const q of [b.p10, b.p50, b.p90]) for (const v of q) expect(Number.isFinite(v)).toBe(true);
    // 5 % of 400 days removed at random leaves ~380 days of the same weekly pattern, so the
    // level and weekly indices are estimated from 5 % fewer points: their standard errors grow
    // by about 1/√0.95 − 1 ≈ 2.6 %, and the one-step noise of this series is ±6 % (uniform
    // ±10 % around the pattern). A 3 % bound on the weekly total and 6 % on any day is several
    // standard errors of the difference yet far below the ≈5 % bias of the zero-filled series.
    expect(Math.abs(total(b.p50) / total(a.p50) - 1)).toBeLessThan(0.03);
    for (let k = 0; k < H; k++) {
      expect(Math.abs(b.p50[k] / a.p50[k] - 1)).toBeLessThan(0.06);
    }
  });

  it('forecasts visibly lower when the same days are zeros, fitted as they were (the bug this fixes)', () => {
    const asTheyWere = { cleanOutliers: false };
    const b = forecastAuto(gaps, asTheyWere);
    const z = forecastAuto(zeros, asTheyWere);
    expect(total(z.p50)).toBeLessThan(0.97 * total(b.p50));
  });

  it('by default fits smooth demand with its scattered zero days replaced (outliers.ts)', () => {
    // The same zeros are far-out outliers of this smooth series (stock-outs, say): the models are
    // fitted without them, so the forecast is near the one from the missing days.
    const b = forecastAuto(gaps);
    const z = forecastAuto(zeros);
    expect(Math.abs(total(z.p50) / total(b.p50) - 1)).toBeLessThan(0.03);
  });

  it('ignores missing validation days and leading missing days', () => {
    const y = Float64Array.from(full);
    for (let i = y.length - 10; i < y.length - 3; i++) y[i] = NaN;
    y.fill(NaN, 0, 20);
    const f = forecastAuto(y);
    expect(total(f.p50) / total(forecastAuto(full).p50)).toBeGreaterThan(0.9);
    expect(total(f.p50) / total(forecastAuto(full).p50)).toBeLessThan(1.1);
  });

  it('uses the short-history model on the known days when fewer than 14 are known', () => {
    const y = new Float64Array(30).fill(NaN);
    y.set([4, 6, 5], 27);
    const f = forecastAuto(y);
    expect(f.model).toBe('statistical:mean(3)');
    expect(f.p50[0]).toBe(5);
  });

  it('still rejects ±Infinity and negative values', () => {
    expect(() => forecastAuto(Float64Array.from([NaN, 1, Infinity]))).toThrow(/index 2/);
    expect(() => forecastAuto(Float64Array.from([NaN, -1]))).toThrow(InvalidSeriesError);
  });
});

describe('missing days in classification and metrics', () => {
  it('classifies on known days only', () => {
    // Demand every known day: smooth, however many days are missing between them.
    const y = Float64Array.from([3, NaN, NaN, 4, NaN, 3, NaN, NaN, 5, 4]);
    expect(classifyDemand(y)).toBe('smooth');
    const asZeros = y.map((v) => (Number.isNaN(v) ? 0 : v));
    expect(classifyDemand(asZeros)).not.toBe('smooth');
  });

  it('skips pairs with a missing actual', () => {
    const actual = Float64Array.from([2, NaN, 4]);
    const forecast = Float64Array.from([3, 3, 3]);
    expect(mae(actual, forecast)).toBe(1);
    expect(wape(actual, forecast)).toBeCloseTo(2 / 6, 12);
    const q = { p10: forecast, p50: forecast, p90: Float64Array.from([5, 5, 5]) };
    expect(coverage(actual, q)).toBe(0.5);
    const s = scoreForecast(Float64Array.from([1, 2, 1, 2, NaN, 1, 2, 1]), actual, q, 1);
    expect(s.absError).toBe(2);
    expect(s.sumActual).toBe(6);
    expect(Number.isFinite(s.mase)).toBe(true);
  });

  it('scales MASE by known pairs only', () => {
    expect(maseScale(Float64Array.from([1, 3, NaN, 5, 7]), 1)).toBe(2);
  });

  it('backtests every model on series with missing days without a failure', () => {
    const series = [0, 1, 2].map((i) => ({ id: `s${i}`, y: withGaps(seasonal(120, i), NaN, i) }));
    const r = backtest(series, {
      horizon: 7,
      origins: 2,
      models: [...Object.keys(MODELS), 'auto'],
    });
    for (const row of r.byModel) {
      expect(row.failed).toBe(0);
      expect(Number.isFinite(row.meanMase)).toBe(true);
    }
    // arima's stepwise search fits up to 94 models per series and origin (88 s on a loaded machine).
  }, 300_000);
});
