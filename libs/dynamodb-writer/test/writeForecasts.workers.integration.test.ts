// writeForecasts with its UpdateItem calls on worker threads, against dynalite through the real
// SDK: the same results and the same stored items as on the main thread.
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { writeForecasts } from '../src/index';
import { createInventoryTable, seedInventory } from '../src/testing';
import { WORKER_THRESHOLD } from '../src/writeForecasts';
import { makeForecast, useLocalDynamo } from './fixtures';

const dynamo = useLocalDynamo();

const N = WORKER_THRESHOLD + 20;

async function seededTable(name: string): Promise<void> {
  await createInventoryTable(dynamo.client, name);
  await seedInventory(
    dynamo.client,
    name,
    Array.from({ length: N }, (_, k) => ({
      product_id: `P${k}`,
      price: 5,
      // Every 4th item holds stock; every 10th a newer forecast the run must leave alone.
      ...(k % 4 === 0 ? { current_stock: k % 30 } : {}),
      ...(k % 10 === 0 ? { forecast_as_of: '2025-05-01' } : {}),
    })),
  );
}

describe('writeForecasts on worker threads', () => {
  it('writes, skips and reports exactly as on the main thread, and stores the same items', async () => {
    const forecasts = Array.from({ length: N }, (_, k) =>
      makeForecast(`P${k}`, { p50: 1 + (k % 6), productName: `Product ${k}` }),
    );
    const common = {
      client: dynamo.client,
      runId: 'run-1',
      generatedAt: '2025-04-29T06:00:00.000Z',
      reorder: { leadTimeDays: 4, reviewPeriodDays: 7, serviceLevel: 0.95 },
    };
    await seededTable('OnMain');
    await seededTable('OnWorkers');

    const onMain = await writeForecasts(forecasts, { ...common, tableName: 'OnMain' });
    const onWorkers = await writeForecasts(forecasts, {
      ...common,
      tableName: 'OnWorkers',
      workers: 2,
    });

    expect(onWorkers).toEqual(onMain);
    expect(onWorkers.written).toBe(N - Math.ceil(N / 10));
    expect(onWorkers.skippedNewer).toHaveLength(Math.ceil(N / 10));
    for (const id of ['P0', 'P1', 'P4', 'P13', `P${N - 1}`]) {
      const read = async (table: string) =>
        (
          await dynamo.client.send(
            new GetItemCommand({ TableName: table, Key: { product_id: { S: id } } }),
          )
        ).Item;
      expect(await read('OnWorkers')).toEqual(await read('OnMain'));
    }
  }, 120_000);

  it('lists a product DynamoDB refuses as failed with its reason, as on the main thread', async () => {
    const forecasts = Array.from({ length: N }, (_, k) => makeForecast(`P${k}`));
    const results = [];
    for (const [table, workers] of [
      ['RefusingOnMain', 0],
      ['RefusingOnWorkers', 2],
    ] as const) {
      await createInventoryTable(dynamo.client, table);
      // Just under DynamoDB's 400 KB item limit: adding the forecast takes it over.
      await seedInventory(dynamo.client, table, [{ product_id: 'P7', notes: 'x'.repeat(409_300) }]);
      results.push(
        await writeForecasts(forecasts, {
          client: dynamo.client,
          tableName: table,
          runId: 'run-1',
          generatedAt: '2025-04-29T06:00:00.000Z',
          workers,
        }),
      );
    }
    expect(results[1]).toEqual(results[0]);
    expect(results[1].failed).toEqual([
      { productId: 'P7', error: expect.stringMatching(/^ValidationException: .*size/i) },
    ]);
    expect(results[1].written).toBe(N - 1);
  }, 120_000);
});
