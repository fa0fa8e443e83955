import {
  CreateTableCommand,
  GetItemCommand,
  PutItemCommand,
  ScanCommand,
} from '@aws-sdk/client-dynamodb';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { TableNotFoundError, writeForecasts } from '../src/index';
import type { WriteOptions } from '../src/index';
import { createInventoryTable, seedInventory } from '../src/testing';
import { makeForecast, useLocalDynamo } from './fixtures';

let tableSeq = 0;

const dynamo = useLocalDynamo();

/** A fresh table per test keeps the tests independent on one server. */
async function freshTable(): Promise<string> {
  const name = `RetailInventoryTable-${++tableSeq}`;
  await createInventoryTable(dynamo.client, name);
  return name;
}

function options(tableName: string, runId = 'run-1'): WriteOptions {
  return {
    client: dynamo.client,
    tableName,
    runId,
    generatedAt: `2025-04-29T06:00:0${tableSeq % 10}.000Z`,
    batchRetry: { baseDelayMs: 1 },
  };
}

async function getItem(
  tableName: string,
  id: string,
): Promise<Record<string, AttributeValue> | undefined> {
  const { Item } = await dynamo.client.send(
    new GetItemCommand({
      TableName: tableName,
      Key: { product_id: { S: id } },
      ConsistentRead: true,
    }),
  );
  return Item;
}

// Generous timeouts: the emulator is slow on a busy 2-core machine; nothing here measures speed.
describe('writeForecasts against dynalite', { timeout: 60_000 }, () => {
  it('keeps attributes owned by other systems and adds the forecast', async () => {
    const table = await freshTable();
    await seedInventory(dynamo.client, table, [
      {
        product_id: 'P100',
        product_name: 'Wireless Mouse',
        category: 'Electronics',
        price: 24.99,
        rating: 4.4,
        current_stock: 10,
        supplier: { name: 'ACME', lead_time_days: 5 },
      },
    ]);
    const forecast = makeForecast('P100', {
      p50: 2,
      spread: 1,
      productName: 'Renamed Mouse',
      category: 'Gadgets',
    });

    const result = await writeForecasts([forecast], options(table));

    const item = await getItem(table, 'P100');
    expect(result).toEqual({
      written: 1,
      skippedNewer: [],
      failed: [],
      stock: { P100: { currentStock: 10, daysOfCover: 5, stockoutRisk: true } },
      stockNotRead: [],
    });
    expect(item).toMatchObject({
      product_name: { S: 'Wireless Mouse' },
      category: { S: 'Electronics' },
      price: { N: '24.99' },
      rating: { N: '4.4' },
      current_stock: { N: '10' },
      supplier: { M: { name: { S: 'ACME' }, lead_time_days: { N: '5' } } },
      forecasted_demand: { N: '14' },
      forecast_as_of: { S: '2025-04-28' },
      days_of_cover: { N: '5' },
      stockout_risk: { BOOL: true },
    });
    expect(item?.forecast.M?.daily.L).toHaveLength(7);
    expect(item?.forecast.M?.daily.L?.[6].M).toEqual({
      date: { S: '2025-05-05' },
      p10: { N: '1' },
      p50: { N: '2' },
      p90: { N: '3' },
    });
  });

  it('stores what the outlier cleaning replaced in the forecast map, and drops it when a later run has none', async () => {
    const table = await freshTable();
    const outliers = {
      count: 3,
      recent: [
        { date: '2025-04-22', value: 0, replacement: 141.24 },
        { date: '2025-04-23', value: 0, replacement: 98.5 },
      ],
    };
    await writeForecasts([{ ...makeForecast('P1'), outliers }], options(table));
    expect((await getItem(table, 'P1'))?.forecast.M?.outliers).toEqual({
      M: {
        count: { N: '3' },
        recent: {
          L: [
            {
              M: {
                date: { S: '2025-04-22' },
                value: { N: '0' },
                replacement: { N: '141.24' },
              },
            },
            {
              M: { date: { S: '2025-04-23' }, value: { N: '0' }, replacement: { N: '98.5' } },
            },
          ],
        },
      },
    });
    await writeForecasts([makeForecast('P1')], options(table, 'run-2'));
    expect((await getItem(table, 'P1'))?.forecast.M).not.toHaveProperty('outliers');
  });

  it('creates a missing item with the forecast name and category', async () => {
    const table = await freshTable();

    const result = await writeForecasts(
      [makeForecast('NEW1', { productName: 'Desk Lamp', category: 'Home' })],
      options(table),
    );

    const item = await getItem(table, 'NEW1');
    expect(result.written).toBe(1);
    expect(item?.product_name).toEqual({ S: 'Desk Lamp' });
    expect(item?.category).toEqual({ S: 'Home' });
    expect(item?.forecast.M?.model).toEqual({ S: 'statistical:ets(A,N,A)' });
    expect(item).not.toHaveProperty('days_of_cover');
    expect(item).not.toHaveProperty('stockout_risk');
  });

  it('computes cover and risk only where current_stock exists, and clears a stale risk', async () => {
    const table = await freshTable();
    await seedInventory(dynamo.client, table, [
      { product_id: 'PLENTY', current_stock: 100 },
      // No stock any more, but an earlier run left cover and risk behind.
      { product_id: 'STALE', days_of_cover: 1.5, stockout_risk: true, price: 3 },
    ]);

    const result = await writeForecasts(
      [makeForecast('PLENTY', { p50: 2 }), makeForecast('STALE', { p50: 2 })],
      options(table),
    );

    const plenty = await getItem(table, 'PLENTY');
    const stale = await getItem(table, 'STALE');
    expect(plenty?.days_of_cover).toEqual({ N: '50' });
    expect(plenty?.stockout_risk).toEqual({ BOOL: false });
    expect(stale).not.toHaveProperty('days_of_cover');
    expect(stale).not.toHaveProperty('stockout_risk');
    expect(stale?.price).toEqual({ N: '3' });
    expect(Object.keys(result.stock)).toEqual(['PLENTY']);
  });

  it('reads the replenishment attributes and writes reorder fields on a Number-keyed table', async () => {
    const table = `NumberKeyed-${++tableSeq}`;
    await dynamo.client.send(
      new CreateTableCommand({
        TableName: table,
        AttributeDefinitions: [{ AttributeName: 'product_id', AttributeType: 'N' }],
        KeySchema: [{ AttributeName: 'product_id', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    await dynamo.client.send(
      new PutItemCommand({
        TableName: table,
        Item: {
          product_id: { N: '1001' },
          current_stock: { N: '60' },
          on_order: { N: '20' },
          lead_time_days: { N: '4' },
        },
      }),
    );
    const spread = 1.2815515655446004 * 3;

    const result = await writeForecasts([makeForecast('1001', { p50: 10, spread })], {
      ...options(table),
      reorder: { leadTimeDays: 7, reviewPeriodDays: 7, serviceLevel: 0.95 },
    });

    const { Item } = await dynamo.client.send(
      new GetItemCommand({
        TableName: table,
        Key: { product_id: { N: '1001' } },
        ConsistentRead: true,
      }),
    );
    // The item's lead time (4) and on_order (20) were read: s = 50, S = 127, order 127 − 80.
    expect(Item).toMatchObject({
      reorder_point: { N: '50' },
      suggested_order_qty: { N: '47' },
      reorder_by: { S: '2025-05-02' },
      on_order: { N: '20' },
    });
    expect(result.reorder?.['1001'].policy.leadTimeDays).toBe(4);
    expect(result.stockNotRead).toEqual([]);
  });

  it('is idempotent when rerun for the same as-of, apart from run id and generation time', async () => {
    const table = await freshTable();
    await seedInventory(dynamo.client, table, [{ product_id: 'A', current_stock: 7, price: 1 }]);
    const forecasts = [makeForecast('A', { p50: 1.234 }), makeForecast('B', { p50: 3 })];

    const first = await writeForecasts(forecasts, options(table, 'run-1'));
    const before = await getItem(table, 'A');
    const second = await writeForecasts(forecasts, {
      ...options(table, 'run-2'),
      generatedAt: '2025-04-29T07:30:00.000Z',
    });
    const after = await getItem(table, 'A');

    expect(second).toEqual(first);
    expect(after?.forecast.M?.run_id).toEqual({ S: 'run-2' });
    expect(after?.forecast.M?.generated_at).toEqual({ S: '2025-04-29T07:30:00.000Z' });
    const strip = (item: Record<string, AttributeValue> | undefined) => {
      const { run_id: _r, generated_at: _g, ...rest } = item?.forecast.M ?? {};
      return { ...item, forecast: rest };
    };
    expect(strip(after)).toEqual(strip(before));
  });

  it('never lets an older as-of overwrite a newer forecast, but lets a newer one replace it', async () => {
    const table = await freshTable();
    await writeForecasts([makeForecast('A', { asOf: '2025-04-28', p50: 5 })], options(table));

    const older = await writeForecasts(
      [
        makeForecast('A', { asOf: '2025-04-27', p50: 1 }),
        makeForecast('B', { asOf: '2025-04-27' }),
      ],
      options(table),
    );
    const afterOlder = await getItem(table, 'A');
    const newer = await writeForecasts(
      [makeForecast('A', { asOf: '2025-04-29', p50: 9 })],
      options(table),
    );
    const afterNewer = await getItem(table, 'A');

    expect(older.written).toBe(1);
    expect(older.skippedNewer).toEqual(['A']);
    expect(older.failed).toEqual([]);
    expect(afterOlder?.forecast_as_of).toEqual({ S: '2025-04-28' });
    expect(afterOlder?.forecasted_demand).toEqual({ N: '35' });
    expect(newer.written).toBe(1);
    expect(afterNewer?.forecast_as_of).toEqual({ S: '2025-04-29' });
    expect(afterNewer?.forecasted_demand).toEqual({ N: '63' });
  });

  it('pages BatchGetItem for more than 100 products', async () => {
    const table = await freshTable();
    const ids = Array.from({ length: 201 }, (_, i) => `P${String(i).padStart(3, '0')}`);
    await seedInventory(
      dynamo.client,
      table,
      ids.map((id, i) => ({ product_id: id, current_stock: i })),
      { baseDelayMs: 1 },
    );

    const result = await writeForecasts(
      ids.map((id) => makeForecast(id, { p50: 1, spread: 0 })),
      options(table),
    );

    expect(result.written).toBe(201);
    expect(result.failed).toEqual([]);
    expect(Object.keys(result.stock)).toHaveLength(201);
    // Stock i, demand 7 over 7 days: cover i days; at risk while i < 7.
    expect(result.stock.P150).toEqual({ currentStock: 150, daysOfCover: 150, stockoutRisk: false });
    expect(result.stock.P003).toEqual({ currentStock: 3, daysOfCover: 3, stockoutRisk: true });
    const { Items } = await dynamo.client.send(new ScanCommand({ TableName: table }));
    expect(Items?.filter((it) => it.forecast_as_of?.S === '2025-04-28')).toHaveLength(201);
  });

  it('works through a client it creates from clientConfig', async () => {
    const table = await freshTable();

    const result = await writeForecasts([makeForecast('A')], {
      ...options(table),
      client: undefined,
      clientConfig: dynamo.local.clientConfig,
    });

    expect(result.written).toBe(1);
    expect((await getItem(table, 'A'))?.forecast_as_of).toEqual({ S: '2025-04-28' });
  });

  it('throws TableNotFoundError for a missing table', async () => {
    await expect(writeForecasts([makeForecast('A')], options('NoSuchTable'))).rejects.toThrow(
      TableNotFoundError,
    );
    await expect(writeForecasts([makeForecast('A')], options('NoSuchTable'))).rejects.toThrow(
      '"NoSuchTable" was not found in region us-east-1',
    );
  });

  it('accepts creating a table that already exists', async () => {
    const table = await freshTable();

    expect(await createInventoryTable(dynamo.client, table)).toEqual({ created: false });
  });
});
