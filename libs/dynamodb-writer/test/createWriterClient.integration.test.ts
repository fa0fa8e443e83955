import { createHash, createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DescribeTableCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWriterClient } from '../src/index';

interface Seen {
  method: string | undefined;
  path: string | undefined;
  raw: string;
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
      seen.push({
        method: req.method,
        path: req.url,
        raw,
        headers: req.headers,
        body: JSON.parse(raw),
        remotePort: req.socket.remotePort,
      });
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

const SECRET = 'local-secret';

/**
 * The SigV4 signature the request should carry, recomputed from what arrived (AWS's algorithm,
 * written out with node:crypto, so the SDK's signer is checked against something else).
 */
function expectedSignature(s: Seen): string {
  const signed = /SignedHeaders=([^,]+)/.exec(String(s.headers.authorization))?.[1] ?? '';
  const names = signed.split(';');
  const amzDate = String(s.headers['x-amz-date']);
  const day = amzDate.slice(0, 8);
  const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
  const hmac = (key: string | Buffer, text: string) =>
    createHmac('sha256', key).update(text).digest();
  const canonical = [
    s.method,
    s.path,
    '',
    ...names.map((n) => `${n}:${String(s.headers[n]).trim().replace(/\s+/g, ' ')}`),
    '',
    signed,
    sha256(s.raw),
  ].join('\n');
  const scope = `${day}/eu-west-1/dynamodb/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonical)].join('\n');
  let key = hmac(`AWS4${SECRET}`, day);
  for (const part of ['eu-west-1', 'dynamodb', 'aws4_request']) key = hmac(key, part);
  return createHmac('sha256', key).update(toSign).digest('hex');
}

const SIGV4 =
  /^AWS4-HMAC-SHA256 Credential=AKIDLOCAL\/\d{8}\/eu-west-1\/dynamodb\/aws4_request, SignedHeaders=[^,]+, Signature=([0-9a-f]{64})$/;

describe('createWriterClient over HTTP', () => {
  it('signs every call on its own, with the middleware chain cached, over at most `concurrency` keep-alive sockets', async () => {
    seen.length = 0;
    const client = createWriterClient(
      {
        endpoint,
        region: 'eu-west-1',
        credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: SECRET },
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
    // The one shared signer signs each request right: over its own headers, date and body.
    expect(seen.map((s) => SIGV4.exec(s.headers.authorization ?? '')?.[1])).toEqual(
      seen.map(expectedSignature),
    );
    expect(new Set(updates.map((s) => s.headers['amz-sdk-invocation-id'])).size).toBe(ids.length);
    // Each call's own retry state: every one is a first attempt.
    expect(
      updates.every((s) => /^attempt=1; max=\d+$/.test(String(s.headers['amz-sdk-request']))),
    ).toBe(true);
    // Keep-alive: 41 calls reuse the agent's 4 sockets.
    expect(new Set(seen.map((s) => s.remotePort)).size).toBeLessThanOrEqual(4);
  });
});
