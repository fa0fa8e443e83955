import { BatchGetItemCommand } from '@aws-sdk/client-dynamodb';
import type { AttributeValue, DynamoDBClient, KeysAndAttributes } from '@aws-sdk/client-dynamodb';
import { fullJitterDelayMs, sleep } from '@retail-forecast/util';
import pLimit from 'p-limit';
import type { Logger } from '@retail-forecast/util';
import type { ResolvedBatchRetry } from './backoff';
import { classifyError, errorText, regionOf } from './classifyError';
import type { Deadline } from './deadline';
import { TableNotFoundError } from './errors';
import { PLANNING_ATTRIBUTES, parseItemPlanning } from './itemPlanning';
import { idOfKey, keyOf } from './productKey';
import type { KeyType } from './productKey';
import type { ItemPlanning } from './types';

/** BatchGetItem's per-request key limit. */
export const BATCH_GET_LIMIT = 100;
/** BatchGetItem calls in flight by default. */
export const DEFAULT_READ_CONCURRENCY = 4;

export interface StockRead {
  /** productId -> current_stock, for items that have a numeric current_stock. */
  stock: Map<string, number>;
  /**
   * Products whose item could not be read (throttled out, denied, deadline), with the reason:
   * their stock is unknown, so stored cover, risk and reorder fields must be kept, not recomputed
   * or removed.
   */
  unread: Map<string, string>;
  /** Products DynamoDB rejected on their own (ValidationException for that one key). */
  invalid: Map<string, string>;
  /** With `planning`: productId -> the item's replenishment attributes (may be empty). */
  planning: Map<string, ItemPlanning>;
}

export interface ReadStockOptions {
  retry: ResolvedBatchRetry;
  logger: Logger;
  keyType?: KeyType;
  deadline?: Deadline;
  random?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Also read the optional replenishment attributes (`on_order`, `lead_time_days`, …). */
  planning?: boolean;
  /** BatchGetItem calls (of up to 100 keys) in flight at once; default 4. */
  concurrency?: number;
}

/**
 * Reads current_stock (and, with `planning`, the replenishment attributes) for every product,
 * 100 keys a call, `concurrency` calls in flight. Throttled calls and the keys DynamoDB
 * hands back as UnprocessedKeys are retried here with full-jitter backoff (the writer's client
 * leaves throttles to its caller). A call rejected with a ValidationException is split in halves
 * until the one bad key is found, so a bad key never costs the others their stock. Keys still
 * unread at the bound or the deadline are reported as `unread` with the reason.
 */
export async function readCurrentStock(
  client: DynamoDBClient,
  tableName: string,
  productIds: readonly string[],
  options: ReadStockOptions,
): Promise<StockRead> {
  const { retry, logger } = options;
  const keyType = options.keyType ?? 'S';
  const wait = options.sleep ?? sleep;
  const expired = () => options.deadline?.expired() ?? false;
  const projection = projectionOf(options.planning === true);
  const read: StockRead = {
    stock: new Map(),
    unread: new Map(),
    invalid: new Map(),
    planning: new Map(),
  };
  let firstCall = true;

  const giveUp = (ids: readonly string[], reason: string, attempts: number) => {
    for (const id of ids) read.unread.set(id, reason);
    logger.warn('current_stock could not be read; stored cover and risk kept for these products', {
      table: tableName,
      attempts,
      reason,
      productIds: ids,
    });
  };

  async function readKeys(ids: readonly string[]): Promise<void> {
    let pending = ids;
    let attempt = 0;
    let lastProblem = 'no attempt made';
    while (pending.length > 0) {
      if (attempt >= retry.maxAttempts || (attempt > 0 && expired())) {
        const why = attempt >= retry.maxAttempts ? `after ${attempt} attempts` : 'at the deadline';
        giveUp(pending, `current_stock not read ${why} (${lastProblem})`, attempt);
        return;
      }
      if (attempt > 0) {
        await wait(
          fullJitterDelayMs(attempt - 1, retry.backoff, options.random),
          options.deadline?.signal,
        );
      }
      attempt++;
      let response;
      try {
        response = await client.send(
          new BatchGetItemCommand({
            RequestItems: {
              [tableName]: {
                Keys: pending.map((id) => keyOf(id, keyType)),
                ...projection,
                // Stock is advisory (cover and risk), so an eventually consistent read is enough
                // and halves the cost.
                ConsistentRead: false,
              },
            },
          }),
        );
      } catch (err) {
        const kind = classifyError(err);
        if (kind === 'notFound' && firstCall) {
          throw new TableNotFoundError(tableName, await regionOf(client), { cause: err });
        }
        if (kind === 'validation') {
          if (pending.length === 1) {
            read.invalid.set(pending[0], errorText(err));
            return;
          }
          const half = Math.ceil(pending.length / 2);
          await readKeys(pending.slice(0, half));
          await readKeys(pending.slice(half));
          return;
        }
        lastProblem = errorText(err);
        if (kind === 'retry') continue;
        // Denied or anything else: another attempt would fail the same way.
        giveUp(pending, `current_stock not read (${lastProblem})`, attempt);
        return;
      } finally {
        firstCall = false;
      }
      for (const item of response.Responses?.[tableName] ?? []) {
        const id = idOfKey(item);
        if (id === undefined) continue;
        if (options.planning) read.planning.set(id, parseItemPlanning(id, item, logger));
        const value = numberOf(item.current_stock);
        if (value !== undefined) read.stock.set(id, value);
        else if (item.current_stock !== undefined) {
          logger.warn('current_stock is not a number; treating stock as unknown', {
            productId: id,
            currentStock: item.current_stock,
          });
        }
      }
      const unprocessed = response.UnprocessedKeys?.[tableName]?.Keys ?? [];
      pending = unprocessed.map(idOfKey).filter((id): id is string => id !== undefined);
      lastProblem = `${pending.length} key(s) still in UnprocessedKeys`;
    }
  }

  const limit = pLimit(options.concurrency ?? DEFAULT_READ_CONCURRENCY);
  const batches: Promise<void>[] = [];
  for (let start = 0; start < productIds.length; start += BATCH_GET_LIMIT) {
    const ids = productIds.slice(start, start + BATCH_GET_LIMIT);
    batches.push(
      limit(() => readKeys(ids)).catch((err: unknown) => {
        // A missing table ends the read: the batches not yet started are dropped.
        limit.clearQueue();
        throw err;
      }),
    );
  }
  await Promise.all(batches);
  return read;
}

/** Key and stock, plus the replenishment attributes when asked for. */
function projectionOf(
  planning: boolean,
): Pick<KeysAndAttributes, 'ProjectionExpression' | 'ExpressionAttributeNames'> {
  const names: Record<string, string> = { '#pk': 'product_id', '#stock': 'current_stock' };
  if (planning) Object.values(PLANNING_ATTRIBUTES).forEach((name, i) => (names[`#p${i}`] = name));
  return { ProjectionExpression: Object.keys(names).join(', '), ExpressionAttributeNames: names };
}

function numberOf(v: AttributeValue | undefined): number | undefined {
  if (v?.N === undefined) return undefined;
  const n = Number(v.N);
  return Number.isFinite(n) ? n : undefined;
}
