import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { addDays, seededRandom } from '@retail-forecast/util';
import type { BacktestJson } from '../src/types';
import { type JsonLine, dryRunCsv, runLocalCli, useTempDir } from './harness';

/** A Poisson draw of mean `mean` (Knuth's product of uniforms at every mean: util's
 * `samplePoisson` approximates above 60, which would draw another data set). */
function poisson(mean: number, rand: () => number): number {
  const limit = Math.exp(-mean);
  let k = 0;
  let p = 1;
  do {
    k++;
    p *= rand();
  } while (p > limit);
  return k - 1;
}

/** Monday = 0 … Sunday = 6 of a YYYY-MM-DD date. */
const weekday = (date: string) => (new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7;

/** Each weekday's forecast mean (P50 where the line gives no mean) over the first week. */
function weekMeans(line: JsonLine): number[] {
  const means = new Array<number>(7).fill(0);
  for (const d of line.daily.slice(0, 7)) means[weekday(d.date)] = d.mean ?? d.p50;
  return means;
}

/**
 * `forecast run|backtest --weekday-profile catalogue|own` on a local CSV with --dry-run: the
 * setting reaches forecastAuto (`AutoOptions.catalogueProfile`), so four products sold for 4–6
 * weeks, whose own models leave their week flat, are forecast with the Saturday peak their
 * category's twelve established products share only with `catalogue`, and the summaries say
 * which setting made the numbers and in how many products the catalogue's profile spread the week.
 */
describe('forecast --weekday-profile', () => {
  const tmp = useTempDir('forecast-weekday-profile-');
  let csv: string;
  let noCategory: string;
  /** The last day of every product's history (a Sunday). */
  const END = '2025-04-27';
  /** Monday … Sunday as multiples of the week's mean: Saturday 1.6×, Monday 0.7×. */
  const WEEK = [0.7, 0.85, 0.9, 0.95, 1.1, 1.6, 0.9];
  const ESTABLISHED = Array.from({ length: 12 }, (_, i) => `OLD-${String(i + 1).padStart(2, '0')}`);
  const YOUNG = ['NEW-1', 'NEW-2', 'NEW-3', 'NEW-4'];
  const YOUNG_DAYS = [28, 33, 37, 42];
  /** A seed where every young product's models (`--weekday-profile own`) leave its week flat. */
  const SEED = 33;

  beforeAll(async () => {
    const rand = seededRandom(SEED);
    const rows: [string, string, number][] = [];
    const sell = (id: string, days: number, low: number, high: number) => {
      const level = low + rand() * (high - low);
      for (let t = days - 1; t >= 0; t--) {
        const date = addDays(END, -t);
        rows.push([id, date, poisson(level * WEEK[weekday(date)], rand)]);
      }
    };
    for (const id of ESTABLISHED) sell(id, 300, 20, 60);
    YOUNG.forEach((id, i) => sell(id, YOUNG_DAYS[i], 3, 8));
    csv = join(tmp.path, 'gold.csv');
    await writeFile(
      csv,
      `${['product_id,event_date,daily_sales,category', ...rows.map((r) => `${r.join(',')},Bakery`)].join('\n')}\n`,
    );
    noCategory = join(tmp.path, 'gold-no-category.csv');
    await writeFile(
      noCategory,
      `${['product_id,event_date,daily_sales', ...rows.map((r) => r.join(','))].join('\n')}\n`,
    );
  });

  const run = (name: string, extra: string[], env: NodeJS.ProcessEnv = {}) =>
    dryRunCsv(csv, tmp.path, name, extra, env);

  const line = (r: { byId: Map<string, JsonLine> }, id: string) => r.byId.get(id) as JsonLine;
  /** The highest weekday's mean over the lowest's: 1 for a flat week. */
  const spreadOf = (means: number[]) => Math.max(...means) / Math.min(...means);

  it("spreads a young product's flat week by its category's profile by default, and says so", async () => {
    const byDefault = await run('default', []);
    const own = await run('own-reference', ['--weekday-profile', 'own']);
    // The data's premise: every young product's own models leave its week flat, the seven daily
    // means within 15 % of each other.
    for (const id of YOUNG) expect(spreadOf(weekMeans(line(own, id)))).toBeLessThanOrEqual(1.15);
    const spread = YOUNG.filter((id) => line(byDefault, id).weekday_profile !== undefined);
    expect(spread.length).toBeGreaterThanOrEqual(1);
    for (const id of spread) {
      const profile = line(byDefault, id).weekday_profile!;
      expect(profile.source).toBe('category');
      expect(profile.own_weight).toBeGreaterThanOrEqual(0);
      expect(profile.own_weight).toBeLessThanOrEqual(1);
      // With the category's profile Saturday sells well above Monday …
      const means = weekMeans(line(byDefault, id));
      expect(means[5] / means[0]).toBeGreaterThanOrEqual(1.3);
      // … and the week's total is the models' own.
      const total = line(own, id).forecasted_demand;
      expect(Math.abs(line(byDefault, id).forecasted_demand / total - 1)).toBeLessThanOrEqual(0.01);
    }
    for (const id of ESTABLISHED) expect(line(byDefault, id)).not.toHaveProperty('weekday_profile');

    expect(byDefault.summary.engine.weekdayProfile).toBe('catalogue');
    expect(byDefault.summary.weekdayProfile).toEqual({
      products: spread.length,
      category: spread.length,
    });
    const text = await runLocalCli(['run', '--dry-run', '--source', csv]);
    expect(text.stdout).toMatch(
      /engine\s+global model off, combination top3, outliers clean, level shifts follow, weekday profile catalogue, no/,
    );
    expect(text.stdout).toContain(
      `weekday profile spread in ${spread.length} of 16 products, ${spread.length} by their category's, 0 by the catalogue's (catalogue)`,
    );

    const catalogue = await run('catalogue', ['--weekday-profile', 'catalogue']);
    for (const id of YOUNG) expect(line(catalogue, id).daily).toEqual(line(byDefault, id).daily);
    expect(catalogue.summary.engine.weekdayProfile).toBe('catalogue');
  }, 60_000);

  it("names the whole catalogue's profile where the products have no category", async () => {
    const r = await dryRunCsv(noCategory, tmp.path, 'no-category', []);
    const spread = YOUNG.filter((id) => line(r, id).weekday_profile !== undefined);
    expect(spread.length).toBeGreaterThanOrEqual(1);
    for (const id of spread) expect(line(r, id).weekday_profile?.source).toBe('catalogue');
    expect(r.summary.weekdayProfile).toEqual({ products: spread.length, category: 0 });
  }, 60_000);

  it('records --weekday-profile own or FORECAST_WEEKDAY_PROFILE=own in the summary; a flag wins', async () => {
    const own = await run('own-said', ['--weekday-profile', 'own']);
    const ownEnv = await run('own-env-said', [], { FORECAST_WEEKDAY_PROFILE: 'own' });
    expect(own.summary.engine.weekdayProfile).toBe('own');
    expect(ownEnv.summary.engine.weekdayProfile).toBe('own');
    const flagWins = await run('flag-wins', ['--weekday-profile', 'catalogue'], {
      FORECAST_WEEKDAY_PROFILE: 'own',
    });
    expect(flagWins.summary.engine.weekdayProfile).toBe('catalogue');
    expect(YOUNG.some((id) => line(flagWins, id).weekday_profile !== undefined)).toBe(true);
    const text = await runLocalCli([
      'run',
      '--dry-run',
      '--source',
      csv,
      '--weekday-profile',
      'own',
    ]);
    expect(text.stdout).toMatch(/engine\s+.*level shifts follow, weekday profile own, no/);
    expect(text.stdout).toContain(
      "weekday profile own: every product's week is its models' (--weekday-profile own)",
    );
  }, 60_000);

  it("keeps every product's models' week with --weekday-profile own or FORECAST_WEEKDAY_PROFILE=own", async () => {
    const byDefault = await run('baseline', []);
    const own = await run('own', ['--weekday-profile', 'own']);
    const ownEnv = await run('own-env', [], { FORECAST_WEEKDAY_PROFILE: 'own' });
    const spread = YOUNG.filter((id) => line(byDefault, id).weekday_profile !== undefined);
    for (const r of [own, ownEnv]) {
      expect([...r.byId.values()].some((l) => 'weekday_profile' in l)).toBe(false);
      expect(r.summary.weekdayProfile).toEqual({ products: 0, category: 0 });
      for (const id of spread) expect(line(r, id).daily).not.toEqual(line(byDefault, id).daily);
      for (const id of ESTABLISHED) expect(line(r, id).daily).toEqual(line(byDefault, id).daily);
    }
    for (const id of YOUNG) expect(line(ownEnv, id).daily).toEqual(line(own, id).daily);
  }, 60_000);

  it('backtests auto with the setting given, as run forecasts', async () => {
    const args = ['backtest', '--source', csv, '--models', 'auto', '--origins', '2', '--json'];
    const backtest = async (extra: string[], env: NodeJS.ProcessEnv = {}) => {
      const r = await runLocalCli([...args, ...extra], env);
      expect(r.code, r.stderr).toBe(0);
      return JSON.parse(r.stdout) as BacktestJson;
    };
    const byDefault = await backtest([]);
    const own = await backtest(['--weekday-profile', 'own']);
    expect(byDefault.engine.weekdayProfile).toBe('catalogue');
    expect(own.engine.weekdayProfile).toBe('own');
    expect((await backtest([], { FORECAST_WEEKDAY_PROFILE: 'own' })).engine.weekdayProfile).toBe(
      'own',
    );
    // Scores, not fit times.
    const scores = (r: BacktestJson) => r.byModel.map((m) => [m.model, m.wape, m.wql, m.meanMase]);
    expect(scores(await backtest(['--weekday-profile', 'catalogue']))).toEqual(scores(byDefault));
    // The young products, 2–5 weeks old at the origins, are spread only with catalogue.
    expect(scores(own)).not.toEqual(scores(byDefault));
    const text = await runLocalCli(args.filter((a) => a !== '--json'));
    expect(text.stdout).toMatch(
      /auto's engine: .*level shifts follow, weekday profile catalogue, no holidays/,
    );
  }, 60_000);

  it.each([
    { name: 'run', command: ['run', '--dry-run'] },
    { name: 'backtest', command: ['backtest'] },
  ])(
    '$name rejects another setting with exit 2, naming the option and the settings allowed',
    async ({ command }) => {
      const bad = await runLocalCli([...command, '--source', csv, '--weekday-profile', 'maybe']);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toMatch(/--weekday-profile.*'maybe'.*Allowed choices are catalogue, own/);
      const env = await runLocalCli([...command, '--source', csv], {
        FORECAST_WEEKDAY_PROFILE: 'never',
      });
      expect(env.code).toBe(2);
      expect(env.stderr).toContain(
        'FORECAST_WEEKDAY_PROFILE "never" is not valid (expected catalogue or own)',
      );
    },
  );
});
