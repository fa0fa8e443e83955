import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  backtest,
  formatLeaderboard,
  getModel,
  InvalidOptionError,
  maseScale,
  modelFamily,
} from '../src/index';
import type { BacktestReport } from '../src/index';
import type { SeriesInput } from '../src/index';
import { forecastMany } from '../src/runtime/index';
import { intermittent, mulberry32, seasonal } from './series';

const DATASETS = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../../shared/datasets',
);
const SUPERSTORE = path.join(DATASETS, 'superstore/subcategory_daily_gold.csv');

/** Noisy weekly series at different levels whose demand triples on a recurring promotion day. */
function promoted(count: number, days: number, promo: (t: number) => boolean): SeriesInput[] {
  const r = mulberry32(3);
  return Array.from({ length: count }, (_, i) => {
    const level = 4 + 6 * r();
    const y = new Float64Array(days);
    for (let t = 0; t < days; t++) {
      const mean = (level + 3 * r()) * (1 + 0.3 * Math.sin((2 * Math.PI * t) / 7));
      y[t] = Math.round(mean * (promo(t) ? 3 : 1));
    }
    return { id: `P${i}`, y };
  });
}

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

  it('names combinations by their registry names: combo-eat is not combo', () => {
    const y = seasonal(120, 4);
    const eat = getModel('combo-eat').fit(y).name;
    const combo = getModel('combo').fit(y).name;
    expect(modelFamily(eat)).toBe('combo-eat');
    expect(modelFamily(combo)).toBe('combo');
    expect(modelFamily('combo(ets,theta)')).toBe('combo(ets,theta)');
    expect(modelFamily('ets(M,Ad,M)')).toBe('ets');
    const report = {
      horizon: 7,
      origins: 1,
      series: 3,
      byModel: [],
      byClass: {},
      fits: [],
      autoChoices: { [eat]: 2, [`top2(${eat},theta)`]: 1, [`top2(theta,${combo})`]: 1 },
    } as unknown as BacktestReport;
    const line = formatLeaderboard(report).split('\n').at(-1);
    expect(line).toBe('auto chose: combo-eat ×2, top2{combo-eat,theta} ×1, top2{combo,theta} ×1');
  });

  it("gives auto each training part's context (cut to its length) when contextAt is set", () => {
    const promo = (t: number) => t % 10 === 3;
    const input = promoted(3, 120, promo);
    const seen: [string, number][] = [];
    const contextAt = (id: string, length: number) => {
      seen.push([id, length]);
      const column = new Float64Array(length + 7);
      for (let t = 0; t < column.length; t++) column[t] = promo(t) ? 1 : 0;
      return { regressors: { names: ['event:promo'], columns: [column] } };
    };
    const options = { horizon: 7, origins: 2, models: ['auto'] };
    const plain = backtest(input, options);
    const withContext = backtest(input, { ...options, contextAt });
    expect(seen).toHaveLength(6);
    expect(seen).toContainEqual(['P0', 113]);
    expect(seen).toContainEqual(['P2', 106]);
    const dhr = (r: typeof plain) => r.fits.filter((f) => f.chosen.includes('dhr(')).length;
    expect(dhr(plain)).toBe(0);
    expect(dhr(withContext)).toBeGreaterThan(0);
    expect(withContext.byModel[0].meanMase).toBeLessThan(plain.byModel[0].meanMase);
  });

  it('enters the global model into auto at each origin as forecastMany does in a run', async () => {
    const input = promoted(12, 90, () => false).map((s, i) => ({
      ...s,
      y: s.y.map((v, t) => (t % 7 === i % 7 ? 0 : v)),
    }));
    const r = backtest(input, { horizon: 7, origins: 2, models: ['auto'], globalModel: true });
    expect(Object.keys(r.autoChoices).some((m) => m.includes('global'))).toBe(true);
    const plain = backtest(input, { horizon: 7, origins: 2, models: ['auto'] });
    expect(Object.keys(plain.autoChoices).some((m) => m.includes('global'))).toBe(false);
    // Origin 2: the run that forecast from 14 days before the end.
    const run = await forecastMany(
      input.map((s) => ({ id: s.id, y: s.y.subarray(0, 76) })),
      { horizon: 7, globalModel: true },
    );
    for (const s of input) {
      const fit = r.fits.find((f) => f.seriesId === s.id && f.origin === 2)!;
      const p50 = run.get(s.id)!.p50;
      let ae = 0;
      for (let k = 0; k < 7; k++) ae += Math.abs(p50[k] - s.y[76 + k]);
      expect(fit.absError).toBeCloseTo(ae, 9);
    }
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
