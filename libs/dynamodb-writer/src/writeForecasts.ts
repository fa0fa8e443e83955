import { DynamoDBClient, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import type { ProductForecast } from '@retail-forecast/forecasting';
import { validateReorderPolicy } from '@retail-forecast/inventory-planning';
import type { ReorderSuggestion, StockStatus } from '@retail-forecast/inventory-planning';
import { noopLogger } from '@retail-forecast/util';
import pLimit from 'p-limit';
import { resolveBatchRetry } from './backoff';
import { buildForecastUpdate } from './buildForecastUpdate';
import { InvalidWriterOptionsError } from './errors';
import { errorText, readCurrentStock } from './readCurrentStock';
import type { FailedProduct, ItemPlanning, WriteOptions, WriteResult } from './types';

const DEFAULT_CONCURRENCY = 16;
/** Adaptive mode adds client-side rate limiting on throttles; 8 attempts rides out a short burst. */
const DEFAULT_MAX_ATTEMPTS = 8;

type Outcome =
  | { kind: 'written'; stock?: StockStatus; reorder?: ReorderSuggestion }
  | { kind: 'skippedNewer' }
  | { kind: 'failed'; error: string };

/**
 * Writes one forecast per product to the inventory table: reads current_stock for all products,
 * then updates each item (creating it when missing) unless it already holds a newer forecast.
 * Per-product problems are reported in the result; only misuse and a missing table throw.
 */
export async function writeForecasts(
  forecasts: ProductForecast[],
  options: WriteOptions,
): Promise<WriteResult> {
  validateOptions(options);
  const logger = options.logger ?? noopLogger;
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  const retry = resolveBatchRetry(options.batchRetry);
  const { tableName, runId, generatedAt } = options;
  const total = forecasts.length;
  const result: WriteResult = {
    written: 0,
    skippedNewer: [],
    failed: [],
    stock: {},
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

  // Keys must be unique within a BatchGetItem, and two updates of one item in a run would race.
  const firstIndex = new Map<string, number>();
  forecasts.forEach((f, i) => {
    const id = f?.productId;
    if (typeof id !== 'string' || id === '') {
      settle(i, {
        kind: 'failed',
        error: `productId ${JSON.stringify(id)} is not allowed (expected a non-empty string)`,
      });
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
  const client =
    options.client ??
    new DynamoDBClient({
      retryMode: 'adaptive',
      maxAttempts: DEFAULT_MAX_ATTEMPTS,
      ...options.clientConfig,
    });
  try {
    const ids = [...firstIndex.keys()];
    const { stock, planning } = await readCurrentStock(client, tableName, ids, {
      retry,
      logger,
      planning: options.reorder !== undefined,
    });

    const limit = pLimit(concurrency);
    await Promise.all(
      ids.map((id) =>
        limit(async () => {
          const index = firstIndex.get(id) as number;
          settle(
            index,
            await writeOne(client, forecasts[index], stock.get(id), planning.get(id) ?? {}),
          );
        }),
      ),
    );
  } finally {
    if (ownsClient) client.destroy();
  }

  async function writeOne(
    client: DynamoDBClient,
    forecast: ProductForecast,
    currentStock: number | undefined,
    item: ItemPlanning,
  ): Promise<Outcome> {
    try {
      const reorder = options.reorder ? { policy: options.reorder, item } : undefined;
      const ctx = { tableName, runId, generatedAt };
      const update = buildForecastUpdate(forecast, currentStock, ctx, reorder);
      await client.send(new UpdateItemCommand(update.input));
      logger.debug('forecast written', { productId: forecast.productId, asOf: forecast.asOf });
      return { kind: 'written', stock: update.stock, reorder: update.reorder };
    } catch (err) {
      if ((err as { name?: unknown } | null)?.name === 'ConditionalCheckFailedException') {
        logger.info('newer forecast already stored; skipped', {
          productId: forecast.productId,
          asOf: forecast.asOf,
        });
        return { kind: 'skippedNewer' };
      }
      const error = errorText(err);
      logger.error('forecast not written', { productId: forecast.productId, error });
      return { kind: 'failed', error };
    }
  }

  // Reported in input order so runs are comparable regardless of which request finished first.
  const failed: FailedProduct[] = [];
  outcomes.forEach((o, i) => {
    const productId = String(forecasts[i]?.productId ?? '');
    if (o.kind === 'written') {
      result.written++;
      if (o.stock) result.stock[productId] = o.stock;
      if (o.reorder && result.reorder) result.reorder[productId] = o.reorder;
    } else if (o.kind === 'skippedNewer') {
      result.skippedNewer.push(productId);
    } else {
      failed.push({ productId, error: o.error });
    }
  });
  result.failed = failed;
  logger.info('forecast write finished', {
    table: tableName,
    runId,
    written: result.written,
    skippedNewer: result.skippedNewer.length,
    failed: failed.length,
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
  const r = options.batchRetry;
  if (r?.maxAttempts !== undefined && (!Number.isInteger(r.maxAttempts) || r.maxAttempts < 1)) {
    throw new InvalidWriterOptionsError(
      `batchRetry.maxAttempts ${r.maxAttempts} is not allowed (expected an integer >= 1)`,
    );
  }
  for (const key of ['baseDelayMs', 'maxDelayMs'] as const) {
    const v = r?.[key];
    if (v !== undefined && (!Number.isFinite(v) || v < 0)) {
      throw new InvalidWriterOptionsError(
        `batchRetry.${key} ${v} is not allowed (expected a number >= 0)`,
      );
    }
  }
}
