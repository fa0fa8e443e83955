import { describe, expect, it } from 'vitest';
import { SalesAccumulator } from '../src/SalesAccumulator';
import { emptyRow } from '../src/rawRow';
import type { DuplicatePolicy } from '../src/types';

const silent = { debug() {}, info() {}, warn() {}, error() {} };

/** Feeds [day offset, daily_sales] rows of product P1 (from 2025-01-01) and returns its series. */
function seriesOf(rows: [number, unknown][], onDuplicate: DuplicatePolicy = 'max'): number[] {
  const acc = new SalesAccumulator({ logger: silent, onDuplicate });
  acc.beginFile({ uri: 'mem.csv' });
  const row = emptyRow();
  rows.forEach(([d, sales], i) => {
    row.productId = 'P1';
    row.eventDate = new Date(Date.UTC(2025, 0, 1 + d)).toISOString().slice(0, 10);
    row.dailySales = sales;
    acc.addRow('mem.csv', 'line', i + 2, row);
  });
  acc.fileDone();
  const last = Math.max(...rows.map(([d]) => d));
  const { products } = acc.finish(Date.UTC(2025, 0, 1 + last) / 86_400_000);
  return Array.from(products[0].values);
}

describe('compact per-product day cells', () => {
  it('keeps whole-unit sales exactly, with days without a row as 0', () => {
    expect(
      seriesOf([
        [0, 3],
        [2, 16_777_216],
        [3, 0],
      ]),
    ).toEqual([3, 0, 16_777_216, 0]);
  });

  it('never rounds a value a 32-bit float cannot hold, before or after array growth', () => {
    const rows: [number, unknown][] = [[0, 2]];
    for (let d = 1; d < 100; d++) rows.push([d, 1]);
    rows.push([50, 0.1]); // a duplicate day: max keeps 1
    rows.push([100, 0.1]);
    rows.push([101, 16_777_217]);
    rows.push([102, 1.000_000_1]);
    const values = seriesOf(rows);
    expect(values.slice(0, 3)).toEqual([2, 1, 1]);
    expect(values.slice(100)).toEqual([0.1, 16_777_217, 1.000_000_1]);
  });

  it('sums duplicates in double precision under policy sum', () => {
    expect(
      seriesOf(
        [
          [0, 0.1],
          [0, 0.2],
          [1, 5],
        ],
        'sum',
      ),
    ).toEqual([0.1 + 0.2, 5]);
  });

  it('keeps a rejected day unknown (NaN) next to fractional ones', () => {
    expect(
      seriesOf([
        [0, 1.5],
        [1, 'x'],
        [2, 2],
      ]),
    ).toEqual([1.5, Number.NaN, 2]);
  });
});
