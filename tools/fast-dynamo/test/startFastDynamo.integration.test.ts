import {
  BatchGetItemCommand,
  DescribeTableCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import type { UpdateItemCommandInput } from '@aws-sdk/client-dynamodb';
import { writeForecasts } from '@retail-forecast/dynamodb-writer';
import { createInventoryTable, seedInventory } from '@retail-forecast/dynamodb-writer/testing';
import { toProductForecast } from '@retail-forecast/forecasting';
import {
  LOCAL_CREDENTIALS,
  LOCAL_REGION,
  startLocalDynamo,
} from '@retail-forecast/local-aws/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnFastDynamo, startFastDynamo } from '../src/index';
import type { FastDynamo } from '../src/index';

const TABLE = 'Inventory';
let server: FastDynamo;
let client: DynamoDBClient;

beforeAll(async () => {
  server = await startFastDynamo();
  client = new DynamoDBClient({
    endpoint: server.endpoint,
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
    maxAttempts: 1,
  });
  await createInventoryTable(client, TABLE);
});

afterAll(async () => {
  client.destroy();
  await server.close();
});

const key = (id: string) => ({ product_id: { S: id } });

function forecastUpdate(id: string, asOf: string, demand: number): UpdateItemCommandInput {
  return {
    TableName: TABLE,
    Key: key(id),
    UpdateExpression: 'SET #fd = :fd, #asOf = :asOf, #pn = if_not_exists(#pn, :pn) REMOVE #doc',
    ConditionExpression: 'attribute_not_exists(#asOf) OR #asOf <= :asOf',
    ExpressionAttributeNames: {
      '#fd': 'forecasted_demand',
      '#asOf': 'forecast_as_of',
      '#pn': 'product_name',
      '#doc': 'days_of_cover',
    },
    ExpressionAttributeValues: {
      ':fd': { N: String(demand) },
      ':asOf': { S: asOf },
      ':pn': { S: 'from the forecast' },
    },
  };
}

async function errorOf(
  p: Promise<unknown>,
): Promise<Error & { $metadata?: { httpStatusCode?: number } }> {
  try {
    await p;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected the call to fail');
}

describe('fast-dynamo through the AWS SDK', () => {
  it('describes a table with its key schema and refuses an unknown one', async () => {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: TABLE }));
    expect(Table?.TableStatus).toBe('ACTIVE');
    expect(Table?.KeySchema).toEqual([{ AttributeName: 'product_id', KeyType: 'HASH' }]);
    const err = await errorOf(client.send(new DescribeTableCommand({ TableName: 'Missing' })));
    expect(err.name).toBe('ResourceNotFoundException');
  });

  it('stores an update, keeps attributes it does not name and returns exactly what was written', async () => {
    await client.send(
      new PutItemCommand({
        TableName: TABLE,
        Item: {
          ...key('P1'),
          price: { N: '9.99' },
          product_name: { S: 'stored' },
          days_of_cover: { N: '4' },
        },
      }),
    );
    await client.send(new UpdateItemCommand(forecastUpdate('P1', '2025-04-28', 14)));
    const { Item } = await client.send(new GetItemCommand({ TableName: TABLE, Key: key('P1') }));
    expect(Item).toEqual({
      ...key('P1'),
      price: { N: '9.99' },
      product_name: { S: 'stored' },
      forecasted_demand: { N: '14' },
      forecast_as_of: { S: '2025-04-28' },
    });
  });

  it('refuses an older forecast with ConditionalCheckFailedException and accepts a newer one', async () => {
    await client.send(new UpdateItemCommand(forecastUpdate('P2', '2025-04-28', 5)));
    const err = await errorOf(
      client.send(new UpdateItemCommand(forecastUpdate('P2', '2025-04-27', 6))),
    );
    expect(err.name).toBe('ConditionalCheckFailedException');
    await client.send(new UpdateItemCommand(forecastUpdate('P2', '2025-04-29', 7)));
    const { Item } = await client.send(new GetItemCommand({ TableName: TABLE, Key: key('P2') }));
    expect(Item?.forecasted_demand).toEqual({ N: '7' });
    expect(Item?.forecast_as_of).toEqual({ S: '2025-04-29' });
  });

  it('reads a batch with a projection and refuses duplicate keys', async () => {
    const out = await client.send(
      new BatchGetItemCommand({
        RequestItems: {
          [TABLE]: {
            Keys: [key('P1'), key('P2'), key('absent')],
            ProjectionExpression: '#pk, #fd',
            ExpressionAttributeNames: { '#pk': 'product_id', '#fd': 'forecasted_demand' },
          },
        },
      }),
    );
    const items = out.Responses?.[TABLE] ?? [];
    expect(items).toHaveLength(2);
    expect(items).toContainEqual({ ...key('P1'), forecasted_demand: { N: '14' } });
    const err = await errorOf(
      client.send(
        new BatchGetItemCommand({ RequestItems: { [TABLE]: { Keys: [key('P1'), key('P1')] } } }),
      ),
    );
    expect(err.name).toBe('ValidationException');
    expect(err.message).toBe('Provided list of item keys contains duplicates');
  });

  it('refuses malformed values, keys of the wrong type or size, and unused placeholders', async () => {
    const bad = { ...forecastUpdate('P3', '2025-04-28', 1) };
    bad.ExpressionAttributeValues = { ...bad.ExpressionAttributeValues, ':fd': { N: 'NaN' } };
    expect((await errorOf(client.send(new UpdateItemCommand(bad)))).name).toBe(
      'ValidationException',
    );
    const numberKey = { ...forecastUpdate('P3', '2025-04-28', 1), Key: { product_id: { N: '3' } } };
    expect((await errorOf(client.send(new UpdateItemCommand(numberKey)))).message).toBe(
      'The provided key element does not match the schema',
    );
    const longKey = forecastUpdate('é'.repeat(1025), '2025-04-28', 1);
    expect((await errorOf(client.send(new UpdateItemCommand(longKey)))).message).toMatch(
      /Size of hashkey has exceeded the maximum size limit of 2048 bytes/,
    );
    const unused = forecastUpdate('P3', '2025-04-28', 1);
    unused.ExpressionAttributeNames = { ...unused.ExpressionAttributeNames, '#x': 'x' };
    expect((await errorOf(client.send(new UpdateItemCommand(unused)))).message).toMatch(
      /ExpressionAttributeNames unused in expressions: keys: \{#x\}/,
    );
    // Nothing of the refused requests was stored.
    const { Item } = await client.send(new GetItemCommand({ TableName: TABLE, Key: key('P3') }));
    expect(Item).toBeUndefined();
  });

  it('answers unsigned and unknown requests in the JSON 1.0 error shape', async () => {
    const post = (target: string, headers: Record<string, string> = {}) =>
      fetch(server.endpoint, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-amz-json-1.0',
          'x-amz-target': target,
          ...headers,
        },
        body: JSON.stringify({ TableName: TABLE }),
      });
    const unsigned = await post('DynamoDB_20120810.DescribeTable');
    expect(unsigned.status).toBe(400);
    expect(await unsigned.json()).toEqual({
      __type: 'com.amazon.coral.service#MissingAuthenticationTokenException',
      message: 'Request is missing Authentication Token',
    });
    const unknown = await post('DynamoDB_20120810.Scan', {
      authorization: `AWS4-HMAC-SHA256 Credential=a/20250428/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=${'0'.repeat(64)}`,
    });
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as { __type: string }).__type).toBe(
      'com.amazon.coral.service#UnknownOperationException',
    );
  });
});

describe('fast-dynamo against dynalite', () => {
  it('ends a writeForecasts run with the same items as dynalite', async () => {
    const forecasts = Array.from({ length: 30 }, (_, k) => {
      const p50 = Float64Array.from({ length: 7 }, (_, d) => (k * 3 + d) % 5);
      return toProductForecast(
        { productId: `SKU-${k}`, productName: `Product ${k}`, category: 'Toys' },
        k % 3 === 0 ? '2025-04-27' : '2025-04-28',
        7,
        'statistical:ets(A,N,A)',
        { p10: p50.map((v) => v * 0.5), p50, p90: p50.map((v) => v * 1.5) },
      );
    });
    const seed = forecasts
      .filter((_, k) => k % 2 === 0)
      .map((f, k) => ({
        product_id: f.productId,
        current_stock: k * 3,
        product_name: 'stored name',
        // A newer stored forecast that every third product must leave alone.
        ...(k % 3 === 0 ? { forecast_as_of: '2025-04-28' } : {}),
      }));
    const dynalite = await startLocalDynamo();
    const other = new DynamoDBClient({ ...dynalite.clientConfig, maxAttempts: 1 });
    try {
      const options = {
        tableName: 'Compare',
        runId: 'r1',
        generatedAt: '2025-04-29T06:00:00.000Z',
        reorder: { leadTimeDays: 5, reviewPeriodDays: 7, serviceLevel: 0.95 },
      };
      const results = [];
      for (const c of [client, other]) {
        await createInventoryTable(c, 'Compare');
        await seedInventory(c, 'Compare', seed);
        results.push(await writeForecasts(forecasts, { ...options, client: c }));
      }
      expect(results[0]).toEqual(results[1]);
      expect(results[0].skippedNewer.length).toBeGreaterThan(0);
      for (const f of forecasts) {
        const read = async (c: DynamoDBClient) =>
          (await c.send(new GetItemCommand({ TableName: 'Compare', Key: key(f.productId) }))).Item;
        expect(await read(client)).toEqual(await read(other));
      }
    } finally {
      other.destroy();
      await dynalite.close();
    }
  });
});

describe('spawnFastDynamo', () => {
  it('serves from a child process and stops on close', async () => {
    const child = await spawnFastDynamo();
    const c = new DynamoDBClient({
      endpoint: child.endpoint,
      region: LOCAL_REGION,
      credentials: LOCAL_CREDENTIALS,
      maxAttempts: 1,
    });
    try {
      await createInventoryTable(c, TABLE);
      const { Table } = await c.send(new DescribeTableCommand({ TableName: TABLE }));
      expect(Table?.TableName).toBe(TABLE);
      expect(child.pid).not.toBe(process.pid);
    } finally {
      c.destroy();
      await child.close();
    }
    expect(() => process.kill(child.pid, 0)).toThrow();
  });
});
