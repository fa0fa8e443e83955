import {
  BatchGetItemCommand,
  DynamoDBClient,
  DynamoDBServiceException,
  ProvisionedThroughputExceededException,
  ResourceNotFoundException,
} from '@aws-sdk/client-dynamodb';
import type { BatchGetItemCommandInput } from '@aws-sdk/client-dynamodb';
import { exitKindOf } from '@retail-forecast/util';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { InvalidWriterOptionsError, TableNotFoundError, writeForecasts } from '../src/index';
import type { WriteOptions } from '../src/index';
import { makeForecast } from './fixtures';
import {
  answerStock,
  batchGetInputs,
  ddb,
  opts,
  recordingLogger,
  TABLE,
  updateFor,
  updateInputs,
  useMockDynamo,
} from './mockDynamo';

useMockDynamo();

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

  it('reads the batches in parallel, at most 8 calls in flight, with the same results', async () => {
    let inFlight = 0;
    let most = 0;
    ddb.on(BatchGetItemCommand).callsFake(async (input: BatchGetItemCommandInput) => {
      inFlight++;
      most = Math.max(most, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 5));
      inFlight--;
      const keys = input.RequestItems?.[TABLE]?.Keys ?? [];
      return {
        Responses: {
          [TABLE]: keys.map((k) => ({
            product_id: k.product_id,
            current_stock: { N: String(Number(k.product_id.S?.slice(1)) % 7) },
          })),
        },
      };
    });
    const forecasts = Array.from({ length: 1250 }, (_, i) => makeForecast(`P${i}`));

    const parallel = await writeForecasts(forecasts, opts({ concurrency: 32 }));
    const mostParallel = most;
    most = 0;
    const serial = await writeForecasts(forecasts, opts({ concurrency: 1 }));

    expect(batchGetInputs()).toHaveLength(26);
    expect(mostParallel).toBe(8);
    expect(most).toBe(1);
    expect(parallel).toEqual(serial);
    expect(Object.keys(parallel.stock)).toHaveLength(1250);
    expect(parallel.stock.P13).toEqual(serial.stock.P13);
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

  it('keeps the stored cover and risk of keys still unprocessed after the attempt bound, and reports them', async () => {
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
    expect(logger.warnings.some((w) => w.includes('stored cover and risk kept'))).toBe(true);
    expect(result.written).toBe(2);
    expect(result.failed).toEqual([]);
    expect(result.stockNotRead.map((s) => s.productId)).toEqual(['A', 'B']);
    expect(result.stockNotRead[0].reason).toContain('after 3 attempts');
    expect(updateFor('A').UpdateExpression).toBe(
      'SET #fd = :fd, #asOf = :asOf, #forecast = :forecast',
    );
    expect(updateFor('A').ExpressionAttributeNames).not.toHaveProperty('#doc');
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

  it('retries a throttled BatchGetItem, then keeps the stored cover and risk and reports the products', async () => {
    ddb
      .on(BatchGetItemCommand)
      .rejects(
        new ProvisionedThroughputExceededException({ message: 'Rate exceeded', $metadata: {} }),
      );

    const result = await writeForecasts([makeForecast('A')], {
      ...opts(),
      batchRetry: { maxAttempts: 4, baseDelayMs: 0 },
    });

    expect(batchGetInputs()).toHaveLength(4);
    expect(result.written).toBe(1);
    expect(result.stockNotRead).toEqual([
      {
        productId: 'A',
        reason:
          'current_stock not read after 4 attempts (ProvisionedThroughputExceededException: Rate exceeded)',
      },
    ]);
    expect(updateFor('A').UpdateExpression).not.toContain('REMOVE');
    expect(updateFor('A').UpdateExpression).not.toContain('#risk');
  });

  it('keeps the stored cover and risk when reading stock is denied, after one attempt', async () => {
    ddb.on(BatchGetItemCommand).rejects(
      new DynamoDBServiceException({
        name: 'AccessDeniedException',
        $fault: 'client',
        message: 'not authorized to perform: dynamodb:BatchGetItem',
        $metadata: { httpStatusCode: 400 },
      }),
    );

    const result = await writeForecasts([makeForecast('A')], opts());

    expect(batchGetInputs()).toHaveLength(1);
    expect(result.written).toBe(1);
    expect(result.stockNotRead[0].reason).toContain('AccessDeniedException');
    expect(updateFor('A').UpdateExpression).not.toContain('REMOVE');
  });

  it('splits a BatchGetItem rejected as invalid until only the bad key fails', async () => {
    ddb.on(BatchGetItemCommand).callsFake((input: BatchGetItemCommandInput) => {
      const keys = input.RequestItems?.[TABLE]?.Keys ?? [];
      if (keys.some((k) => k.product_id.S === 'BAD')) {
        throw new DynamoDBServiceException({
          name: 'ValidationException',
          $fault: 'client',
          message: 'One or more parameter values were invalid',
          $metadata: { httpStatusCode: 400 },
        });
      }
      return {
        Responses: {
          [TABLE]: keys.map((k) => ({ product_id: k.product_id, current_stock: { N: '70' } })),
        },
      };
    });
    const ids = ['A', 'B', 'BAD', 'C', 'D'];

    const result = await writeForecasts(
      ids.map((id) => makeForecast(id)),
      opts(),
    );

    expect(result.failed).toEqual([
      { productId: 'BAD', error: expect.stringContaining('ValidationException') },
    ]);
    expect(Object.keys(result.stock).sort()).toEqual(['A', 'B', 'C', 'D']);
    expect(updateInputs().map((i) => i.Key?.product_id.S)).not.toContain('BAD');
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
    expect(exitKindOf(err)).toBe('config');
    expect(updateInputs()).toHaveLength(0);
  });
});

describe('writeForecasts: misuse', () => {
  afterEach(() => vi.restoreAllMocks());

  it('rejects both client and clientConfig before any call, as a failure (exit 1)', async () => {
    const err = await writeForecasts([makeForecast('A')], {
      ...opts(),
      clientConfig: { region: 'us-east-1' },
    }).catch((e: unknown) => e);

    expect(err).toBeInstanceOf(InvalidWriterOptionsError);
    expect(exitKindOf(err)).toBe('failure');
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
