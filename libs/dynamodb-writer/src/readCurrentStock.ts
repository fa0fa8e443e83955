import { BatchGetItemCommand } from '@aws-sdk/client-dynamodb';
import type { AttributeValue, DynamoDBClient, KeysAndAttributes } from '@aws-sdk/client-dynamodb';
import { fullJitterDelayMs, sleep } from '@retail-forecast/util';
import type { Logger } from '@retail-forecast/util';
import type { ResolvedBatchRetry } from './backoff';
import { TableNotFoundError } from './errors';
import { PLANNING_ATTRIBUTES, parseItemPlanning } from './itemPlanning';
import type { ItemPlanning } from './types';

/** BatchGetItem's per-request key limit. */
export const BATCH_GET_LIMIT = 100;

export interface StockRead {
  /** productId -> current_stock, for items that have a numeric current_stock. */
  stock: Map<string, number>;
  /** Products whose item could not be read (stock unknown, not a failure). */
  unread: Set<string>;
  /** With `planning`: productId -> the item's replenishment attributes (may be empty). */
  planning: Map<string, ItemPlanning>;
}

export interface ReadStockOptions {
  retry: ResolvedBatchRetry;
  logger: Logger;
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** Also read the optional replenishment attributes (`on_order`, `lead_time_days`, …). */
  planning?: boolean;
}

/**
 * Reads current_stock for every product, 100 keys a call. The SDK retries throttled calls, but not
 * the keys DynamoDB hands back as UnprocessedKeys, so those are retried here with backoff; keys
 * still unread after the bound just mean "stock unknown" for the run.
 */
export async function readCurrentStock(
  client: DynamoDBClient,
  tableName: string,
  productIds: readonly string[],
  options: ReadStockOptions,
): Promise<StockRead> {
  const { retry, logger } = options;
  const wait = options.sleep ?? sleep;
  const stock = new Map<string, number>();
  const unread = new Set<string>();
  const planning = new Map<string, ItemPlanning>();
  const projection = projectionOf(options.planning === true);
  let firstCall = true;

  for (let start = 0; start < productIds.length; start += BATCH_GET_LIMIT) {
    const chunk = productIds.slice(start, start + BATCH_GET_LIMIT);
    let pending: KeysAndAttributes | undefined = {
      Keys: chunk.map((id) => ({ product_id: { S: id } })),
      ...projection,
      // Stock is advisory (cover and risk), so an eventually consistent read is enough and halves the cost.
      ConsistentRead: false,
    };
    let attempt = 0;
    let callFailed = false;
    while (pending?.Keys && pending.Keys.length > 0) {
      if (attempt >= retry.maxAttempts) break;
      if (attempt > 0) await wait(fullJitterDelayMs(attempt - 1, retry.backoff, options.random));
      attempt++;
      let response;
      try {
        response = await client.send(
          new BatchGetItemCommand({ RequestItems: { [tableName]: pending } }),
        );
      } catch (err) {
        if (isResourceNotFound(err) && firstCall) {
          throw new TableNotFoundError(tableName, await regionOf(client), { cause: err });
        }
        // The SDK already retried; writing the forecast without cover/risk beats not writing it.
        logger.warn('BatchGetItem failed; current_stock unknown for these products', {
          table: tableName,
          products: pending.Keys.length,
          error: errorText(err),
        });
        callFailed = true;
        break;
      } finally {
        firstCall = false;
      }
      for (const item of response.Responses?.[tableName] ?? []) {
        const id = item.product_id?.S;
        if (id === undefined) continue;
        if (options.planning) planning.set(id, parseItemPlanning(id, item, logger));
        const value = numberOf(item.current_stock);
        if (value !== undefined) stock.set(id, value);
        else if (item.current_stock !== undefined) {
          logger.warn('current_stock is not a number; treating stock as unknown', {
            productId: id,
            currentStock: item.current_stock,
          });
        }
      }
      pending = response.UnprocessedKeys?.[tableName];
    }
    const left = pending?.Keys ?? [];
    if (left.length > 0) {
      for (const key of left) {
        const id = key.product_id?.S;
        if (id !== undefined) unread.add(id);
      }
      if (!callFailed) {
        logger.warn('current_stock unknown after retries; cover and risk not written for these', {
          table: tableName,
          attempts: attempt,
          productIds: left.map((k) => k.product_id?.S ?? '?'),
        });
      }
    }
  }
  return { stock, unread, planning };
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

export function isResourceNotFound(err: unknown): boolean {
  return (err as { name?: unknown } | null)?.name === 'ResourceNotFoundException';
}

export function errorText(err: unknown): string {
  if (err instanceof Error) return `${err.name}: ${err.message}`;
  return String(err);
}

export async function regionOf(client: DynamoDBClient): Promise<string | undefined> {
  try {
    const region = client.config.region;
    return typeof region === 'function' ? await region() : region;
  } catch {
    return undefined;
  }
}
