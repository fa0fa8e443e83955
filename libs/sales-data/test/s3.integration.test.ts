import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CorruptFileError, NoDataError, listDataFiles, loadSalesData } from '../src/index';
import { STRING, parquetBytes, schemaOf } from './fixtures';
import { startLocalS3 } from '@retail-forecast/local-aws/testing';
import type { LocalS3 } from '@retail-forecast/local-aws/testing';

const PRODUCTS = 50;
const DAYS = 21; // 50 × 21 = 1,050 single-row objects: more than one ListObjectsV2 page of 1,000
const day = (d: number) => `2025-04-${String(d + 1).padStart(2, '0')}`;
const salesOf = (p: number, d: number) => (p + d) % 5;
const pid = (p: number) => `P${String(p).padStart(4, '0')}`;

async function putAll(client: S3Client, objects: [string, string | Uint8Array][]): Promise<void> {
  const queue = [...objects];
  // A few parallel uploads keep set-up quick without flooding the emulator.
  const worker = async () => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      const [Key, Body] = next;
      // An explicit length keeps the SDK from treating an empty body as a stream of unknown size.
      const ContentLength = typeof Body === 'string' ? Buffer.byteLength(Body) : Body.byteLength;
      await client.send(new PutObjectCommand({ Bucket: 'gold', Key, Body, ContentLength }));
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
}

describe('loadSalesData against s3rver over HTTP', () => {
  let local: LocalS3;
  let s3: S3Client;

  beforeAll(async () => {
    local = await startLocalS3({ buckets: ['gold'] });
    s3 = new S3Client(local.clientConfig);
    const objects: [string, string | Uint8Array][] = [];
    for (let p = 0; p < PRODUCTS; p++) {
      for (let d = 0; d < DAYS; d++) {
        const key = `forecast_ready/p=${pid(p)}/part-${String(d).padStart(3, '0')}`;
        if ((p + d) % 2 === 0) {
          objects.push([
            `${key}.csv`,
            `product_id,event_date,daily_sales\n${pid(p)},${day(d)},${salesOf(p, d)}\n`,
          ]);
        } else {
          objects.push([
            `${key}.jsonl`,
            `${JSON.stringify({ product_id: pid(p), event_date: day(d), daily_sales: salesOf(p, d) })}\n`,
          ]);
        }
      }
    }
    objects.push([
      'forecast_ready/part-00000-abc.snappy.parquet',
      parquetBytes(
        [
          { name: 'product_id', data: ['PQ', 'PQ'] },
          {
            name: 'event_date',
            data: [new Date('2025-04-20T00:00:00Z'), new Date('2025-04-21T00:00:00Z')],
          },
          { name: 'daily_sales', data: [4n, 6n] },
          { name: 'product_name', data: ['Parquet thing', 'Parquet thing v2'] },
        ],
        schemaOf(
          { name: 'product_id', ...STRING },
          { name: 'event_date', type: 'INT64', converted_type: 'TIMESTAMP_MILLIS' },
          { name: 'daily_sales', type: 'INT64' },
          { name: 'product_name', ...STRING },
        ),
      ),
    ]);
    // Everything below must be ignored; each would fail the load if it were read as data.
    objects.push(['forecast_ready/_SUCCESS', '']);
    objects.push(['forecast_ready/_temporary/0/part-99999.parquet', 'not parquet']);
    objects.push(['forecast_ready/.part-00000-abc.snappy.parquet.crc', 'crc bytes']);
    objects.push(['forecast_ready/empty-folder/', '']);
    objects.push(['forecast_ready_old/part-0.csv', 'garbage,"unterminated']);
    objects.push(['bad/part-00000.parquet', 'PAR1 this is not a parquet file PAR1']);
    await putAll(s3, objects);
  }, 120_000);

  afterAll(async () => {
    s3?.destroy();
    await local?.close();
  });

  it('lists every data object across pages and nothing else', async () => {
    const files = await listDataFiles('s3://gold/forecast_ready/', s3);
    expect(files).toHaveLength(PRODUCTS * DAYS + 1);
    expect(files.filter((f) => f.format === 'parquet').map((f) => f.uri)).toEqual([
      's3://gold/forecast_ready/part-00000-abc.snappy.parquet',
    ]);
    expect(
      files.every(
        (f) => !f.uri.includes('_temporary') && !f.uri.endsWith('.crc') && !f.uri.includes('_old'),
      ),
    ).toBe(true);
  });

  it('loads 1,051 objects through a client the loader builds from s3Config', async () => {
    let calls = 0;
    let lastIndex = 0;
    const result = await loadSalesData({
      source: 's3://gold/forecast_ready/',
      s3Config: local.clientConfig,
      onFile: ({ index, total }) => {
        calls += 1;
        lastIndex = index;
        expect(total).toBe(PRODUCTS * DAYS + 1);
      },
    });
    expect(calls).toBe(PRODUCTS * DAYS + 1);
    expect(lastIndex).toBe(PRODUCTS * DAYS + 1);
    expect(result.asOf).toBe(day(DAYS - 1));
    expect(result.summary).toMatchObject({
      files: PRODUCTS * DAYS + 1,
      rowsRead: PRODUCTS * DAYS + 2,
      rowsUsed: PRODUCTS * DAYS + 2,
      rowsRejected: 0,
      duplicatesDropped: 0,
      conflictingDuplicates: 0,
      duplicatePolicy: 'max',
      productsFlagged: 0,
      issues: [],
      warnings: [],
    });
    expect(result.products).toHaveLength(PRODUCTS + 1);
    for (let p = 0; p < PRODUCTS; p++) {
      const series = result.products[p];
      expect(series.productId).toBe(pid(p));
      expect(series.startDate).toBe(day(0));
      expect([...series.values]).toEqual(Array.from({ length: DAYS }, (_, d) => salesOf(p, d)));
    }
    expect(result.products[PRODUCTS]).toEqual({
      productId: 'PQ',
      productName: 'Parquet thing v2',
      startDate: '2025-04-20',
      values: new Uint8Array([4, 6]),
    });
  }, 60_000);

  it('loads a single object when the source names one', async () => {
    const result = await loadSalesData({
      source: 's3://gold/forecast_ready/part-00000-abc.snappy.parquet',
      s3: s3,
    });
    expect(result.summary.files).toBe(1);
    expect(result.products.map((p) => p.productId)).toEqual(['PQ']);
    expect(result.asOf).toBe('2025-04-21');
  });

  it('fails on a corrupt Parquet object, naming it', async () => {
    const error = await loadSalesData({ source: 's3://gold/bad/', s3: s3 }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(CorruptFileError);
    expect(error).toMatchObject({ file: 's3://gold/bad/part-00000.parquet', code: 'CORRUPT_FILE' });
    expect((error as Error).message).toMatch(
      /^s3:\/\/gold\/bad\/part-00000\.parquet is not a readable Parquet file: /,
    );
  });

  it('fails on an empty prefix with the exact NoDataError message', async () => {
    const error = await loadSalesData({ source: 's3://gold/nothing-here/', s3: s3 }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(NoDataError);
    expect((error as Error).message).toBe('no forecast_ready data under s3://gold/nothing-here/');
  });
});
