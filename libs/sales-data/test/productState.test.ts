import { describe, expect, it } from 'vitest';
import { SalesAccumulator } from '../src/SalesAccumulator';
import { MAX_SPAN_CELLS, stateFor } from '../src/productState';
import { emptyRow } from '../src/rawRow';
import type { DuplicatePolicy } from '../src/types';
import type { SeriesValues } from '@retail-forecast/util';

const silent = { debug() {}, info() {}, warn() {}, error() {} };

/** Feeds [day offset, daily_sales] rows of product P1 (from 2025-01-01) and returns its values. */
function valuesOf(rows: [number, unknown][], onDuplicate: DuplicatePolicy = 'max'): SeriesValues {
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
  return products[0].values;
}

/** The series of `valuesOf` as plain numbers. */
function seriesOf(rows: [number, unknown][], onDuplicate: DuplicatePolicy = 'max'): number[] {
  return Array.from(valuesOf(rows, onDuplicate));
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

describe('the series type of a product', () => {
  it('is a Float32Array of exactly first day to as-of when every value fits 32 bits', () => {
    const rows: [number, unknown][] = [];
    for (let d = 0; d < 40; d++) rows.push([d, d % 3 === 0 ? 0 : d]);
    rows.push([41, 2.5], [42, 'x']);
    const values = valuesOf(rows);
    expect(values).toBeInstanceOf(Float32Array);
    expect(values.length).toBe(43);
    // Its own buffer, without the loader's growth slack behind it.
    expect(values.buffer.byteLength).toBe(43 * 4);
    expect(values[40]).toBe(0);
    expect(values[41]).toBe(2.5);
    expect(values[42]).toBeNaN();
    expect(Object.is(values[3], 0)).toBe(true); // a row that sold nothing is a plain 0
  });

  it('is a Float64Array when one value needs 64 bits', () => {
    const values = valuesOf([
      [0, 3],
      [1, 0.1],
    ]);
    expect(values).toBeInstanceOf(Float64Array);
    expect(Array.from(values)).toEqual([3, 0.1]);
  });

  it('is a Float32Array again when the value that needed 64 bits was replaced', () => {
    const values = valuesOf(
      [
        [0, 0.1],
        [0, 4],
        [1, 2],
      ],
      'last',
    );
    expect(values).toBeInstanceOf(Float32Array);
    expect(Array.from(values)).toEqual([4, 2]);
  });
});

describe('a new product’s first array', () => {
  it('covers the days seen so far when they hold its day, so shuffled rows need no growth', () => {
    const products = new Map();
    const state = stateFor(products, 'P1', 400, { from: 0, to: 729 });
    expect(state.base).toBe(0);
    expect(state.values.length).toBe(730);
    expect(state.minDay).toBe(400);
  });

  it('starts small from its day when the span seen is too wide (a far-off date) or misses it', () => {
    const products = new Map();
    expect(stateFor(products, 'P1', 400, { from: 0, to: MAX_SPAN_CELLS }).values.length).toBe(32);
    expect(stateFor(products, 'P2', 800, { from: 0, to: 729 })).toMatchObject({ base: 800 });
    expect(stateFor(products, 'P2', 800, { from: 0, to: 729 }).values.length).toBe(32);
  });
});
