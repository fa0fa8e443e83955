import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '@retail-forecast/util';
import type { BacktestJson } from '../src/types';
import { runLocalCli, useTempDir } from './harness';

/**
 * `forecast backtest` loads the data as `run` does: the same rejected-row budget
 * (`--max-bad-rows`), duplicate policy (`--on-duplicate`) and time zone (`--timezone`), and the
 * products the loader leaves out are named and make the exit code 1 instead of vanishing from the
 * leaderboard.
 */
describe('forecast backtest: loading as run does', () => {
  const tmp = useTempDir('forecast-backtest-loading-');
  let csv: string;
  const DAYS = 120;

  beforeAll(async () => {
    csv = join(tmp.path, 'gold.csv');
    const rows = ['product_id,event_date,daily_sales'];
    for (let t = 0; t < DAYS; t++) {
      const date = addDays('2025-01-01', t);
      const sales = 10 + (t % 7) + (t % 3);
      rows.push(`A,${date},${sales}`);
      // B: 12 days unreadable; with E's 2 rows, 14 of the file's 483 rows are rejected (2.9 %).
      rows.push(`B,${date},${t >= 40 && t < 52 ? 'n/a' : sales}`);
      rows.push(`C,${date},${sales + 1}`);
      rows.push(`D,${date},${sales + 2}`);
    }
    // C: a second, conflicting row for one day.
    rows.push(`C,${addDays('2025-01-01', 10)},99`);
    // E: not one readable row.
    rows.push('E,2025-01-01,lots', 'E,2025-01-02,lots');
    await writeFile(csv, `${rows.join('\n')}\n`);
  });

  const args = () => ['backtest', '--source', csv, '--models', 'snaive', '--origins', '2'];

  it('stops past --max-bad-rows with exit 2, as run does, and takes a budget that holds', async () => {
    const byDefault = await runLocalCli(args());
    expect(byDefault.code).toBe(2);
    expect(byDefault.stderr).toContain('14 of 483 rows were rejected');
    expect(byDefault.stderr).toContain('bad-row budget of 1%');
    const run = await runLocalCli(['run', '--dry-run', '--source', csv]);
    expect(run.code).toBe(2);
    const env = await runLocalCli(args(), { FORECAST_MAX_BAD_ROWS: '20' });
    expect(env.code, env.stderr).toBe(1);
    const bad = await runLocalCli([...args(), '--max-bad-rows', 'some']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--max-bad-rows');
  });

  it('names the products the loader left out, keeps them out of the figures and exits 1', async () => {
    const r = await runLocalCli([...args(), '--max-bad-rows', '5%', '--json']);
    expect(r.code, r.stderr).toBe(1);
    const report = JSON.parse(r.stdout) as BacktestJson;
    expect(report.series).toBe(4);
    expect(report.leftOut.map((f) => f.productId)).toEqual(['E']);
    expect(r.stderr).toMatch(/product E was left out of the backtest: every row of E was rejected/);
    const text = await runLocalCli([...args(), '--max-bad-rows', '5%']);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain('left out: 1 product(s) the loader could not use');
  });

  it('applies --on-duplicate: error fails the conflicting product, sum adds the rows', async () => {
    const strict = await runLocalCli([
      ...args(),
      '--max-bad-rows',
      '5%',
      '--on-duplicate',
      'error',
      '--json',
    ]);
    expect(strict.code).toBe(1);
    const failed = JSON.parse(strict.stdout) as BacktestJson;
    expect(failed.leftOut.map((f) => f.productId)).toEqual(['C', 'E']);
    expect(failed.series).toBe(3);
    const sum = await runLocalCli([...args(), '--max-bad-rows', '5%', '--on-duplicate', 'sum']);
    const max = await runLocalCli([...args(), '--max-bad-rows', '5%']);
    // The day of C's duplicate is in the history, not held out: snaive's scale differs.
    expect(sum.stdout).not.toEqual(max.stdout);
    const wrong = await runLocalCli([...args(), '--on-duplicate', 'first']);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/--on-duplicate.*'first'/);
  });

  it('reads bare UTC instants in the --timezone given, as run does', async () => {
    // Sales stamped 23:30 UTC every other day: the next day in Tokyo, where they meet the
    // following day's noon sale (the larger kept), the same day in UTC.
    const instants = join(tmp.path, 'instants.csv');
    const rows = ['product_id,event_date,daily_sales'];
    for (let t = 0; t < DAYS; t++)
      rows.push(
        `T,${addDays('2025-01-01', t)}T${t % 2 === 0 ? '23:30' : '12:00'}:00Z,${5 + (t % 5) * 3}`,
      );
    await writeFile(instants, `${rows.join('\n')}\n`);
    const at = (zone: string) =>
      runLocalCli([
        'backtest',
        '--source',
        instants,
        '--models',
        'snaive',
        '--json',
        '--timezone',
        zone,
      ]);
    const utc = await at('UTC');
    const tokyo = await at('Asia/Tokyo');
    expect(utc.code, utc.stderr).toBe(0);
    expect(tokyo.code, tokyo.stderr).toBe(0);
    const wape = (r: { stdout: string }) => (JSON.parse(r.stdout) as BacktestJson).byModel[0].wape;
    expect(wape(tokyo)).not.toBe(wape(utc));
    const bad = await runLocalCli([...args(), '--timezone', 'Mars/Olympus']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('Mars/Olympus');
  });
});
