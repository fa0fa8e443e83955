import { describe, expect, it } from 'vitest';
import { SalesAccumulator } from '../src/SalesAccumulator';
import { DaySlabs } from '../src/DaySlabs';
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

describe('day cells while loading (1 byte a day until a row needs more)', () => {
  /** Rows of P1 in this order, through the accumulator, with the final series and its problem. */
  function load(rows: [number, unknown][], onDuplicate: DuplicatePolicy = 'max') {
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
    const out = acc.finish(Date.UTC(2025, 0, 1 + last) / 86_400_000);
    return { ...out, summary: acc.loadSummary };
  }

  it('tells no row, a zero row and a rejected-only day apart in each encoding', () => {
    // Each case ends in an encoding of its own; day 1 has no row, day 2 a zero row, day 3 only a
    // rejected row and day 4 a rejected row before and a valid one after it.
    for (const [big, type] of [
      [253, Float32Array],
      [254, Float32Array],
      [65_533, Float32Array],
      [70_000, Float32Array],
      [2.5, Float32Array],
      [0.1, Float64Array],
    ] as const) {
      const { products } = load([
        [0, big],
        [2, 0],
        [3, -1],
        [4, 'x'],
        [4, 7],
        [5, 1],
      ]);
      expect(products[0].values).toBeInstanceOf(type);
      expect(Array.from(products[0].values)).toEqual([big, 0, 0, Number.NaN, 7, 1]);
      expect(products[0].dataIssues).toEqual({ rejectedDays: 1 });
    }
  });

  it('keeps rows read before the array widened, rejected days included', () => {
    for (const [big, type] of [
      // 254 widens the day array to Uint16; the series is the narrowest type again.
      [254, Uint8Array],
      [256, Uint16Array],
      [65_533, Uint16Array],
      // 65,534 turns the day array into floats; the series is Uint16 again.
      [65_534, Uint16Array],
      [65_536, Float32Array],
      [1.5, Float32Array],
      [16_777_217, Float64Array],
    ] as const) {
      const rows: [number, unknown][] = [];
      for (let d = 0; d < 60; d++) rows.push([d, d % 5 === 0 ? 0 : 200 + (d % 50)]);
      rows.push([60, big]);
      const { products } = load(rows);
      const expected = [...rows.map(([, v]) => v as number)];
      expect(products[0].values).toBeInstanceOf(type);
      expect(Array.from(products[0].values)).toEqual(expected);
      // The same with an unknown day read before the widening row.
      const withUnknown = load([[0, 3], [1, 'x'], ...rows.slice(2)]);
      expect(withUnknown.products[0].values[1]).toBeNaN();
      expect(Array.from(withUnknown.products[0].values.subarray(2))).toEqual(expected.slice(2));
    }
  });

  it('counts an identical duplicate once and merges conflicting ones across the Uint8 limit', () => {
    const max = load([
      [0, 0],
      [0, 0],
      [1, 200],
      [1, 300],
    ]);
    expect(Array.from(max.products[0].values)).toEqual([0, 300]);
    expect(max.summary.duplicatesDropped).toBe(1);
    const sum = load(
      [
        [0, 200],
        [0, 100],
        [1, 253],
        [1, 1],
      ],
      'sum',
    );
    expect(sum.products[0].values).toBeInstanceOf(Uint16Array);
    expect(Array.from(sum.products[0].values)).toEqual([300, 254]);
    const error = load(
      [
        [0, 4],
        [0, 5],
      ],
      'error',
    );
    expect(error.products).toEqual([]);
    expect(error.failed[0].error).toMatch(/conflicting rows/);
  });

  it('hands over its day array without a copy, products sharing a few large buffers', () => {
    const acc = new SalesAccumulator({ logger: silent });
    acc.beginFile({ uri: 'mem.csv' });
    const row = emptyRow();
    const put = (id: string, d: number, sales: number) => {
      row.productId = id;
      row.eventDate = new Date(Date.UTC(2025, 0, 1 + d)).toISOString().slice(0, 10);
      row.dailySales = sales;
      acc.addRow('mem.csv', 'line', 2, row);
    };
    // A first product makes the span seen 10..99, so the next ones' arrays cover it from their
    // first row, side by side in one slab.
    put('P1', 10, 1);
    put('P1', 99, 1);
    for (let d = 99; d >= 10; d--) put('P2', d, d % 7);
    for (let d = 90; d < 100; d++) put('P3', d, 2);
    // P4 widens to Uint16 and P1 grows down past the span: both move out, their neighbours stay intact.
    for (let d = 10; d < 100; d++) put('P4', d, d === 50 ? 1_000 : 3);
    put('P1', 0, 5);
    acc.fileDone();
    const { products } = acc.finish(Date.UTC(2025, 0, 100) / 86_400_000);
    const [p1, p2, p3, p4] = products;
    expect(p2.values).toBeInstanceOf(Uint8Array);
    expect(Array.from(p2.values)).toEqual(Array.from({ length: 90 }, (_, i) => (i + 10) % 7));
    expect(Array.from(p3.values)).toEqual(Array(10).fill(2));
    expect(p2.values.buffer).toBe(p3.values.buffer);
    expect(p2.values.buffer.byteLength).toBeGreaterThan(p2.values.byteLength);
    expect(p4.values).toBeInstanceOf(Uint16Array);
    expect(Array.from(p4.values)).toEqual(
      Array.from({ length: 90 }, (_, i) => (i === 40 ? 1_000 : 3)),
    );
    expect(p1.values.length).toBe(100);
    expect([p1.values[0], p1.values[10], p1.values[99]]).toEqual([5, 1, 1]);
  });
});

describe('DaySlabs', () => {
  it('hands out zeroed, disjoint views of one buffer until it is full, then a new one', () => {
    const slabs = new DaySlabs(100);
    const a = slabs.take(60);
    const b = slabs.take(40);
    const c = slabs.take(30);
    expect(a.buffer).toBe(b.buffer);
    expect(c.buffer).not.toBe(a.buffer);
    expect([a.byteOffset, b.byteOffset, c.byteOffset]).toEqual([0, 60, 0]);
    expect(a.every((v) => v === 0) && b.every((v) => v === 0)).toBe(true);
    a.fill(7);
    expect(b.every((v) => v === 0)).toBe(true);
  });

  it('gives a request larger than a slab a buffer of its own size', () => {
    const slabs = new DaySlabs(100);
    const big = slabs.take(250);
    expect(big.length).toBe(250);
    expect(big.buffer.byteLength).toBe(250);
    expect(slabs.take(10).buffer).not.toBe(big.buffer);
  });
});

describe('the series type of a product', () => {
  it('is a Float32Array of exactly first day to as-of when every value fits 32 bits and one is unknown', () => {
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

  it('is a Uint8Array again when the value that needed 64 bits was replaced by a whole unit', () => {
    const values = valuesOf(
      [
        [0, 0.1],
        [0, 4],
        [1, 2],
      ],
      'last',
    );
    expect(values).toBeInstanceOf(Uint8Array);
    expect(Array.from(values)).toEqual([4, 2]);
  });

  it('is a Uint8Array (1 byte a day) when every day is a whole unit up to 255', () => {
    const rows: [number, unknown][] = [];
    for (let d = 0; d < 40; d += 2) rows.push([d, d % 3 === 0 ? 0 : 255 - d]);
    const values = valuesOf(rows);
    expect(values).toBeInstanceOf(Uint8Array);
    expect(values.length).toBe(39);
    expect(Array.from(values)).toEqual(
      Array.from({ length: 39 }, (_, d) => (d % 2 === 1 || d % 3 === 0 ? 0 : 255 - d)),
    );
    expect(Object.is(values[0], 0)).toBe(true); // a row that sold nothing is a plain 0
  });

  it('is a Uint16Array for whole units above 255 up to 65,535', () => {
    const values = valuesOf([
      [0, 256],
      [2, 65_535],
      [3, '7'],
    ]);
    expect(values).toBeInstanceOf(Uint16Array);
    expect(Array.from(values)).toEqual([256, 0, 65_535, 7]);
  });

  it('keeps a float type for an unknown day, a fraction or a value above 65,535, never rounding', () => {
    // An unknown day (NaN) among small whole units: an integer array would read it back as 0.
    const unknown = valuesOf([
      [0, 3],
      [1, 'x'],
      [2, 1],
    ]);
    expect(unknown).toBeInstanceOf(Float32Array);
    expect(Array.from(unknown)).toEqual([3, Number.NaN, 1]);
    const half = valuesOf([
      [0, 3],
      [1, 0.5],
    ]);
    expect(half).toBeInstanceOf(Float32Array);
    expect(Array.from(half)).toEqual([3, 0.5]);
    const big = valuesOf([
      [0, 65_536],
      [1, 1],
    ]);
    expect(big).toBeInstanceOf(Float32Array);
    expect(Array.from(big)).toEqual([65_536, 1]);
    const huge = valuesOf([
      [0, 16_777_217],
      [1, 1],
    ]);
    expect(huge).toBeInstanceOf(Float64Array);
    expect(Array.from(huge)).toEqual([16_777_217, 1]);
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
