import {
  BatchGetItemCommand,
  DescribeTableCommand,
  DynamoDBServiceException,
  ProvisionedThroughputExceededException,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { exitKindOf } from '@retail-forecast/util';
import { describe, expect, it } from 'vitest';
import {
  DynamoDbAccessDeniedError,
  DynamoDbUnreachableError,
  KeySchemaMismatchError,
  WriterRetryStrategy,
  writeForecasts,
} from '../src/index';
import { makeForecast } from './fixtures';
import {
  answerStock,
  batchGetInputs,
  ddb,
  describeTable,
  opts,
  recordingLogger,
  TABLE,
  updateInputs,
  useMockDynamo,
} from './mockDynamo';

useMockDynamo();

function serviceError(name: string, message = name, status = 400) {
  return new DynamoDBServiceException({
    name,
    $fault: status >= 500 ? 'server' : 'client',
    message,
    $metadata: { httpStatusCode: status },
  });
}

const throttled = () =>
  new ProvisionedThroughputExceededException({ message: 'Rate exceeded', $metadata: {} });

describe('writeForecasts: product keys checked before any call', () => {
  it('fails an id over 2,048 UTF-8 bytes alone, counting bytes, not characters', async () => {
    answerStock({ A: 100 });
    const ascii = `SKU-${'X'.repeat(2100)}`;
    const umlauts = 'Ä'.repeat(1104); // 1,104 characters, 2,208 bytes
    const atLimit = 'Ä'.repeat(1024); // 2,048 bytes: allowed

    const result = await writeForecasts(
      [makeForecast('A'), makeForecast(ascii), makeForecast(umlauts), makeForecast(atLimit)],
      opts(),
    );

    expect(result.failed.map((f) => f.productId)).toEqual([ascii, umlauts]);
    expect(result.failed[0].error).toContain('is 2104 bytes long in UTF-8 (2104 characters)');
    expect(result.failed[1].error).toContain('is 2208 bytes long in UTF-8 (1104 characters)');
    const sentKeys = [
      ...batchGetInputs().flatMap((c) => c.RequestItems?.[TABLE].Keys ?? []),
      ...updateInputs().map((u) => u.Key ?? {}),
    ].map((k) => k.product_id.S);
    expect(sentKeys).not.toContain(ascii);
    expect(sentKeys).not.toContain(umlauts);
    expect(result.written).toBe(2);
    expect(result.stock.A).toEqual({ currentStock: 100, daysOfCover: 50, stockoutRisk: false });
  });

  it('fails an empty id alone', async () => {
    answerStock({});

    const result = await writeForecasts([makeForecast(''), makeForecast('A')], opts());

    expect(result.failed).toEqual([
      { productId: '', error: 'productId "" is not allowed (expected a non-empty string)' },
    ]);
    expect(result.written).toBe(1);
  });
});

describe('writeForecasts: the table checked once up front', () => {
  it('stops with a config error naming the key when the table is keyed by another attribute', async () => {
    describeTable('S', 'sku');

    const err = await writeForecasts([makeForecast('A')], opts()).catch((e: unknown) => e);

    expect(err).toBeInstanceOf(KeySchemaMismatchError);
    expect((err as Error).message).toBe(
      'table "RetailInventoryTable" is keyed by sku (HASH, S); expected partition key product_id of type S or N and no sort key',
    );
    expect(exitKindOf(err)).toBe('config');
    expect(ddb.commandCalls(DescribeTableCommand)).toHaveLength(1);
    expect(batchGetInputs()).toHaveLength(0);
    expect(updateInputs()).toHaveLength(0);
  });

  it('writes Number keys when the table key is N and every id is a number', async () => {
    describeTable('N');
    ddb.on(BatchGetItemCommand).resolves({
      Responses: { [TABLE]: [{ product_id: { N: '1001' }, current_stock: { N: '30' } }] },
    });

    const result = await writeForecasts([makeForecast('1001'), makeForecast('-7')], opts());

    expect(batchGetInputs()[0].RequestItems?.[TABLE].Keys).toEqual([
      { product_id: { N: '1001' } },
      { product_id: { N: '-7' } },
    ]);
    expect(updateInputs().map((u) => u.Key)).toEqual([
      { product_id: { N: '1001' } },
      { product_id: { N: '-7' } },
    ]);
    expect(result.written).toBe(2);
    expect(result.stock['1001']).toEqual({
      currentStock: 30,
      daysOfCover: 15,
      stockoutRisk: false,
    });
  });

  it('stops naming the ids when the table key is N but some ids are not plain numbers', async () => {
    describeTable('N');

    const err = await writeForecasts(
      ['12', 'SKU-9', '007'].map((id) => makeForecast(id)),
      opts(),
    ).catch((e: unknown) => e);

    expect(err).toBeInstanceOf(KeySchemaMismatchError);
    expect((err as Error).message).toContain(
      'has a Number partition key product_id but 2 product id(s) are not plain numbers: "SKU-9", "007"',
    );
    expect(updateInputs()).toHaveLength(0);
  });

  it('stops with one config error when DescribeTable cannot reach the endpoint', async () => {
    ddb
      .on(DescribeTableCommand)
      .rejects(
        Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' }),
      );

    const err = await writeForecasts([makeForecast('A')], opts()).catch((e: unknown) => e);

    expect(err).toBeInstanceOf(DynamoDbUnreachableError);
    expect((err as Error).message).toContain('could not be reached (Error: connect ECONNREFUSED');
    expect(exitKindOf(err)).toBe('config');
    expect(updateInputs()).toHaveLength(0);
  });
});

describe('writeForecasts: denied writes stop the run', () => {
  it('throws one config error and sends no update beyond those already in flight', async () => {
    answerStock({});
    ddb.on(UpdateItemCommand).rejects(serviceError('AccessDeniedException', 'not authorized'));
    const logger = recordingLogger();
    const errors: string[] = [];
    logger.error = (m: string) => void errors.push(m);

    const err = await writeForecasts(
      Array.from({ length: 50 }, (_, i) => makeForecast(`P${i}`)),
      { ...opts(), concurrency: 4, logger },
    ).catch((e: unknown) => e);

    expect(err).toBeInstanceOf(DynamoDbAccessDeniedError);
    expect((err as Error).message).toContain(
      'DynamoDB denied UpdateItem on table "RetailInventoryTable" (AccessDeniedException: not authorized)',
    );
    expect(exitKindOf(err)).toBe('config');
    expect(updateInputs().length).toBeLessThanOrEqual(4);
    expect(errors).toEqual([]);
  });
});

describe('writeForecasts: throttled updates retried in passes', () => {
  it('retries a throttled product until it is written, leaving the others alone', async () => {
    answerStock({ A: 10 });
    ddb
      .on(UpdateItemCommand, { Key: { product_id: { S: 'A' } } })
      .rejectsOnce(throttled())
      .rejectsOnce(serviceError('InternalServerError', 'boom', 500))
      .resolves({});

    const result = await writeForecasts([makeForecast('A'), makeForecast('B')], opts());

    expect(result.written).toBe(2);
    expect(result.failed).toEqual([]);
    expect(updateInputs().filter((u) => u.Key?.product_id.S === 'A')).toHaveLength(3);
    expect(updateInputs().filter((u) => u.Key?.product_id.S === 'B')).toHaveLength(1);
    expect(result.stock.A.stockoutRisk).toBe(true);
  });

  it('stops at the deadline and lists what is left with the reason', async () => {
    answerStock({});
    const deadline = new AbortController();
    let calls = 0;
    ddb.on(UpdateItemCommand, { Key: { product_id: { S: 'B' } } }).callsFake(() => {
      if (++calls === 2) deadline.abort();
      throw throttled();
    });

    const result = await writeForecasts([makeForecast('A'), makeForecast('B')], {
      ...opts(),
      deadline: deadline.signal,
    });

    expect(calls).toBe(2);
    expect(result.written).toBe(1);
    expect(result.failed).toEqual([
      {
        productId: 'B',
        error:
          'not written: the write deadline passed (last error: ProvisionedThroughputExceededException: Rate exceeded)',
      },
    ]);
  });

  it('lists every product without a call when the deadline has already passed', async () => {
    answerStock({});

    const result = await writeForecasts([makeForecast('A')], {
      ...opts(),
      deadline: new Date(Date.now() - 1000),
    });

    expect(updateInputs()).toHaveLength(0);
    expect(result.failed[0].error).toBe(
      'not written: the write deadline passed (last error: none, never sent)',
    );
  });

  it('rejects a deadline that is not a date or a signal', async () => {
    await expect(
      writeForecasts([makeForecast('A')], { ...opts(), deadline: new Date('soon') }),
    ).rejects.toThrow('deadline Invalid Date is not allowed');
  });
});

describe('WriterRetryStrategy', () => {
  it('hands throttles back to the writer but retries transient errors', async () => {
    const strategy = new WriterRetryStrategy(3);
    const token = await strategy.acquireInitialRetryToken('dynamodb');

    await expect(
      strategy.refreshRetryTokenForRetry(token, { errorType: 'THROTTLING' }),
    ).rejects.toThrow('throttles are retried by the writer');
    const next = await strategy.refreshRetryTokenForRetry(token, { errorType: 'TRANSIENT' });
    expect(next.getRetryCount()).toBe(1);
  });
});
