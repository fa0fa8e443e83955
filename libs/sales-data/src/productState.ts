import { dayToIsoDate, fitsFloat32, seriesTypeFor } from '@retail-forecast/util';
import type { SeriesValues, SeriesValuesConstructor } from '@retail-forecast/util';
import { isSlabView } from './DaySlabs';
import type { DaySlabs } from './DaySlabs';
import type { ProductProblem, ProductSeries } from './types';

/**
 * One product's days. The cell of day `base + i` tells "no row", "a row with n units" and "only
 * rejected rows" apart without a second array, in the narrowest of three encodings that holds the
 * product's rows so far:
 * - `Uint8Array` (1 byte a day, every new product): 0 no row, n + 1 a row of n units (0..253),
 *   255 only rejected rows;
 * - `Uint16Array` (2 bytes) once a whole unit above 253 arrives: the same up to 65,533 units,
 *   65,535 only rejected rows;
 * - `Float32Array` / `Float64Array` once a fraction or a larger value arrives: +0 no row (a fresh
 *   typed array needs no fill), -0 a row that sold nothing, NaN only rejected rows; float32 until
 *   a value it cannot hold exactly (0.1, above 2^24), so no value is ever rounded.
 * Read a cell with {@link cellAt} and write one with {@link setSales} / {@link markRejected}. So
 * whole-unit sales (the usual Gold data) take 1 byte a day while loading, and the day array
 * becomes the product's series without a copy (see {@link toSeries}).
 */
export interface ProductState {
  base: number;
  /** The day cells, encoded as above; never read or written directly outside this module. */
  values: Uint8Array | Uint16Array | Float32Array | Float64Array;
  minDay: number;
  maxDay: number;
  latestDay: number;
  /** True once a valid row was added. */
  valid: boolean;
  /** Set under policy `error` at the first conflicting duplicate. */
  conflict?: string;
  name?: string;
  category?: string;
  price?: number;
  rating?: number;
}

const INITIAL_CAPACITY = 32;

/**
 * Widest span of days (3 years) a new product's array is given up front from the days seen so far
 * (`DaySpan`); past it a new product starts with {@link INITIAL_CAPACITY} cells, so one far-off
 * date costs nothing, and a product can never start above 1.1 KB (4.4 KB once it needs floats).
 */
export const MAX_SPAN_CELLS = 1096;

/** The earliest and latest day index seen so far across all products (inclusive). */
export interface DaySpan {
  from: number;
  to: number;
}

/** True for a cell value (see {@link cellAt}) of a valid row: other than +0 (-0 is a row of 0 units). */
export function hasRow(v: number): boolean {
  return (v !== 0 || 1 / v < 0) && !Number.isNaN(v);
}

/** True for a cell value without any row yet (neither valid nor rejected). */
function isEmpty(v: number): boolean {
  return v === 0 && 1 / v > 0;
}

/** The "only rejected rows" code of an integer cell array: its largest value. */
function rejectedCode(values: Uint8Array | Uint16Array): number {
  return values instanceof Uint8Array ? 0xff : 0xffff;
}

/**
 * The cell of day index `day` (which must have one, see `stateFor`) in the float encoding, whatever
 * the array: +0 no row, -0 a row that sold nothing, NaN only rejected rows, else the row's units.
 */
export function cellAt(state: ProductState, day: number): number {
  const values = state.values;
  const c = values[day - state.base];
  if (values instanceof Float32Array || values instanceof Float64Array) return c;
  return floatCell(c, rejectedCode(values));
}

/** An integer cell `c` in the float encoding: 0 → +0 (no row), 1 → -0 (a row of 0 units),
 * `rejected` → NaN, n + 1 → n. */
function floatCell(c: number, rejected: number): number {
  if (c === 0) return 0;
  if (c === rejected) return Number.NaN;
  return c === 1 ? -0 : c - 1;
}

/**
 * The state of `productId` in `products`, created when the product is new and grown when `day`
 * falls outside its array, so `day` has a cell. A new product's cells (all "no row") cover `seen`,
 * the days read so far across the catalogue, when that span holds `day` and is at most
 * {@link MAX_SPAN_CELLS} long: rows spread over files in no date order (a Spark shuffle) then fill
 * one array of about the final length instead of growing it by half again up to several times
 * (60 % more cells than days on average over a 730-day history); that array comes from `slabs`
 * when given (so a catalogue's day arrays share a few large buffers). Otherwise it starts with 32
 * cells from `day`.
 */
export function stateFor(
  products: Map<string, ProductState>,
  productId: string,
  day: number,
  seen?: DaySpan,
  slabs?: DaySlabs,
): ProductState {
  let state = products.get(productId);
  if (state === undefined) {
    const span =
      seen !== undefined &&
      seen.from <= day &&
      day <= seen.to &&
      seen.to - seen.from < MAX_SPAN_CELLS &&
      seen.to - seen.from >= INITIAL_CAPACITY
        ? seen
        : undefined;
    state = {
      base: span?.from ?? day,
      values:
        span && slabs
          ? slabs.take(span.to - span.from + 1)
          : new Uint8Array(span ? span.to - span.from + 1 : INITIAL_CAPACITY),
      minDay: day,
      maxDay: day,
      latestDay: Number.NEGATIVE_INFINITY,
      valid: false,
    };
    products.set(productId, state);
    return state;
  }
  makeRoomFor(state, day);
  return state;
}

/** Grows `state.values` (moving `base` when it grows down) so that day index `day` has a cell. */
function makeRoomFor(state: ProductState, day: number): void {
  const capacity = state.values.length;
  if (day >= state.base && day < state.base + capacity) return;
  // Grow by half again towards the side that overflowed: rows in date order (the usual case)
  // and in reverse order both cost amortised O(1), and the slack left at the end is at most
  // a third of the array (doubling would leave up to half: 1,024 cells for 730 days).
  const step = Math.max(INITIAL_CAPACITY, capacity >> 1);
  let base = state.base;
  let end = state.base + capacity;
  if (day < base) base = Math.min(day, base - step);
  else end = Math.max(day + 1, end + step);
  // The same encoding: a fresh array's zeros are "no row" in each of them.
  const values = new (state.values.constructor as SeriesValuesConstructor)(end - base);
  values.set(state.values, state.base - base);
  state.values = values;
  state.base = base;
}

/** `state.values` re-encoded as float cells (+0 / -0 / NaN marks), 64-bit when `wide`. */
function toFloatCells(state: ProductState, wide: boolean): Float32Array | Float64Array {
  const from = state.values;
  const to = wide ? new Float64Array(from.length) : new Float32Array(from.length);
  if (from instanceof Float32Array || from instanceof Float64Array) {
    to.set(from);
    return to;
  }
  const rejected = rejectedCode(from);
  for (let i = 0; i < from.length; i++) {
    // A fresh array's +0 already says "no row".
    if (from[i] !== 0) to[i] = floatCell(from[i], rejected);
  }
  return to;
}

/**
 * Stores `value` (a valid row's sales, or a merge of two) in the cell of day index `day` (which
 * must have one, see `stateFor`), widening the product's array first when its encoding cannot
 * hold `value` exactly: Uint8 → Uint16 for a whole unit above 253, → Float32 for a fraction or a
 * whole unit above 65,533, → Float64 for a value a float32 would round.
 */
export function setSales(state: ProductState, day: number, value: number): void {
  let values = state.values;
  if (values instanceof Uint8Array || values instanceof Uint16Array) {
    const wholeUnits = Number.isInteger(value) && value >= 0;
    if (wholeUnits && value < rejectedCode(values) - 1) {
      values[day - state.base] = value + 1;
      return;
    }
    if (values instanceof Uint8Array && wholeUnits && value < 0xfffe) {
      const wider = new Uint16Array(values.length);
      for (let i = 0; i < values.length; i++) {
        const c = values[i];
        wider[i] = c === 0xff ? 0xffff : c;
      }
      state.values = wider;
      wider[day - state.base] = value + 1;
      return;
    }
    values = state.values = toFloatCells(state, !fitsFloat32(value));
  } else if (values instanceof Float32Array && !fitsFloat32(value)) {
    values = state.values = toFloatCells(state, true);
  }
  values[day - state.base] = value === 0 ? -0 : value;
}

/**
 * Records a rejected row for day index `day` (which must have a cell, see `stateFor`): the day is
 * unknown (NaN) unless a valid row for it has been read, and the product's span includes it.
 */
export function markRejected(state: ProductState, day: number): void {
  if (isEmpty(cellAt(state, day))) {
    const values = state.values;
    values[day - state.base] =
      values instanceof Uint8Array || values instanceof Uint16Array
        ? rejectedCode(values)
        : Number.NaN;
  }
  extend(state, day);
}

/** Widens the product's [minDay, maxDay] span (day indices) to include `day`. */
export function extend(state: ProductState, day: number): void {
  if (day < state.minDay) state.minDay = day;
  if (day > state.maxDay) state.maxDay = day;
}

/**
 * Why the product cannot be forecast, or undefined when it can: a conflict under policy `error`
 * (its first one), or no valid row at all.
 */
export function productProblem(productId: string, state: ProductState): ProductProblem | undefined {
  if (state.conflict !== undefined) return { productId, error: state.conflict };
  if (!state.valid)
    return {
      productId,
      error: `every row of ${productId} was rejected (no daily_sales to forecast from)`,
    };
  return undefined;
}

/**
 * The product's dense series from its first day through `asOfDay` (a day index, inclusive; must
 * not be before `state.minDay`): days without a row are 0, days with only rejected rows NaN, in
 * the narrowest type that holds them all (`seriesTypeFor`: mostly Uint8Array, 1 byte a day; a
 * product with an unknown day or a fraction keeps a float type). Consumes the state (its cells are
 * decoded in place): when its cells are already that type and cover the days through `asOfDay`
 * with at most a quarter of the array left over, the series is a view of the product's own day
 * array, with no copy; otherwise a new array of exactly that length. Also returns how many days
 * are unknown (NaN); `dataIssues` is left to the caller. `isoDate` formats the start date (a
 * caller's cache lets products that start on the same day share one string).
 */
export function toSeries(
  productId: string,
  state: ProductState,
  asOfDay: number,
  isoDate: (day: number) => string = dayToIsoDate,
): { series: ProductSeries; unknown: number } {
  const length = asOfDay - state.minDay + 1;
  const from = state.minDay - state.base;
  const last = Math.min(state.maxDay, asOfDay) - state.base;
  const { values: cells, unknown } = decodeCells(state, from, last + 1);
  const type = seriesTypeFor(cells);
  const all = state.values;
  const values =
    all instanceof type &&
    state.base + all.length > asOfDay &&
    // A slab's cells stay allocated with it, so a copy would only add to them.
    (length * 4 >= all.length * 3 || isSlabView(all))
      ? // Cells after the last row are "no row", 0 in every encoding once decoded.
        all.subarray(from, from + length)
      : copyInto(new type(length), cells);
  const series: ProductSeries = { productId, startDate: isoDate(state.minDay), values };
  if (state.name !== undefined) series.productName = state.name;
  if (state.category !== undefined) series.category = state.category;
  if (state.price !== undefined) series.latestPrice = state.price;
  if (state.rating !== undefined) series.latestRating = state.rating;
  return { series, unknown };
}

function copyInto<T extends SeriesValues>(to: T, from: SeriesValues): T {
  to.set(from);
  return to;
}

/**
 * The cells `start` to `end` (exclusive) as plain numbers (0 for no row or a zero row, NaN for
 * only rejected rows), and how many are NaN: decoded in place when the array is a float one or no
 * cell is NaN, else into a new Float64Array (an integer array cannot hold NaN).
 */
function decodeCells(
  state: ProductState,
  start: number,
  end: number,
): { values: SeriesValues; unknown: number } {
  const all = state.values;
  const cells = all.subarray(start, end);
  let unknown = 0;
  if (all instanceof Float32Array || all instanceof Float64Array) {
    for (let i = 0; i < cells.length; i++) {
      // + 0 turns the -0 row mark into a plain 0; NaN stays NaN.
      const v = cells[i] + 0;
      if (Number.isNaN(v)) unknown += 1;
      cells[i] = v;
    }
    return { values: cells, unknown };
  }
  const rejected = rejectedCode(all);
  for (let i = 0; i < cells.length; i++) if (cells[i] === rejected) unknown += 1;
  const out = unknown === 0 ? cells : new Float64Array(cells.length);
  for (let i = 0; i < cells.length; i++) {
    const c = cells[i];
    out[i] = c === 0 ? 0 : c === rejected ? Number.NaN : c - 1;
  }
  return { values: out, unknown };
}
