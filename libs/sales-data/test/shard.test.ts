import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  InvalidSourceError,
  ShardLayoutError,
  loadSalesData,
  ownsProduct,
  productBucket,
  productHash,
  selectShardFiles,
} from '../src/index';
import type { DataFile } from '../src/index';
import type { SeriesValues } from '@retail-forecast/util';
import { STRING, parquetBytes, schemaOf, tempDir, writeTree } from './fixtures';

// Golden values computed independently with Python: zlib.crc32(id.encode('utf-8')).
const GOLDEN: [string, number][] = [
  ['', 0],
  ['123456789', 3421780262], // the CRC-32/ISO-HDLC check value, 0xCBF43926
  ['P1000', 1800553693],
  ['SKU-1', 3993447348],
  [' SKU-1', 2655746108],
  ['Café-é', 3502391175],
  ['商品-42', 3702309948],
];

describe('productHash', () => {
  it.each(GOLDEN)('hashes %j to crc32 of its UTF-8 bytes (%i)', (id, crc) => {
    expect(productHash(id)).toBe(crc);
  });

  it('puts a product in bucket crc32 mod 64 and in shard crc32 mod N', () => {
    expect(productBucket('P1000')).toBe(29);
    expect(productBucket('Café-é')).toBe(7);
    expect(ownsProduct({ index: 1, count: 3 }, 'P1000')).toBe(true);
    expect(ownsProduct({ index: 0, count: 3 }, 'P1000')).toBe(false);
    expect(ownsProduct({ index: 0, count: 1 }, 'anything')).toBe(true);
  });

  it('gives every product to exactly one of N shards', () => {
    const ids = Array.from({ length: 500 }, (_, k) => `P${k}`);
    for (const count of [2, 3, 4, 7]) {
      for (const id of ids) {
        const owners = Array.from({ length: count }, (_, index) => index).filter((index) =>
          ownsProduct({ index, count }, id),
        );
        expect(owners).toHaveLength(1);
      }
    }
  });
});

const file = (bucket: string | undefined, name = 'part-0.parquet'): DataFile => ({
  uri: `s3://gold/forecast_ready/${bucket === undefined ? '' : `product_bucket=${bucket}/`}${name}`,
  format: 'parquet',
  size: 1,
  ...(bucket === undefined ? {} : { partitions: { product_bucket: bucket } }),
});

describe('selectShardFiles', () => {
  const bucketed = Array.from({ length: 64 }, (_, b) => file(String(b).padStart(2, '0')));

  it('reads only the buckets b with b mod N = i when N divides 64', () => {
    const r = selectShardFiles(bucketed, { index: 1, count: 4 });
    expect(r.load).toMatchObject({ shard: '1/4', layout: 'bucketed', filesListed: 64 });
    expect(r.files.map((f) => Number(f.partitions?.product_bucket))).toEqual(
      Array.from({ length: 16 }, (_, k) => 4 * k + 1),
    );
    expect(r.note).toBeUndefined();
  });

  it('reads every file and says why when N does not divide 64', () => {
    const r = selectShardFiles(bucketed, { index: 0, count: 3 });
    expect(r.files).toHaveLength(64);
    expect(r.load.layout).toBe('filtered');
    expect(r.note).toContain('3 does not divide the 64 product_bucket folders');
  });

  it('reads every file of a flat layout, filtered by hash, and says so', () => {
    const r = selectShardFiles([file(undefined)], { index: 0, count: 2 });
    expect(r.load.layout).toBe('filtered');
    expect(r.note).toContain('no product_bucket=NN/ folders');
  });

  it('reads every file of a mixed layout', () => {
    const r = selectShardFiles([file('01'), file(undefined)], { index: 1, count: 2 });
    expect(r.files).toHaveLength(2);
    expect(r.note).toContain('1 of 2 files are outside product_bucket=NN/ folders');
  });

  it.each(['64', 'x', '-1'])('rejects folder product_bucket=%s, naming the file', (bucket) => {
    expect(() => selectShardFiles([file(bucket)], { index: 0, count: 2 })).toThrow(
      InvalidSourceError,
    );
    expect(() => selectShardFiles([file(bucket)], { index: 0, count: 2 })).toThrow(
      `product_bucket=${bucket}/part-0.parquet is in folder product_bucket=${bucket}`,
    );
  });
});

describe('loadSalesData with a shard', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => ({ dir, cleanup } = await tempDir()));
  afterEach(() => cleanup());

  const header = 'product_id,event_date,daily_sales\n';
  const ids = Array.from({ length: 40 }, (_, k) => `P${1000 + k}`);
  const rows = ids.map((id, k) => `${id},2025-03-0${1 + (k % 3)},${k}\n`).join('');

  it('loads each product in exactly one shard, with the same series as the whole load', async () => {
    await writeTree(dir, { 'sales.csv': `${header}${rows},2025-03-01,3\n` });
    const whole = await loadSalesData({ source: dir, asOf: '2025-03-03' });
    const seen = new Map<string, SeriesValues>();
    let rejected = 0;
    for (let index = 0; index < 3; index++) {
      const part = await loadSalesData({
        source: dir,
        asOf: '2025-03-03',
        shard: { index, count: 3 },
      });
      for (const p of part.products) {
        expect(seen.has(p.productId)).toBe(false);
        expect(productHash(p.productId) % 3).toBe(index);
        seen.set(p.productId, p.values);
      }
      expect(part.summary.shard).toMatchObject({ shard: `${index}/3`, layout: 'filtered' });
      expect(part.summary.rowsRead + part.summary.shard!.rowsOtherShards).toBe(41);
      rejected += part.summary.rowsRejected;
    }
    expect([...seen.keys()].sort()).toEqual(whole.products.map((p) => p.productId));
    for (const p of whole.products) expect(seen.get(p.productId)).toEqual(p.values);
    // The row with an empty id is reported by shard 0 alone.
    expect(rejected).toBe(whole.summary.rowsRejected);
    expect(rejected).toBe(1);
  });

  it('logs the rows left to other shards once they are counted, as the summary has them', async () => {
    await writeTree(dir, { 'sales.csv': `${header}${rows}` });
    const logged: { message: string; fields?: Record<string, unknown> }[] = [];
    const record = (message: string, fields?: Record<string, unknown>) =>
      logged.push({ message, fields });
    const part = await loadSalesData({
      source: dir,
      asOf: '2025-03-03',
      shard: { index: 1, count: 3 },
      logger: { debug: () => {}, info: record, warn: record, error: record },
    });
    const other = part.summary.shard!.rowsOtherShards;
    expect(other).toBeGreaterThan(0);
    const fields = (m: string) => logged.find((l) => l.message === m)?.fields;
    expect(fields('shard files selected')).toMatchObject({ shard: '1/3', filesRead: 1 });
    expect(fields('shard files selected')).not.toHaveProperty('rowsOtherShards');
    expect(fields('sales data loaded')).toMatchObject({ rowsOtherShards: other });
  });

  it('reads only its buckets of a bucketed layout', async () => {
    const byBucket = new Map<number, string[]>();
    for (const id of ids) {
      const b = productBucket(id);
      byBucket.set(b, [...(byBucket.get(b) ?? []), `${id},2025-03-01,1\n`]);
    }
    const tree = Object.fromEntries(
      [...byBucket].map(([b, lines]) => [
        `product_bucket=${b}/part-0.csv`,
        header + lines.join(''),
      ]),
    );
    await writeTree(dir, tree);
    const read: string[] = [];
    const part = await loadSalesData({
      source: dir,
      shard: { index: 3, count: 4 },
      onFile: (f) => read.push(f.file),
    });
    expect(part.summary.shard).toMatchObject({ layout: 'bucketed', rowsOtherShards: 0 });
    expect(read.length).toBeGreaterThan(0);
    for (const f of read) expect(Number(/product_bucket=(\d+)/.exec(f)![1]) % 4).toBe(3);
    expect(part.products.map((p) => p.productId)).toEqual(
      ids.filter((id) => productHash(id) % 4 === 3).sort(),
    );
  });

  it("fails naming the file, row and product when a bucket holds another bucket's product", async () => {
    // P1000 is in bucket 29; written under bucket 1 (a layout bucketed by another hash).
    await writeTree(dir, { 'product_bucket=1/part-0.csv': `${header}P1000,2025-03-01,1\n` });
    const load = loadSalesData({ source: dir, shard: { index: 1, count: 2 } });
    await expect(load).rejects.toThrow(ShardLayoutError);
    await expect(loadSalesData({ source: dir, shard: { index: 1, count: 2 } })).rejects.toThrow(
      /product "P1000" on row 2 of .*product_bucket=1\/part-0.csv is in folder product_bucket=1, but crc32\(product_id\) mod 64 is 29/,
    );
  });

  it('names the product, row and folder of a misplaced row in a Parquet file too', async () => {
    const bytes = parquetBytes(
      [
        { name: 'product_id', data: ['P1000'] },
        { name: 'event_date', data: ['2025-03-01'] },
        { name: 'daily_sales', data: [1] },
      ],
      schemaOf(
        { name: 'product_id', ...STRING },
        { name: 'event_date', ...STRING },
        { name: 'daily_sales', type: 'DOUBLE' },
      ),
    );
    await writeTree(dir, { 'product_bucket=3/part-0.parquet': bytes });
    const load = loadSalesData({ source: dir, shard: { index: 1, count: 2 } });
    await expect(load).rejects.toThrow(ShardLayoutError);
    await expect(loadSalesData({ source: dir, shard: { index: 1, count: 2 } })).rejects.toThrow(
      /product "P1000" on row 1 of .*product_bucket=3\/part-0.parquet is in folder product_bucket=3/,
    );
  });
});
