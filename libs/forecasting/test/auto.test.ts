import { describe, expect, it, vi } from 'vitest';
import {
  backtest,
  forecastAuto,
  inactiveDays,
  InvalidOptionError,
  InvalidSeriesError,
  MODELS,
  UnknownModelError,
} from '../src/index';
import { intermittent, seasonal } from './series';

describe('forecastAuto', () => {
  it('rejects infinite and negative demand, naming the index and value', () => {
    expect(() => forecastAuto(Float64Array.from([1, Infinity]))).toThrow(InvalidSeriesError);
    expect(() => forecastAuto(Float64Array.from([1, -Infinity]))).toThrow(/-Infinity at index 1/);
    expect(() => forecastAuto(Float64Array.from([1, 2, -3]))).toThrow(/value -3 at index 2/);
  });

  it('rejects a series whose days are all missing (NaN), saying so', () => {
    expect(() => forecastAuto(new Float64Array(5).fill(NaN))).toThrow(InvalidSeriesError);
    expect(() => forecastAuto(new Float64Array(5).fill(NaN))).toThrow(/all 5 days are missing/);
  });

  it('forecasts zeros for an empty series (a product with no history yet), as documented', () => {
    const f = forecastAuto(new Float64Array(0), { horizon: 3 });
    expect(f.model).toBe('statistical:zero');
    expect([...f.p10, ...f.p50, ...f.p90]).toEqual(new Array(9).fill(0));
  });

  it('rejects bad options', () => {
    const y = seasonal(60);
    expect(() => forecastAuto(y, { horizon: 0 })).toThrow(InvalidOptionError);
    expect(() => forecastAuto(y, { combineTop: 1.5 })).toThrow(/combineTop 1.5/);
    expect(() => forecastAuto(y, { candidates: ['prophet'] })).toThrow(UnknownModelError);
  });

  it('uses the mean of a short history', () => {
    const f = forecastAuto(Float64Array.from([2, 4, 6]), { horizon: 3 });
    expect(f.model).toBe('statistical:mean(3)');
    expect(Array.from(f.p50)).toEqual([4, 4, 4]);
  });

  it('ignores the days before the first sale', () => {
    const y = new Float64Array(400);
    y.set([3, 5, 4], 397);
    expect(forecastAuto(y).model).toBe('statistical:mean(3)');
  });

  it('classifies demand and names the pooled models', () => {
    const smooth = forecastAuto(seasonal(200, 3));
    expect(smooth.demandClass).toBe('smooth');
    expect(smooth.model).toMatch(/^statistical:top3\(/);
    const sparse = forecastAuto(intermittent(300, 4));
    expect(sparse.demandClass).toBe('intermittent');
  });

  it('with combineTop 1 returns a single selected candidate', () => {
    const f = forecastAuto(seasonal(200, 3), { combineTop: 1, candidates: ['snaive', 'mean'] });
    // A strong weekly profile: seasonal naive beats the flat mean in validation.
    expect(f.model).toBe('statistical:snaive');
  });

  it('uses the given combination syntax', () => {
    const f = forecastAuto(seasonal(200, 3), { candidates: ['mean-combo(snaive,naive)'] });
    expect(f.model).toBe('statistical:mean-combo(snaive,naive)');
  });

  it('beats seasonal naive on noisy weekly-seasonal series (backtest)', () => {
    const series = Array.from({ length: 8 }, (_, i) => ({ id: `s${i}`, y: seasonal(200, 30 + i) }));
    const r = backtest(series, { horizon: 7, origins: 2, models: ['snaive', 'auto'] });
    expect(r.byModel[1].meanMase).toBeLessThan(r.byModel[0].meanMase);
  });
});

describe('forecastAuto and a failing candidate', () => {
  const y = Float64Array.from({ length: 120 }, (_, i) => 10 + (i % 7));

  it('drops a candidate that says it cannot fit (ForecastingError) and still forecasts', () => {
    const spy = vi.spyOn(MODELS.snaive, 'fit').mockImplementation(() => {
      throw new InvalidSeriesError('cannot fit this series');
    });
    try {
      const f = forecastAuto(y);
      expect(f.model).not.toMatch(/snaive/);
      expect(Array.from(f.p50).every(Number.isFinite)).toBe(true);
    } finally {
      spy.mockRestore();
    }
  });

  it('does not hide a bug in a candidate model', () => {
    const spy = vi.spyOn(MODELS.snaive, 'fit').mockImplementation(() => {
      throw new TypeError('undefined is not a function');
    });
    try {
      expect(() => forecastAuto(y)).toThrow(TypeError);
    } finally {
      spy.mockRestore();
    }
  });
});

describe('a product that stopped selling', () => {
  /** 300 days of weekly demand around 50, then `idle` days without a sale. */
  const stopped = (idle: number) =>
    Float64Array.from({ length: 300 + idle }, (_, i) => (i < 300 ? 40 + 4 * (i % 7) : 0));

  it('is inactive after 28 days without a sale when it used to sell daily', () => {
    expect(inactiveDays(stopped(56))).toBe(56);
    expect(inactiveDays(stopped(27))).toBe(0);
    const f = forecastAuto(stopped(56));
    expect(f.model).toBe('statistical:inactive(56d)');
    // No sale in 56 days: P(a sale tomorrow) ≈ 1/112, so no demand even at P90 — not the
    // fitted models' interval from the demand that is gone (tens of units a day).
    expect(Array.from(f.p90)).toEqual([0, 0, 0, 0, 0, 0, 0]);
  });

  it('is not inactive when its usual gaps are long (sporadic demand)', () => {
    // A sale every 20 days (gaps of 19), the last on day 340, then 40 quiet days: under 3 × 19.
    const sporadic = Float64Array.from({ length: 381 }, (_, i) =>
      i <= 340 && i % 20 === 0 ? 5 : 0,
    );
    expect(inactiveDays(sporadic)).toBe(0);
    expect(forecastAuto(sporadic).model).not.toMatch(/inactive/);
  });

  it('does not count unknown (NaN) days as days without a sale', () => {
    const y = stopped(40);
    for (let i = 300; i < 330; i++) y[i] = Number.NaN;
    expect(inactiveDays(y)).toBe(0);
  });
});
