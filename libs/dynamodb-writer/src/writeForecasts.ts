import { UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import type { ProductForecast } from '@retail-forecast/forecasting';
import { validateReorderPolicy } from '@retail-forecast/inventory-planning';
import type { ReorderSuggestion, StockStatus } from '@retail-forecast/inventory-planning';
import { fullJitterDelayMs, noopLogger, sleep } from '@retail-forecast/util';
import pLimit from 'p-limit';
import { resolveBatchRetry } from './backoff';
import { buildForecastUpdate } from './buildForecastUpdate';
import type { CurrentStock, ForecastUpdate } from './buildForecastUpdate';
import { checkTable } from './checkTable';
import { createWriterClient } from './createWriterClient';
import { classifyError, endpointOf, errorText, regionOf } from './classifyError';
import { toDeadline } from './deadline';
import { startUpdatePool } from './updatePool';
import type { SendUpdate } from './updatePool';
import {
  DynamoDbAccessDeniedError,
  DynamoDbUnreachableError,
  InvalidWriterOptionsError,
  TableNotFoundError,
} from './errors';
import { productKeyProblem } from './productKey';
import { readCurrentStock } from './readCurrentStock';
import type { FailedProduct, StockNotRead, WriteOptions, WriteResult } from './types';

const DEFAULT_CONCURRENCY = 16;
/** Below this many updates worker threads cost more to start than they save. */
export const WORKER_THRESHOLD = 500;
/** BatchGetItem calls in flight at most: each reads 100 items, so a few keep the read short. */
const MAX_READ_CONCURRENCY = 8;
/** Attempts per product over the UpdateItem passes (throttles and transient errors). */
const DEFAULT_UPDATE_ATTEMPTS = 10;

type Outcome =
  | { kind: 'written'; stock?: StockStatus; reorder?: ReorderSuggestion }
  | { kind: 'skippedNewer' }
  | { kind: 'failed'; error: string };

/** What one UpdateItem attempt left to do for its product. */
type AttemptResult = 'settled' | 'retry' | 'stopped';

/**
 * Writes one forecast per product to the inventory table: checks the table once, reads
 * current_stock for all products, then updates each item (creating it when missing) unless it
 * already holds a newer forecast. Throttled and transiently failing updates are retried in
 * further passes with full-jitter backoff until they succeed, run out of attempts or the deadline
 * passes; every product ends up written, skipped as older, or listed in `failed` with its reason.
 * Per-product problems are reported in the result; misuse and configuration errors (missing
 * table, key schema mismatch, access denied, unreachable endpoint) throw, once, before or instead
 * of any further write.
 */
export async function writeForecasts(
  forecasts: ProductForecast[],
  options: WriteOptions,
): Promise<WriteResult> {
  validateOptions(options);
  const logger = options.logger ?? noopLogger;
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  const retry = resolveBatchRetry(options.batchRetry);
  const updateRetry = resolveBatchRetry({
    maxAttempts: DEFAULT_UPDATE_ATTEMPTS,
    ...options.updateRetry,
  });
  const deadline = toDeadline(options.deadline);
  const { tableName, runId, generatedAt } = options;
  const total = forecasts.length;
  const result: WriteResult = {
    written: 0,
    skippedNewer: [],
    failed: [],
    stock: {},
    stockNotRead: [],
    ...(options.reorder ? { reorder: {} } : {}),
  };
  if (total === 0) return result;

  const outcomes: Outcome[] = new Array(total);
  let done = 0;
  const settle = (index: number, outcome: Outcome) => {
    outcomes[index] = outcome;
    done++;
    options.onProgress?.(done, total);
  };

  // Keys must be valid before any call: one bad key would fail the whole BatchGetItem it is in.
  // Keys must be unique within a BatchGetItem, and two updates of one item in a run would race.
  const firstIndex = new Map<string, number>();
  forecasts.forEach((f, i) => {
    const id = f?.productId;
    const problem = productKeyProblem(id);
    if (problem !== undefined) {
      settle(i, { kind: 'failed', error: problem });
    } else if (firstIndex.has(id)) {
      settle(i, {
        kind: 'failed',
        error: `productId ${id} appears more than once in the input (expected once); entry ${firstIndex.get(id)} is the one used`,
      });
    } else {
      firstIndex.set(id, i);
    }
  });

  const ownsClient = options.client === undefined;
  const client = options.client ?? createWriterClient(options.clientConfig, { concurrency });
  const stockUnknown = new Map<string, string>();
  try {
    const ids = [...firstIndex.keys()];
    if (ids.length > 0) {
      const keyType = await checkTable(client, tableName, ids);
      const read = await readCurrentStock(client, tableName, ids, {
        retry,
        logger,
        keyType,
        deadline,
        planning: options.reorder !== undefined,
        concurrency: Math.min(concurrency, MAX_READ_CONCURRENCY),
      });
      for (const [id, error] of read.invalid)
        settle(firstIndex.get(id) as number, { kind: 'failed', error });
      for (const [id, reason] of read.unread) stockUnknown.set(id, reason);

      const updates = new Map<string, ForecastUpdate>();
      for (const id of ids) {
        if (read.invalid.has(id)) continue;
        const index = firstIndex.get(id) as number;
        const current: CurrentStock =
          read.stock.get(id) ?? (read.unread.has(id) ? 'unknown' : 'absent');
        const reorder = options.reorder
          ? { policy: options.reorder, item: read.planning.get(id) ?? {} }
          : undefined;
        try {
          updates.set(
            id,
            buildForecastUpdate(
              forecasts[index],
              current,
              { tableName, runId, generatedAt, keyType },
              reorder,
            ),
          );
        } catch (err) {
          logger.error('forecast not written', { productId: id, error: errorText(err) });
          settle(index, { kind: 'failed', error: errorText(err) });
        }
      }
      const workers = options.workers ?? 0;
      if (workers > 0 && updates.size >= WORKER_THRESHOLD) {
        const pool = await startUpdatePool(client, workers, concurrency, options.workerUrl);
        try {
          await updateInPasses(updates, pool.send);
        } finally {
          await pool.close();
        }
      } else {
        await updateInPasses(updates, async (input) => {
          await client.send(new UpdateItemCommand(input));
        });
      }
    }
  } finally {
    if (ownsClient) client.destroy();
  }

  /**
   * Pass 1 sends every update; each later pass re-sends the products that were throttled or hit
   * a transient error, each after its own full-jitter delay, until none is left, a product has
   * had `updateRetry.maxAttempts` attempts, or the deadline passes. A denied write (or, before
   * anything was written, an unreachable endpoint) stops the run: queued updates are dropped and
   * one configuration error is thrown.
   */
  async function updateInPasses(
    updates: Map<string, ForecastUpdate>,
    send: SendUpdate,
  ): Promise<void> {
    const limit = pLimit({ concurrency, rejectOnClear: true });
    const lastError = new Map<string, string>();
    let anyWritten = false;
    let fatal: Error | undefined;
    const stop = (err: Error) => {
      fatal ??= err;
      limit.clearQueue();
    };

    async function attempt(id: string): Promise<AttemptResult> {
      if (fatal) return 'stopped';
      if (deadline.expired()) return 'retry';
      const index = firstIndex.get(id) as number;
      const update = updates.get(id) as ForecastUpdate;
      try {
        await send(update.input);
        anyWritten = true;
        logger.debug('forecast written', { productId: id, asOf: forecasts[index].asOf });
        settle(index, { kind: 'written', stock: update.stock, reorder: update.reorder });
        return 'settled';
      } catch (err) {
        switch (classifyError(err)) {
          case 'conditional':
            logger.info('newer forecast already stored; skipped', {
              productId: id,
              asOf: forecasts[index].asOf,
            });
            settle(index, { kind: 'skippedNewer' });
            return 'settled';
          case 'denied':
            stop(new DynamoDbAccessDeniedError('UpdateItem', tableName, { cause: err }));
            return 'stopped';
          case 'notFound':
            stop(new TableNotFoundError(tableName, await regionOf(client), { cause: err }));
            return 'stopped';
          case 'unreachable':
            if (!anyWritten) {
              stop(new DynamoDbUnreachableError(await endpointOf(client), { cause: err }));
              return 'stopped';
            }
            lastError.set(id, errorText(err));
            return 'retry';
          case 'retry':
            lastError.set(id, errorText(err));
            return 'retry';
          default: {
            const error = errorText(err);
            logger.error('forecast not written', { productId: id, error });
            settle(index, { kind: 'failed', error });
            return 'settled';
          }
        }
      }
    }

    let pending = [...updates.keys()];
    let pass = 0;
    while (pending.length > 0 && pass < updateRetry.maxAttempts && !deadline.expired() && !fatal) {
      const retryPass = pass;
      const results = await Promise.all(
        pending.map(async (id) => {
          if (retryPass > 0) {
            await sleep(fullJitterDelayMs(retryPass - 1, updateRetry.backoff), deadline.signal);
          }
          return limit(() => attempt(id)).catch((err: unknown) => {
            // clearQueue rejects what was still queued once the run is stopped.
            if (fatal) return 'stopped' as const;
            throw err;
          });
        }),
      );
      pass++;
      pending = pending.filter((_, k) => results[k] === 'retry');
      if (pending.length > 0 && !fatal) {
        logger.info('retrying throttled or transiently failed updates', {
          pass: pass + 1,
          products: pending.length,
        });
      }
    }
    if (fatal) throw fatal;
    const why = deadline.expired()
      ? 'the write deadline passed'
      : `${updateRetry.maxAttempts} attempts were made`;
    for (const id of pending) {
      const error = `not written: ${why} (last error: ${lastError.get(id) ?? 'none, never sent'})`;
      logger.error('forecast not written', { productId: id, error });
      settle(firstIndex.get(id) as number, { kind: 'failed', error });
    }
  }

  // Reported in input order so runs are comparable regardless of which request finished first.
  const failed: FailedProduct[] = [];
  const stockNotRead: StockNotRead[] = [];
  outcomes.forEach((o, i) => {
    const productId = String(forecasts[i]?.productId ?? '');
    if (o.kind === 'written') {
      result.written++;
      if (o.stock) result.stock[productId] = o.stock;
      if (o.reorder && result.reorder) result.reorder[productId] = o.reorder;
      const reason = stockUnknown.get(productId);
      if (reason !== undefined) stockNotRead.push({ productId, reason });
    } else if (o.kind === 'skippedNewer') {
      result.skippedNewer.push(productId);
    } else {
      failed.push({ productId, error: o.error });
    }
  });
  result.failed = failed;
  result.stockNotRead = stockNotRead;
  logger.info('forecast write finished', {
    table: tableName,
    runId,
    written: result.written,
    skippedNewer: result.skippedNewer.length,
    failed: failed.length,
    stockNotRead: stockNotRead.length,
  });
  return result;
}

function validateOptions(options: WriteOptions): void {
  if (options === null || typeof options !== 'object') {
    throw new InvalidWriterOptionsError('writeForecasts options are missing (expected an object)');
  }
  if (options.client !== undefined && options.clientConfig !== undefined) {
    throw new InvalidWriterOptionsError(
      'writeForecasts got both client and clientConfig (expected at most one: pass the client you created, or the config for one)',
    );
  }
  for (const key of ['tableName', 'runId'] as const) {
    if (typeof options[key] !== 'string' || options[key].trim() === '') {
      throw new InvalidWriterOptionsError(
        `${key} ${JSON.stringify(options[key])} is not allowed (expected a non-empty string)`,
      );
    }
  }
  if (
    typeof options.generatedAt !== 'string' ||
    !/^\d{4}-\d{2}-\d{2}T/.test(options.generatedAt) ||
    Number.isNaN(Date.parse(options.generatedAt))
  ) {
    throw new InvalidWriterOptionsError(
      `generatedAt ${JSON.stringify(options.generatedAt)} is not an ISO timestamp (expected e.g. 2025-04-28T06:00:00.000Z)`,
    );
  }
  const w = options.workers;
  if (w !== undefined && (!Number.isInteger(w) || w < 0)) {
    throw new InvalidWriterOptionsError(`workers ${w} is not allowed (expected an integer >= 0)`);
  }
  const c = options.concurrency;
  if (c !== undefined && (!Number.isInteger(c) || c < 1)) {
    throw new InvalidWriterOptionsError(
      `concurrency ${c} is not allowed (expected an integer >= 1)`,
    );
  }
  if (options.reorder !== undefined) {
    try {
      validateReorderPolicy(options.reorder);
    } catch (err) {
      throw new InvalidWriterOptionsError(`reorder: ${(err as Error).message}`, { cause: err });
    }
  }
  for (const name of ['batchRetry', 'updateRetry'] as const) {
    const r = options[name];
    if (r?.maxAttempts !== undefined && (!Number.isInteger(r.maxAttempts) || r.maxAttempts < 1)) {
      throw new InvalidWriterOptionsError(
        `${name}.maxAttempts ${r.maxAttempts} is not allowed (expected an integer >= 1)`,
      );
    }
    for (const key of ['baseDelayMs', 'maxDelayMs'] as const) {
      const v = r?.[key];
      if (v !== undefined && (!Number.isFinite(v) || v < 0)) {
        throw new InvalidWriterOptionsError(
          `${name}.${key} ${v} is not allowed (expected a number >= 0)`,
        );
      }
    }
  }
  const d = options.deadline;
  if (
    d !== undefined &&
    !(d instanceof AbortSignal) &&
    !(d instanceof Date && Number.isFinite(d.getTime()))
  ) {
    throw new InvalidWriterOptionsError(
      `deadline ${String(d)} is not allowed (expected a valid Date or an AbortSignal)`,
    );
  }
}
