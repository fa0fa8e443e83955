// The job against local S3 and DynamoDB through the fault proxy: real SDK clients, real wire
// protocols on 127.0.0.1, faults injected by rule.
import { writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { CreateTableCommand, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { createInventoryTable, seedInventory } from '@retail-forecast/dynamodb-writer/testing';
import { startFaultProxy } from '@retail-forecast/fault-proxy';
import type { FaultProxy } from '@retail-forecast/fault-proxy';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FC15_AS_OF, FC15_INVENTORY, FC15_LONG_ID, fc15Csv } from './fixtures/fc15';
import { startLocal } from './harness';
import type { Local } from './harness';

let local: Local;
let proxy: FaultProxy;
let tableSeq = 0;

beforeAll(async () => {
  local = await startLocal();
  proxy = await startFaultProxy({ target: local.env.AWS_ENDPOINT_URL_DYNAMODB as string });
}, 60_000);
afterAll(async () => {
  await proxy?.close();
  await local?.close();
});
beforeEach(() => {
  proxy.setRules([]);
  proxy.resetCounts();
});

async function freshTable(items: Record<string, unknown>[] = FC15_INVENTORY): Promise<string> {
  const table = `Inventory-${++tableSeq}`;
  await createInventoryTable(local.dynamodb, table);
  await seedInventory(local.dynamodb, table, items as { product_id: string }[]);
  return table;
}

async function csvSource(name: string, daily?: Record<string, number>): Promise<string> {
  const path = join(local.dir, name);
  await writeFile(path, fc15Csv(daily));
  return path;
}

async function getItem(table: string, id: string) {
  const r = await local.dynamodb.send(
    new GetItemCommand({ TableName: table, Key: { product_id: { S: id } }, ConsistentRead: true }),
  );
  return r.Item ? unmarshall(r.Item) : undefined;
}

/** The job through the proxy; --json so stdout is the summary. */
async function run(source: string, table: string, extra: string[] = [], env = {}) {
  const result = await local.cli(
    ['run', '--source', source, '--table', table, '--json', ...extra],
    {
      AWS_ENDPOINT_URL_DYNAMODB: proxy.endpoint,
      ...env,
    },
  );
  const errorLines = result.stderr.split('\n').filter((l) => l.startsWith('ERROR'));
  return { ...result, errorLines, summary: result.code === 2 ? null : JSON.parse(result.stdout) };
}

const allKeysSent = () => Object.values(proxy.counts().keys).flatMap((byKey) => Object.keys(byKey));

describe('FC-15: one over-long product_id among valid ones', { timeout: 120_000 }, () => {
  it('fails the long id alone before any DynamoDB call and stores the right cover and risk for the others', async () => {
    const table = await freshTable();
    const source = await csvSource('ids_long.csv');

    const { code, summary } = await run(source, table);

    expect(code).toBe(1);
    expect(summary.asOf).toBe(FC15_AS_OF);
    expect(summary.products.failed).toHaveLength(1);
    expect(summary.products.failed[0].productId).toBe(FC15_LONG_ID);
    expect(summary.products.failed[0].error).toContain(
      'is 2104 bytes long in UTF-8 (2104 characters); DynamoDB allows at most 2048 bytes',
    );
    expect(summary.products.written).toBe(3);
    expect(allKeysSent()).not.toContain(FC15_LONG_ID);
    expect([...new Set(allKeysSent())].sort()).toEqual(['SKU-A', 'SKU-B', 'SKU-C']);

    const a = await getItem(table, 'SKU-A');
    const b = await getItem(table, 'SKU-B');
    const c = await getItem(table, 'SKU-C');
    expect(a).toMatchObject({ stockout_risk: false, days_of_cover: 20, current_stock: 100 });
    expect(b?.stockout_risk).toBe(true);
    expect(b?.days_of_cover).toBeCloseTo(2.2, 1);
    expect(c).toMatchObject({ stockout_risk: true, days_of_cover: 0 });
    const atRisk = summary.stockRisk.filter((r: { stockoutRisk: boolean }) => r.stockoutRisk);
    expect(atRisk.map((r: { productId: string }) => r.productId).sort()).toEqual([
      'SKU-B',
      'SKU-C',
    ]);
    const riskB = summary.stockRisk.find((r: { productId: string }) => r.productId === 'SKU-B');
    expect(riskB.p90Total).toBeGreaterThan(20);
  });

  it('fails a 1,104-character id of Ä (2,208 bytes) that the emulator would accept', async () => {
    const table = await freshTable();
    const umlauts = 'Ä'.repeat(1104);
    const source = await csvSource('umlauts.csv', { 'SKU-A': 5, [umlauts]: 3 });

    const { code, summary } = await run(source, table);

    expect(code).toBe(1);
    expect(summary.products.failed.map((f: { productId: string }) => f.productId)).toEqual([
      umlauts,
    ]);
    expect(summary.products.failed[0].error).toContain('2208 bytes long in UTF-8');
    expect(summary.products.written).toBe(1);
    expect(allKeysSent()).not.toContain(umlauts);
  });
});

describe('DynamoDB faults', { timeout: 120_000 }, () => {
  it('keeps the stored risk and reorder fields when the stock read is throttled out, and exits 1 naming the products', async () => {
    const table = await freshTable([
      {
        product_id: 'SKU-A',
        current_stock: 100,
        stockout_risk: true,
        days_of_cover: 1.5,
        reorder_point: 40,
        suggested_order_qty: 12,
        reorder_by: '2025-01-02',
        price: 3,
      },
      { product_id: 'SKU-B', current_stock: 20, stockout_risk: false, days_of_cover: 9 },
    ]);
    const source = await csvSource('two.csv', { 'SKU-A': 5, 'SKU-B': 9 });
    proxy.setRules([
      { operation: 'BatchGetItem', fault: { error: 'ProvisionedThroughputExceededException' } },
    ]);

    const { code, summary, errorLines } = await run(source, table);

    expect(code).toBe(1);
    expect(summary.products.written).toBe(2);
    expect(summary.products.failed).toEqual([]);
    expect(summary.products.stockNotRead.map((p: { productId: string }) => p.productId)).toEqual([
      'SKU-A',
      'SKU-B',
    ]);
    expect(errorLines).toHaveLength(1);
    expect(errorLines[0]).toContain('current_stock could not be read for 2 written product(s)');
    expect(proxy.counts().requests.BatchGetItem).toBe(8);
    const a = await getItem(table, 'SKU-A');
    const b = await getItem(table, 'SKU-B');
    expect(a).toMatchObject({
      stockout_risk: true,
      days_of_cover: 1.5,
      reorder_point: 40,
      suggested_order_qty: 12,
      reorder_by: '2025-01-02',
      price: 3,
    });
    expect(a?.forecast_as_of).toBe(FC15_AS_OF);
    expect(b).toMatchObject({ stockout_risk: false, days_of_cover: 9 });
    expect(b).not.toHaveProperty('reorder_point');
    expect(summary.reorder).toEqual([]);
    expect(b?.forecasted_demand).toBeCloseTo(63, 0);
  });

  it('stops with exit 2 and one message when the table is keyed by another attribute, writing nothing', async () => {
    const table = `WrongKey-${++tableSeq}`;
    await local.dynamodb.send(
      new CreateTableCommand({
        TableName: table,
        AttributeDefinitions: [{ AttributeName: 'sku', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'sku', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    const source = await csvSource('schema.csv', { 'SKU-A': 5, 'SKU-B': 9 });

    const { code, stderr, errorLines } = await run(source, table);

    expect(code).toBe(2);
    expect(errorLines).toEqual([
      `ERROR: table "${table}" is keyed by sku (HASH, S); expected partition key product_id of type S or N and no sort key`,
    ]);
    expect(stderr).not.toContain('SKU-A');
    expect(proxy.counts().requests).toEqual({ DescribeTable: 1 });
  });

  it('stops with exit 2 and one message on AccessDenied at the first write, with no further writes', async () => {
    const ids = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`P${i}`, 1 + (i % 4)]));
    const table = await freshTable(
      Object.keys(ids).map((id) => ({ product_id: id, current_stock: 10 })),
    );
    const source = await csvSource('denied.csv', ids);
    proxy.setRules([{ operation: 'UpdateItem', fault: { error: 'AccessDeniedException' } }]);

    const { code, errorLines } = await run(source, table, ['--concurrency', '4']);

    expect(code).toBe(2);
    expect(errorLines).toHaveLength(1);
    expect(errorLines[0]).toContain(`DynamoDB denied UpdateItem on table "${table}"`);
    expect(errorLines[0]).toContain('read-only credentials cannot write forecasts');
    expect(proxy.counts().requests.UpdateItem).toBeLessThanOrEqual(4);
    expect(await getItem(table, 'P0')).toEqual({ product_id: 'P0', current_stock: 10 });
  });

  it('stops with exit 2 and one message when the DynamoDB endpoint is unreachable', async () => {
    const closedPort = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const { port } = s.address() as AddressInfo;
        s.close(() => resolve(port));
      });
    });
    const source = await csvSource('unreachable.csv', { 'SKU-A': 5, 'SKU-B': 9 });

    const { code, errorLines } = await run(source, 'AnyTable', [], {
      AWS_ENDPOINT_URL_DYNAMODB: `http://127.0.0.1:${closedPort}`,
    });

    expect(code).toBe(2);
    expect(errorLines).toHaveLength(1);
    expect(errorLines[0]).toContain(
      `DynamoDB at http://127.0.0.1:${closedPort} could not be reached`,
    );
  });
});
