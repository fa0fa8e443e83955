import {
  BatchWriteItemCommand,
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceInUseException,
} from '@aws-sdk/client-dynamodb';
import type { BatchWriteItemCommandInput } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { exitKindOf } from '@retail-forecast/util';
import { createInventoryTable, seedInventory, UnprocessedItemsError } from '../src/testing';
import { TableNotActiveError } from '../src/testing';

const ddb = mockClient(DynamoDBClient);
const client = new DynamoDBClient({ region: 'us-east-1' });

beforeEach(() => ddb.reset());
afterAll(() => ddb.restore());

describe('seedInventory', () => {
  it('writes 60 items in calls of at most 25 and retries UnprocessedItems', async () => {
    let call = 0;
    ddb.on(BatchWriteItemCommand).callsFake((input: BatchWriteItemCommandInput) => {
      call++;
      const requests = input.RequestItems?.T ?? [];
      // The first call leaves its last 5 requests unprocessed.
      return call === 1 ? { UnprocessedItems: { T: requests.slice(20) } } : {};
    });
    const items = Array.from({ length: 60 }, (_, i) => ({ product_id: `P${i}`, current_stock: i }));

    await seedInventory(client, 'T', items, { baseDelayMs: 0 });

    const sizes = ddb
      .commandCalls(BatchWriteItemCommand)
      .map((c) => c.args[0].input.RequestItems?.T.length);
    expect(sizes).toEqual([25, 5, 25, 10]);
    const second = ddb.commandCalls(BatchWriteItemCommand)[1].args[0].input.RequestItems?.T;
    expect(second?.[0].PutRequest?.Item).toEqual({
      product_id: { S: 'P20' },
      current_stock: { N: '20' },
    });
  });

  it('throws UnprocessedItemsError when items stay unprocessed past the bound', async () => {
    ddb.on(BatchWriteItemCommand).callsFake((input: BatchWriteItemCommandInput) => ({
      UnprocessedItems: input.RequestItems,
    }));

    await expect(
      seedInventory(client, 'T', [{ product_id: 'A' }], { maxAttempts: 2, baseDelayMs: 0 }),
    ).rejects.toThrow(UnprocessedItemsError);
    expect(ddb.commandCalls(BatchWriteItemCommand)).toHaveLength(2);
  });

  it('rejects an item without a product_id before writing anything', async () => {
    await expect(
      seedInventory(client, 'T', [{ product_id: 'A' }, { product_id: '' }]),
    ).rejects.toThrow('items[1].product_id');
    expect(ddb.calls()).toHaveLength(0);
  });
});

describe('createInventoryTable', () => {
  it('creates an on-demand table keyed by product_id and waits for ACTIVE', async () => {
    ddb.on(CreateTableCommand).resolves({});
    ddb
      .on(DescribeTableCommand)
      .resolvesOnce({ Table: { TableStatus: 'CREATING' } })
      .resolves({ Table: { TableStatus: 'ACTIVE' } });

    const result = await createInventoryTable(client, 'T');

    expect(result).toEqual({ created: true });
    expect(ddb.commandCalls(CreateTableCommand)[0].args[0].input).toEqual({
      TableName: 'T',
      AttributeDefinitions: [{ AttributeName: 'product_id', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'product_id', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    });
    expect(ddb.commandCalls(DescribeTableCommand)).toHaveLength(2);
  });

  it('accepts an existing table', async () => {
    ddb
      .on(CreateTableCommand)
      .rejects(new ResourceInUseException({ message: 'Table already exists', $metadata: {} }));
    ddb.on(DescribeTableCommand).resolves({ Table: { TableStatus: 'ACTIVE' } });

    expect(await createInventoryTable(client, 'T')).toEqual({ created: false });
  });

  it('gives up when the table never turns ACTIVE', async () => {
    ddb.on(CreateTableCommand).resolves({});
    ddb.on(DescribeTableCommand).resolves({ Table: { TableStatus: 'CREATING' } });

    const err = await createInventoryTable(client, 'T', { timeoutMs: 0 }).catch((e: unknown) => e);

    expect(err).toBeInstanceOf(TableNotActiveError);
    expect((err as Error).message).toContain('still CREATING after 0 ms (expected ACTIVE)');
    expect(exitKindOf(err)).toBe('config');
  });
});
