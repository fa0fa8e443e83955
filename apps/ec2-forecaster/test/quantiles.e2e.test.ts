import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { createInventoryTable, seedInventory } from '@retail-forecast/dynamodb-writer/testing';
import { demoInventoryItems, generateDemoDataset } from '@retail-forecast/local-aws';
import { startLocal, TABLE } from './harness';
import type { Local } from './harness';

const LEVELS = ['0.05', '0.95'];

async function readJsonl(path: string) {
  return (await readFile(path, 'utf8'))
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
}

describe('forecast run --quantiles against local S3 and DynamoDB', () => {
  let local: Local;

  beforeAll(async () => {
    local = await startLocal();
    const demo = generateDemoDataset({ products: 25, days: 150, endDate: '2025-06-30', seed: 3 });
    await local.putGoldParquet('forecast_ready/', demo.rows, 2);
    await createInventoryTable(local.dynamodb, TABLE);
    await seedInventory(local.dynamodb, TABLE, demoInventoryItems(demo));
  }, 60_000);

  afterAll(async () => {
    await local?.close();
  });

  it('carries the extra levels through the JSONL and the DynamoDB item, monotone per day', async () => {
    const output = join(local.dir, 'q.jsonl');
    const { code, stderr } = await local.cli([
      'run',
      '--quantiles',
      '0.05,0.1,0.5,0.9,0.95',
      '--output',
      output,
      '--json',
    ]);
    expect(stderr).not.toMatch(/ERROR/);
    expect(code).toBe(0);
    const lines = await readJsonl(output);
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) {
      for (const d of line.daily) {
        expect(Object.keys(d.quantiles)).toEqual(LEVELS);
        const ordered = [d.quantiles['0.05'], d.p10, d.p50, d.p90, d.quantiles['0.95']];
        expect(ordered[0]).toBeGreaterThanOrEqual(0);
        for (let i = 1; i < ordered.length; i++)
          expect(ordered[i]).toBeGreaterThanOrEqual(ordered[i - 1]);
      }
      const r = await local.dynamodb.send(
        new GetItemCommand({
          TableName: TABLE,
          Key: { product_id: { S: line.product_id } },
          ConsistentRead: true,
        }),
      );
      const item = unmarshall(r.Item!);
      expect(item.forecast.daily).toEqual(line.daily);
    }
  }, 120_000);

  it('keeps the default layout without --quantiles', async () => {
    const output = join(local.dir, 'plain.jsonl');
    const { code } = await local.cli(['run', '--dry-run', '--output', output, '--json']);
    expect(code).toBe(0);
    let withMean = 0;
    for (const line of await readJsonl(output)) {
      // Whole-unit sales: a day also carries its mean (not a short history's, whose P50 is its
      // mean), and forecasted_demand sums the means where they are given.
      for (const d of line.daily) {
        const keys = ['date', 'p10', 'p50', 'p90', ...('mean' in d ? ['mean'] : [])];
        expect(Object.keys(d)).toEqual(keys);
      }
      if ('mean' in line.daily[0]) withMean++;
      const total = line.daily.reduce(
        (s: number, d: { mean?: number; p50: number }) => s + (d.mean ?? d.p50),
        0,
      );
      expect(line.forecasted_demand).toBeCloseTo(total, 6);
    }
    expect(withMean).toBeGreaterThan(0);
  }, 120_000);

  it('exits 2 naming a bad level before reading anything', async () => {
    const { code, stderr } = await local.cli(['run', '--dry-run', '--quantiles', '0.05,1.2']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/--quantiles "0.05,1.2" is not a list of quantile levels \(level "1.2"/);
  }, 60_000);
});
