import {
  BatchGetItemCommand,
  ProvisionedThroughputExceededException,
} from '@aws-sdk/client-dynamodb';
import type { AttributeValue, BatchGetItemCommandInput } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { InvalidWriterOptionsError, writeForecasts } from '../src/index';
import { makeForecast } from './fixtures';
import {
  batchGetInputs,
  ddb,
  describeTable,
  opts,
  recordingLogger,
  TABLE,
  updateFor,
  updateInputs,
  useMockDynamo,
} from './mockDynamo';

useMockDynamo();

/** P50 10 a day with a normal σ of 3 (p90 = p50 + z0.90·3). */
const SPREAD = 1.2815515655446004 * 3;
const RUN_POLICY = { leadTimeDays: 7, reviewPeriodDays: 7, serviceLevel: 0.95 };

function answerItems(items: Record<string, Record<string, AttributeValue>>) {
  ddb.on(BatchGetItemCommand).callsFake((input: BatchGetItemCommandInput) => {
    const keys = input.RequestItems?.[TABLE]?.Keys ?? [];
    const found = keys
      .map((k) => k.product_id.S as string)
      .filter((id) => id in items)
      .map((id) => ({ product_id: { S: id }, ...items[id] }));
    return { Responses: { [TABLE]: found } };
  });
}

describe('writeForecasts: reorder suggestions', () => {
  it('reads the replenishment attributes with the stock', async () => {
    answerItems({});
    await writeForecasts([makeForecast('A')], opts({ reorder: RUN_POLICY }));

    expect(batchGetInputs()[0].RequestItems?.[TABLE]).toMatchObject({
      ProjectionExpression: '#pk, #stock, #p0, #p1, #p2, #p3',
      ExpressionAttributeNames: {
        '#pk': 'product_id',
        '#stock': 'current_stock',
        '#p0': 'on_order',
        '#p1': 'lead_time_days',
        '#p2': 'review_period_days',
        '#p3': 'service_level',
      },
    });
  });

  it('writes reorder_point, suggested_order_qty and reorder_by, the item’s lead time winning', async () => {
    answerItems({
      A: { current_stock: { N: '60' }, on_order: { N: '20' }, lead_time_days: { N: '4' } },
    });

    const result = await writeForecasts(
      [makeForecast('A', { p50: 10, spread: SPREAD })],
      opts({ reorder: RUN_POLICY }),
    );

    // Lead time 4: s = ⌈40 + 1.645·6⌉ = 50; 11 days: S = ⌈110 + 1.645·√99⌉ = 127;
    // order 127 − (60 + 20) = 47; 80 − 10k < 50 at k = 4 → 2025-04-28 + 4
    const input = updateFor('A');
    expect(input.UpdateExpression).toMatch(/#rop = :rop, #soq = :soq, #rby = :rby$/);
    expect(input.ExpressionAttributeNames).toMatchObject({
      '#rop': 'reorder_point',
      '#soq': 'suggested_order_qty',
      '#rby': 'reorder_by',
    });
    expect(input.ExpressionAttributeValues).toMatchObject({
      ':rop': { N: '50' },
      ':soq': { N: '47' },
      ':rby': { S: '2025-05-02' },
    });
    expect(result.reorder?.A).toMatchObject({
      reorderPoint: 50,
      orderUpToLevel: 127,
      suggestedOrderQty: 47,
      reorderBy: '2025-05-02',
      policy: { leadTimeDays: 4, reviewPeriodDays: 7, serviceLevel: 0.95 },
    });
  });

  it('removes reorder_by when no order is due, and all three when the item has no current_stock', async () => {
    answerItems({ PLENTY: { current_stock: { N: '500' } }, UNKNOWN: {} });

    const result = await writeForecasts(
      [makeForecast('PLENTY'), makeForecast('UNKNOWN')],
      opts({ reorder: RUN_POLICY }),
    );

    expect(updateFor('PLENTY').UpdateExpression).toMatch(/#rop = :rop, #soq = :soq REMOVE #rby$/);
    expect(updateFor('UNKNOWN').UpdateExpression).toMatch(/REMOVE #doc, #risk, #rop, #soq, #rby$/);
    expect(Object.keys(result.reorder ?? {})).toEqual(['PLENTY']);
  });

  it('keeps the stored cover, risk and reorder fields of a product whose stock read failed', async () => {
    ddb
      .on(BatchGetItemCommand)
      .rejects(
        new ProvisionedThroughputExceededException({ message: 'Rate exceeded', $metadata: {} }),
      );

    const result = await writeForecasts(
      [makeForecast('A', { p50: 10, spread: SPREAD })],
      opts({ reorder: RUN_POLICY, batchRetry: { maxAttempts: 2, baseDelayMs: 0 } }),
    );

    // Neither SET nor REMOVE names them, so the stored values stay as they are.
    const input = updateFor('A');
    expect(input.UpdateExpression).toBe('SET #fd = :fd, #asOf = :asOf, #forecast = :forecast');
    for (const name of [
      'days_of_cover',
      'stockout_risk',
      'reorder_point',
      'suggested_order_qty',
      'reorder_by',
    ]) {
      expect(Object.values(input.ExpressionAttributeNames ?? {})).not.toContain(name);
    }
    expect(result.written).toBe(1);
    expect(result.reorder).toEqual({});
    expect(result.stock).toEqual({});
    expect(result.stockNotRead).toEqual([
      {
        productId: 'A',
        reason: expect.stringContaining('current_stock not read after 2 attempts'),
      },
    ]);
  });

  it('reads and writes the reorder attributes with Number keys when the table key is N', async () => {
    describeTable('N');
    ddb.on(BatchGetItemCommand).resolves({
      Responses: {
        [TABLE]: [
          {
            product_id: { N: '1001' },
            current_stock: { N: '60' },
            on_order: { N: '20' },
            lead_time_days: { N: '4' },
          },
        ],
      },
    });

    const result = await writeForecasts(
      [makeForecast('1001', { p50: 10, spread: SPREAD })],
      opts({ reorder: RUN_POLICY }),
    );

    expect(batchGetInputs()[0].RequestItems?.[TABLE]).toMatchObject({
      Keys: [{ product_id: { N: '1001' } }],
      ProjectionExpression: '#pk, #stock, #p0, #p1, #p2, #p3',
    });
    const updates = updateInputs();
    expect(updates).toHaveLength(1);
    expect(updates[0].Key).toEqual({ product_id: { N: '1001' } });
    expect(updates[0].ExpressionAttributeValues).toMatchObject({
      ':rop': { N: '50' },
      ':soq': { N: '47' },
      ':rby': { S: '2025-05-02' },
    });
    expect(result.reorder?.['1001']).toMatchObject({
      reorderPoint: 50,
      suggestedOrderQty: 47,
      policy: { leadTimeDays: 4 },
    });
    expect(result.stockNotRead).toEqual([]);
  });

  it('ignores an invalid item attribute with a warning and uses the run’s value', async () => {
    answerItems({ A: { current_stock: { N: '0' }, service_level: { N: '95' } } });
    const logger = recordingLogger();

    const result = await writeForecasts([makeForecast('A')], opts({ reorder: RUN_POLICY, logger }));

    expect(result.reorder?.A.policy.serviceLevel).toBe(0.95);
    expect(logger.warnings.some((w) => w.startsWith('service_level is not a probability'))).toBe(
      true,
    );
  });

  it('rejects an invalid run policy before any call', async () => {
    await expect(
      writeForecasts([makeForecast('A')], opts({ reorder: { ...RUN_POLICY, serviceLevel: 2 } })),
    ).rejects.toThrow(InvalidWriterOptionsError);
    expect(batchGetInputs()).toHaveLength(0);
  });
});
