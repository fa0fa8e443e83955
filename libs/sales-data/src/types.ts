/** One product's daily sales history, compact. */
export interface ProductSeries {
  productId: string;
  productName?: string;
  category?: string;
  /** avg_price of the product's latest row (by event_date). */
  latestPrice?: number;
  /** avg_rating of the product's latest row (by event_date). */
  latestRating?: number;
  /** YYYY-MM-DD of the first day with a row (first sale). */
  startDate: string;
  /** Daily units from startDate through asOf inclusive; days without a row are 0. */
  values: Float64Array;
}

/** Why a row was skipped. */
export type SkipReason =
  'invalid_date' | 'invalid_sales' | 'negative_sales' | 'missing_product_id' | 'after_as_of';

/** One reported row problem (the first 20 are kept). */
export interface RowIssue {
  /** `s3://bucket/key` or local path. */
  file: string;
  /** 1-based line number for CSV/JSONL (header is line 1), 1-based row number for Parquet. */
  row: number;
  productId?: string;
  column: string;
  value: string;
  reason: SkipReason | 'duplicate_day';
  message: string;
}

export interface LoadSummary {
  files: number;
  rowsRead: number;
  rowsUsed: number;
  /** Count per skip reason (rows after as-of are counted under `after_as_of`, not an error). */
  rowsSkipped: Partial<Record<SkipReason, number>>;
  /** Rows merged into an existing product/day (summed), counted as warnings. */
  duplicateRows: number;
  /** First 20 row issues, in reading order. */
  issues: RowIssue[];
}

export interface SalesDataset {
  /** YYYY-MM-DD: `--as-of` or the latest event_date seen. */
  asOf: string;
  /** Sorted by productId. */
  products: ProductSeries[];
  summary: LoadSummary;
}
