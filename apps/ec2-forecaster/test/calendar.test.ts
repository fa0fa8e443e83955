import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { publicHolidays } from '@retail-forecast/forecasting';
import { addDays, daysBetween } from '@retail-forecast/util';
import { type JsonLine, runLocalCli, useTempDir } from './harness';
import { logCalendarTooShort } from '../src/calendarStep';

/**
 * `forecast run --holidays/--events` on local CSV files with --dry-run: the options reach each
 * product's forecastAuto context (the calendar candidate `dhr` shows in the model name and moves
 * the holiday's forecast), and bad settings fail at start naming what is wrong.
 */
describe('forecast run with calendar effects', () => {
  const tmp = useTempDir('forecast-calendar-');
  let csv: string;
  const START = '2023-11-01';
  const END = '2025-11-23'; // the week forecast holds Thanksgiving, Thursday 2025-11-27

  beforeAll(async () => {
    csv = join(tmp.path, 'gold.csv');
    const holidays = new Set(publicHolidays({ country: 'US' }, 2023, 2025).keys());
    const rows = ['product_id,category,event_date,daily_sales'];
    const days = daysBetween(START, END) + 1;
    for (let t = 0; t < days; t++) {
      const date = addDays(START, t);
      const weekly = 1 + 0.3 * Math.sin((2 * Math.PI * t) / 7);
      const cal = holidays.has(date) ? 0.4 : holidays.has(addDays(date, 1)) ? 1.5 : 1;
      // A fixed wobble instead of noise keeps the file deterministic.
      const wobble = 1 + 0.04 * Math.sin(t * 1.7);
      rows.push(`HOL-1,Grocery,${date},${Math.round(100 * weekly * cal * wobble)}`);
    }
    await writeFile(csv, `${rows.join('\n')}\n`);
  });

  const cli = runLocalCli;

  async function run(name: string, extra: string[], env: NodeJS.ProcessEnv = {}) {
    const output = join(tmp.path, `${name}.jsonl`);
    const r = await cli(['run', '--dry-run', '--source', csv, '--output', output, ...extra], env);
    expect(r.stderr).not.toMatch(/ERROR/);
    expect(r.code).toBe(0);
    const [line] = (await readFile(output, 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as JsonLine);
    return line;
  }

  it('brings --holidays to the forecast: the calendar candidate joins the race with the holiday columns', async () => {
    const plain = await run('plain', []);
    const withHolidays = await run('us', ['--holidays', 'US']);
    expect(plain.model).not.toMatch(/dhr/);
    // Every US holiday of the two years has its own column, plus the days before and after.
    expect(withHolidays.model).toMatch(
      /dhr\(ar\[[0-9,]*\],d=\d,D=\d,K=\d,holidays=1[0-9],events=0\)/,
    );
  }, 60_000);

  it('takes FORECAST_HOLIDAYS and FORECAST_EVENTS from the environment', async () => {
    const events = join(tmp.path, 'events.csv');
    await writeFile(
      events,
      'date,scope,event,value\n' +
        Array.from(
          { length: 10 },
          (_, w) => `${addDays('2025-01-03', 7 * w)},category:Grocery,promo,1`,
        ).join('\n') +
        '\n2025-01-04,product:OTHER,promo,1\n',
    );
    const line = await run('env', [], { FORECAST_HOLIDAYS: 'us-ca', FORECAST_EVENTS: events });
    expect(line.model).toMatch(/dhr\(.*events=1\)/);
  }, 60_000);

  it('backtest takes --holidays as run does: auto races the calendar candidate at each origin', async () => {
    const args = ['backtest', '--source', csv, '--models', 'auto', '--origins', '2', '--json'];
    const choices = async (extra: string[], env: NodeJS.ProcessEnv = {}) => {
      const r = await cli([...args, ...extra], env);
      expect(r.stderr).not.toMatch(/ERROR/);
      expect(r.code).toBe(0);
      return Object.keys(JSON.parse(r.stdout).autoChoices as Record<string, number>).join(' ');
    };
    expect(await choices([])).not.toMatch(/dhr|global/);
    expect(await choices(['--holidays', 'US'])).toMatch(/dhr\(.*holidays=1[0-9],events=0\)/);
    expect(await choices([], { FORECAST_HOLIDAYS: 'US' })).toMatch(/dhr\(/);
  }, 120_000);

  it('backtest names the events seen too rarely to estimate, as run does', async () => {
    const events = join(tmp.path, 'backtest-one-off.csv');
    await writeFile(events, 'date,scope,event,value\n2025-06-01,*,one_off,1\n');
    const r = await cli([
      'backtest',
      '--source',
      csv,
      '--models',
      'snaive',
      '--origins',
      '1',
      '--events',
      events,
    ]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(
      /calendar: 1 holidays\/events are seen on fewer than 2 days .*event:one_off \(1 product\)/,
    );
  });

  it('backtest rejects a bad --holidays or --events as run does, exit 2', async () => {
    const bad = await cli(['backtest', '--source', csv, '--holidays', 'XX']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--holidays "XX": .*country "XX" is not known/);
    const events = join(tmp.path, 'bad-events-backtest.csv');
    await writeFile(events, 'date,scope,event,value\n2025-11-28,*,promo,yes\n');
    const file = await cli(['backtest', '--source', csv, '--events', events]);
    expect(file.code).toBe(2);
    expect(file.stderr).toContain(`${events} line 2: value "yes" is not a number`);
  });

  it('records the holidays, events file and global-model setting in the run summary, and the events seen too rarely to estimate', async () => {
    const events = join(tmp.path, 'summary-events.csv');
    await writeFile(
      events,
      'date,scope,event,value\n2023-11-24,*,black_friday,1\n2024-11-29,*,black_friday,1\n2025-06-01,*,one_off,1\n',
    );
    const r = await cli([
      'run',
      '--dry-run',
      '--json',
      '--source',
      csv,
      '--holidays',
      'us-ca',
      '--events',
      events,
      '--global-model',
      'on',
    ]);
    expect(r.code).toBe(0);
    const engine = JSON.parse(r.stdout).engine;
    expect(engine).toMatchObject({
      globalModel: true,
      holidays: 'US-CA',
      events: { uri: events, rows: 3 },
    });
    // Black Friday is in the history twice; the one-off event once: no effect can be estimated.
    expect(engine.sparseCalendar).toContainEqual({ name: 'event:one_off', products: 1 });
    expect(engine.sparseCalendar.map((c: { name: string }) => c.name)).not.toContain(
      'event:black_friday',
    );
    expect(r.stderr).toMatch(
      /calendar: \d+ holidays\/events are seen on fewer than 2 days of some products' history, .*event:one_off \(1 product\)/,
    );
    const plain = await cli(['run', '--dry-run', '--json', '--source', csv]);
    expect(JSON.parse(plain.stdout).engine).toEqual({
      globalModel: false,
      combination: 'top3',
      outliers: 'clean',
      levelShifts: 'follow',
      weekdayProfile: 'catalogue',
      holidays: null,
      events: null,
      sparseCalendar: [],
      calendarTooShort: 0,
    });
    const top1 = await cli([
      'run',
      '--dry-run',
      '--json',
      '--source',
      csv,
      '--combination',
      'top1',
    ]);
    expect(top1.code, top1.stderr).toBe(0);
    expect(JSON.parse(top1.stdout).engine.combination).toBe('top1');
  }, 60_000);

  it('warns with file and line about a repeated events line and a scope that matches nothing', async () => {
    const events = join(tmp.path, 'warn-events.csv');
    await writeFile(
      events,
      'date,scope,event,value\n2024-11-29,*,black_friday,1\n2024-11-29,*,black_friday,1\n2025-01-04,product:HOL-2,promo,1\n2025-01-04,category:Grocery,promo,1\n',
    );
    const r = await cli(['run', '--dry-run', '--json', '--source', csv, '--events', events]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(
      `${events} line 3: repeats line 2 (2024-11-29, *, black_friday, value 1); counted once`,
    );
    expect(r.stderr).toContain(
      `${events} line 4: scope "product:HOL-2" matches no product of the data (its promo row is not used)`,
    );
    expect(r.stderr).not.toContain('category:Grocery" matches');
    const summary = JSON.parse(r.stdout);
    expect(summary.engine.events).toEqual({ uri: events, rows: 3 });
    // The stored summary keeps them too (a scheduled run's stderr is gone by morning).
    expect(summary.warnings).toEqual([
      {
        kind: 'events_file',
        file: events,
        message: `${events} line 3: repeats line 2 (2024-11-29, *, black_friday, value 1); counted once`,
      },
      {
        kind: 'events_file',
        file: events,
        message: `${events} line 4: scope "product:HOL-2" matches no product of the data (its promo row is not used)`,
      },
    ]);
  }, 60_000);

  it('says when no product has enough history for calendar effects (61 days; 63 needed at horizon 7)', async () => {
    const short = join(tmp.path, 'short.csv');
    const rows = ['product_id,category,event_date,daily_sales'];
    for (let t = 0; t < 61; t++) {
      const date = addDays('2025-09-24', t);
      rows.push(`PH-1,Phones,${date},${t % 5 === 0 ? 20 : 10}`);
      rows.push(`PH-2,Phones,${date},${t % 5 === 0 ? 30 : 12 + (t % 3)}`);
    }
    await writeFile(short, `${rows.join('\n')}\n`);
    const events = join(tmp.path, 'short-events.csv');
    const promo = Array.from(
      { length: 14 },
      (_, i) => `${addDays('2025-09-24', 5 * i)},category:Phones,promo,1`,
    );
    await writeFile(events, `date,scope,event,value\n${promo.join('\n')}\n`);
    const r = await cli(['run', '--dry-run', '--json', '--source', short, '--events', events]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(
      'calendar: no product has enough history for holiday and event effects (2 too short: the calendar model needs 63 days since the first sale at horizon 7), so --holidays/--events do not change any forecast',
    );
    expect(JSON.parse(r.stdout).engine.calendarTooShort).toBe(2);
    // With the two years of HOL-1 nothing is too short: no such line.
    const long = await cli(['run', '--dry-run', '--json', '--source', csv, '--events', events]);
    expect(long.code, long.stderr).toBe(0);
    expect(long.stderr).not.toContain('history for holiday');
    expect(JSON.parse(long.stdout).engine.calendarTooShort).toBe(0);
  }, 60_000);

  it('rejects an unknown holiday code at start, exit 2, saying where the codes are', async () => {
    const { code, stderr } = await cli(['run', '--dry-run', '--source', csv, '--holidays', 'XX']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/--holidays "XX": .*country "XX" is not known.*supported-countries/);
    const region = await cli(['run', '--dry-run', '--source', csv, '--holidays', 'US-ZZ']);
    expect(region.code).toBe(2);
    expect(region.stderr).toMatch(/"ZZ" is not a region of US \(known: /);
  });

  it('rejects a bad events file before loading, naming its file, line and value', async () => {
    const events = join(tmp.path, 'bad-events.csv');
    await writeFile(events, 'date,scope,event,value\n2025-11-28,*,promo,yes\n');
    const { code, stderr } = await cli(['run', '--dry-run', '--source', csv, '--events', events]);
    expect(code).toBe(2);
    expect(stderr).toContain(`${events} line 2: value "yes" is not a number`);
  });
});

describe('logCalendarTooShort', () => {
  const said = (tooShort: number, products: number) => {
    const lines: string[] = [];
    logCalendarTooShort(tooShort, products, 7, { info: (m: string) => void lines.push(m) });
    return lines;
  };

  it('counts the products too short for calendar effects, not the others (23 of 300)', () => {
    expect(said(23, 300)).toEqual([
      'calendar: 23 of 300 products have too little history for holiday and event effects (the calendar model needs 63 days since the first sale at horizon 7), so --holidays/--events do not change their forecasts',
    ]);
    expect(said(0, 300)).toEqual([]);
  });
});
