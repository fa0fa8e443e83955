import { describe, expect, it } from 'vitest';
import {
  backtest,
  backtestExternal,
  forecastAuto,
  InvalidOptionError,
  mergeBacktestReports,
} from '../src/index';
import type { BacktestReport, ExternalForecast, ExternalModel, SeriesInput } from '../src/index';
import { intermittent, seasonal } from './series';

/** A report without its fit times (the only figures a merge cannot reproduce). */
function timeless(r: BacktestReport) {
  const rows = (xs: BacktestReport['byModel']) => xs.map(({ meanFitMs: _, ...row }) => row);
  return {
    ...r,
    byModel: rows(r.byModel),
    byClass: Object.fromEntries(Object.entries(r.byClass).map(([c, xs]) => [c, rows(xs ?? [])])),
    fits: r.fits.map(({ fitMs: _, ...f }) => f),
  };
}

const weekly = (id: string, level: number, days = 60): SeriesInput => ({
  id,
  y: Float64Array.from({ length: days }, (_, t) => level + (t % 7) * 3 + ((t * 7919) % 5)),
});
const options = { horizon: 7, origins: 4, models: ['snaive', 'naive', 'ets', 'croston'] };
const a: SeriesInput[] = [
  weekly('a1', 10),
  weekly('a2', 40),
  weekly('a3', 25, 45),
  { id: 'flat', y: new Float64Array(60).fill(3) },
  { id: 'sparse-a', y: intermittent(90, 5) },
];
const b: SeriesInput[] = [
  weekly('b1', 100, 50),
  { id: 'b2', y: seasonal(80, 4, 7) },
  { id: 'sparse-b', y: intermittent(90, 9, 0.3) },
];

describe('mergeBacktestReports', () => {
  it('equals one backtest over all the series, fit for fit and row for row, for per-series models', () => {
    const merged = mergeBacktestReports([backtest(a, options), backtest(b, options)]);
    const whole = backtest([...a, ...b], options);
    expect(timeless(merged)).toEqual(timeless(whole));
    expect(Object.keys(merged.byClass).length).toBeGreaterThan(1);
    // The flat series cannot be scored (MASE scale 0): its skips are added, not lost.
    expect(merged.byModel[0]).toMatchObject({ model: 'snaive', skipped: 4 });
    expect(merged.series).toBe(8);
  });

  it('weights mean MASE and coverage by fits, not by report; pools WAPE over the actuals', () => {
    const r1 = backtest(a, options);
    const r2 = backtest(b, options);
    const [x, y, m] = [r1, r2, mergeBacktestReports([r1, r2])].map((r) => r.byModel[2]);
    const byFits = (v: (s: typeof x) => number) =>
      (v(x) * x.fits + v(y) * y.fits) / (x.fits + y.fits);
    expect(m.fits).toBe(x.fits + y.fits);
    expect(m.meanMase).toBeCloseTo(
      byFits((s) => s.meanMase),
      12,
    );
    expect(m.coverage).toBeCloseTo(
      byFits((s) => s.coverage),
      12,
    );
    expect(m.meanMase).not.toBeCloseTo((x.meanMase + y.meanMase) / 2, 6);
    const actual = (r: BacktestReport) =>
      r.fits.filter((f) => f.model === 'ets').reduce((s, f) => s + f.sumActual, 0);
    expect(m.wape).toBeCloseTo(
      (x.wape * actual(r1) + y.wape * actual(r2)) / (actual(r1) + actual(r2)),
      12,
    );
  });

  it("adds auto's choices and the series", () => {
    const auto = { horizon: 7, origins: 1, models: ['auto'] };
    const merged = mergeBacktestReports([backtest(a, auto), backtest(b, auto)]);
    expect(Object.values(merged.autoChoices).reduce((x, y) => x + y, 0)).toBe(7);
    expect(merged.series).toBe(8);
  });

  it('counts the fallbacks of an external model over the merged fits, per row and class', async () => {
    const remote: ExternalModel = {
      name: 'remote',
      hasFallback: true,
      async forecast(origin) {
        const out = new Map<string, ExternalForecast>();
        for (const t of origin.trains) {
          const f = forecastAuto(t.y, { horizon: 7 });
          out.set(t.id, { ...f, chosen: f.model, fallback: t.id.startsWith('sparse') });
        }
        return out;
      },
    };
    const external = { horizon: 7, origins: 2, models: ['snaive', remote] };
    const r1 = await backtestExternal(a, external);
    const r2 = await backtestExternal(b, external);
    const merged = mergeBacktestReports([r1, r2]);
    expect(merged.byModel[1].fallbacks).toBe(4);
    expect(merged.byModel[1].fallbacks).toBe(
      (r1.byModel[1].fallbacks as number) + (r2.byModel[1].fallbacks as number),
    );
    expect(merged.byModel[0].fallbacks).toBeUndefined();
    // One backtest lists all statistical fits before the external ones; per model the order and
    // so every row's figures are the same.
    const whole = await backtestExternal([...a, ...b], external);
    const byModel = (r: BacktestReport) => ({
      ...timeless(r),
      fits: timeless(r).fits.sort((x, y) => x.model.localeCompare(y.model)),
    });
    expect(byModel(merged)).toEqual(byModel(whole));
  });

  it('refuses no reports and reports of different protocols, naming both', () => {
    expect(() => mergeBacktestReports([])).toThrow(InvalidOptionError);
    expect(() => mergeBacktestReports([])).toThrow('no backtest reports to merge');
    expect(() =>
      mergeBacktestReports([backtest(a, options), backtest(b, { ...options, origins: 2 })]),
    ).toThrow(
      'backtest report 2 has h = 7, 2 origins, models snaive,naive,ets,croston (expected those of report 1: h = 7, 4 origins, models snaive,naive,ets,croston)',
    );
    expect(() =>
      mergeBacktestReports([
        backtest(a, options),
        backtest(b, { ...options, models: ['naive', 'snaive', 'ets', 'croston'] }),
      ]),
    ).toThrow('models naive,snaive,ets,croston (expected');
  });
});
