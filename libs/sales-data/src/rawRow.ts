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

/** What is wrong with a rejected event_date, keyed by `parseEventDate`'s problem. */
export const DATE_PROBLEMS = {
  not_a_date: 'is not a date (expected YYYY-MM-DD)',
  out_of_range: 'is out of range (expected a date between 1900-01-01 and 2999-12-31)',
} as const;

/** What is wrong with a rejected daily_sales, keyed by `parseSales`'s problem. */
export const SALES_PROBLEMS = {
  empty: 'is empty (expected a finite number >= 0)',
  not_a_number: 'is not a number (expected a finite number >= 0)',
  not_finite: 'is not finite (expected a finite number >= 0)',
  negative: 'is negative (expected a finite number >= 0)',
} as const;
