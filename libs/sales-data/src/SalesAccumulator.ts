import { dayToIsoDate } from '@retail-forecast/util';
import { compareStrings } from './order';
import type { Logger } from '@retail-forecast/util';
import type { LoadSummary, ProductSeries, RowIssue, SkipReason } from './types';
import {
  displayValue,
  parseEventDate,
  parseOptionalNumber,
  parseOptionalText,
  parseProductId,
  parseSales,
} from './values';

/** Issues kept in the summary (and logged one by one); the rest are only counted. */
export const MAX_ISSUES = 20;

/**
 * One row as a reader hands it over. Readers reuse a single instance per file, so no per-row
 * object outlives the row.
 */
export interface RawRow {
  productId: unknown;
  eventDate: unknown;
  dailySales: unknown;
  avgPrice: unknown;
  avgRating: unknown;
  productName: unknown;
  category: unknown;
}

/** A reusable row buffer: readers fill it per row, so no object survives a row. */
export function emptyRow(): RawRow {
  return {
    productId: undefined,
    eventDate: undefined,
    dailySales: undefined,
    avgPrice: undefined,
    avgRating: undefined,
    productName: undefined,
    category: undefined,
  };
}

/** Where a row came from, for issue messages: `line 17 of x.csv` or `row 5 of y.parquet`. */
export type RowUnit = 'line' | 'row';

/**
 * One product's days. `values[i]` is the sales of day `base + i`. A day without a row is +0 (a
 * fresh Float64Array needs no fill) and a row that sold nothing is stored as -0, so a duplicate
 * row is told apart from a first row without a second array: 100k products × 730 days cost
 * 8 bytes per cell.
 */
interface ProductState {
  base: number;
  values: Float64Array;
  minDay: number;
  maxDay: number;
  latestDay: number;
  name?: string;
  category?: string;
  price?: number;
  rating?: number;
}

const INITIAL_CAPACITY = 32;

/** True for a cell that holds a row: anything but +0 (-0 is a row with zero sales). */
function hasRow(v: number): boolean {
  return v !== 0 || 1 / v < 0;
}

const DATE_PROBLEMS = {
  not_a_date: 'is not a date (expected YYYY-MM-DD)',
  out_of_range: 'is out of range (expected a date between 1900-01-01 and 2999-12-31)',
} as const;

const SALES_PROBLEMS = {
  empty: 'is empty (expected a finite number >= 0)',
  not_a_number: 'is not a number (expected a finite number >= 0)',
  not_finite: 'is not finite (expected a finite number >= 0)',
  negative: 'is negative (expected a finite number >= 0)',
} as const;

/** Validates rows, merges them into per-product day arrays and keeps the load summary. */
export class SalesAccumulator {
  private readonly products = new Map<string, ProductState>();
  private readonly summary: LoadSummary = {
    files: 0,
    rowsRead: 0,
    rowsUsed: 0,
    rowsSkipped: {},
    duplicateRows: 0,
    issues: [],
  };
  private latestDay = Number.NEGATIVE_INFINITY;

  /** @param asOfDay rows after this day index are skipped as `after_as_of`; none when undefined. */
  constructor(
    private readonly asOfDay: number | undefined,
    private readonly logger: Logger,
  ) {}

  fileDone(): void {
    this.summary.files += 1;
  }

  /** A row that could not even be decoded (an invalid JSON line). */
  rejectRow(
    file: string,
    unit: RowUnit,
    row: number,
    reason: SkipReason,
    value: string,
    message: string,
  ): void {
    this.summary.rowsRead += 1;
    this.skip(reason);
    this.issue({
      file,
      row,
      column: '*',
      value,
      reason,
      message: `${unit} ${row} of ${file} ${message}`,
    });
  }

  addRow(file: string, unit: RowUnit, row: number, raw: RawRow): void {
    this.summary.rowsRead += 1;
    const where = `on ${unit} ${row} of ${file}`;

    const productId = parseProductId(raw.productId);
    if (productId === undefined) {
      const value = displayValue(raw.productId);
      this.skip('missing_product_id');
      this.issue({
        file,
        row,
        column: 'product_id',
        value,
        reason: 'missing_product_id',
        message: `product_id "${value}" ${where} is empty (expected a product id)`,
      });
      return;
    }

    const date = parseEventDate(raw.eventDate);
    if (!date.ok) {
      const value = displayValue(raw.eventDate);
      this.skip('invalid_date');
      this.issue({
        file,
        row,
        productId,
        column: 'event_date',
        value,
        reason: 'invalid_date',
        message: `event_date "${value}" ${where} ${DATE_PROBLEMS[date.problem]}`,
      });
      return;
    }
    const day = date.day;
    // Not an issue: an as-of run deliberately ignores what came later.
    if (this.asOfDay !== undefined && day > this.asOfDay) {
      this.skip('after_as_of');
      return;
    }

    const sales = parseSales(raw.dailySales);
    if (!sales.ok) {
      const value = displayValue(raw.dailySales);
      const reason: SkipReason = sales.problem === 'negative' ? 'negative_sales' : 'invalid_sales';
      this.skip(reason);
      this.issue({
        file,
        row,
        productId,
        column: 'daily_sales',
        value,
        reason,
        message: `daily_sales "${value}" ${where} ${SALES_PROBLEMS[sales.problem]}`,
      });
      return;
    }

    this.summary.rowsUsed += 1;
    if (day > this.latestDay) this.latestDay = day;
    const state = this.stateFor(productId, day);
    const i = day - state.base;
    const current = state.values[i];
    if (!hasRow(current)) {
      state.values[i] = sales.value === 0 ? -0 : sales.value;
    } else {
      // -0 + 0 is +0, which would read as "no row"; keep the mark.
      state.values[i] = current + sales.value === 0 ? -0 : current + sales.value;
      this.summary.duplicateRows += 1;
      const isoDay = dayToIsoDate(day);
      this.issue({
        file,
        row,
        productId,
        column: 'event_date',
        value: isoDay,
        reason: 'duplicate_day',
        message: `${productId} already has a row for ${isoDay}; ${unit} ${row} of ${file} was added to it (daily_sales summed)`,
      });
    }
    if (day < state.minDay) state.minDay = day;
    if (day > state.maxDay) state.maxDay = day;
    if (day >= state.latestDay) {
      state.latestDay = day;
      state.name = parseOptionalText(raw.productName) ?? state.name;
      state.category = parseOptionalText(raw.category) ?? state.category;
      state.price = parseOptionalNumber(raw.avgPrice) ?? state.price;
      state.rating = parseOptionalNumber(raw.avgRating) ?? state.rating;
    }
  }

  /** The latest day index of a used row, or undefined when no row was usable. */
  get latestUsedDay(): number | undefined {
    return Number.isFinite(this.latestDay) ? this.latestDay : undefined;
  }

  get loadSummary(): LoadSummary {
    return this.summary;
  }

  /**
   * Builds the dense series through `asOfDay` inclusive, sorted by product id. Each product's
   * working array is released as soon as its series is built, so peak memory stays near one
   * copy of the data rather than two.
   */
  finish(asOfDay: number): ProductSeries[] {
    const ids = [...this.products.keys()].sort(compareStrings);
    const out: ProductSeries[] = [];
    for (const productId of ids) {
      const state = this.products.get(productId) as ProductState;
      this.products.delete(productId);
      if (state.minDay > asOfDay) continue;
      const values = new Float64Array(asOfDay - state.minDay + 1);
      const last = Math.min(state.maxDay, asOfDay);
      for (let day = state.minDay; day <= last; day++) {
        // + 0 turns the -0 row mark into a plain 0.
        values[day - state.minDay] = state.values[day - state.base] + 0;
      }
      const series: ProductSeries = { productId, startDate: dayToIsoDate(state.minDay), values };
      if (state.name !== undefined) series.productName = state.name;
      if (state.category !== undefined) series.category = state.category;
      if (state.price !== undefined) series.latestPrice = state.price;
      if (state.rating !== undefined) series.latestRating = state.rating;
      out.push(series);
    }
    return out;
  }

  private stateFor(productId: string, day: number): ProductState {
    let state = this.products.get(productId);
    if (state === undefined) {
      state = {
        base: day,
        values: new Float64Array(INITIAL_CAPACITY),
        minDay: day,
        maxDay: day,
        latestDay: Number.NEGATIVE_INFINITY,
      };
      this.products.set(productId, state);
      return state;
    }
    const capacity = state.values.length;
    if (day >= state.base && day < state.base + capacity) return state;
    // Grow by half again towards the side that overflowed: rows in date order (the usual case)
    // and in reverse order both cost amortised O(1), and the slack left at the end is at most
    // a third of the array (doubling would leave up to half: 1,024 cells for 730 days).
    const step = Math.max(INITIAL_CAPACITY, capacity >> 1);
    let base = state.base;
    let end = state.base + capacity;
    if (day < base) base = Math.min(day, base - step);
    else end = Math.max(day + 1, end + step);
    const values = new Float64Array(end - base);
    values.set(state.values, state.base - base);
    state.values = values;
    state.base = base;
    return state;
  }

  private skip(reason: SkipReason): void {
    this.summary.rowsSkipped[reason] = (this.summary.rowsSkipped[reason] ?? 0) + 1;
  }

  private issue(issue: RowIssue): void {
    if (this.summary.issues.length >= MAX_ISSUES) return;
    this.summary.issues.push(issue);
    this.logger.warn(issue.message, { issue });
  }
}
