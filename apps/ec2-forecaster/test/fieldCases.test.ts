import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../src/cli';
import { Capture } from './harness';

/** The fields of a JSONL line these tests look at. */
interface JsonLine {
  product_id: string;
  as_of: string;
  forecasted_demand: number;
  daily: { date: string; p50: number }[];
  data_issues?: { rejected_days: number };
}

/**
 * Issue #9 field cases end to end (`run --dry-run --output`), on inputs generated here with the
 * shape of ../shared/field-cases (the sales-data tests read byte copies of the originals).
 */
describe('field cases through the run command', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'forecast-field-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const isoDay = (from: string, i: number) =>
    new Date(Date.parse(`${from}T00:00:00Z`) + i * 86_400_000).toISOString().slice(0, 10);

  async function tree(name: string, files: Record<string, string>): Promise<string> {
    const root = join(dir, name);
    for (const [rel, text] of Object.entries(files)) {
      await mkdir(dirname(join(root, rel)), { recursive: true });
      await writeFile(join(root, rel), text);
    }
    return root;
  }

  async function run(source: string, ...flags: string[]) {
    const output = join(dir, `${Math.random().toString(36).slice(2)}.jsonl`);
    const stdout = new Capture();
    const stderr = new Capture();
    const code = await runCli(
      ['run', '--source', source, '--dry-run', '--output', output, ...flags],
      { stdout, stderr, env: { FORECAST_WORKERS: '1' } },
    );
    const lines = await readFile(output, 'utf8').then(
      (t) =>
        t
          .trim()
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l)),
      () => [],
    );
    const byId: Record<string, JsonLine> = Object.fromEntries(
      lines.map((l: JsonLine) => [l.product_id, l]),
    );
    return { code, stdout: stdout.text, stderr: stderr.text, byId };
  }

  it('FC-02: a Hive layout (event_date=…/ folders) forecasts SKU-1 70 and SKU-2 28, exit 0', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 21; i++) {
      files[`forecast_ready/event_date=${isoDay('2025-03-01', i)}/part-00000-7f3a-c000.csv`] =
        'product_id,daily_sales,product_name\nSKU-1,10,Kettle\nSKU-2,4,Toaster\n';
    }
    const r = await run(join(await tree('fc02', files), 'forecast_ready'), '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).asOf).toBe('2025-03-21');
    expect(r.byId['SKU-1'].forecasted_demand).toBe(70);
    expect(r.byId['SKU-2'].forecasted_demand).toBe(28);
  });

  it('FC-08: offsets keep the written date: as_of 2025-03-30, 2025-03-31 … 2025-04-06, peak 30 on Saturday 2025-04-05', async () => {
    const lines = Array.from({ length: 28 }, (_, i) => {
      const day = isoDay('2025-03-03', i);
      const offset = day >= '2025-03-30' ? '+02:00' : '+01:00';
      const saturday = new Date(`${day}T00:00:00Z`).getUTCDay() === 6;
      return JSON.stringify({
        product_id: 'SKU-1',
        event_date: `${day}T00:00:00${offset}`,
        daily_sales: saturday ? 30 : 10,
      });
    });
    const source = join(
      await tree('fc08', { 'berlin.jsonl': `${lines.join('\n')}\n` }),
      'berlin.jsonl',
    );
    const r = await run(source, '--json');
    expect(r.code).toBe(0);
    const f = r.byId['SKU-1'];
    expect(f.as_of).toBe('2025-03-30');
    expect(f.daily.map((d) => [d.date, d.p50])).toEqual([
      ['2025-03-31', 10],
      ['2025-04-01', 10],
      ['2025-04-02', 10],
      ['2025-04-03', 10],
      ['2025-04-04', 10],
      ['2025-04-05', 30],
      ['2025-04-06', 10],
    ]);
  });

  const fc12 = () => {
    const run1 = ['product_id,event_date,daily_sales'];
    for (let i = 0; i < 28; i++) run1.push(`SKU-1,${isoDay('2025-03-01', i)},10`);
    const run2 = ['product_id,event_date,daily_sales', ...run1.slice(-7)];
    return tree('fc12', {
      'forecast_ready/part-00000-run1.csv': `${run1.join('\n')}\n`,
      'forecast_ready/part-00000-run2.csv': `${run2.join('\n')}\n`,
    });
  };

  it('FC-12: identical re-run rows count once (forecasted_demand 70) and are reported as duplicates dropped, not skipped', async () => {
    const source = join(await fc12(), 'forecast_ready');
    const json = await run(source, '--json');
    expect(json.code).toBe(0);
    expect(json.byId['SKU-1'].forecasted_demand).toBe(70);
    expect(JSON.parse(json.stdout).rows).toMatchObject({
      read: 35,
      used: 28,
      rejected: 0,
      duplicatesDropped: 7,
      conflictingDuplicates: { count: 0, policy: 'max' },
    });
    const text = await run(source);
    expect(text.stdout).toContain('duplicates      7 identical rows dropped (counted once)');
    expect(text.stdout).not.toContain('skipped row');
  });

  it('--on-duplicate error fails only the conflicting product, listed, exit 1', async () => {
    const rows = ['product_id,event_date,daily_sales'];
    for (let i = 0; i < 28; i++)
      rows.push(`A,${isoDay('2025-03-01', i)},5`, `B,${isoDay('2025-03-01', i)},2`);
    rows.push('A,2025-03-28,9');
    const source = join(await tree('dup-error', { 'a.csv': `${rows.join('\n')}\n` }), 'a.csv');
    const r = await run(source, '--json', '--on-duplicate', 'error');
    expect(r.code).toBe(1);
    const summary = JSON.parse(r.stdout);
    expect(summary.products.failed).toEqual([
      { productId: 'A', error: expect.stringContaining('conflicting rows for 2025-03-28') },
    ]);
    expect(Object.keys(r.byId)).toEqual(['B']);
  });

  it('FC-06: "1,250" is read as 1250, nothing rejected, no product flagged', async () => {
    const rows = ['\ufeffproduct_id,event_date,daily_sales,avg_price,product_name,category'];
    for (let i = 0; i < 28; i++) {
      const day = isoDay('2025-03-01', i);
      rows.push(
        `SKU-1,${day},${day === '2025-03-21' ? '"1,250"' : 40},"1,099.00","Espresso Machine, 15 bar",Appliances`,
      );
    }
    const source = join(
      await tree('fc06', { 'excel_us.csv': `${rows.join('\r\n')}\r\n` }),
      'excel_us.csv',
    );
    const r = await run(source, '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).rows).toMatchObject({ read: 28, used: 28, rejected: 0 });
    expect(r.byId['SKU-1'].data_issues).toBeUndefined();
  });

  it('stops before writing past the bad-row budget: exit 2 naming the count, the budget and the first file:line:value', async () => {
    const rows = ['product_id,event_date,daily_sales'];
    for (let i = 0; i < 28; i++)
      rows.push(`SKU-1,${isoDay('2025-03-01', i)},${i === 20 ? '"1.250,00"' : 40}`);
    const source = join(await tree('budget', { 'a.csv': `${rows.join('\n')}\n` }), 'a.csv');
    const r = await run(source);
    expect(r.code).toBe(2);
    expect(r.byId).toEqual({});
    expect(r.stderr).toContain(
      `1 of 28 rows were rejected, more than the bad-row budget of 1% allows (0); nothing was written. First: ${source}:22: daily_sales "1.250,00" on line 22`,
    );
  });

  it('a rejected day is unknown, not 0: within --max-bad-rows the product is forecast from the other days and flagged with data_issues', async () => {
    const rows = ['product_id,event_date,daily_sales'];
    for (let i = 0; i < 28; i++)
      rows.push(`SKU-1,${isoDay('2025-03-01', i)},${i === 20 ? 'n/a' : 40}`);
    const source = join(await tree('nan-day', { 'a.csv': `${rows.join('\n')}\n` }), 'a.csv');
    const r = await run(source, '--json', '--max-bad-rows', '1');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).products.flagged).toBe(1);
    expect(r.byId['SKU-1'].data_issues).toEqual({ rejected_days: 1 });
    // 40 every known day: a 0 in place of the unknown day would pull the forecast below 280.
    expect(r.byId['SKU-1'].forecasted_demand).toBe(280);
  });
});
