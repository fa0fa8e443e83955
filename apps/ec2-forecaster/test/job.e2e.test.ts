import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { createInventoryTable, seedInventory } from '@retail-forecast/dynamodb-writer/testing';
import { demoInventoryItems, generateDemoDataset } from '@retail-forecast/local-aws';
import type { DemoDataset } from '@retail-forecast/local-aws';
import { startLocal, TABLE } from './harness';
import type { Local } from './harness';

const END = '2025-06-30';

async function readJsonl(path: string) {
  return (await readFile(path, 'utf8'))
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
}

async function getItem(local: Local, id: string) {
  const r = await local.dynamodb.send(
    new GetItemCommand({ TableName: TABLE, Key: { product_id: { S: id } }, ConsistentRead: true }),
  );
  return r.Item ? unmarshall(r.Item) : undefined;
}

describe('forecast run against local S3 and DynamoDB', () => {
  let local: Local;
  let demo: DemoDataset;

  beforeAll(async () => {
    local = await startLocal();
    demo = generateDemoDataset({ products: 40, days: 150, endDate: END, seed: 7 });
    await local.putGoldParquet('forecast_ready/', demo.rows, 3);
    await createInventoryTable(local.dynamodb, TABLE);
    await seedInventory(local.dynamodb, TABLE, demoInventoryItems(demo, { supplier: 'acme' }));
  }, 60_000);

  afterAll(async () => {
    await local?.close();
  });

  it('forecasts every product, writes JSONL and updates items without clobbering other attributes', async () => {
    const output = join(local.dir, 'run1.jsonl');
    const { code, stdout, stderr } = await local.cli(['run', '--output', output, '--json']);
    expect(stderr).not.toMatch(/ERROR/);
    expect(code).toBe(0);
    const summary = JSON.parse(stdout);
    const sold = new Set(demo.rows.map((r) => r.product_id));
    expect(summary.asOf).toBe(END);
    expect(summary.products.read).toBe(sold.size);
    expect(summary.products.written).toBe(sold.size);
    expect(summary.products.failed).toEqual([]);

    const lines = await readJsonl(output);
    expect(lines).toHaveLength(sold.size);
    for (const f of lines) {
      expect(f.daily.map((d: { date: string }) => d.date)).toEqual([
        '2025-07-01',
        '2025-07-02',
        '2025-07-03',
        '2025-07-04',
        '2025-07-05',
        '2025-07-06',
        '2025-07-07',
      ]);
      for (const d of f.daily) {
        expect(d.p10).toBeGreaterThanOrEqual(0);
        expect(d.p10).toBeLessThanOrEqual(d.p50);
        expect(d.p50).toBeLessThanOrEqual(d.p90);
      }
      expect(f.model).toMatch(/^statistical:/);
      expect(f.fallback_reason).toBeNull();
    }

    const product = demo.products.find(
      (p) => p.current_stock !== undefined && sold.has(p.product_id),
    )!;
    const item = await getItem(local, product.product_id);
    const line = lines.find((l) => l.product_id === product.product_id);
    expect(item).toMatchObject({
      product_id: product.product_id,
      product_name: product.product_name,
      category: product.category,
      price: product.price,
      rating: product.rating,
      current_stock: product.current_stock,
      supplier: 'acme',
      forecast_as_of: END,
      forecasted_demand: line.forecasted_demand,
    });
    expect(typeof item!.forecasted_demand).toBe('number');
    expect(item!.forecast.daily).toHaveLength(7);
    expect(item!.forecast.model).toBe(line.model);
    expect(typeof item!.stockout_risk).toBe('boolean');

    // What the outlier cleaning replaced: the same in the JSONL line and the item's forecast map,
    // absent from both where it did not apply; the summary adds the lines up.
    const cleaned = lines.filter((l) => l.outliers);
    expect(cleaned.length).toBeGreaterThan(0);
    const plain = lines.find((l) => !l.outliers);
    expect(plain).toBeDefined();
    for (const l of [...cleaned.slice(0, 3), plain]) {
      const stored = await getItem(local, l.product_id);
      expect(stored!.forecast.outliers).toEqual(l.outliers);
    }
    const replaced = (l: { outliers?: { count: number } }) => l.outliers?.count ?? 0;
    expect(summary.outliers).toEqual({
      daysReplaced: lines.reduce((s, l) => s + replaced(l), 0),
      products: lines.filter((l) => replaced(l) > 0).length,
    });
  }, 120_000);

  it('is idempotent on rerun and never lets an older as-of overwrite a newer forecast', async () => {
    const first = join(local.dir, 'a.jsonl');
    const again = await local.cli(['run', '--output', first, '--json']);
    expect(again.code).toBe(0);
    const rerun = JSON.parse(again.stdout);
    expect(rerun.products.written).toBe(rerun.products.read);
    expect(rerun.products.skippedNewer).toBe(0);
    const id = (await readJsonl(first))[0].product_id;
    const before = await getItem(local, id);

    const older = await local.cli(['run', '--as-of', '2025-06-20', '--json']);
    expect(older.code).toBe(0);
    const olderSummary = JSON.parse(older.stdout);
    expect(olderSummary.asOf).toBe('2025-06-20');
    expect(olderSummary.products.written).toBe(0);
    expect(olderSummary.products.skippedNewer).toBe(olderSummary.products.read);
    const after = await getItem(local, id);
    expect(after!.forecast_as_of).toBe(END);
    expect(after!.forecast).toEqual(before!.forecast);
  }, 120_000);

  it('leaves DynamoDB alone with --dry-run and prints a readable summary', async () => {
    const { code, stdout } = await local.cli([
      'run',
      '--dry-run',
      '--source',
      's3://gold/forecast_ready/',
    ]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/products read\s+\d+/);
    expect(stdout).toMatch(/dry run/);
  }, 60_000);
});

describe('bad input and configuration', () => {
  let local: Local;
  beforeAll(async () => {
    local = await startLocal();
  }, 30_000);
  afterAll(async () => {
    await local?.close();
  });

  it('fails with exit 2 naming the missing setting', async () => {
    const { code, stderr } = await local.cli(['run'], { GOLD_BUCKET: '', FORECAST_TABLE: '' });
    expect(code).toBe(2);
    expect(stderr).toMatch(/GOLD_BUCKET/);
    expect(stderr).toMatch(/FORECAST_TABLE/);
  });

  it('fails with exit 2 naming a table that does not exist, keeping the JSONL output', async () => {
    await local.put('tiny/part-0.csv', 'product_id,event_date,daily_sales\nP9,2025-01-01,3\n');
    const output = join(local.dir, 'no-table.jsonl');
    const { code, stderr } = await local.cli([
      'run',
      '--source',
      's3://gold/tiny/',
      '--table',
      'NoSuchTable',
      '--output',
      output,
    ]);
    expect(code).toBe(2);
    expect(stderr).toContain('NoSuchTable');
    expect((await readJsonl(output)).map((l) => l.product_id)).toEqual(['P9']);
  });

  it('fails with exit 2 on an empty prefix', async () => {
    const { code, stderr } = await local.cli([
      'run',
      '--dry-run',
      '--source',
      's3://gold/nothing-here/',
    ]);
    expect(code).toBe(2);
    expect(stderr).toContain('no forecast_ready data under s3://gold/nothing-here/');
  });

  it('fails with exit 2 naming the file and the missing column', async () => {
    await local.put('missing-col/part-0.csv', 'product_id,event_date,units\nP1,2025-01-01,3\n');
    const { code, stderr } = await local.cli([
      'run',
      '--dry-run',
      '--source',
      's3://gold/missing-col/',
    ]);
    expect(code).toBe(2);
    expect(stderr).toContain('s3://gold/missing-col/part-0.csv');
    expect(stderr).toContain('daily_sales');
  });

  it('fails with exit 2 naming a corrupt object before writing anything', async () => {
    await local.put('corrupt/part-0.csv', 'product_id,event_date,daily_sales\nP1,2025-01-01,3\n');
    await local.put('corrupt/part-1.parquet', 'PAR1 this is not parquet');
    await createInventoryTable(local.dynamodb, TABLE);
    const { code, stderr } = await local.cli(['run', '--source', 's3://gold/corrupt/']);
    expect(code).toBe(2);
    expect(stderr).toContain('s3://gold/corrupt/part-1.parquet');
    expect(await getItem(local, 'P1')).toBeUndefined();
  });

  it('reports rejected rows with file and line, and stops before writing past the bad-row budget (exit 2)', async () => {
    const csv = [
      'product_id,event_date,daily_sales',
      'P1,2025-01-01,3',
      'P1,2025-13-40,2',
      'P1,2025-01-03,-4',
      'P1,2025-01-04,abc',
      'P1,2025-01-05,5',
    ].join('\n');
    await local.put('bad-rows/part-0.csv', csv);
    const { code, stderr } = await local.cli(['run', '--source', 's3://gold/bad-rows/']);
    expect(code).toBe(2);
    expect(stderr).toContain(
      '3 of 5 rows were rejected, more than the bad-row budget of 1% allows (0); nothing was written. First: s3://gold/bad-rows/part-0.csv:3: event_date "2025-13-40" on line 3',
    );
  });

  it('within the bad-row budget reports rejected rows with file and line, and exits 0', async () => {
    const csv = [
      'product_id,event_date,daily_sales',
      'P1,2025-01-01,3',
      'P1,2025-13-40,2',
      'P1,2025-01-05,5',
    ].join('\n');
    await local.put('bad-date/part-0.csv', csv);
    const { code, stdout } = await local.cli([
      'run',
      '--dry-run',
      '--json',
      '--max-bad-rows',
      '1',
      '--source',
      's3://gold/bad-date/',
    ]);
    expect(code).toBe(0);
    const summary = JSON.parse(stdout);
    expect(summary.rows).toMatchObject({
      rejected: 1,
      maxBadRows: '1',
      skipped: { invalid_date: 1 },
    });
    expect(summary.rows.issues.map((i: { row: number }) => i.row)).toEqual([3]);
    expect(summary.rows.issues[0].message).toContain('2025-13-40');
    expect(summary.products.forecast).toBe(1);
  });
});
