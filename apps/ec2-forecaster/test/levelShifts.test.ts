import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '@retail-forecast/util';
import type { BacktestJson } from '../src/types';
import { type JsonLine, dryRunCsv, runLocalCli, useTempDir } from './harness';

/** Whole days from `a` to `b` (YYYY-MM-DD). */
const daysBetween = (a: string, b: string) => (Date.parse(b) - Date.parse(a)) / 86_400_000;

/**
 * `forecast run|backtest --level-shifts follow|ignore` on a local CSV with --dry-run: the setting
 * reaches forecastAuto (`AutoOptions.levelShifts`), so a product whose sales fell from ~50 to ~5 a
 * day four weeks ago is forecast at its new level only with `follow`, and the summaries say which
 * setting made the numbers and how many products were fitted after a shift.
 */
describe('forecast --level-shifts', () => {
  const tmp = useTempDir('forecast-level-shifts-');
  let csv: string;
  const START = '2025-01-01';
  const DAYS = 200;
  /** The first day at the new level: 28 days before the end of the history. */
  const SHIFT = addDays(START, DAYS - 28);

  beforeAll(async () => {
    csv = join(tmp.path, 'gold.csv');
    const rows = ['product_id,category,event_date,daily_sales'];
    for (let t = 0; t < DAYS; t++) {
      const date = addDays(START, t);
      const weekly = 1 + 0.2 * Math.sin((2 * Math.PI * t) / 7);
      // A fixed wobble instead of noise keeps the file deterministic.
      const wobble = 1 + 0.1 * Math.sin(t * 1.7);
      const level = t >= DAYS - 28 ? 5 : 50;
      rows.push(`FELL-1,Grocery,${date},${Math.round(level * weekly * wobble)}`);
      rows.push(`STEADY-1,Grocery,${date},${Math.round(50 * weekly * wobble)}`);
    }
    await writeFile(csv, `${rows.join('\n')}\n`);
  });

  const run = (name: string, extra: string[], env: NodeJS.ProcessEnv = {}) =>
    dryRunCsv(csv, tmp.path, name, extra, env);

  const fell = (r: { byId: Map<string, JsonLine> }) => r.byId.get('FELL-1') as JsonLine;
  const steady = (r: { byId: Map<string, JsonLine> }) => r.byId.get('STEADY-1') as JsonLine;

  it('follows a level shift by default: the product is forecast at its new level, and said so', async () => {
    const byDefault = await run('default', []);
    const shift = fell(byDefault).level_shift;
    expect(shift).toBeDefined();
    expect(Math.abs(daysBetween(SHIFT, shift!.date))).toBeLessThanOrEqual(3);
    expect(shift!.before).toBeGreaterThan(35);
    expect(shift!.after).toBeLessThan(8);
    // Near 7 × 5 units, not the mean of the two levels.
    expect(fell(byDefault).forecasted_demand).toBeLessThan(60);
    expect(steady(byDefault)).not.toHaveProperty('level_shift');

    expect(byDefault.summary.engine.levelShifts).toBe('follow');
    expect(byDefault.summary.levelShifts).toEqual({ products: 1 });
    const text = await runLocalCli(['run', '--dry-run', '--source', csv]);
    expect(text.stdout).toMatch(
      /engine\s+global model off, combination top3, outliers clean, level shifts follow, weekday profile catalogue, no/,
    );
    expect(text.stdout).toContain(
      'level shifts    fitted after a shift in 1 of 2 products (follow)',
    );

    const follow = await run('follow', ['--level-shifts', 'follow']);
    expect(fell(follow).daily).toEqual(fell(byDefault).daily);
    expect(follow.summary.engine.levelShifts).toBe('follow');
  }, 60_000);

  it('records --level-shifts ignore or FORECAST_LEVEL_SHIFTS=ignore in the summary; a flag wins', async () => {
    const ignore = await run('ignore-said', ['--level-shifts', 'ignore']);
    const ignoreEnv = await run('ignore-env-said', [], { FORECAST_LEVEL_SHIFTS: 'ignore' });
    expect(ignore.summary.engine.levelShifts).toBe('ignore');
    expect(ignoreEnv.summary.engine.levelShifts).toBe('ignore');
    const flagWins = await run('flag-wins', ['--level-shifts', 'follow'], {
      FORECAST_LEVEL_SHIFTS: 'ignore',
    });
    expect(flagWins.summary.engine.levelShifts).toBe('follow');
    expect(fell(flagWins).level_shift).toBeDefined();
    const text = await runLocalCli([
      'run',
      '--dry-run',
      '--source',
      csv,
      '--level-shifts',
      'ignore',
    ]);
    expect(text.stdout).toMatch(
      /engine\s+.*outliers clean, level shifts ignore, weekday profile catalogue, no/,
    );
    expect(text.stdout).toContain(
      'level shifts    ignored: every product fitted on its whole history (--level-shifts ignore)',
    );
  }, 60_000);

  it('fits on the whole history with --level-shifts ignore or FORECAST_LEVEL_SHIFTS=ignore', async () => {
    const byDefault = await run('baseline', []);
    const ignore = await run('ignore', ['--level-shifts', 'ignore']);
    const ignoreEnv = await run('ignore-env', [], { FORECAST_LEVEL_SHIFTS: 'ignore' });
    for (const r of [ignore, ignoreEnv]) {
      expect([...r.byId.values()].some((l) => 'level_shift' in l)).toBe(false);
      expect(r.summary.levelShifts).toEqual({ products: 0 });
      // Fitted on the whole history, by other models. Not far higher: four weeks at the new level
      // are enough for the race (ETS, Theta, seasonal naive) to forecast near it either way.
      expect(fell(r).daily).not.toEqual(fell(byDefault).daily);
    }
    expect(fell(ignoreEnv).daily).toEqual(fell(ignore).daily);
  }, 60_000);

  it('backtests auto with the setting given, as run fits it', async () => {
    const args = ['backtest', '--source', csv, '--models', 'auto', '--origins', '2', '--json'];
    const backtest = async (extra: string[], env: NodeJS.ProcessEnv = {}) => {
      const r = await runLocalCli([...args, ...extra], env);
      expect(r.code, r.stderr).toBe(0);
      return JSON.parse(r.stdout) as BacktestJson;
    };
    const byDefault = await backtest([]);
    const ignore = await backtest(['--level-shifts', 'ignore']);
    expect(byDefault.engine.levelShifts).toBe('follow');
    expect(ignore.engine.levelShifts).toBe('ignore');
    expect((await backtest([], { FORECAST_LEVEL_SHIFTS: 'ignore' })).engine.levelShifts).toBe(
      'ignore',
    );
    // Scores, not fit times.
    const scores = (r: BacktestJson) => r.byModel.map((m) => [m.model, m.wape, m.wql, m.meanMase]);
    expect(scores(await backtest(['--level-shifts', 'follow']))).toEqual(scores(byDefault));
    // At both origins the fall is 2–3 weeks old and FELL-1 is fitted after it only with follow.
    expect(scores(ignore)).not.toEqual(scores(byDefault));
    const text = await runLocalCli(args.filter((a) => a !== '--json'));
    expect(text.stdout).toMatch(
      /auto's engine: .*outliers clean, level shifts follow, weekday profile catalogue, no holidays/,
    );
  }, 60_000);

  it.each([
    { name: 'run', command: ['run', '--dry-run'] },
    { name: 'backtest', command: ['backtest'] },
  ])(
    '$name rejects another setting with exit 2, naming the option and the settings allowed',
    async ({ command }) => {
      const bad = await runLocalCli([...command, '--source', csv, '--level-shifts', 'maybe']);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toMatch(/--level-shifts.*'maybe'.*Allowed choices are follow, ignore/);
      const env = await runLocalCli([...command, '--source', csv], {
        FORECAST_LEVEL_SHIFTS: 'never',
      });
      expect(env.code).toBe(2);
      expect(env.stderr).toContain(
        'FORECAST_LEVEL_SHIFTS "never" is not valid (expected follow or ignore)',
      );
    },
  );
});
