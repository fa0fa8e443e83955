import { MissingColumnError } from '../errors';

export const REQUIRED_COLUMNS = ['product_id', 'event_date', 'daily_sales'] as const;
export const OPTIONAL_COLUMNS = ['avg_price', 'avg_rating', 'product_name', 'category'] as const;

/** Throws MissingColumnError for the first required column not in `names`. */
export function requireColumns(file: string, names: readonly string[]): void {
  const present = new Set(names);
  for (const column of REQUIRED_COLUMNS) {
    if (!present.has(column)) throw new MissingColumnError(file, column, names);
  }
}
