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

describe('loadSalesData with a slow consumer and a server that closes idle sockets', () => {
  let local: LocalS3;

  beforeAll(async () => {
    local = await startLocalS3({ buckets: ['gold'], keepAliveTimeoutMs: IDLE_CLOSE_MS });
    const s3 = new S3Client(local.clientConfig);
    for (let f = 0; f < FILES; f++) {
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
    s3.destroy();
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
