import { dayToIsoDate, fitsFloat32 } from '@retail-forecast/util';
import type { SeriesValues } from '@retail-forecast/util';
import type { ProductProblem, ProductSeries } from './types';

/**
 * One product's days. `values[i]` is the sales of day `base + i`: +0 for a day without a row (a
 * fresh typed array needs no fill), -0 for a row that sold nothing, NaN for a day whose only
 * rows were rejected. So "no row", "a row" and "only rejected rows" are told apart without a
 * second array. Cells are 32-bit floats (4 bytes: 100k products × 730 days in under 300 MB)
 * until a value that a float32 cannot hold exactly (a fraction such as 0.1, or above 2^24)
 * arrives; the product's array then turns into float64, so no value is ever rounded.
 */
export interface ProductState {
  base: number;
  values: SeriesValues;
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
 * date costs nothing, and a product can never start above 4.4 KB.
 */
export const MAX_SPAN_CELLS = 1096;

/** The earliest and latest day index seen so far across all products (inclusive). */
export interface DaySpan {
  from: number;
  to: number;
}

/** True for a cell that holds a valid row: a number other than +0 (-0 is a row with zero sales). */
export function hasRow(v: number): boolean {
  return (v !== 0 || 1 / v < 0) && !Number.isNaN(v);
}

/** True for a cell without any row yet (neither valid nor rejected). */
function isEmpty(v: number): boolean {
  return v === 0 && 1 / v > 0;
}

/**
 * The state of `productId` in `products`, created when the product is new and grown when `day`
 * falls outside its array, so `day` has a cell. A new product's cells (all "no row") cover `seen`,
 * the days read so far across the catalogue, when that span holds `day` and is at most
 * {@link MAX_SPAN_CELLS} long: rows spread over files in no date order (a Spark shuffle) then fill
 * one array of about the final length instead of growing it by half again up to several times
 * (60 % more cells than days on average over a 730-day history). Otherwise it starts with 32 cells
 * from `day`.
 */
export function stateFor(
  products: Map<string, ProductState>,
  productId: string,
  day: number,
  seen?: DaySpan,
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
      values: new Float32Array(span ? span.to - span.from + 1 : INITIAL_CAPACITY),
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
  const values =
    state.values instanceof Float32Array
      ? new Float32Array(end - base)
      : new Float64Array(end - base);
  values.set(state.values, state.base - base);
  state.values = values;
  state.base = base;
}

/**
 * Stores `value` (a valid row's sales, or a merge of two) in the cell of day index `day` (which
 * must have one, see `stateFor`): 0 as -0, the "row that sold nothing" mark. A value a float32
 * cannot hold exactly turns the product's array into float64 first.
 */
export function setSales(state: ProductState, day: number, value: number): void {
  if (state.values instanceof Float32Array && !fitsFloat32(value)) {
    state.values = Float64Array.from(state.values);
  }
  state.values[day - state.base] = value === 0 ? -0 : value;
}

/**
 * Records a rejected row for day index `day` (which must have a cell, see `stateFor`): the day is
 * unknown (NaN) unless a valid row for it has been read, and the product's span includes it.
 */
export function markRejected(state: ProductState, day: number): void {
  const i = day - state.base;
  if (isEmpty(state.values[i])) state.values[i] = Number.NaN;
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
 * not be before `state.minDay`): days without a row are 0, days with only rejected rows NaN. The
 * values are a new array of exactly that length, Float32 when every one of them fits a float32
 * (see `SeriesValues`), so the working array (and its growth slack) can go as soon as the caller
 * drops the state. Also returns how many days are unknown (NaN); `dataIssues` is left to the caller.
 */
export function toSeries(
  productId: string,
  state: ProductState,
  asOfDay: number,
): { series: ProductSeries; unknown: number } {
  const from = state.minDay - state.base;
  const last = Math.min(state.maxDay, asOfDay) - state.base;
  const cells = state.values.subarray(from, last + 1);
  const values =
    cells instanceof Float32Array || cells.every(fitsFloat32)
      ? new Float32Array(asOfDay - state.minDay + 1)
      : new Float64Array(asOfDay - state.minDay + 1);
  let unknown = 0;
  for (let i = 0; i < cells.length; i++) {
    // + 0 turns the -0 row mark into a plain 0; NaN stays NaN.
    const v = cells[i] + 0;
    if (Number.isNaN(v)) unknown += 1;
    values[i] = v;
  }
  const series: ProductSeries = { productId, startDate: dayToIsoDate(state.minDay), values };
  if (state.name !== undefined) series.productName = state.name;
  if (state.category !== undefined) series.category = state.category;
  if (state.price !== undefined) series.latestPrice = state.price;
  if (state.rating !== undefined) series.latestRating = state.rating;
  return { series, unknown };
}
