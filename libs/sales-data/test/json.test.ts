import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CorruptFileError, MissingColumnError, loadSalesData } from '../src/index';
import { tempDir, writeTree } from './fixtures';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(() => cleanup());

async function load(name: string, text: string) {
  await writeTree(dir, { [name]: text });
  return loadSalesData({ source: path.join(dir, name) });
}

const row = (id: string, date: unknown, sales: unknown, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ product_id: id, event_date: date, daily_sales: sales, ...extra });

describe('loadSalesData on JSON Lines', () => {
  it('reads one object per line, skipping blank lines, with numbers or strings as values', async () => {
    const result = await load(
      'part-0.jsonl',
      [
        row('A', '2025-04-26', 1, { product_name: 'Apple', avg_price: '1.5' }),
        '',
        row('A', '2025-04-28T08:00:00Z', '2'),
        row('B', 20250427, 4.5),
        '',
      ].join('\n'),
    );
    expect(result.asOf).toBe('2025-04-28');
    expect(result.products).toEqual([
      {
        productId: 'A',
        startDate: '2025-04-26',
        values: new Uint8Array([1, 0, 2]),
        productName: 'Apple',
        latestPrice: 1.5,
      },
      { productId: 'B', startDate: '2025-04-27', values: new Float32Array([4.5, 0]) },
    ]);
  });

  it('skips an invalid JSON line as invalid_json with its line number and keeps going', async () => {
    const file = path.join(dir, 'part-0.jsonl');
    const result = await load(
      'part-0.jsonl',
      [row('A', '2025-04-26', 1), '{"product_id": "A", ', '[1,2]', row('A', '2025-04-27', 2)].join(
        '\n',
      ),
    );
    expect([...result.products[0].values]).toEqual([1, 2]);
    expect(result.summary.rowsRead).toBe(4);
    expect(result.summary.rowsSkipped).toEqual({ invalid_json: 2 });
    expect(result.summary.issues.map((i) => [i.row, i.reason, i.column, i.value])).toEqual([
      [2, 'invalid_json', '*', '{"product_id": "A", '],
      [3, 'invalid_json', '*', '[1,2]'],
    ]);
    expect(result.summary.issues[0].message).toMatch(
      new RegExp(`^line 2 of ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is not valid JSON \\(`),
    );
    expect(result.summary.issues[1].message).toBe(
      `line 3 of ${file} is not a JSON object (expected one row object per line)`,
    );
  });

  it('reports bad values with the JSON line number', async () => {
    const result = await load(
      'p.jsonl',
      [
        row('A', '2025-04-26', 1),
        row('A', '2025-04-27', -4),
        row('', '2025-04-27', 1),
        row('A', null, 1),
      ].join('\n'),
    );
    expect(result.summary.issues.map((i) => [i.row, i.reason])).toEqual([
      [2, 'negative_sales'],
      [3, 'missing_product_id'],
      [4, 'invalid_date'],
    ]);
  });

  it('throws MissingColumnError when the first row object lacks a required key', async () => {
    const error = await load(
      'p.jsonl',
      JSON.stringify({ product_id: 'A', event_date: '2025-04-26' }),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MissingColumnError);
    expect(error).toMatchObject({ column: 'daily_sales', file: path.join(dir, 'p.jsonl') });
  });

  it('reads a .ndjson file the same way', async () => {
    const result = await load('p.ndjson', row('A', '2025-04-26', 1));
    expect(result.products).toHaveLength(1);
  });
});

describe('loadSalesData on .json files', () => {
  it('reads a JSON array, numbering rows by position', async () => {
    const result = await load(
      'data.json',
      `\n  [${row('A', '2025-04-26', 1)},\n${row('A', 'nope', 1)},\n${row('B', '2025-04-27', 3)}]`,
    );
    expect(result.products.map((p) => [p.productId, [...p.values]])).toEqual([
      ['A', [1, 0]],
      ['B', [3]],
    ]);
    expect(result.summary.issues).toEqual([
      expect.objectContaining({ row: 2, reason: 'invalid_date', value: 'nope' }),
    ]);
    expect(result.summary.issues[0].message).toBe(
      `event_date "nope" on row 2 of ${path.join(dir, 'data.json')} is not a date (expected YYYY-MM-DD)`,
    );
  });

  it('reads JSON Lines saved as .json', async () => {
    const result = await load(
      'data.json',
      [row('A', '2025-04-26', 1), row('A', '2025-04-27', 2)].join('\n'),
    );
    expect([...result.products[0].values]).toEqual([1, 2]);
  });

  it('fails with CorruptFileError on a malformed JSON array', async () => {
    const error = await load('data.json', `[${row('A', '2025-04-26', 1)},`).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(CorruptFileError);
    expect((error as Error).message).toContain(
      `${path.join(dir, 'data.json')} is not a valid JSON array: `,
    );
  });
});
