import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CorruptFileError, MissingColumnError, loadSalesData } from '../src/index';
import {
  STRING,
  int96,
  parquetBytes,
  parquetWithInt96,
  schemaOf,
  tempDir,
  writeTree,
} from './fixtures';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(() => cleanup());

async function loadParquet(bytes: Uint8Array, asOf?: string) {
  await writeTree(dir, { 'part-00000.snappy.parquet': bytes });
  return loadSalesData({ source: dir, asOf });
}

const ids = ['A', 'A', 'B'];
const days = ['2025-04-26', '2025-04-28', '2025-04-27'];
const utc = (iso: string) => new Date(`${iso}T00:00:00Z`);

function expectStandardSeries(result: Awaited<ReturnType<typeof loadSalesData>>) {
  expect(result.asOf).toBe('2025-04-28');
  expect(result.products.map((p) => [p.productId, p.startDate, [...p.values]])).toEqual([
    ['A', '2025-04-26', [3, 0, 5]],
    ['B', '2025-04-27', [7, 0]],
  ]);
  expect(result.summary).toMatchObject({
    files: 1,
    rowsRead: 3,
    rowsUsed: 3,
    duplicatesDropped: 0,
    issues: [],
  });
}

describe('loadSalesData on Parquet event_date encodings', () => {
  const sales = { name: 'daily_sales', data: [3, 5, 7] };
  const salesSchema = { name: 'daily_sales', type: 'INT32' } as const;

  it('reads DATE (INT32 days since epoch)', async () => {
    const bytes = parquetBytes(
      [{ name: 'product_id', data: ids }, { name: 'event_date', data: days.map(utc) }, sales],
      schemaOf(
        { name: 'product_id', ...STRING },
        { name: 'event_date', type: 'INT32', converted_type: 'DATE' },
        salesSchema,
      ),
    );
    expectStandardSeries(await loadParquet(bytes));
  });

  it('reads TIMESTAMP_MILLIS, taking the UTC calendar day of a late-evening instant', async () => {
    const instants = [utc(days[0]), new Date(`${days[1]}T23:59:59.999Z`), utc(days[2])];
    const bytes = parquetBytes(
      [{ name: 'product_id', data: ids }, { name: 'event_date', data: instants }, sales],
      schemaOf(
        { name: 'product_id', ...STRING },
        { name: 'event_date', type: 'INT64', converted_type: 'TIMESTAMP_MILLIS' },
        salesSchema,
      ),
    );
    expectStandardSeries(await loadParquet(bytes));
  });

  it('reads TIMESTAMP_MICROS', async () => {
    const bytes = parquetBytes(
      [{ name: 'product_id', data: ids }, { name: 'event_date', data: days.map(utc) }, sales],
      schemaOf(
        { name: 'product_id', ...STRING },
        { name: 'event_date', type: 'INT64', converted_type: 'TIMESTAMP_MICROS' },
        salesSchema,
      ),
    );
    expectStandardSeries(await loadParquet(bytes));
  });

  it('reads TIMESTAMP(NANOS) logical type', async () => {
    const nanos = days.map((d) => BigInt(Date.parse(d)) * 1_000_000n + 12n * 3_600_000_000_000n);
    const bytes = parquetBytes(
      [{ name: 'product_id', data: ids }, { name: 'event_date', data: nanos }, sales],
      schemaOf(
        { name: 'product_id', ...STRING },
        {
          name: 'event_date',
          type: 'INT64',
          logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'NANOS' },
        },
        salesSchema,
      ),
    );
    expectStandardSeries(await loadParquet(bytes));
  });

  it('reads INT96 (Spark legacy timestamps)', async () => {
    const bytes = parquetWithInt96(
      'event_date',
      [
        { name: 'product_id', data: ids },
        {
          name: 'event_date',
          data: [int96(days[0]), int96(days[1], 86_399_000_000_000n), int96(days[2])],
        },
        sales,
      ],
      schemaOf(
        { name: 'product_id', ...STRING },
        { name: 'event_date', type: 'INT96' },
        salesSchema,
      ),
    );
    expectStandardSeries(await loadParquet(bytes));
  });

  it('reads string dates, both YYYY-MM-DD and ISO timestamps', async () => {
    const bytes = parquetBytes(
      [
        { name: 'product_id', data: ids },
        { name: 'event_date', data: [days[0], `${days[1]}T10:00:00Z`, `${days[2]} 00:00:00`] },
        sales,
      ],
      schemaOf({ name: 'product_id', ...STRING }, { name: 'event_date', ...STRING }, salesSchema),
    );
    expectStandardSeries(await loadParquet(bytes));
  });

  it('reads an unannotated INT64 of epoch milliseconds (arrives as bigint)', async () => {
    const bytes = parquetBytes(
      [
        { name: 'product_id', data: ids },
        { name: 'event_date', data: days.map((d) => BigInt(Date.parse(d))) },
        sales,
      ],
      schemaOf(
        { name: 'product_id', ...STRING },
        { name: 'event_date', type: 'INT64' },
        salesSchema,
      ),
    );
    expectStandardSeries(await loadParquet(bytes));
  });
});

describe('loadSalesData on Parquet daily_sales types', () => {
  const dateColumn = { name: 'event_date', data: days.map(utc) };
  const dateSchema = { name: 'event_date', type: 'INT32', converted_type: 'DATE' } as const;

  it('reads INT64 daily_sales (bigint)', async () => {
    const bytes = parquetBytes(
      [{ name: 'product_id', data: ids }, dateColumn, { name: 'daily_sales', data: [3n, 5n, 7n] }],
      schemaOf({ name: 'product_id', ...STRING }, dateSchema, {
        name: 'daily_sales',
        type: 'INT64',
      }),
    );
    expectStandardSeries(await loadParquet(bytes));
  });

  it('reads DOUBLE daily_sales, keeping fractions', async () => {
    const bytes = parquetBytes(
      [
        { name: 'product_id', data: ids },
        dateColumn,
        { name: 'daily_sales', data: [0.5, 1.25, 2] },
      ],
      schemaOf({ name: 'product_id', ...STRING }, dateSchema, {
        name: 'daily_sales',
        type: 'DOUBLE',
      }),
    );
    const result = await loadParquet(bytes);
    expect(result.products.map((p) => [...p.values])).toEqual([
      [0.5, 0, 1.25],
      [2, 0],
    ]);
  });

  it('rejects NaN, infinite, negative and null daily_sales with their row numbers; their days are unknown', async () => {
    const bytes = parquetBytes(
      [
        { name: 'product_id', data: ['A', 'A', 'A', 'A', 'A'] },
        {
          name: 'event_date',
          data: ['2025-04-24', '2025-04-25', '2025-04-26', '2025-04-27', '2025-04-28'].map(utc),
        },
        { name: 'daily_sales', data: [1, Number.NaN, Number.POSITIVE_INFINITY, -2, null] },
      ],
      schemaOf({ name: 'product_id', ...STRING }, dateSchema, {
        name: 'daily_sales',
        type: 'DOUBLE',
      }),
    );
    const result = await loadParquet(bytes);
    expect(result.summary.rowsSkipped).toEqual({ invalid_sales: 3, negative_sales: 1 });
    expect(result.summary.issues.map((i) => [i.row, i.reason, i.value])).toEqual([
      [2, 'invalid_sales', 'NaN'],
      [3, 'invalid_sales', 'Infinity'],
      [4, 'negative_sales', '-2'],
      [5, 'invalid_sales', ''],
    ]);
    expect(result.summary.issues[2].message).toBe(
      `daily_sales "-2" on row 4 of ${path.join(dir, 'part-00000.snappy.parquet')} is negative (expected a finite number >= 0) (A 2025-04-27 is unknown unless another row gives it)`,
    );
    // A rejected row still dates a day of the data: the as-of is its latest day, and the days
    // whose rows were rejected are NaN (unknown), never 0.
    expect(result.asOf).toBe('2025-04-28');
    expect(result.products[0].values).toEqual(
      new Float32Array([1, Number.NaN, Number.NaN, Number.NaN, Number.NaN]),
    );
    expect(result.products[0].dataIssues).toEqual({ rejectedDays: 4 });
  });
});

describe('loadSalesData on Parquet structure', () => {
  it('numbers rows across row groups and keeps name, category, price and rating of the latest row', async () => {
    const n = 10;
    const bytes = parquetBytes(
      [
        { name: 'product_id', data: Array.from({ length: n }, (_, i) => (i === 7 ? '' : 'P1')) },
        {
          name: 'event_date',
          data: Array.from({ length: n }, (_, i) =>
            utc(`2025-03-${String(10 - i).padStart(2, '0')}`),
          ),
        },
        { name: 'daily_sales', data: Array.from({ length: n }, (_, i) => BigInt(i)) },
        { name: 'avg_price', data: Array.from({ length: n }, (_, i) => 100 + i) },
        { name: 'avg_rating', data: Array.from({ length: n }, (_, i) => i / 2) },
        { name: 'product_name', data: Array.from({ length: n }, (_, i) => `name ${i}`) },
        { name: 'category', data: Array.from({ length: n }, (_, i) => `cat ${i}`) },
      ],
      undefined,
      3,
    );
    const result = await loadParquet(bytes);
    expect(result.summary.issues).toHaveLength(1);
    expect(result.summary.issues[0]).toMatchObject({
      row: 8,
      column: 'product_id',
      reason: 'missing_product_id',
    });
    const [p] = result.products;
    // Rows run backwards in time, so the latest day (03-10) is row 1.
    expect(p).toMatchObject({
      productId: 'P1',
      startDate: '2025-03-01',
      productName: 'name 0',
      category: 'cat 0',
      latestPrice: 100,
      latestRating: 0,
    });
    expect([...p.values]).toEqual([9, 8, 0, 6, 5, 4, 3, 2, 1, 0]);
  });

  it('throws MissingColumnError naming the file and the column', async () => {
    const bytes = parquetBytes([
      { name: 'product_id', data: ['A'], type: 'STRING' },
      { name: 'event_date', data: ['2025-01-01'], type: 'STRING' },
      { name: 'sales', data: [1], type: 'INT32' },
    ]);
    const error = await loadParquet(bytes).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MissingColumnError);
    expect(error).toMatchObject({
      code: 'MISSING_COLUMN',
      column: 'daily_sales',
      file: path.join(dir, 'part-00000.snappy.parquet'),
    });
    expect((error as Error).message).toContain(
      'has no "daily_sales" column (found: product_id, event_date, sales;',
    );
  });

  it('fails with CorruptFileError on bad magic bytes', async () => {
    const error = await loadParquet(
      new TextEncoder().encode('product_id,event_date\nA,2025-01-01\n'),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CorruptFileError);
    expect((error as CorruptFileError).file).toBe(path.join(dir, 'part-00000.snappy.parquet'));
    expect((error as Error).message).toMatch(
      /part-00000\.snappy\.parquet is not a readable Parquet file: /,
    );
    expect((error as Error).cause).toBeInstanceOf(Error);
  });

  it('fails with CorruptFileError on a damaged column chunk', async () => {
    const bytes = parquetBytes([
      { name: 'product_id', data: Array.from({ length: 200 }, (_, i) => `P${i}`), type: 'STRING' },
      { name: 'event_date', data: Array.from({ length: 200 }, () => '2025-01-01'), type: 'STRING' },
      { name: 'daily_sales', data: Array.from({ length: 200 }, (_, i) => i), type: 'INT32' },
    ]);
    // Overwrite the start of the data pages (after the 4-byte magic) with garbage; the footer stays valid.
    bytes.fill(0xff, 4, 120);
    await expect(loadParquet(bytes)).rejects.toBeInstanceOf(CorruptFileError);
  });
});
