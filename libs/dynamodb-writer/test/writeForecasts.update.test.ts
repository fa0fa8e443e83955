import {
  ConditionalCheckFailedException,
  ProvisionedThroughputExceededException,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { writeForecasts } from '../src/index';
import { makeForecast } from './fixtures';
import {
  answerStock,
  batchGetInputs,
  ddb,
  opts,
  TABLE,
  updateFor,
  updateInputs,
  useMockDynamo,
} from './mockDynamo';

useMockDynamo();

describe('writeForecasts: the UpdateItem sent', () => {
  it('sets forecast attributes, cover and risk, guarded against stale overwrites', async () => {
    answerStock({ A: 10 });
    const forecast = makeForecast('A', {
      p50s: [1, 2, 3, 1.005, 2, 2, 3.3333],
      spread: 1,
      productName: 'Widget',
      category: 'Tools',
      fallbackReason: 'bedrock timeout',
      model: 'statistical:theta',
    });

    const result = await writeForecasts([forecast], opts());

    const input = updateFor('A');
    expect(input.TableName).toBe(TABLE);
    expect(input.Key).toEqual({ product_id: { S: 'A' } });
    expect(input.UpdateExpression).toBe(
      'SET #fd = :fd, #asOf = :asOf, #forecast = :forecast, #pn = if_not_exists(#pn, :pn), ' +
        '#cat = if_not_exists(#cat, :cat), #risk = :risk, #doc = :doc',
    );
    expect(input.ConditionExpression).toBe('attribute_not_exists(#asOf) OR #asOf <= :asOf');
    expect(input.ExpressionAttributeNames).toEqual({
      '#fd': 'forecasted_demand',
      '#asOf': 'forecast_as_of',
      '#forecast': 'forecast',
      '#pn': 'product_name',
      '#cat': 'category',
      '#doc': 'days_of_cover',
      '#risk': 'stockout_risk',
    });
    const values = input.ExpressionAttributeValues ?? {};
    // 1+2+3+1.005+2+2+3.3333 = 14.3383
    expect(values[':fd']).toEqual({ N: '14.34' });
    expect(values[':asOf']).toEqual({ S: '2025-04-28' });
    expect(values[':pn']).toEqual({ S: 'Widget' });
    expect(values[':cat']).toEqual({ S: 'Tools' });
    // mean p50 = 14.3383 / 7 = 2.0483; 10 / 2.0483 = 4.882
    expect(values[':doc']).toEqual({ N: '4.88' });
    // p90 total = 14.3383 + 7 = 21.34 > 10
    expect(values[':risk']).toEqual({ BOOL: true });
    const map = values[':forecast'].M ?? {};
    expect(map.as_of).toEqual({ S: '2025-04-28' });
    expect(map.horizon_days).toEqual({ N: '7' });
    expect(map.generated_at).toEqual({ S: '2025-04-29T06:00:00.000Z' });
    expect(map.run_id).toEqual({ S: 'run-1' });
    expect(map.model).toEqual({ S: 'statistical:theta' });
    expect(map.fallback_reason).toEqual({ S: 'bedrock timeout' });
    expect(map.daily.L).toHaveLength(7);
    expect(map.daily.L?.[0]).toEqual({
      M: { date: { S: '2025-04-29' }, p10: { N: '0' }, p50: { N: '1' }, p90: { N: '2' } },
    });
    expect(map.daily.L?.[6].M?.p50).toEqual({ N: '3.33' });
    expect(result.stock.A).toEqual({ currentStock: 10, daysOfCover: 4.88, stockoutRisk: true });
  });

  it('removes cover and risk when the item has no current_stock, and omits absent name, category and fallback', async () => {
    answerStock({ A: undefined });

    const result = await writeForecasts([makeForecast('A')], opts());

    const input = updateFor('A');
    expect(input.UpdateExpression).toBe(
      'SET #fd = :fd, #asOf = :asOf, #forecast = :forecast REMOVE #doc, #risk',
    );
    expect(Object.keys(input.ExpressionAttributeValues ?? {}).sort()).toEqual([
      ':asOf',
      ':fd',
      ':forecast',
    ]);
    expect(input.ExpressionAttributeValues?.[':forecast'].M).not.toHaveProperty('fallback_reason');
    expect(result.stock).toEqual({});
  });

  it('writes stockout_risk but removes days_of_cover when no demand is expected', async () => {
    answerStock({ A: 0, B: 3 });

    const result = await writeForecasts(
      [makeForecast('A', { p50: 0, spread: 0 }), makeForecast('B', { p50: 0, spread: 1 })],
      opts(),
    );

    expect(updateFor('A').UpdateExpression).toMatch(/#risk = :risk REMOVE #doc$/);
    expect(result.stock.A).toEqual({ currentStock: 0, daysOfCover: null, stockoutRisk: false });
    // p90 total 7 > 3 even though the median is zero.
    expect(result.stock.B).toEqual({ currentStock: 3, daysOfCover: null, stockoutRisk: true });
  });

  it('reports zero cover for negative stock (back-orders) and flags the risk', async () => {
    answerStock({ A: -4 });

    const result = await writeForecasts([makeForecast('A')], opts());

    expect(result.stock.A).toEqual({ currentStock: -4, daysOfCover: 0, stockoutRisk: true });
  });
});

describe('writeForecasts: outcomes per product', () => {
  it('counts a ConditionalCheckFailedException as skippedNewer, not failed', async () => {
    answerStock({ A: 10, B: 10 });
    ddb.on(UpdateItemCommand, { Key: { product_id: { S: 'B' } } }).rejects(
      new ConditionalCheckFailedException({
        message: 'The conditional request failed',
        $metadata: {},
      }),
    );

    const result = await writeForecasts([makeForecast('A'), makeForecast('B')], opts());

    expect(result.written).toBe(1);
    expect(result.skippedNewer).toEqual(['B']);
    expect(result.failed).toEqual([]);
    expect(Object.keys(result.stock)).toEqual(['A']);
  });

  it('reports a product still throttled after every pass, with its attempts and last error, without stopping the others', async () => {
    answerStock({});
    ddb
      .on(UpdateItemCommand, { Key: { product_id: { S: 'B' } } })
      .rejects(
        new ProvisionedThroughputExceededException({ message: 'Rate exceeded', $metadata: {} }),
      );

    const result = await writeForecasts(
      ['A', 'B', 'C'].map((id) => makeForecast(id)),
      opts(),
    );

    expect(result.written).toBe(2);
    expect(result.failed).toEqual([
      {
        productId: 'B',
        error:
          'not written: 10 attempts were made (last error: ProvisionedThroughputExceededException: Rate exceeded)',
      },
    ]);
    expect(updateInputs().filter((i) => i.Key?.product_id.S === 'B')).toHaveLength(10);
    expect(updateInputs().filter((i) => i.Key?.product_id.S === 'A')).toHaveLength(1);
  });

  it('reports a forecast that breaks its contract as failed and sends nothing for it', async () => {
    answerStock({});
    const bad = makeForecast('B');
    bad.daily[3].p90 = Number.NaN;
    const badDate = { ...makeForecast('C'), asOf: '28/04/2025' };

    const result = await writeForecasts([makeForecast('A'), bad, badDate], opts());

    expect(result.written).toBe(1);
    expect(result.failed.map((f) => f.productId)).toEqual(['B', 'C']);
    expect(result.failed[0].error).toContain('p90 on 2025-05-02 is NaN');
    expect(result.failed[1].error).toContain('"28/04/2025" is not a date');
    expect(updateInputs().map((i) => i.Key?.product_id.S)).toEqual(['A']);
  });

  it('writes a duplicated productId once and reports the repeat', async () => {
    answerStock({});

    const result = await writeForecasts(
      [makeForecast('A'), makeForecast('B'), makeForecast('A', { asOf: '2025-04-29' })],
      opts(),
    );

    expect(batchGetInputs()[0].RequestItems?.[TABLE].Keys).toHaveLength(2);
    expect(updateInputs()).toHaveLength(2);
    expect(updateFor('A').ExpressionAttributeValues?.[':asOf']).toEqual({ S: '2025-04-28' });
    expect(result.failed).toEqual([
      { productId: 'A', error: expect.stringContaining('appears more than once') },
    ]);
  });

  it('keeps at most `concurrency` UpdateItem calls in flight and reports progress for every product', async () => {
    answerStock({});
    let inFlight = 0;
    let peak = 0;
    ddb.on(UpdateItemCommand).callsFake(async () => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, 2));
      inFlight--;
      return {};
    });
    const progress: Array<[number, number]> = [];

    const result = await writeForecasts(
      Array.from({ length: 40 }, (_, i) => makeForecast(`P${i}`)),
      { ...opts(), concurrency: 5, onProgress: (d, t) => progress.push([d, t]) },
    );

    expect(result.written).toBe(40);
    expect(peak).toBe(5);
    expect(progress).toHaveLength(40);
    expect(progress.at(-1)).toEqual([40, 40]);
    expect(progress.map(([d]) => d)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
  });

  it('makes no call for an empty input', async () => {
    const result = await writeForecasts([], opts());

    expect(result).toEqual({
      written: 0,
      skippedNewer: [],
      failed: [],
      stock: {},
      stockNotRead: [],
    });
    expect(ddb.calls()).toHaveLength(0);
  });
});
