import type { DynamoDBClient, DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import type {
  ReorderPolicy,
  ReorderSuggestion,
  StockStatus,
} from '@retail-forecast/inventory-planning';
import type { Logger } from '@retail-forecast/util';

/**
 * Backoff for the batch APIs' `UnprocessedKeys` / `UnprocessedItems` and throttled calls (the
 * SDK does not retry the former, and the writer's client leaves throttles to the writer), and,
 * as `updateRetry`, for the UpdateItem passes.
 */
export interface BatchRetryOptions {
  /** Calls per batch (attempts per product for `updateRetry`) including the first; default 8 (10). */
  maxAttempts?: number;
  /** Full-jitter exponential backoff: sleep = random() * min(maxDelayMs, baseDelayMs * 2^retry). Default 50. */
  baseDelayMs?: number;
  /** Default 2000. */
  maxDelayMs?: number;
}

export interface WriteOptions {
  /**
   * A client the app created once at start-up, best with `createWriterClient`. Mutually
   * exclusive with `clientConfig`.
   */
  client?: DynamoDBClient;
  /**
   * Config for a client the writer creates (and destroys when done) with `createWriterClient`:
   * the writer's retry strategy and an HTTP agent sized to `concurrency` unless given here.
   * Mutually exclusive with `client`.
   */
  clientConfig?: DynamoDBClientConfig;
  tableName: string;
  /** Identifies the run in `forecast.run_id`. */
  runId: string;
  /** ISO 8601 timestamp stored as `forecast.generated_at`. */
  generatedAt: string;
  /** Parallel UpdateItem calls (and up to 8 parallel BatchGetItem calls); default 16. */
  concurrency?: number;
  /**
   * Worker threads that send the UpdateItem calls (each with its own client made like `client`:
   * region, custom endpoint, credentials), so the SDK's per-call CPU (serialisation, signing,
   * HTTP) leaves the main thread; results, retries and errors are the same. Used from 500
   * updates up; default 0 (all on the main thread).
   */
  workers?: number;
  /**
   * Script the workers run; it must call `runWriterWorkerIfChild()` first. Defaults to the lib's
   * own worker entry; an esbuild bundle passes its own `import.meta.url`.
   */
  workerUrl?: URL;
  /** Default: `noopLogger`. */
  logger?: Logger;
  /** Called after each product is settled (written, skipped or failed). */
  onProgress?(done: number, total: number): void;
  batchRetry?: BatchRetryOptions;
  /**
   * Passes over products whose UpdateItem was throttled or hit a transient error: attempts per
   * product (default 10) and the full-jitter backoff before each further pass (default 50 ms
   * doubling to 2 s).
   */
  updateRetry?: BatchRetryOptions;
  /**
   * After this time (or once this signal aborts) no further attempt is started; products still
   * unwritten are listed in `failed` with the reason. Default: no deadline (attempts bound only).
   */
  deadline?: Date | AbortSignal;
  /**
   * The run's replenishment policy. When set, the stock read also fetches the items' optional
   * `on_order`, `lead_time_days`, `review_period_days` and `service_level` (an item's own value
   * wins over this policy), and every product with a known `current_stock` gets
   * `reorder_point`, `suggested_order_qty` and `reorder_by` (inventory-planning's
   * `reorderSuggestion`). Where the stock could not be read they are kept as stored (like cover
   * and risk); where the item has no `current_stock` they are removed.
   */
  reorder?: ReorderPolicy;
}

/** Optional replenishment attributes of one inventory item, as read. */
export interface ItemPlanning {
  /** `on_order`: units ordered, not yet received. */
  onOrder?: number;
  /** `lead_time_days`. */
  leadTimeDays?: number;
  /** `review_period_days`. */
  reviewPeriodDays?: number;
  /** `service_level`, in (0, 1). */
  serviceLevel?: number;
}

export interface FailedProduct {
  productId: string;
  error: string;
}

/** A product whose forecast was written but whose current_stock could not be read. */
export interface StockNotRead {
  productId: string;
  /** Why the stock is unknown; the stored cover, risk and reorder fields were kept. */
  reason: string;
}

export interface WriteResult {
  /** Products whose item was updated (or created). */
  written: number;
  /** Products left alone because the table holds a forecast with a later as-of date. */
  skippedNewer: string[];
  /** Products that could not be written; the app exits non-zero when this is not empty. */
  failed: FailedProduct[];
  /** Cover and risk (inventory-planning's `stockStatus`), keyed by productId, only for written
   * products with a known `current_stock`. */
  stock: Record<string, StockStatus>;
  /**
   * Written products whose stock could not be read: their stored cover, risk and reorder fields
   * were kept, not recomputed; the app exits non-zero when this is not empty.
   */
  stockNotRead: StockNotRead[];
  /** With `options.reorder`: the suggestion written for each product whose stock was read. */
  reorder?: Record<string, ReorderSuggestion>;
}
