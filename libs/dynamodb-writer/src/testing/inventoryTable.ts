import {
  BatchWriteItemCommand,
  CreateTableCommand,
  DescribeTableCommand,
} from '@aws-sdk/client-dynamodb';
import type { DynamoDBClient, WriteRequest } from '@aws-sdk/client-dynamodb';
import { fullJitterDelayMs, sleep } from '@retail-forecast/util';
import { toAttributeMap } from '../attributeValue';
import { resolveBatchRetry } from '../backoff';
import { InvalidItemValueError, TableNotActiveError, UnprocessedItemsError } from '../errors';
import type { BatchRetryOptions } from '../types';

/** A plain item for `seedInventory`: strings, numbers, booleans, null, arrays and objects. */
export type InventoryItem = { product_id: string } & Record<string, unknown>;

export interface CreateTableOptions {
  /** Give up waiting for ACTIVE after this long; default 300000. */
  timeoutMs?: number;
}

export interface CreateTableResult {
  /** False when the table already existed (then it was only waited for). */
  created: boolean;
}

/** BatchWriteItem's per-request item limit. */
export const BATCH_WRITE_LIMIT = 25;

/**
 * Creates RetailInventoryTable's shape (partition key product_id, on-demand) and waits until it is
 * ACTIVE. An existing table is accepted, so the local demo can run twice.
 */
export async function createInventoryTable(
  client: DynamoDBClient,
  tableName: string,
  options: CreateTableOptions = {},
): Promise<CreateTableResult> {
  const timeoutMs = options.timeoutMs ?? 300_000;
  let created = true;
  try {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        AttributeDefinitions: [{ AttributeName: 'product_id', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'product_id', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
  } catch (err) {
    if ((err as { name?: unknown } | null)?.name !== 'ResourceInUseException') throw err;
    created = false;
  }

  // Own polling rather than waitUntilTableExists: its 20 s minimum delay dwarfs a local emulator's
  // instant creation, and real tables usually turn ACTIVE within seconds.
  const started = Date.now();
  let status: string | undefined;
  for (let i = 0; ; i++) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    status = Table?.TableStatus;
    if (status === 'ACTIVE') return { created };
    if (Date.now() - started >= timeoutMs)
      throw new TableNotActiveError(tableName, status, timeoutMs);
    await sleep(Math.min(2000, 50 * 2 ** i));
  }
}

/**
 * Puts whole items (replacing any with the same product_id), 25 a call, retrying UnprocessedItems
 * with backoff. Meant for the local demo and tests, where a partial seed should fail loudly.
 */
export async function seedInventory(
  client: DynamoDBClient,
  tableName: string,
  items: readonly InventoryItem[],
  retryOptions?: BatchRetryOptions,
): Promise<void> {
  const retry = resolveBatchRetry(retryOptions);
  const requests: WriteRequest[] = items.map((item, i) => {
    if (typeof item?.product_id !== 'string' || item.product_id === '') {
      throw new InvalidItemValueError(`items[${i}].product_id`, item?.product_id);
    }
    return { PutRequest: { Item: toAttributeMap(item, `items[${i}]`) } };
  });

  for (let start = 0; start < requests.length; start += BATCH_WRITE_LIMIT) {
    let pending = requests.slice(start, start + BATCH_WRITE_LIMIT);
    let attempt = 0;
    while (pending.length > 0) {
      if (attempt >= retry.maxAttempts) {
        throw new UnprocessedItemsError(tableName, pending.length, attempt);
      }
      if (attempt > 0) await sleep(fullJitterDelayMs(attempt - 1, retry.backoff));
      attempt++;
      const response = await client.send(
        new BatchWriteItemCommand({ RequestItems: { [tableName]: pending } }),
      );
      pending = response.UnprocessedItems?.[tableName] ?? [];
    }
  }
}
