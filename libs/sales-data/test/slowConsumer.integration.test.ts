import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalS3 } from '@retail-forecast/local-aws/testing';
import type { LocalS3 } from '@retail-forecast/local-aws/testing';
import { createS3Client, loadSalesData } from '../src/index';
import { STRING, parquetBytes, schemaOf } from './fixtures';

const FILES = 24;
const DAYS = 30;
const IDLE_CLOSE_MS = 5_000;
const STALL_MS = 6_000;

/** Blocks the event loop as a long Parquet decode does: no I/O event is seen meanwhile. */
function busyWait(ms: number): void {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    // spin
  }
}

function part(file: number): Uint8Array {
  const ids: string[] = [];
  const dates: Date[] = [];
  const sales: bigint[] = [];
  for (let d = 0; d < DAYS; d++) {
    ids.push(`P${String(file).padStart(3, '0')}`);
    dates.push(new Date(Date.UTC(2025, 0, 1 + d)));
    sales.push(BigInt((file + d) % 7));
  }
  return parquetBytes(
    [
      { name: 'product_id', data: ids },
      { name: 'event_date', data: dates },
      { name: 'daily_sales', data: sales },
    ],
    schemaOf(
      { name: 'product_id', ...STRING },
      { name: 'event_date', type: 'INT64', converted_type: 'TIMESTAMP_MILLIS' },
      { name: 'daily_sales', type: 'INT64' },
    ),
  );
}

/** Puts `count` Parquet part files (see `part`) under `gold/forecast_ready/`. */
async function putParts(local: LocalS3, count: number): Promise<void> {
  const s3 = new S3Client(local.clientConfig);
  try {
    for (let f = 0; f < count; f++) {
      const Body = part(f);
      await s3.send(
        new PutObjectCommand({
          Bucket: 'gold',
          Key: `forecast_ready/part-${String(f).padStart(5, '0')}.snappy.parquet`,
          Body,
          ContentLength: Body.byteLength,
        }),
      );
    }
  } finally {
    s3.destroy();
  }
}

describe('loadSalesData with a slow consumer and a server that closes idle sockets', () => {
  let local: LocalS3;

  beforeAll(async () => {
    local = await startLocalS3({ buckets: ['gold'], keepAliveTimeoutMs: IDLE_CLOSE_MS });
    await putParts(local, FILES);
  }, 60_000);

  afterAll(async () => {
    await local?.close();
  });

  it('reads every object when decoding stalls longer than the server keeps idle sockets', async () => {
    // One attempt per request: the load itself must never send a request on a connection the
    // server has closed (with the SDK's retries, a stale connection would only cost an attempt).
    const s3 = createS3Client({ ...local.clientConfig, maxAttempts: 1 });
    try {
      const stalls = new Set([3, 12]);
      const dataset = await loadSalesData({
        source: 's3://gold/forecast_ready/',
        s3,
        onFile: ({ index }) => {
          if (stalls.has(index)) busyWait(STALL_MS);
        },
      });
      expect(dataset.summary.files).toBe(FILES);
      expect(dataset.products).toHaveLength(FILES);
      expect(dataset.summary.rowsUsed).toBe(FILES * DAYS);
      expect(Array.from(dataset.products[5].values.slice(0, 3))).toEqual([5, 6, 0]);
    } finally {
      s3.destroy();
    }
  }, 60_000);
});

/**
 * A proxy in front of the local S3 server that cuts the first GET of `key` off after half of its
 * body: the connection is destroyed mid-body, as a reset or a server closing a slow reader does.
 */
async function startBodyCutter(target: string, key: string, fault: 'cut' | 'timeout' = 'cut') {
  let cuts = 0;
  const server = http.createServer((req, res) => {
    if (fault === 'timeout' && req.method === 'GET' && req.url?.includes(key) && cuts === 0) {
      // What Node's HTTP server (s3rver's) sends when its request timeout expires: no body.
      cuts += 1;
      res.writeHead(408, { Connection: 'close' });
      res.end();
      return;
    }
    const upstream = http.request(
      `${target}${req.url}`,
      { method: req.method, headers: req.headers },
      (up) => {
        const cut = req.method === 'GET' && req.url?.includes(key) && cuts === 0;
        res.writeHead(up.statusCode ?? 502, up.headers);
        if (!cut) {
          up.pipe(res);
          return;
        }
        cuts += 1;
        const total = Number(up.headers['content-length']);
        let sent = 0;
        up.on('data', (chunk: Buffer) => {
          const room = Math.floor(total / 2) - sent;
          if (room <= 0) return;
          const part = chunk.subarray(0, room);
          sent += part.length;
          const last = sent >= Math.floor(total / 2);
          // Destroyed once the half is on the wire, so the client has headers and half a body.
          res.write(part, () => {
            if (last) setTimeout(() => res.socket?.destroy(), 50);
          });
        });
      },
    );
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    cuts: () => cuts,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('loadSalesData when an object body is cut off mid-transfer', () => {
  let local: LocalS3;

  beforeAll(async () => {
    local = await startLocalS3({ buckets: ['gold'] });
    await putParts(local, 3);
  }, 60_000);

  afterAll(async () => {
    await local?.close();
  });

  it('retries that object and loads every product', async () => {
    const cutter = await startBodyCutter(local.endpoint, 'part-00001');
    const s3 = createS3Client({ ...local.clientConfig, endpoint: cutter.endpoint });
    try {
      const dataset = await loadSalesData({ source: 's3://gold/forecast_ready/', s3 });
      expect(cutter.cuts()).toBe(1);
      expect(dataset.products.map((p) => p.productId)).toEqual(['P000', 'P001', 'P002']);
      expect(dataset.summary.rowsUsed).toBe(3 * DAYS);
    } finally {
      s3.destroy();
      await cutter.close();
    }
  }, 60_000);

  it('retries an object the server answered with 408 Request Timeout', async () => {
    const cutter = await startBodyCutter(local.endpoint, 'part-00002', 'timeout');
    const s3 = createS3Client({ ...local.clientConfig, endpoint: cutter.endpoint });
    try {
      const dataset = await loadSalesData({ source: 's3://gold/forecast_ready/', s3 });
      expect(cutter.cuts()).toBe(1);
      expect(dataset.products.map((p) => p.productId)).toEqual(['P000', 'P001', 'P002']);
    } finally {
      s3.destroy();
      await cutter.close();
    }
  }, 60_000);
});
