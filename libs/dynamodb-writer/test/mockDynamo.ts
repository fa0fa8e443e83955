// The mocked DynamoDB the writeForecasts unit tests share: one aws-sdk-client-mock per test file.
import {
  BatchGetItemCommand,
  DescribeTableCommand,
  DynamoDBClient,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import type { BatchGetItemCommandInput, UpdateItemCommandInput } from '@aws-sdk/client-dynamodb';
import type { Logger } from '@retail-forecast/util';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach } from 'vitest';
import type { WriteOptions } from '../src/index';

export const ddb = mockClient(DynamoDBClient);
export const TABLE = 'RetailInventoryTable';

export function opts(extra: Partial<WriteOptions> = {}): WriteOptions {
  return {
    client: new DynamoDBClient({ region: 'eu-west-1' }),
    tableName: TABLE,
    runId: 'run-1',
    generatedAt: '2025-04-29T06:00:00.000Z',
    batchRetry: { baseDelayMs: 0 },
    updateRetry: { baseDelayMs: 0 },
    ...extra,
  };
}

export function recordingLogger(): Logger & { warnings: string[] } {
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
export function answerStock(stock: Record<string, number | undefined>) {
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

export function batchGetInputs(): BatchGetItemCommandInput[] {
  return ddb.commandCalls(BatchGetItemCommand).map((c) => c.args[0].input);
}

export function updateInputs(): UpdateItemCommandInput[] {
  return ddb.commandCalls(UpdateItemCommand).map((c) => c.args[0].input);
}

export function updateFor(id: string): UpdateItemCommandInput {
  const found = updateInputs().find((i) => i.Key?.product_id.S === id);
  if (!found) throw new Error(`no UpdateItem for ${id}`);
  return found;
}

/** DescribeTable's answer for a table keyed by product_id of the given type. */
export function describeTable(keyType: 'S' | 'N' = 'S', keyName = 'product_id') {
  ddb.on(DescribeTableCommand).resolves({
    Table: {
      TableName: TABLE,
      TableStatus: 'ACTIVE',
      KeySchema: [{ AttributeName: keyName, KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: keyName, AttributeType: keyType }],
    },
  });
}

/**
 * Resets the mock before each test (the table is keyed by a String product_id, UpdateItem
 * succeeds) and restores the SDK after the file.
 */
export function useMockDynamo(): void {
  beforeEach(() => {
    ddb.reset();
    describeTable();
    ddb.on(UpdateItemCommand).resolves({});
  });
  afterAll(() => ddb.restore());
}
