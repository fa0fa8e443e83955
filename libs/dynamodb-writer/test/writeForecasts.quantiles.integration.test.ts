import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { writeForecasts } from '../src/index';
import { createInventoryTable } from '../src/testing';
import { makeForecast, useLocalDynamo } from './fixtures';

const dynamo = useLocalDynamo();

describe('extra quantile levels against dynalite', { timeout: 60_000 }, () => {
  it('stores each day’s extra levels as a quantiles map next to p10/p50/p90', async () => {
    await createInventoryTable(dynamo.client, 'Quantiles');
    const base = makeForecast('Q1', { p50: 4, spread: 2 });
    const forecast = {
      ...base,
      daily: base.daily.map((d, k) => ({ ...d, quantiles: { '0.05': 1.5, '0.95': 7 + k } })),
    };
    const plain = makeForecast('Q2', { p50: 4, spread: 2 });

    const result = await writeForecasts([forecast, plain], {
      client: dynamo.client,
      tableName: 'Quantiles',
      runId: 'run-q',
      generatedAt: '2025-04-29T06:00:00.000Z',
    });

    expect(result.written).toBe(2);
    const get = async (id: string) =>
      (
        await dynamo.client.send(
          new GetItemCommand({
            TableName: 'Quantiles',
            Key: { product_id: { S: id } },
            ConsistentRead: true,
          }),
        )
      ).Item;
    const day = (await get('Q1'))?.forecast.M?.daily.L?.[3].M;
    expect(day).toEqual({
      date: { S: '2025-05-02' },
      p10: { N: '2' },
      p50: { N: '4' },
      p90: { N: '6' },
      quantiles: { M: { '0.05': { N: '1.5' }, '0.95': { N: '10' } } },
    });
    // Without extra levels the day keeps its old layout.
    expect(Object.keys((await get('Q2'))?.forecast.M?.daily.L?.[3].M ?? {})).toEqual([
      'date',
      'p10',
      'p50',
      'p90',
    ]);
  });

  it('rejects a negative extra level, naming the product, level and day, and writes nothing for it', async () => {
    await createInventoryTable(dynamo.client, 'QuantilesBad');
    const base = makeForecast('B1');
    const bad = {
      ...base,
      daily: base.daily.map((d) => ({ ...d, quantiles: { '0.95': -1 } })),
    };
    const result = await writeForecasts([bad], {
      client: dynamo.client,
      tableName: 'QuantilesBad',
      runId: 'run-q',
      generatedAt: '2025-04-29T06:00:00.000Z',
    });
    expect(result.written).toBe(0);
    expect(result.failed[0].error).toMatch(
      /product B1: quantile 0.95 on 2025-04-29 is -1 \(expected a finite number >= 0\)/,
    );
  });
});
