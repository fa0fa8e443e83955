import { describe, expect, it } from 'vitest';
import {
  backtest,
  backtestExternal,
  backtestOrigins,
  forecastAuto,
  formatLeaderboard,
  InvalidOptionError,
  maseScale,
  scoreForecast,
} from '../src/index';
import type {
  BacktestOrigin,
  BacktestSummary,
  ExternalForecast,
  ExternalModel,
  SeriesInput,
} from '../src/index';
import { intermittent, seasonal } from './series';

const series: SeriesInput[] = [
  { id: 'weekly', y: seasonal(120, 1) },
  { id: 'weekly-2', y: seasonal(100, 7, 20) },
  { id: 'sparse', y: intermittent(120, 2) },
  { id: 'flat', y: new Float64Array(60).fill(3) },
  { id: 'short', y: Float64Array.from([1, 2, 3, 4, 5, 6, 7, 8]) },
];

/** An external model that answers with `forecastAuto`, i.e. what `backtest`'s `auto` runs. */
function autoAsExternal(name: string, seen: BacktestOrigin[] = []): ExternalModel {
  return {
    name,
    forecast(origin) {
      seen.push(origin);
      const out = new Map<string, ExternalForecast>();
      for (const t of origin.trains) out.set(t.id, forecastAuto(t.y, { horizon: 7 }));
      return out;
    },
  };
}

/** A summary without its timing, which differs run to run. */
const scores = (s: BacktestSummary) => {
  const { meanFitMs, model, fallbacks, ...rest } = s;
  void meanFitMs;
  void model;
  void fallbacks;
  return rest;
};

describe('scoreForecast', () => {
  it('scores a forecast by hand-computed MASE, errors, quantile loss and coverage', () => {
    const train = Float64Array.from([1, 3, 1, 3, 1, 3]);
    const actual = Float64Array.from([2, 4]);
    const q = {
      p10: Float64Array.from([1, 1]),
      p50: Float64Array.from([3, 3]),
      p90: Float64Array.from([5, 3.5]),
    };
    const s = scoreForecast(train, actual, q, 2);
    // period 2 has a zero seasonal scale, so the naive scale (mean |diff| = 2) is used.
    expect(maseScale(train, 2)).toBe(2);
    expect(s.absError).toBe(2);
    expect(s.error).toBe(0);
    expect(s.sumActual).toBe(6);
    expect(s.mase).toBeCloseTo(2 / 2 / 2, 12);
    expect(s.coverage).toBe(0.5);
    // 4 > 3.5 is above P90; 2 lies inside [1, 5]
    expect([s.above, s.below]).toEqual([0.5, 0]);
    // 2·pinball: p10 0.2·(1 + 3) + p50 (1 + 1) + p90 (0.2·3 + 1.8·0.5)
    expect(s.quantileLoss).toBeCloseTo(0.8 + 2 + 1.5, 9);
  });

  it('gives NaN MASE for a flat training part', () => {
    const q = { p10: Float64Array.of(1), p50: Float64Array.of(1), p90: Float64Array.of(1) };
    expect(scoreForecast(new Float64Array(10).fill(4), Float64Array.of(2), q).mase).toBeNaN();
  });
});

describe('backtestOrigins', () => {
  it('cuts horizon·o days at origin o and leaves out the series backtest skips there', () => {
    const origins = backtestOrigins(series, { horizon: 7, origins: 2 });
    expect(origins.map((o) => [o.origin, o.holdoutDays])).toEqual([
      [1, 7],
      [2, 14],
    ]);
    expect(origins[0].trains.map((t) => t.id)).toEqual(['weekly', 'weekly-2', 'sparse']);
    expect(origins[1].trains.find((t) => t.id === 'weekly')!.y).toEqual(
      series[0].y.subarray(0, 106),
    );
  });
});

describe('backtestExternal', () => {
  it('scores an external model exactly like backtest scores the same forecasts', async () => {
    const reference = backtest(series, { horizon: 7, origins: 3, models: ['snaive', 'auto'] });
    const seen: BacktestOrigin[] = [];
    const report = await backtestExternal(series, {
      horizon: 7,
      origins: 3,
      models: ['snaive', autoAsExternal('remote', seen)],
    });
    expect(report.byModel.map((m) => m.model)).toEqual(['snaive', 'remote']);
    expect(scores(report.byModel[0])).toEqual(scores(reference.byModel[0]));
    expect(scores(report.byModel[1])).toEqual(scores(reference.byModel[1]));
    expect(report.byModel[1].fits).toBe(9);
    expect(report.byModel[1].skipped).toBe(reference.byModel[1].skipped);
    // A model without a fallback has no fallback count, as a registry model has none.
    expect(report.byModel[1].fallbacks).toBeUndefined();
    expect(reference.byModel[1].fallbacks).toBeUndefined();
    expect(report.fits.some((f) => 'fallback' in f)).toBe(false);
    expect(formatLeaderboard(report)).not.toContain('fallback');
    for (const cls of Object.keys(reference.byClass) as (keyof typeof reference.byClass)[]) {
      expect(report.byClass[cls]!.map(scores)).toEqual(reference.byClass[cls]!.map(scores));
    }
    for (const f of reference.fits.filter((x) => x.model === 'auto')) {
      const g = report.fits.find(
        (x) => x.model === 'remote' && x.seriesId === f.seriesId && x.origin === f.origin,
      )!;
      expect(g.mase).toBe(f.mase);
      expect(g.quantileLoss).toBe(f.quantileLoss);
      expect(g.chosen).toBe('remote');
    }
    // One call per origin, in order, each with every scorable series.
    expect(seen.map((o) => [o.origin, o.trains.length])).toEqual([
      [1, 3],
      [2, 3],
      [3, 3],
    ]);
  });

  it('counts fallbacks, keeps what produced them and shows them in the leaderboard', async () => {
    const model: ExternalModel = {
      name: 'bedrock:test',
      hasFallback: true,
      async forecast(origin) {
        const out = new Map<string, ExternalForecast>();
        for (const t of origin.trains) {
          const f = forecastAuto(t.y, { horizon: 7 });
          out.set(t.id, t.id === 'sparse' ? { ...f, chosen: f.model, fallback: true } : { ...f });
        }
        return out;
      },
    };
    const report = await backtestExternal(series, {
      horizon: 7,
      origins: 2,
      models: ['snaive', model],
    });
    const row = report.byModel[1];
    expect(row.fits).toBe(6);
    expect(row.fallbacks).toBe(2);
    expect(report.byClass.intermittent?.[1].fallbacks).toBe(2);
    expect(report.byClass.smooth?.[1].fallbacks).toBe(0);
    const sparse = report.fits.filter((f) => f.model === 'bedrock:test' && f.fallback);
    expect(sparse.map((f) => f.seriesId)).toEqual(['sparse', 'sparse']);
    expect(sparse[0].chosen).toMatch(/^statistical:/);
    const text = formatLeaderboard(report);
    expect(text).toMatch(/fallback\n/);
    expect(text).toMatch(/bedrock:test\s+6\s.*\s2\n/);
    expect(text).toMatch(/snaive\s+6\s.*\s-\n/);
    // Beside it, a model without a fallback prints `-` there too: the count does not apply.
    const both = await backtestExternal(series, {
      horizon: 7,
      origins: 2,
      models: ['snaive', model, autoAsExternal('auto-ext')],
    });
    expect(both.byModel[1].fallbacks).toBe(2);
    expect(both.byModel[2].fallbacks).toBeUndefined();
    expect(formatLeaderboard(both)).toMatch(/auto-ext\s+6\s.*\s-\n/);
  });

  it('refuses an answer marked fallback from a model that has no fallback, naming both', async () => {
    const model: ExternalModel = {
      name: 'undeclared',
      forecast(origin) {
        const out = new Map<string, ExternalForecast>();
        for (const t of origin.trains) out.set(t.id, { ...forecastAuto(t.y), fallback: true });
        return out;
      },
    };
    const run = backtestExternal(series, { horizon: 7, origins: 1, models: [model] });
    await expect(run).rejects.toThrow(InvalidOptionError);
    await expect(
      backtestExternal(series, { horizon: 7, origins: 1, models: [model] }),
    ).rejects.toThrow(
      'external model "undeclared" answered weekly with a fallback but has no hasFallback',
    );
  });

  it('counts a missing, short or non-finite answer as a failed fit', async () => {
    const model: ExternalModel = {
      name: 'flaky',
      forecast(origin) {
        const out = new Map<string, ExternalForecast>();
        const good = forecastAuto(origin.trains[0].y, { horizon: 7 });
        // weekly: short answer at origin 1, NaN at origin 2; weekly-2 fine; sparse missing.
        out.set(
          'weekly',
          origin.origin === 1
            ? { p10: [1], p50: [1], p90: [1] }
            : { ...good, p50: Array(7).fill(NaN) },
        );
        out.set('weekly-2', good);
        return out;
      },
    };
    const report = await backtestExternal(series, { horizon: 7, origins: 2, models: [model] });
    expect(report.byModel[0]).toMatchObject({ fits: 2, failed: 4, skipped: 4 });
  });

  it('lets an external model error abort the backtest', async () => {
    const model: ExternalModel = {
      name: 'denied',
      forecast: async () => {
        throw new Error('access denied');
      },
    };
    await expect(
      backtestExternal(series, { horizon: 7, origins: 1, models: ['naive', model] }),
    ).rejects.toThrow('access denied');
  });

  it('rejects bad options', async () => {
    await expect(
      backtestExternal(series, {
        horizon: 7,
        origins: 1,
        models: [autoAsExternal('x'), autoAsExternal('x')],
      }),
    ).rejects.toThrow(/model "x" is listed twice/);
    await expect(
      backtestExternal(series, { horizon: 7, origins: 0, models: ['naive'] }),
    ).rejects.toThrow(InvalidOptionError);
  });
});
