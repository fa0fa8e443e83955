import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '@retail-forecast/util';
import type { BacktestJson } from '../src/types';
import { type JsonLine, dryRunCsv, runLocalCli, useTempDir } from './harness';

const total = (line: JsonLine) => line.daily.reduce((s, d) => s + d.p50, 0);

/**
 * `forecast run|backtest --outliers clean|keep` on a local CSV with --dry-run: the setting reaches
 * forecastAuto (`AutoOptions.cleanOutliers`), so a store closure in the last week of smooth demand
 * drags the week ahead down only with `keep`, and the summaries say which setting made the numbers.
 */
describe('forecast --outliers', () => {
  const tmp = useTempDir('forecast-outliers-');
  let csv: string;
  const START = '2024-09-01';
  const DAYS = 400;

  beforeAll(async () => {
    csv = join(tmp.path, 'gold.csv');
    const rows = ['product_id,category,event_date,daily_sales'];
    for (let t = 0; t < DAYS; t++) {
      const date = addDays(START, t);
      const weekly = 1 + 0.3 * Math.sin((2 * Math.PI * t) / 7);
      // A fixed wobble instead of noise keeps the file deterministic.
      const wobble = 1 + 0.05 * Math.sin(t * 1.7);
      const sales = Math.round(100 * weekly * wobble);
      // CLOSED-1: closed for three days of the last week (the run's forecast sees it);
      // EARLY-1: closed for three days of the week before the backtest's first origin (14 days held out).
      rows.push(`CLOSED-1,Grocery,${date},${t >= DAYS - 5 && t < DAYS - 2 ? 0 : sales}`);
      rows.push(`EARLY-1,Grocery,${date},${t >= DAYS - 19 && t < DAYS - 16 ? 0 : sales}`);
    }
    await writeFile(csv, `${rows.join('\n')}\n`);
  });

  const run = (name: string, extra: string[], env: NodeJS.ProcessEnv = {}) =>
    dryRunCsv(csv, tmp.path, name, extra, env);

  it('cleans by default; --outliers keep or FORECAST_OUTLIERS=keep fits on the closure as it was', async () => {
    const byDefault = await run('default', []);
    const clean = await run('clean', ['--outliers', 'clean']);
    const keep = await run('keep', ['--outliers', 'keep']);
    const keepEnv = await run('keep-env', [], { FORECAST_OUTLIERS: 'keep' });
    const closed = (r: { byId: Map<string, JsonLine> }) => r.byId.get('CLOSED-1') as JsonLine;

    expect(closed(clean).daily).toEqual(closed(byDefault).daily);
    expect(closed(keepEnv).daily).toEqual(closed(keep).daily);
    // Fitted on the closure, the week ahead is forecast lower than with the closure replaced.
    expect(total(closed(keep))).toBeLessThan(0.95 * total(closed(clean)));

    expect(byDefault.summary.engine.outliers).toBe('clean');
    expect(clean.summary.engine.outliers).toBe('clean');
    expect(keep.summary.engine.outliers).toBe('keep');
    expect(keepEnv.summary.engine.outliers).toBe('keep');
    const text = await runLocalCli(['run', '--dry-run', '--source', csv, '--outliers', 'keep']);
    expect(text.stdout).toMatch(
      /engine\s+global model off, combination top3, outliers keep, level shifts follow, weekday profile catalogue, no/,
    );
  }, 60_000);

  it('says per product which days were replaced, and per run how many', async () => {
    const clean = await run('said', []);
    const closed = clean.byId.get('CLOSED-1') as JsonLine;
    const closure = [DAYS - 5, DAYS - 4, DAYS - 3].map((t) => addDays(START, t));
    const recent = closed.outliers?.recent ?? [];
    expect(recent.filter((d) => closure.includes(d.date))).toEqual(
      closure.map((date) => ({ date, value: 0, replacement: expect.any(Number) })),
    );
    // Each closed day is fitted as its weekday's usual sales (100 × 0.7–1.3), to 2 decimals.
    for (const d of recent.filter((x) => closure.includes(x.date))) {
      expect(d.replacement).toBeGreaterThan(60);
      expect(d.replacement).toBeLessThan(140);
      expect(Math.round(d.replacement * 100) / 100).toBe(d.replacement);
    }
    expect(recent.length).toBeLessThanOrEqual(5);
    const early = clean.byId.get('EARLY-1') as JsonLine;
    expect(early.outliers?.recent.map((d) => d.date)).toEqual(
      expect.arrayContaining([DAYS - 19, DAYS - 18, DAYS - 17].map((t) => addDays(START, t))),
    );
    const days = (closed.outliers?.count ?? 0) + (early.outliers?.count ?? 0);
    expect(clean.summary.outliers).toEqual({ daysReplaced: days, products: 2 });
    const text = await runLocalCli(['run', '--dry-run', '--source', csv]);
    expect(text.stdout).toContain(
      `outliers        ${days} days replaced in 2 of 2 products (clean)`,
    );

    const keep = await run('kept', ['--outliers', 'keep']);
    expect([...keep.byId.values()].some((l) => 'outliers' in l)).toBe(false);
    expect(keep.summary.outliers).toEqual({ daysReplaced: 0, products: 0 });
    const kept = await runLocalCli(['run', '--dry-run', '--source', csv, '--outliers', 'keep']);
    expect(kept.stdout).toContain('outliers        kept: every day fitted as it was');
  }, 60_000);

  it('backtests auto with the setting given, as run fits it', async () => {
    const args = ['backtest', '--source', csv, '--models', 'auto', '--origins', '2', '--json'];
    const backtest = async (extra: string[]) => {
      const r = await runLocalCli([...args, ...extra]);
      expect(r.code, r.stderr).toBe(0);
      return JSON.parse(r.stdout) as BacktestJson;
    };
    const byDefault = await backtest([]);
    const keep = await backtest(['--outliers', 'keep']);
    expect(byDefault.engine.outliers).toBe('clean');
    expect(keep.engine.outliers).toBe('keep');
    // Scores, not fit times.
    const scores = (r: BacktestJson) => r.byModel.map((m) => [m.model, m.wape, m.wql, m.meanMase]);
    expect(scores(await backtest(['--outliers', 'clean']))).toEqual(scores(byDefault));
    // EARLY-1's closure is in the week before the first origin: auto's scores differ.
    expect(scores(keep)).not.toEqual(scores(byDefault));
    const text = await runLocalCli(args.filter((a) => a !== '--json'));
    expect(text.stdout).toMatch(
      /auto's engine: .*combination top3, outliers clean, level shifts follow, weekday profile catalogue, no holidays/,
    );
  }, 60_000);

  it.each([
    { name: 'run', command: ['run', '--dry-run'] },
    { name: 'backtest', command: ['backtest'] },
  ])(
    '$name rejects another setting with exit 2, naming the option and the settings allowed',
    async ({ command }) => {
      const bad = await runLocalCli([...command, '--source', csv, '--outliers', 'drop']);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toMatch(/--outliers.*'drop'.*Allowed choices are clean, keep/);
      const env = await runLocalCli([...command, '--source', csv], { FORECAST_OUTLIERS: 'none' });
      expect(env.code).toBe(2);
      expect(env.stderr).toContain(
        'FORECAST_OUTLIERS "none" is not valid (expected clean or keep)',
      );
    },
  );
});
