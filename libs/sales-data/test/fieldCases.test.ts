import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BadRowsError, MissingColumnError, loadSalesData, parseBadRowBudget } from '../src/index';
import { hivePartitions } from '../src/listDataFiles';
import { STRING, schemaOf, tempDir, writeTree } from './fixtures';

// Issue #9: inputs copied from ../shared/field-cases (see each folder's README there).
const cases = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures/field-cases');

const silent = () => ({ debug: vi.fn(), info: vi.fn(), warn: vi.fn(), error: vi.fn() });
const series = (result: Awaited<ReturnType<typeof loadSalesData>>) =>
  Object.fromEntries(result.products.map((p) => [p.productId, [...p.values]]));

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(() => cleanup());

describe('FC-02 Hive-partitioned Gold data (event_date only in folder names)', () => {
  it('takes event_date from event_date=… folders: 21 days 2025-03-01 … 2025-03-21, SKU-1 10/day, SKU-2 4/day', async () => {
    const result = await loadSalesData({ source: path.join(cases, 'FC-02/forecast_ready') });
    expect(result.asOf).toBe('2025-03-21');
    expect(result.products.map((p) => [p.productId, p.startDate, p.values.length])).toEqual([
      ['SKU-1', '2025-03-01', 21],
      ['SKU-2', '2025-03-01', 21],
    ]);
    expect(series(result)).toEqual({ 'SKU-1': Array(21).fill(10), 'SKU-2': Array(21).fill(4) });
    expect(result.summary).toMatchObject({ files: 21, rowsRejected: 0, warnings: [] });
  });
});

describe('Hive partitions', () => {
  it('parses key=value folders: URL-decoded, __HIVE_DEFAULT_PARTITION__ as null, several levels', () => {
    expect(
      hivePartitions(
        'region=EU%2FWest/category=__HIVE_DEFAULT_PARTITION__/ts=2025-03-01 00%3A00%3A00/p.parquet',
      ),
    ).toEqual({ region: 'EU/West', category: null, ts: '2025-03-01 00:00:00' });
    expect(hivePartitions('2025/p.parquet')).toBeUndefined();
    expect(hivePartitions('a=1.parquet')).toBeUndefined();
  });

  it('composes year=/month=/day= folders into event_date', async () => {
    await writeTree(dir, {
      'year=2025/month=3/day=9/part-0.csv': 'product_id,daily_sales\nP1,2\n',
      'year=2025/month=03/day=10/part-0.csv': 'product_id,daily_sales\nP1,3\n',
    });
    const result = await loadSalesData({ source: dir });
    expect(result.products[0]).toMatchObject({ productId: 'P1', startDate: '2025-03-09' });
    expect(series(result)).toEqual({ P1: [2, 3] });
  });

  it('fills a product column from a folder and rejects a null partition value as an empty id', async () => {
    await writeTree(dir, {
      'product_id=P%201/part-0.jsonl': '{"event_date":"2025-03-01","daily_sales":1}\n',
      'product_id=__HIVE_DEFAULT_PARTITION__/part-0.jsonl':
        '{"event_date":"2025-03-01","daily_sales":5}\n',
    });
    const result = await loadSalesData({ source: dir });
    expect(series(result)).toEqual({ 'P 1': [1] });
    expect(result.summary.rowsSkipped).toEqual({ missing_product_id: 1 });
  });

  it('lets the folder win over a same-named file column (as Spark does) and warns on conflict', async () => {
    const logger = silent();
    await writeTree(dir, {
      'event_date=2025-03-02/part-0.csv':
        'product_id,event_date,daily_sales\nP1,2025-03-02,1\nP2,2025-03-05,2\n',
    });
    const result = await loadSalesData({ source: dir, logger });
    expect(result.asOf).toBe('2025-03-02');
    expect(series(result)).toEqual({ P1: [1], P2: [2] });
    const file = path.join(dir, 'event_date=2025-03-02/part-0.csv');
    expect(result.summary.warnings).toEqual([
      {
        kind: 'partition_conflict',
        file,
        message: `${file}: column "event_date" is both in the file and in its folder name (event_date=2025-03-02); the folder's value is used, as Spark, Glue and Athena do, and 1 rows held a different value (first: line 3 has "2025-03-05")`,
      },
    ]);
    expect(logger.warn).toHaveBeenCalledWith(result.summary.warnings[0].message, expect.anything());
  });

  it('warns, naming the file, of an optional Gold column spelt otherwise (Category), which is not read', async () => {
    const logger = silent();
    await writeTree(dir, {
      'part-0.csv':
        'product_id,event_date,daily_sales,Category,AVG_PRICE,product_name\nP1,2025-03-02,1,Office,2.5,Pen\n',
    });
    const result = await loadSalesData({ source: dir, logger });
    expect(result.products[0].category).toBeUndefined();
    expect(result.products[0].productName).toBe('Pen');
    const file = path.join(dir, 'part-0.csv');
    expect(result.summary.warnings).toEqual([
      {
        kind: 'column_name',
        file,
        message: `${file}: columns "Category" (not "category"), "AVG_PRICE" (not "avg_price") are not read: Gold column names are matched exactly, as Spark and Glue write them`,
      },
    ]);
    expect(logger.warn).toHaveBeenCalledWith(result.summary.warnings[0].message, expect.anything());
  });

  it('names folder columns when a required column is still missing', async () => {
    await writeTree(dir, { 'region=EU/part-0.csv': 'product_id,daily_sales\nP1,1\n' });
    await expect(loadSalesData({ source: dir })).rejects.toThrow(
      'has no "event_date" column (found: product_id, daily_sales, region (folder);',
    );
  });
});

describe('FC-08 timestamps with a UTC offset (local-midnight export, Europe/Berlin)', () => {
  it('reads the calendar date as written: as_of 2025-03-30, Saturdays (30) stay on Saturdays', async () => {
    const logger = silent();
    const result = await loadSalesData({ source: path.join(cases, 'FC-08/berlin.jsonl'), logger });
    expect(result.asOf).toBe('2025-03-30');
    const [sku] = result.products;
    expect(sku.startDate).toBe('2025-03-03');
    expect(sku.values).toHaveLength(28);
    // 2025-03-03 is a Monday: index 5 is Saturday 2025-03-08, and so on every 7 days.
    expect([...sku.values].map((v, i) => (i % 7 === 5 ? v === 30 : v === 10))).toEqual(
      Array(28).fill(true),
    );
    expect(result.summary.warnings).toEqual([]);
  });
});

describe('instants that are local midnights', () => {
  // 2025-03-03 … 2025-04-06, across the switch to summer time on 2025-03-30 at 02:00.
  const berlinMidnights = Array.from({ length: 35 }, (_, i) => {
    const day = new Date(Date.UTC(2025, 2, 3 + i));
    const iso = day.toISOString().slice(0, 10);
    // Local midnight is CET (UTC+1) through 2025-03-30, CEST (UTC+2) from 2025-03-31.
    const utc = new Date(Date.parse(`${iso}T00:00:00Z`) - (iso > '2025-03-30' ? 2 : 1) * 3_600_000);
    return { iso, utc, sales: day.getUTCDay() === 6 ? 30 : 10 };
  });
  const csv = [
    'product_id,event_date,daily_sales',
    ...berlinMidnights.map((d) => `SKU-1,${d.utc.toISOString()},${d.sales}`),
  ].join('\n');

  it('warns loudly, naming the file, the UTC times and a zone, when every instant is at 23:00/22:00 UTC', async () => {
    const logger = silent();
    await writeTree(dir, { 'sales.csv': csv });
    const result = await loadSalesData({ source: dir, logger });
    const file = path.join(dir, 'sales.csv');
    expect(result.asOf).toBe('2025-04-05');
    expect(result.summary.warnings).toHaveLength(1);
    expect(result.summary.warnings[0]).toMatchObject({ kind: 'utc_midnight_shift', file });
    expect(result.summary.warnings[0].message).toContain(
      `every event_date instant in ${file} is at 23:00 or 22:00 UTC, not midnight`,
    );
    expect(result.summary.warnings[0].message).toContain(
      'set --timezone to their zone (e.g. Europe/Berlin',
    );
    expect(logger.warn).toHaveBeenCalledWith(result.summary.warnings[0].message, expect.anything());
  });

  it('reads them as local dates with timeZone, without a warning', async () => {
    await writeTree(dir, { 'sales.csv': csv });
    const result = await loadSalesData({ source: dir, timeZone: 'Europe/Berlin' });
    expect(result.asOf).toBe('2025-04-06');
    expect(result.products[0].startDate).toBe('2025-03-03');
    expect([...result.products[0].values]).toEqual(berlinMidnights.map((d) => d.sales));
    expect(result.summary.warnings).toEqual([]);
  });

  const timestampColumn = {
    name: 'event_date',
    type: 'INT64',
    logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MILLIS' },
  } as const;
  const parquet = (kvMetadata?: { key: string; value: string }[]) =>
    new Uint8Array(
      parquetWriteBuffer({
        columnData: [
          { name: 'product_id', data: berlinMidnights.map(() => 'SKU-1') },
          { name: 'event_date', data: berlinMidnights.map((d) => BigInt(d.utc.getTime())) },
          { name: 'daily_sales', data: berlinMidnights.map((d) => d.sales) },
        ],
        schema: schemaOf({ name: 'product_id', ...STRING }, timestampColumn, {
          name: 'daily_sales',
          type: 'INT32',
        }),
        kvMetadata,
      }),
    );

  it.each([
    [
      'the pandas metadata of a tz-aware column',
      'pandas',
      JSON.stringify({
        columns: [
          { name: 'event_date', field_name: 'event_date', metadata: { tz: 'Europe/Berlin' } },
        ],
      }),
    ],
    ['the Spark session time zone', 'org.apache.spark.timeZone', 'Europe/Berlin'],
  ])('converts Parquet instants to the local date of %s', async (_label, key, value) => {
    await writeTree(dir, { 'part-0.parquet': parquet([{ key, value }]) });
    const result = await loadSalesData({ source: dir });
    expect(result.asOf).toBe('2025-04-06');
    expect([...result.products[0].values]).toEqual(berlinMidnights.map((d) => d.sales));
    expect(result.summary.warnings).toEqual([]);
  });

  it('warns about a Parquet file of instants without zone metadata', async () => {
    await writeTree(dir, { 'part-0.parquet': parquet() });
    const result = await loadSalesData({ source: dir });
    expect(result.asOf).toBe('2025-04-05');
    expect(result.summary.warnings.map((w) => w.kind)).toEqual(['utc_midnight_shift']);
  });

  it('rejects a time zone Intl does not know', async () => {
    await writeTree(dir, { 'sales.csv': csv });
    await expect(loadSalesData({ source: dir, timeZone: 'Europe/Berlln' })).rejects.toThrow(
      'timeZone "Europe/Berlln" is not a time zone',
    );
  });
});

describe('FC-12 duplicate rows after an append-mode re-run', () => {
  it('counts identical rows once and reports them as duplicates dropped: SKU-1 10/day', async () => {
    const result = await loadSalesData({ source: path.join(cases, 'FC-12/forecast_ready') });
    expect(series(result)).toEqual({ 'SKU-1': Array(28).fill(10) });
    expect(result.summary).toMatchObject({
      rowsRead: 35,
      rowsUsed: 28,
      rowsRejected: 0,
      rowsSkipped: {},
      duplicatesDropped: 7,
      conflictingDuplicates: 0,
      issues: [],
    });
    expect(result.summary.warnings).toEqual([
      expect.objectContaining({
        kind: 'duplicates_dropped',
        message: expect.stringContaining(
          '7 duplicate rows (same product, day and daily_sales as a row already read) were dropped',
        ),
      }),
    ]);
  });
});

describe('conflicting duplicates (same product and day, different daily_sales)', () => {
  const text = [
    'product_id,event_date,daily_sales',
    'P1,2025-03-01,4',
    'P1,2025-03-02,5',
    'P2,2025-03-01,1',
    'P1,2025-03-01,6',
    'P1,2025-03-01,4',
  ].join('\n');

  it.each([
    ['max', [6, 5], 'kept the larger (on-duplicate max): 6'],
    ['sum', [10, 5], 'summed (on-duplicate sum): 10'],
    ['last', [6, 5], 'kept the one read last (on-duplicate last): 6'],
  ] as const)('resolves them by policy %s', async (policy, values, words) => {
    await writeTree(dir, { 'a.csv': text });
    const result = await loadSalesData({ source: dir, onDuplicate: policy });
    expect(series(result)).toEqual({ P1: values, P2: [1, 0] });
    // The last row repeats the first value: it is identical to a row already read.
    expect(result.summary).toMatchObject({
      duplicatePolicy: policy,
      conflictingDuplicates: 1,
      duplicatesDropped: 1,
    });
    expect(result.summary.issues[0].message).toBe(
      `P1 2025-03-01: daily_sales 6 on line 5 of ${path.join(dir, 'a.csv')} differs from 4 already read; ${words}`,
    );
    expect(result.failedProducts).toEqual([]);
  });

  it('fails only that product under policy error, listing it', async () => {
    await writeTree(dir, { 'a.csv': text });
    const result = await loadSalesData({ source: dir, onDuplicate: 'error' });
    expect(series(result)).toEqual({ P2: [1, 0] });
    expect(result.failedProducts).toEqual([
      {
        productId: 'P1',
        error: expect.stringContaining(
          'conflicting rows for 2025-03-01: P1 2025-03-01: daily_sales 6 on line 5',
        ),
      },
    ]);
  });
});

describe('product ids are kept as written', () => {
  it('keeps ids differing by surrounding whitespace or normalisation apart, and warns naming both', async () => {
    const nfd = 'Cafe\u0301-1';
    const nfc = 'Caf\u00e9-1';
    await writeTree(dir, {
      'a.csv': [
        'product_id,event_date,daily_sales',
        'SKU-1,2025-03-01,2',
        ' SKU-1,2025-03-01,2',
        'SKU-1 ,2025-03-01,2',
        `${nfc},2025-03-01,1`,
        `${nfd},2025-03-01,1`,
      ].join('\n'),
    });
    const result = await loadSalesData({ source: dir });
    expect(series(result)).toEqual({
      ' SKU-1': [2],
      'SKU-1': [2],
      'SKU-1 ': [2],
      [nfc]: [1],
      [nfd]: [1],
    });
    expect(result.summary.warnings.map((w) => w.message)).toEqual(
      expect.arrayContaining([
        expect.stringContaining(
          'product ids " SKU-1" and "SKU-1" differ only by surrounding whitespace',
        ),
        expect.stringContaining('product ids " SKU-1" and "SKU-1 " differ only'),
        expect.stringContaining(`product ids ${JSON.stringify(nfd)} and ${JSON.stringify(nfc)}`),
      ]),
    );
  });
});

describe('FC-06 Excel "CSV UTF-8" export (en-US thousands separators)', () => {
  it('reads "1,250" as 1250 and "1,099.00" as 1099: 2025-03-21 counts, nothing is rejected', async () => {
    const result = await loadSalesData({ source: path.join(cases, 'FC-06/excel_us.csv') });
    const [sku] = result.products;
    expect(sku.values[20]).toBe(1250);
    expect([...sku.values].filter((v) => v === 40)).toHaveLength(27);
    expect(sku.latestPrice).toBe(1099);
    expect(sku.productName).toBe('Espresso Machine, 15 bar');
    expect(sku.dataIssues).toBeUndefined();
    expect(result.summary).toMatchObject({ rowsRejected: 0, rowsUsed: 28, issues: [] });
  });

  it.each(['1,5', '12,50', '1,2345', '1.250,00'])(
    'still rejects the ambiguous "%s"',
    async (value) => {
      await writeTree(dir, {
        'a.csv': `product_id,event_date,daily_sales\nP1,2025-03-01,1\nP1,2025-03-02,"${value}"\n`,
      });
      const result = await loadSalesData({ source: dir });
      expect(result.summary.rowsSkipped).toEqual({ invalid_sales: 1 });
    },
  );

  it('hints at the delimiter of a semicolon-separated export', async () => {
    await writeTree(dir, { 'a.csv': 'product_id;event_date;daily_sales\nP1;2025-03-01;1\n' });
    const err = await loadSalesData({ source: dir }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MissingColumnError);
    expect((err as Error).message).toContain('the header looks semicolon-delimited');
  });
});

describe('rejected rows never become zeros', () => {
  const rows = (bad: number, total: number) =>
    [
      'product_id,event_date,daily_sales',
      ...Array.from({ length: total }, (_, i) => {
        const date = new Date(Date.UTC(2025, 0, 1 + (i % 300))).toISOString().slice(0, 10);
        return `P${Math.floor(i / 300)},${date},${i < bad ? 'n/a' : 3}`;
      }),
    ].join('\n');

  it('makes the day of a rejected row NaN and flags the product; a valid row for that day wins', async () => {
    await writeTree(dir, {
      'a.csv': [
        'product_id,event_date,daily_sales',
        'P1,2025-03-01,4',
        'P1,2025-03-02,"1;250"',
        'P1,2025-03-03,-1',
        'P1,2025-03-03,2',
        'P1,2025-03-05,4',
      ].join('\n'),
    });
    const result = await loadSalesData({ source: dir, maxBadRows: { kind: 'rows', rows: 2 } });
    expect(result.products).toEqual([
      {
        productId: 'P1',
        startDate: '2025-03-01',
        values: new Float32Array([4, Number.NaN, 2, 0, 4]),
        dataIssues: { rejectedDays: 1 },
      },
    ]);
    expect(result.summary).toMatchObject({ rowsRejected: 2, productsFlagged: 1 });
  });

  it('fails a product whose every row was rejected instead of forecasting it from nothing', async () => {
    await writeTree(dir, {
      'a.csv': 'product_id,event_date,daily_sales\nP1,2025-03-01,1\nP2,2025-03-01,x\n',
    });
    const result = await loadSalesData({ source: dir });
    expect(result.products.map((p) => p.productId)).toEqual(['P1']);
    expect(result.failedProducts).toEqual([
      { productId: 'P2', error: 'every row of P2 was rejected (no daily_sales to forecast from)' },
    ]);
  });

  it('stops past the bad-row budget, naming the count, the budget and the first file:line:value', async () => {
    await writeTree(dir, { 'a.csv': rows(4, 300) });
    const file = path.join(dir, 'a.csv');
    const err = await loadSalesData({
      source: dir,
      maxBadRows: parseBadRowBudget('1%'),
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BadRowsError);
    expect(err).toMatchObject({ rejected: 4, allowed: 3, exitKind: 'input' });
    expect((err as Error).message).toBe(
      `4 of 300 rows were rejected, more than the bad-row budget of 1% allows (3); nothing was written. First: ${file}:2: daily_sales "n/a" on line 2 of ${file} is not a number (expected a finite number >= 0) (P0 2025-01-01 is unknown unless another row gives it)`,
    );
  });

  it('loads within the budget (a row count or a percentage)', async () => {
    await writeTree(dir, { 'a.csv': rows(3, 300) });
    await expect(
      loadSalesData({ source: dir, maxBadRows: parseBadRowBudget('1%') }),
    ).resolves.toMatchObject({ summary: { rowsRejected: 3, productsFlagged: 1 } });
    await expect(
      loadSalesData({ source: dir, maxBadRows: parseBadRowBudget('2') }),
    ).rejects.toThrow('more than the bad-row budget of 2 rows allows (2)');
  });

  it.each(['-1', '1.5', '101%', 'x%', ''])('rejects the budget "%s"', (text) => {
    expect(() => parseBadRowBudget(text)).toThrow(`bad-row budget "${text}" is not valid`);
  });
});
