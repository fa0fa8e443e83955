import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { backtest, formatLeaderboard, InvalidOptionError, maseScale } from '../src/index';
import type { SeriesInput } from '../src/index';
import { intermittent, seasonal } from './series';

const DATASETS = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../../shared/datasets',
);
const SUPERSTORE = path.join(DATASETS, 'superstore/subcategory_daily_gold.csv');

describe('backtest', () => {
  const series: SeriesInput[] = [
    { id: 'weekly', y: seasonal(120, 1) },
    { id: 'sparse', y: intermittent(120, 2) },
    { id: 'flat', y: new Float64Array(60).fill(3) },
  ];

  it('scores every origin of every series, skipping (and counting) a zero scale', () => {
    const r = backtest(series, { horizon: 7, origins: 3, models: ['snaive', 'croston'] });
    expect(r.byModel.map((m) => m.model)).toEqual(['snaive', 'croston']);
    for (const m of r.byModel) {
      expect(m.fits).toBe(6);
      expect(m.skipped).toBe(3);
      expect(m.failed).toBe(0);
    }
    expect(r.fits.filter((f) => f.seriesId === 'flat')).toHaveLength(0);
  });

  it('cuts the last h·o days at origin o and scales by the training part', () => {
    const y = seasonal(100, 5);
    const r = backtest([{ id: 'a', y }], { horizon: 7, origins: 2, models: ['snaive'] });
    const fit = r.fits.find((f) => f.origin === 2)!;
    const train = y.subarray(0, 86);
    let ae = 0;
    for (let k = 0; k < 7; k++) ae += Math.abs(train[79 + k] - y[86 + k]);
    expect(fit.absError).toBeCloseTo(ae, 9);
    expect(fit.mase).toBeCloseTo(ae / 7 / maseScale(train, 7), 9);
  });

  it('reports per demand class and what auto chose, and renders a leaderboard', () => {
    const r = backtest(series, { horizon: 7, origins: 2, models: ['snaive', 'auto'] });
    expect(r.byClass.smooth?.[0].fits).toBe(2);
    expect(r.byClass.intermittent?.[0].fits).toBe(2);
    expect(Object.values(r.autoChoices).reduce((a, b) => a + b, 0)).toBe(4);
    const text = formatLeaderboard(r);
    expect(text).toMatch(/snaive\s+4\s+\d\.\d{3}\s+1\.000/);
    expect(text).toContain('Demand class: intermittent');
    expect(text).toContain('auto chose:');
  });

  it('rejects bad options', () => {
    expect(() => backtest(series, { horizon: 0, origins: 1, models: ['snaive'] })).toThrow(
      InvalidOptionError,
    );
    expect(() => backtest(series, { horizon: 7, origins: 1, models: [] })).toThrow(
      /models is empty/,
    );
  });

  it.skipIf(!existsSync(SUPERSTORE))(
    'reproduces the R reference protocol on superstore (snaive 1.821, croston 1.574, within 2 %)',
    () => {
      const lines = readFileSync(SUPERSTORE, 'utf8').trim().split('\n').slice(1);
      const day = (d: string) => Date.parse(`${d}T00:00:00Z`) / 86_400_000;
      const rows = lines.map((l) => l.split(','));
      const first = Math.min(...rows.map((r) => day(r[1])));
      const last = Math.max(...rows.map((r) => day(r[1])));
      const byId = new Map<string, Float64Array>();
      for (const [id, d, v] of rows) {
        if (!byId.has(id)) byId.set(id, new Float64Array(last - first + 1));
        byId.get(id)![day(d) - first] += Number(v);
      }
      const input = [...byId].map(([id, y]) => ({ id, y }));
      const r = backtest(input, { horizon: 7, origins: 4, models: ['snaive', 'croston'] });
      expect(r.byModel[0].fits).toBe(68);
      expect(r.byModel[0].meanMase / 1.821).toBeGreaterThan(0.98);
      expect(r.byModel[0].meanMase / 1.821).toBeLessThan(1.02);
      expect(r.byModel[1].meanMase / 1.574).toBeGreaterThan(0.98);
      expect(r.byModel[1].meanMase / 1.574).toBeLessThan(1.02);
    },
  );
});
