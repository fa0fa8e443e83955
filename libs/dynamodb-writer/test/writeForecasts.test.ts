import {
  BatchGetItemCommand,
  ConditionalCheckFailedException,
  DynamoDBClient,
  ProvisionedThroughputExceededException,
  ResourceNotFoundException,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import type { BatchGetItemCommandInput, UpdateItemCommandInput } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { InvalidWriterOptionsError, TableNotFoundError, writeForecasts } from '../src/index';
import type { WriteOptions, WriterLogger } from '../src/index';
import { makeForecast } from './fixtures';

const ddb = mockClient(DynamoDBClient);
const TABLE = 'RetailInventoryTable';

function opts(extra: Partial<WriteOptions> = {}): WriteOptions {
  return {
    client: new DynamoDBClient({ region: 'eu-west-1' }),
    tableName: TABLE,
    runId: 'run-1',
    generatedAt: '2025-04-29T06:00:00.000Z',
    batchRetry: { baseDelayMs: 0 },
    ...extra,
  };
}

function recordingLogger(): WriterLogger & { warnings: string[] } {
  const warnings: string[] = [];
  return {
    warnings,
    debug() {},
    info() {},
    warn(message: string) {
      warnings.push(message);
    },
    error() {},
  };
}

/** Answers BatchGetItem with the given stock per product (products absent from `stock` have no item). */
function answerStock(stock: Record<string, number | undefined>) {
  ddb.on(BatchGetItemCommand).callsFake((input: BatchGetItemCommandInput) => {
    const keys = input.RequestItems?.[TABLE]?.Keys ?? [];
    const items = keys
      .map((k) => k.product_id.S as string)
      .filter((id) => id in stock)
      .map((id) =>
        stock[id] === undefined
          ? { product_id: { S: id } }
          : { product_id: { S: id }, current_stock: { N: String(stock[id]) } },
      );
    return { Responses: { [TABLE]: items } };
  });
}

function batchGetInputs(): BatchGetItemCommandInput[] {
  return ddb.commandCalls(BatchGetItemCommand).map((c) => c.args[0].input);
}

function updateInputs(): UpdateItemCommandInput[] {
  return ddb.commandCalls(UpdateItemCommand).map((c) => c.args[0].input);
}

function updateFor(id: string): UpdateItemCommandInput {
  const found = updateInputs().find((i) => i.Key?.product_id.S === id);
  if (!found) throw new Error(`no UpdateItem for ${id}`);
  return found;
}

beforeEach(() => {
  ddb.reset();
  ddb.on(UpdateItemCommand).resolves({});
});
afterAll(() => ddb.restore());

describe('writeForecasts: reading current_stock', () => {
  it('reads 250 products in 3 BatchGetItem calls of at most 100 keys, projecting only key and stock', async () => {
    answerStock({});
    const forecasts = Array.from({ length: 250 }, (_, i) => makeForecast(`P${i}`));

    const result = await writeForecasts(forecasts, opts());

    const calls = batchGetInputs();
    expect(calls.map((c) => c.RequestItems?.[TABLE].Keys?.length)).toEqual([100, 100, 50]);
    expect(calls[0].RequestItems?.[TABLE]).toMatchObject({
      ProjectionExpression: '#pk, #stock',
      ExpressionAttributeNames: { '#pk': 'product_id', '#stock': 'current_stock' },
    });
    const keysRead = calls.flatMap((c) => c.RequestItems?.[TABLE].Keys?.map((k) => k.product_id.S));
    expect(new Set(keysRead).size).toBe(250);
    expect(result.written).toBe(250);
    expect(updateInputs()).toHaveLength(250);
  });

  it('retries UnprocessedKeys until every product is read', async () => {
    let call = 0;
    ddb.on(BatchGetItemCommand).callsFake((input: BatchGetItemCommandInput) => {
      call++;
      const keys = input.RequestItems?.[TABLE]?.Keys ?? [];
      const [first, ...rest] = keys;
      // First answer: only one item, the rest handed back as unprocessed.
      const answered = call === 1 ? [first] : keys;
      return {
        Responses: {
          [TABLE]: answered.map((k) => ({ product_id: k.product_id, current_stock: { N: '50' } })),
        },
        UnprocessedKeys:
          call === 1 ? { [TABLE]: { ...input.RequestItems?.[TABLE], Keys: rest } } : {},
      };
    });

    const result = await writeForecasts(
      [makeForecast('A'), makeForecast('B'), makeForecast('C')],
      opts(),
    );

    const calls = batchGetInputs();
    expect(calls).toHaveLength(2);
    expect(calls[1].RequestItems?.[TABLE].Keys?.map((k) => k.product_id.S)).toEqual(['B', 'C']);
    expect(Object.keys(result.stock).sort()).toEqual(['A', 'B', 'C']);
    expect(result.stock.C).toEqual({ currentStock: 50, daysOfCover: 25, stockoutRisk: false });
  });

  it('treats keys still unprocessed after the attempt bound as unknown stock, with a warning, not a failure', async () => {
    ddb.on(BatchGetItemCommand).callsFake((input: BatchGetItemCommandInput) => ({
      Responses: { [TABLE]: [] },
      UnprocessedKeys: { [TABLE]: input.RequestItems?.[TABLE] },
    }));
    const logger = recordingLogger();

    const result = await writeForecasts([makeForecast('A'), makeForecast('B')], {
      ...opts(),
      logger,
      batchRetry: { maxAttempts: 3, baseDelayMs: 0 },
    });

    expect(batchGetInputs()).toHaveLength(3);
    expect(logger.warnings.some((w) => w.includes('unknown'))).toBe(true);
    expect(result).toEqual({ written: 2, skippedNewer: [], failed: [], stock: {} });
    expect(updateFor('A').UpdateExpression).toContain('REMOVE #doc, #risk');
  });

  it('treats a non-numeric current_stock as unknown', async () => {
    ddb.on(BatchGetItemCommand).resolves({
      Responses: { [TABLE]: [{ product_id: { S: 'A' }, current_stock: { S: 'lots' } }] },
    });
    const logger = recordingLogger();

    const result = await writeForecasts([makeForecast('A')], { ...opts(), logger });

    expect(result.stock).toEqual({});
    expect(logger.warnings).toHaveLength(1);
  });

  it('writes without cover and risk when BatchGetItem fails for another reason', async () => {
    ddb
      .on(BatchGetItemCommand)
      .rejects(
        new ProvisionedThroughputExceededException({ message: 'Rate exceeded', $metadata: {} }),
      );
    const logger = recordingLogger();

    const result = await writeForecasts([makeForecast('A')], { ...opts(), logger });

    expect(result).toEqual({ written: 1, skippedNewer: [], failed: [], stock: {} });
    expect(logger.warnings).toEqual([
      'BatchGetItem failed; current_stock unknown for these products',
    ]);
    expect(updateFor('A').UpdateExpression).toContain('REMOVE #doc, #risk');
  });

  it('throws TableNotFoundError naming the table and region when the first call finds no table', async () => {
    ddb
      .on(BatchGetItemCommand)
      .rejects(
        new ResourceNotFoundException({ message: 'Requested resource not found', $metadata: {} }),
      );

    const err = await writeForecasts([makeForecast('A')], opts()).catch((e: unknown) => e);

    expect(err).toBeInstanceOf(TableNotFoundError);
    expect((err as Error).message).toContain('"RetailInventoryTable"');
    expect((err as Error).message).toContain('eu-west-1');
    expect((err as Error).cause).toBeInstanceOf(ResourceNotFoundException);
    expect(updateInputs()).toHaveLength(0);
  });
});

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

  it('reports a product that still fails after SDK retries without throwing or stopping the others', async () => {
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
      { productId: 'B', error: 'ProvisionedThroughputExceededException: Rate exceeded' },
    ]);
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

    expect(result).toEqual({ written: 0, skippedNewer: [], failed: [], stock: {} });
    expect(ddb.calls()).toHaveLength(0);
  });
});

describe('writeForecasts: misuse', () => {
  afterEach(() => vi.restoreAllMocks());

  it('rejects both client and clientConfig before any call', async () => {
    await expect(
      writeForecasts([makeForecast('A')], { ...opts(), clientConfig: { region: 'us-east-1' } }),
    ).rejects.toThrow(InvalidWriterOptionsError);
    expect(ddb.calls()).toHaveLength(0);
  });

  it.each([
    [{ tableName: '' }, 'tableName ""'],
    [{ runId: ' ' }, 'runId " "'],
    [{ generatedAt: 'yesterday' }, 'generatedAt "yesterday" is not an ISO timestamp'],
    [{ concurrency: 0 }, 'concurrency 0 is not allowed'],
    [{ batchRetry: { maxAttempts: 0 } }, 'batchRetry.maxAttempts 0'],
  ] as Array<[Partial<WriteOptions>, string]>)('rejects %o', async (bad, message) => {
    await expect(writeForecasts([makeForecast('A')], opts(bad))).rejects.toThrow(message);
  });

  it('creates and destroys its own client from clientConfig', async () => {
    answerStock({});
    const destroy = vi.spyOn(DynamoDBClient.prototype, 'destroy');

    const result = await writeForecasts([makeForecast('A')], {
      ...opts(),
      client: undefined,
      clientConfig: { region: 'us-east-1' },
    });

    expect(result.written).toBe(1);
    expect(destroy).toHaveBeenCalledTimes(1);
  });
});
