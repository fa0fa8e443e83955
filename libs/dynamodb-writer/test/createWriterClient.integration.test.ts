import { createServer } from 'node:http';
import type { IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DescribeTableCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWriterClient } from '../src/index';

interface Seen {
  headers: IncomingHttpHeaders;
  body: { TableName?: string; Key?: { product_id?: { S?: string } } };
  remotePort: number | undefined;
}

/** A DynamoDB-shaped endpoint on 127.0.0.1 that records each request and answers `{}`. */
let server: Server;
let endpoint: string;
const seen: Seen[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (raw += chunk));
    req.on('end', () => {
      seen.push({ headers: req.headers, body: JSON.parse(raw), remotePort: req.socket.remotePort });
      const text = String(req.headers['x-amz-target']).endsWith('.DescribeTable')
        ? JSON.stringify({ Table: { TableName: 'T', TableStatus: 'ACTIVE' } })
        : '{}';
      res.writeHead(200, {
        'content-type': 'application/x-amz-json-1.0',
        'content-length': Buffer.byteLength(text),
      });
      res.end(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const SIGV4 =
  /^AWS4-HMAC-SHA256 Credential=AKIDLOCAL\/\d{8}\/eu-west-1\/dynamodb\/aws4_request, SignedHeaders=[^,]+, Signature=([0-9a-f]{64})$/;

describe('createWriterClient over HTTP', () => {
  it('signs every call on its own, with the middleware chain cached, over at most `concurrency` keep-alive sockets', async () => {
    seen.length = 0;
    const client = createWriterClient(
      {
        endpoint,
        region: 'eu-west-1',
        credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local-secret' },
      },
      { concurrency: 4 },
    );
    const ids = Array.from({ length: 40 }, (_, i) => `P${String(i).padStart(3, '0')}`);
    try {
      expect(client.config.cacheMiddleware).toBe(true);
      await client.send(new DescribeTableCommand({ TableName: 'T' }));
      await Promise.all(
        ids.map((id) =>
          client.send(
            new UpdateItemCommand({
              TableName: 'T',
              Key: { product_id: { S: id } },
              UpdateExpression: 'SET #q = :q',
              ExpressionAttributeNames: { '#q': 'qty' },
              ExpressionAttributeValues: { ':q': { N: String(id.length) } },
            }),
          ),
        ),
      );
    } finally {
      client.destroy();
    }

    // A cached chain that shared per-call state would repeat the first command's target or body.
    expect(seen[0].headers['x-amz-target']).toBe('DynamoDB_20120810.DescribeTable');
    const updates = seen.slice(1);
    expect(updates.map((s) => s.headers['x-amz-target'])).toEqual(
      ids.map(() => 'DynamoDB_20120810.UpdateItem'),
    );
    expect(updates.map((s) => s.body.Key?.product_id?.S).sort()).toEqual(ids);
    const signatures = updates.map((s) => SIGV4.exec(s.headers.authorization ?? '')?.[1]);
    expect(signatures.every((sig) => sig !== undefined)).toBe(true);
    expect(new Set(signatures).size).toBe(ids.length);
    expect(new Set(updates.map((s) => s.headers['amz-sdk-invocation-id'])).size).toBe(ids.length);
    // Each call's own retry state: every one is a first attempt.
    expect(
      updates.every((s) => /^attempt=1; max=\d+$/.test(String(s.headers['amz-sdk-request']))),
    ).toBe(true);
    // Keep-alive: 41 calls reuse the agent's 4 sockets.
    expect(new Set(seen.map((s) => s.remotePort)).size).toBeLessThanOrEqual(4);
  });
});
