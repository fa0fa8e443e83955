import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CorruptFileError, MissingColumnError, loadSalesData } from '../src/index';
import type { Logger } from '@retail-forecast/util';
import type { RowIssue } from '../src/index';
import { tempDir, writeTree } from './fixtures';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(() => cleanup());

const HEADER =
  'product_id,event_date,daily_sales,avg_price,avg_rating,day_of_week,month,product_name,category';

async function loadCsv(text: string, options: { asOf?: string; logger?: Logger } = {}) {
  await writeTree(dir, { 'sales.csv': text });
  return loadSalesData({ source: path.join(dir, 'sales.csv'), ...options });
}

describe('loadSalesData on CSV', () => {
  it('builds zero-filled series from first sale through the latest date, sorted by product', async () => {
    const result = await loadCsv(
      [
        HEADER,
        'P2,2025-04-27,4,10.5,4.1,1,4,Widget,Tools',
        'P1,2025-04-25,1,5,3,6,4,Gadget,Toys',
        'P1,2025-04-28,2,6,3.5,2,4,Gadget v2,Toys',
        '',
      ].join('\n'),
    );
    expect(result.asOf).toBe('2025-04-28');
    expect(result.products).toEqual([
      {
        productId: 'P1',
        startDate: '2025-04-25',
        values: new Uint8Array([1, 0, 0, 2]),
        productName: 'Gadget v2',
        category: 'Toys',
        latestPrice: 6,
        latestRating: 3.5,
      },
      {
        productId: 'P2',
        startDate: '2025-04-27',
        values: new Uint8Array([4, 0]),
        productName: 'Widget',
        category: 'Tools',
        latestPrice: 10.5,
        latestRating: 4.1,
      },
    ]);
    expect(result.summary).toEqual({
      files: 1,
      rowsRead: 3,
      rowsUsed: 3,
      rowsSkipped: {},
      rowsRejected: 0,
      duplicatesDropped: 0,
      conflictingDuplicates: 0,
      duplicatePolicy: 'max',
      productsFlagged: 0,
      issues: [],
      warnings: [],
    });
  });

  it('needs only product_id, event_date and daily_sales, in any column order', async () => {
    const result = await loadCsv('daily_sales,product_id,event_date\n3,X,2025-01-02\n');
    expect(result.products).toEqual([
      { productId: 'X', startDate: '2025-01-02', values: new Uint8Array([3]) },
    ]);
  });

  it('handles quoted fields with commas and newlines and reports the line a record starts on', async () => {
    const text = [
      HEADER,
      'P1,2025-04-25,1,5,3,6,4,"Gadget, deluxe","Toys',
      'and games"',
      'P1,2025-04-26,1,5,3,6,4,"multi',
      'line',
      'name",Toys',
      'P1,2025-13-40,1,5,3,6,4,x,y',
    ].join('\n');
    const result = await loadCsv(text);
    expect(result.products[0]).toMatchObject({
      productName: 'multi\nline\nname',
      category: 'Toys',
    });
    const file = path.join(dir, 'sales.csv');
    expect(result.summary.issues).toEqual([
      {
        file,
        row: 7,
        productId: 'P1',
        column: 'event_date',
        value: '2025-13-40',
        reason: 'invalid_date',
        message: `event_date "2025-13-40" on line 7 of ${file} is not a date (expected YYYY-MM-DD)`,
      },
    ]);
  });

  it('counts lines the same way for CRLF files and after blank lines', async () => {
    const text = [HEADER, 'P1,2025-04-25,1,,,,,"a', 'b",c', '', 'P1,bad,1,,,,,,', ''].join('\r\n');
    const result = await loadCsv(text);
    expect(result.summary.issues.map((i) => i.row)).toEqual([5]);
    expect(result.products[0].productName).toBe('a\nb');
  });

  it('strips a UTF-8 BOM from the header', async () => {
    const result = await loadCsv('\ufeffproduct_id,event_date,daily_sales\nP1,2025-04-25,1\n');
    expect(result.products).toHaveLength(1);
  });

  it.each<[string, string, Partial<RowIssue>, string]>([
    [
      'an impossible date',
      'P1,2025-02-30,1',
      { column: 'event_date', reason: 'invalid_date', value: '2025-02-30' },
      'is not a date (expected YYYY-MM-DD)',
    ],
    [
      'a date in another format',
      'P1,04/28/2025,1',
      { column: 'event_date', reason: 'invalid_date', value: '04/28/2025' },
      'is not a date (expected YYYY-MM-DD)',
    ],
    [
      'an empty date',
      'P1,,1',
      { column: 'event_date', reason: 'invalid_date', value: '' },
      'is not a date (expected YYYY-MM-DD)',
    ],
    [
      'a non-numeric daily_sales',
      'P1,2025-04-26,three',
      { column: 'daily_sales', reason: 'invalid_sales', value: 'three' },
      'is not a number (expected a finite number >= 0)',
    ],
    [
      'a negative daily_sales',
      'P1,2025-04-26,-1',
      { column: 'daily_sales', reason: 'negative_sales', value: '-1' },
      'is negative (expected a finite number >= 0)',
    ],
    [
      'a NaN daily_sales',
      'P1,2025-04-26,NaN',
      { column: 'daily_sales', reason: 'invalid_sales', value: 'NaN' },
      'is not a number (expected a finite number >= 0)',
    ],
    [
      'an infinite daily_sales',
      'P1,2025-04-26,Infinity',
      { column: 'daily_sales', reason: 'invalid_sales', value: 'Infinity' },
      'is not finite (expected a finite number >= 0)',
    ],
    [
      'an empty daily_sales',
      'P1,2025-04-26,',
      { column: 'daily_sales', reason: 'invalid_sales', value: '' },
      'is empty (expected a finite number >= 0)',
    ],
    [
      'an empty product_id',
      '  ,2025-04-26,1',
      { column: 'product_id', reason: 'missing_product_id', value: '  ' },
      'is empty (expected a product id)',
    ],
    [
      'a short row',
      'P1,2025-04-26',
      { column: 'daily_sales', reason: 'invalid_sales', value: '' },
      'is empty (expected a finite number >= 0)',
    ],
  ])('rejects a row with %s and reports it', async (_label, bad, expected, problem) => {
    const result = await loadCsv(
      `product_id,event_date,daily_sales\nP1,2025-04-25,2\n${bad}\nP1,2025-04-27,3\n`,
    );
    const file = path.join(dir, 'sales.csv');
    // A rejected daily_sales makes its day unknown (NaN), never 0, and flags the product; a row
    // without a product or a date cannot be placed, so its day stays "no row" (0).
    const salesRejected = expected.column === 'daily_sales';
    expect(result.products).toEqual([
      {
        productId: 'P1',
        startDate: '2025-04-25',
        values: salesRejected ? new Float32Array([2, Number.NaN, 3]) : new Uint8Array([2, 0, 3]),
        ...(salesRejected ? { dataIssues: { rejectedDays: 1 } } : {}),
      },
    ]);
    expect(result.summary.rowsRead).toBe(3);
    expect(result.summary.rowsUsed).toBe(2);
    expect(result.summary.rowsRejected).toBe(1);
    expect(result.summary.productsFlagged).toBe(salesRejected ? 1 : 0);
    expect(result.summary.rowsSkipped).toEqual({ [expected.reason as string]: 1 });
    expect(result.summary.issues).toHaveLength(1);
    expect(result.summary.issues[0]).toMatchObject({ ...expected, file, row: 3 });
    expect(result.summary.issues[0].message).toBe(
      `${expected.column} "${expected.value}" on line 3 of ${file} ${problem}` +
        (salesRejected ? ' (P1 2025-04-26 is unknown unless another row gives it)' : ''),
    );
  });

  it('resolves rows for one product and day with different daily_sales by the default policy max, and reports them', async () => {
    const logger = { debug: vi.fn(), info: vi.fn(), warn: vi.fn(), error: vi.fn() };
    const result = await loadCsv(
      'product_id,event_date,daily_sales\nP1,2025-04-25,2\nP1,2025-04-26,1\nP1,2025-04-25,3\n',
      { logger },
    );
    expect([...result.products[0].values]).toEqual([3, 1]);
    expect(result.summary.conflictingDuplicates).toBe(1);
    expect(result.summary.duplicatesDropped).toBe(0);
    expect(result.summary.rowsUsed).toBe(3);
    expect(result.summary.issues).toEqual([
      expect.objectContaining({
        row: 4,
        productId: 'P1',
        column: 'daily_sales',
        value: '3',
        reason: 'conflicting_duplicate',
      }),
    ]);
    expect(logger.warn).toHaveBeenCalledWith(result.summary.issues[0].message, {
      issue: result.summary.issues[0],
    });
    expect(result.summary.issues[0].message).toBe(
      `P1 2025-04-25: daily_sales 3 on line 4 of ${path.join(dir, 'sales.csv')} differs from 2 already read; kept the larger (on-duplicate max): 3`,
    );
  });

  it('keeps only the first 20 issues but counts every skipped row', async () => {
    const bad = Array.from({ length: 30 }, (_, i) => `P${i},2025-04-2x,1`);
    const result = await loadCsv(
      ['product_id,event_date,daily_sales', 'P1,2025-04-25,1', ...bad].join('\n'),
    );
    expect(result.summary.rowsSkipped).toEqual({ invalid_date: 30 });
    expect(result.summary.issues).toHaveLength(20);
    expect(result.summary.issues.map((i) => i.row)).toEqual(
      Array.from({ length: 20 }, (_, i) => i + 3),
    );
  });

  describe('as-of', () => {
    const text =
      'product_id,event_date,daily_sales\nP1,2025-04-25,1\nP1,2025-04-27,2\nP2,2025-04-28,5\nP1,2025-04-29,9\n';

    it('skips rows after asOf as after_as_of (not an issue), extends series to asOf and drops products that start later', async () => {
      const result = await loadCsv(text, { asOf: '2025-04-27' });
      expect(result.asOf).toBe('2025-04-27');
      expect(result.products).toEqual([
        { productId: 'P1', startDate: '2025-04-25', values: new Uint8Array([1, 0, 2]) },
      ]);
      expect(result.summary.rowsSkipped).toEqual({ after_as_of: 2 });
      expect(result.summary.issues).toEqual([]);
    });

    it('pads with zeros when asOf is after the last row', async () => {
      const result = await loadCsv(text, { asOf: '2025-05-01' });
      expect(result.products.map((p) => [p.productId, [...p.values]])).toEqual([
        ['P1', [1, 0, 2, 0, 9, 0, 0]],
        ['P2', [5, 0, 0, 0]],
      ]);
    });

    it('defaults to the latest valid event_date', async () => {
      expect((await loadCsv(text)).asOf).toBe('2025-04-29');
    });

    it('rejects an asOf that is not a date', async () => {
      await expect(loadCsv(text, { asOf: '2025-4-7' })).rejects.toMatchObject({
        name: 'InvalidArgumentError',
        code: 'INVALID_ARGUMENT',
        message: 'asOf "2025-4-7" is not a date (expected YYYY-MM-DD)',
        exitKind: 'input',
      });
    });
  });

  it('throws MissingColumnError for a missing required column', async () => {
    const error = await loadCsv('product_id,date,daily_sales\nP1,2025-04-25,1\n').catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(MissingColumnError);
    expect(error).toMatchObject({
      file: path.join(dir, 'sales.csv'),
      column: 'event_date',
      exitKind: 'input',
    });
  });

  it('fails with CorruptFileError on an unterminated quote', async () => {
    const error = await loadCsv('product_id,event_date,daily_sales\nP1,"2025-04-25,1\n').catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(CorruptFileError);
    expect((error as Error).message).toContain(`${path.join(dir, 'sales.csv')} is not valid CSV: `);
  });

  it('throws NoDataError when every row is unusable and no asOf is given', async () => {
    await expect(loadCsv('product_id,event_date,daily_sales\nP1,never,1\n')).rejects.toMatchObject({
      name: 'NoDataError',
      message: `no usable forecast_ready rows under ${path.join(dir, 'sales.csv')}: 1 rows read in 1 files, all skipped (1 invalid_date)`,
    });
  });

  it('treats a header-only file as no data (NoDataError, exit 2), even with an as-of', async () => {
    await expect(
      loadCsv('product_id,event_date,daily_sales\n', { asOf: '2025-01-01' }),
    ).rejects.toThrow(
      /no product has usable rows up to the as-of 2025-01-01 .*: 0 rows read in 1 files/,
    );
  });

  it('reads big CSVs in a stream, rows spread over many chunks', async () => {
    const rows = Array.from(
      { length: 8_000 },
      (_, i) => `P${i % 100},2025-${String(1 + (((i / 100) % 12) | 0)).padStart(2, '0')}-01,1`,
    );
    const result = await loadCsv(['product_id,event_date,daily_sales', ...rows].join('\n'));
    expect(result.products).toHaveLength(100);
    // 80 rows per product over 12 distinct months, all selling 1: the rest are identical rows.
    expect(result.summary.rowsUsed).toBe(100 * 12);
    expect(result.summary.duplicatesDropped).toBe(8_000 - 100 * 12);
  });
});

describe('loadSalesData zero-sales rows', () => {
  it('treats a row with daily_sales 0 as a row: a second row for that day is a duplicate', async () => {
    const result = await loadCsv(
      'product_id,event_date,daily_sales\nP1,2025-04-25,0\nP1,2025-04-25,0\nP1,2025-04-25,0\nP1,2025-04-26,2\nP1,2025-04-26,0\n',
    );
    expect(result.summary.duplicatesDropped).toBe(2);
    expect(result.summary.conflictingDuplicates).toBe(1);
    // Identical rows are counted, not listed one by one; the conflicting one is.
    expect(result.summary.issues.map((i) => i.row)).toEqual([6]);
    expect(result.products[0].startDate).toBe('2025-04-25');
    // The internal -0 "row with zero sales" mark never leaks into the output.
    expect(Array.from(result.products[0].values, (v) => Object.is(v, -0))).toEqual([false, false]);
    expect([...result.products[0].values]).toEqual([0, 2]);
  });
});
