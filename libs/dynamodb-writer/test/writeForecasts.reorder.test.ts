import { BatchGetItemCommand } from '@aws-sdk/client-dynamodb';
import type { AttributeValue, BatchGetItemCommandInput } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { InvalidWriterOptionsError, writeForecasts } from '../src/index';
import { makeForecast } from './fixtures';
import {
  batchGetInputs,
  ddb,
  opts,
  recordingLogger,
  TABLE,
  updateFor,
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

  it('removes reorder_by when no order is due, and all three when stock is unknown', async () => {
    answerItems({ PLENTY: { current_stock: { N: '500' } }, UNKNOWN: {} });

    const result = await writeForecasts(
      [makeForecast('PLENTY'), makeForecast('UNKNOWN')],
      opts({ reorder: RUN_POLICY }),
    );

    expect(updateFor('PLENTY').UpdateExpression).toMatch(/#rop = :rop, #soq = :soq REMOVE #rby$/);
    expect(updateFor('UNKNOWN').UpdateExpression).toMatch(/REMOVE #doc, #risk, #rop, #soq, #rby$/);
    expect(Object.keys(result.reorder ?? {})).toEqual(['PLENTY']);
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
