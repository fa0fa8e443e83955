import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  BatchGetItemCommand,
  DynamoDBClient,
  GetItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFaultProxy } from '../src/index';
import type { FaultProxy, FaultRule } from '../src/index';

// A stand-in upstream that answers every request with `{}` and counts what reached it.
let upstream: http.Server;
let upstreamUrl: string;
let reached = 0;

beforeAll(async () => {
  upstream = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      reached++;
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
      res.end('{}');
    });
  });
  await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
  upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
});
afterAll(async () => {
  upstream.closeAllConnections();
  await new Promise((r) => upstream.close(r));
});

let proxy: FaultProxy | undefined;
let client: DynamoDBClient | undefined;
afterEach(async () => {
  client?.destroy();
  await proxy?.close();
  reached = 0;
});

async function setUp(rules: FaultRule[], seed?: number) {
  proxy = await startFaultProxy({ target: upstreamUrl, rules, seed });
  client = new DynamoDBClient({
    endpoint: proxy.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    maxAttempts: 1,
  });
  return { proxy, client };
}

const update = (id: string) =>
  new UpdateItemCommand({
    TableName: 'T',
    Key: { product_id: { S: id } },
    UpdateExpression: 'SET a = :a',
    ExpressionAttributeValues: { ':a': { N: '1' } },
  });

describe('startFaultProxy', () => {
  it('forwards requests untouched without rules and counts them per operation and key', async () => {
    const { proxy, client } = await setUp([]);

    await client.send(update('A'));
    await client.send(update('A'));
    await client.send(
      new BatchGetItemCommand({
        RequestItems: { T: { Keys: [{ product_id: { S: 'A' } }, { product_id: { N: '7' } }] } },
      }),
    );

    expect(reached).toBe(3);
    expect(proxy.counts()).toEqual({
      requests: { UpdateItem: 2, BatchGetItem: 1 },
      keys: { UpdateItem: { A: 2 }, BatchGetItem: { A: 1, '7': 1 } },
      injected: {},
    });
  });

  it.each([
    ['ProvisionedThroughputExceededException', 400],
    ['ThrottlingException', 400],
    ['AccessDeniedException', 400],
    ['ValidationException', 400],
    ['InternalServerError', 500],
  ] as const)('answers %s in the wire format the SDK parses', async (error, status) => {
    const { client } = await setUp([{ operation: 'UpdateItem', fault: { error } }]);

    const err = (await client.send(update('A')).catch((e: unknown) => e)) as {
      name: string;
      $metadata: { httpStatusCode: number; requestId?: string };
    };

    expect(err.name).toBe(error);
    expect(err.$metadata.httpStatusCode).toBe(status);
    expect(err.$metadata.requestId).toMatch(/^[0-9A-F]{32}$/);
    expect(reached).toBe(0);
  });

  it('names the operation and table in an AccessDeniedException', async () => {
    const { client } = await setUp([{ fault: { error: 'AccessDeniedException' } }]);

    const err = (await client.send(update('A')).catch((e: unknown) => e)) as Error;

    expect(err.message).toContain('not authorized to perform: dynamodb:UpdateItem');
    expect(err.message).toContain('table/T');
  });

  it('faults only the operation and key a rule names, at most `count` times', async () => {
    const { proxy, client } = await setUp([
      { operation: 'UpdateItem', key: /^B/, count: 2, fault: { error: 'ThrottlingException' } },
    ]);

    const outcomes: string[] = [];
    for (const id of ['A', 'B1', 'B2', 'B3']) {
      outcomes.push(
        await client.send(update(id)).then(
          () => 'ok',
          (e: Error) => e.name,
        ),
      );
    }
    await client.send(new GetItemCommand({ TableName: 'T', Key: { product_id: { S: 'B1' } } }));

    expect(outcomes).toEqual(['ok', 'ThrottlingException', 'ThrottlingException', 'ok']);
    expect(proxy.counts().injected).toEqual({ UpdateItem: 2 });
  });

  it(
    'draws `probability` from a seeded PRNG, so a seed replays the same faults',
    { timeout: 20_000 },
    async () => {
      const pattern = async (seed: number) => {
        const { client } = await setUp(
          [{ operation: 'UpdateItem', probability: 0.3, fault: { error: 'ThrottlingException' } }],
          seed,
        );
        const out: boolean[] = [];
        for (let i = 0; i < 60; i++)
          out.push(
            await client.send(update(`P${i}`)).then(
              () => false,
              () => true,
            ),
          );
        client.destroy();
        await proxy?.close();
        proxy = undefined;
        return out;
      };

      const first = await pattern(42);
      const again = await pattern(42);
      const other = await pattern(43);

      expect(again).toEqual(first);
      expect(other).not.toEqual(first);
      const share = first.filter(Boolean).length / first.length;
      expect(share).toBeGreaterThan(0.1);
      expect(share).toBeLessThan(0.5);
    },
  );

  it('delays a request, then forwards it', async () => {
    const { client } = await setUp([{ fault: { delayMs: 150 } }]);

    const started = performance.now();
    await client.send(update('A'));

    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    expect(reached).toBe(1);
  });

  it('resets the connection without an answer', async () => {
    const { client } = await setUp([{ count: 1, fault: { reset: true } }]);

    const err = (await client.send(update('A')).catch((e: unknown) => e)) as NodeJS.ErrnoException;

    expect(err.code ?? err.name).toMatch(/ECONNRESET|socket hang up/i);
    expect(reached).toBe(0);
    await expect(client.send(update('A'))).resolves.toBeDefined();
  });

  it('answers a raw response for services other than DynamoDB', async () => {
    const { proxy } = await setUp([
      { operation: 'GET', fault: { status: 503, body: '<Error><Code>SlowDown</Code></Error>' } },
    ]);

    const res = await fetch(`${proxy.endpoint}/bucket/key`);

    expect(res.status).toBe(503);
    expect(await res.text()).toContain('SlowDown');
    expect(proxy.counts().requests).toEqual({ GET: 1 });
  });

  it('replaces rules and resets counts', async () => {
    const { proxy, client } = await setUp([{ fault: { error: 'ThrottlingException' } }]);
    await client.send(update('A')).catch(() => undefined);

    proxy.setRules([]);
    proxy.resetCounts();
    await client.send(update('A'));

    expect(proxy.counts()).toEqual({
      requests: { UpdateItem: 1 },
      keys: { UpdateItem: { A: 1 } },
      injected: {},
    });
  });
});
