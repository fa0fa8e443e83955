import type { DynamoDBClient, DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';

/**
 * The logging surface the writer needs. Method syntax on purpose: it keeps both `console` and a
 * Powertools `Logger` assignable, since the extra arguments are plain JSON objects.
 */
export interface WriterLogger {
  debug(message: string, ...extra: unknown[]): void;
  info(message: string, ...extra: unknown[]): void;
  warn(message: string, ...extra: unknown[]): void;
  error(message: string, ...extra: unknown[]): void;
}

/** Backoff for the batch APIs' `UnprocessedKeys` / `UnprocessedItems` (the SDK does not retry those). */
export interface BatchRetryOptions {
  /** Calls per batch including the first; default 8. */
  maxAttempts?: number;
  /** Full-jitter exponential backoff: sleep = random() * min(maxDelayMs, baseDelayMs * 2^retry). Default 50. */
  baseDelayMs?: number;
  /** Default 2000. */
  maxDelayMs?: number;
}

export interface WriteOptions {
  /** A client the app created once at start-up. Mutually exclusive with `clientConfig`. */
  client?: DynamoDBClient;
  /**
   * Config for a client the writer creates (and destroys when done), with `retryMode: 'adaptive'`
   * and `maxAttempts: 8` unless given here. Mutually exclusive with `client`.
   */
  clientConfig?: DynamoDBClientConfig;
  tableName: string;
  /** Identifies the run in `forecast.run_id`. */
  runId: string;
  /** ISO 8601 timestamp stored as `forecast.generated_at`. */
  generatedAt: string;
  /** Parallel UpdateItem calls; default 16. */
  concurrency?: number;
  logger?: WriterLogger;
  /** Called after each product is settled (written, skipped or failed). */
  onProgress?(done: number, total: number): void;
  batchRetry?: BatchRetryOptions;
}

/** Stock figures for one written product whose `current_stock` was known. */
export interface StockStatus {
  currentStock: number;
  /** current_stock ÷ mean daily P50, 2 decimals; null when the mean P50 is 0 (cover is unbounded). */
  daysOfCover: number | null;
  /** True when the horizon's P90 total exceeds current_stock. */
  stockoutRisk: boolean;
}

export interface FailedProduct {
  productId: string;
  error: string;
}

export interface WriteResult {
  /** Products whose item was updated (or created). */
  written: number;
  /** Products left alone because the table holds a forecast with a later as-of date. */
  skippedNewer: string[];
  /** Products that could not be written; the app exits non-zero when this is not empty. */
  failed: FailedProduct[];
  /** Keyed by productId, only for written products with a known `current_stock`. */
  stock: Record<string, StockStatus>;
}

/** One row of the "most at risk of stock-out" table. */
export interface StockoutRiskRow extends StockStatus {
  productId: string;
  productName?: string;
  category?: string;
  /** 7-day P50 total, 2 decimals. */
  forecastedDemand: number;
  /** Horizon P90 total, 2 decimals. */
  p90Total: number;
}

/** A plain item for `seedInventory`: strings, numbers, booleans, null, arrays and objects. */
export type InventoryItem = { product_id: string } & Record<string, unknown>;

export interface CreateTableOptions {
  /** Give up waiting for ACTIVE after this long; default 300000. */
  timeoutMs?: number;
}

export interface CreateTableResult {
  /** False when the table already existed (then it was only waited for). */
  created: boolean;
}
