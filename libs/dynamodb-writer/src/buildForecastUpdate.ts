import type { AttributeValue, UpdateItemCommandInput } from '@aws-sdk/client-dynamodb';
import { OUTLIER_RECENT_DAYS, type ProductForecast } from '@retail-forecast/forecasting';
import { reorderSuggestion, stockStatus } from '@retail-forecast/inventory-planning';
import type {
  ReorderPolicy,
  ReorderSuggestion,
  StockStatus,
} from '@retail-forecast/inventory-planning';
import { isIsoDate, round2 } from '@retail-forecast/util';
import { toAttributeMap, toAttributeValue } from './attributeValue';
import { InvalidForecastError } from './errors';
import { itemPolicy } from './itemPlanning';
import { keyOf } from './productKey';
import type { KeyType } from './productKey';
import type { ItemPlanning } from './types';

export interface RunContext {
  tableName: string;
  runId: string;
  generatedAt: string;
  /** How the table stores product_id; default S. */
  keyType?: KeyType;
}

/**
 * What the run knows of an item's current_stock: a number, `absent` (the item has none, or no
 * item yet), or `unknown` (it could not be read).
 */
export type CurrentStock = number | 'absent' | 'unknown';

export interface ForecastUpdate {
  input: UpdateItemCommandInput;
  /** Present when current_stock was known. */
  stock?: StockStatus;
  /** Present when reorder input was given and current_stock was known. */
  reorder?: ReorderSuggestion;
}

/** The run's replenishment policy and the item's own attributes (which win). */
export interface ReorderInput {
  policy: ReorderPolicy;
  item: ItemPlanning;
}

/** A YYYY-MM-DD calendar date; anything that is not a string is not one. */
function isDateText(s: unknown): s is string {
  return typeof s === 'string' && isIsoDate(s);
}

/** Checks the ProductForecast contract the stored item relies on; throws InvalidForecastError. */
export function validateForecast(f: ProductForecast): void {
  const id = f.productId;
  if (!isDateText(f.asOf)) {
    // The no-stale-overwrite condition compares as-of strings, so only YYYY-MM-DD is safe.
    throw new InvalidForecastError(
      `product ${id}: asOf ${JSON.stringify(f.asOf)} is not a date (expected YYYY-MM-DD)`,
    );
  }
  if (!Number.isInteger(f.horizonDays) || f.horizonDays < 1) {
    throw new InvalidForecastError(
      `product ${id}: horizonDays ${f.horizonDays} is not allowed (expected an integer >= 1)`,
    );
  }
  if (!Array.isArray(f.daily) || f.daily.length !== f.horizonDays) {
    throw new InvalidForecastError(
      `product ${id}: daily has ${Array.isArray(f.daily) ? f.daily.length : 'no'} entries ` +
        `(expected horizonDays = ${f.horizonDays})`,
    );
  }
  if (typeof f.model !== 'string' || f.model === '') {
    throw new InvalidForecastError(`product ${id}: model ${JSON.stringify(f.model)} is empty`);
  }
  if (!Number.isFinite(f.forecastedDemand) || f.forecastedDemand < 0) {
    throw new InvalidForecastError(
      `product ${id}: forecastedDemand ${f.forecastedDemand} is not allowed (expected a finite number >= 0)`,
    );
  }
  for (const day of f.daily) {
    if (!isDateText(day.date)) {
      throw new InvalidForecastError(
        `product ${id}: daily date ${JSON.stringify(day.date)} is not a date (expected YYYY-MM-DD)`,
      );
    }
    for (const q of ['p10', 'p50', 'p90', 'mean'] as const) {
      const v = day[q];
      // The mean is optional (absent where P50 is the mean); a given one is checked like P50.
      if (q === 'mean' && v === undefined) continue;
      if (v === undefined || !Number.isFinite(v) || v < 0) {
        throw new InvalidForecastError(
          `product ${id}: ${q} on ${day.date} is ${v} (expected a finite number >= 0)`,
        );
      }
    }
    for (const [level, v] of Object.entries(day.quantiles ?? {})) {
      if (!Number.isFinite(v) || v < 0) {
        throw new InvalidForecastError(
          `product ${id}: quantile ${level} on ${day.date} is ${v} (expected a finite number >= 0)`,
        );
      }
    }
  }
  if (f.outliers) validateOutliers(f.outliers, id);
  if (f.levelShift) validateLevelShift(f.levelShift, id);
  if (f.weekdayProfile) validateWeekdayProfile(f.weekdayProfile, id);
}

/** `ProductForecast.weekdayProfile` as the item stores it: a known source and a weight in [0, 1]. */
function validateWeekdayProfile(
  p: NonNullable<ProductForecast['weekdayProfile']>,
  id: string,
): void {
  if (p.source !== 'category' && p.source !== 'catalogue') {
    throw new InvalidForecastError(
      `product ${id}: weekday profile source ${JSON.stringify(p.source)} is not allowed (expected category or catalogue)`,
    );
  }
  if (!Number.isFinite(p.ownWeight) || p.ownWeight < 0 || p.ownWeight > 1) {
    throw new InvalidForecastError(
      `product ${id}: weekday profile own weight is ${p.ownWeight} (expected a finite number in [0, 1])`,
    );
  }
}

/** `ProductForecast.levelShift` as the item stores it: a date and two finite means >= 0. */
function validateLevelShift(s: NonNullable<ProductForecast['levelShift']>, id: string): void {
  if (!isDateText(s.date)) {
    throw new InvalidForecastError(
      `product ${id}: level shift date ${JSON.stringify(s.date)} is not a date (expected YYYY-MM-DD)`,
    );
  }
  for (const key of ['before', 'after'] as const) {
    if (!Number.isFinite(s[key]) || s[key] < 0) {
      throw new InvalidForecastError(
        `product ${id}: level shift ${key} is ${s[key]} (expected a finite number >= 0)`,
      );
    }
  }
}

/**
 * `ProductForecast.outliers` as the item stores it: `count` a whole number, at least the days
 * listed, and at most OUTLIER_RECENT_DAYS listed days, each a date with finite units >= 0 — so
 * the map stays a few hundred bytes, whatever the history, far below DynamoDB's 400 KB item limit.
 */
function validateOutliers(o: NonNullable<ProductForecast['outliers']>, id: string): void {
  const listed = Array.isArray(o.recent) ? o.recent.length : NaN;
  if (!(listed <= OUTLIER_RECENT_DAYS)) {
    throw new InvalidForecastError(
      `product ${id}: outliers lists ${Array.isArray(o.recent) ? listed : 'no'} days (expected a list of at most ${OUTLIER_RECENT_DAYS})`,
    );
  }
  if (!Number.isInteger(o.count) || o.count < listed) {
    throw new InvalidForecastError(
      `product ${id}: outliers count ${o.count} is not allowed (expected a whole number >= the ${listed} days listed)`,
    );
  }
  for (const d of o.recent) {
    if (!isDateText(d.date)) {
      throw new InvalidForecastError(
        `product ${id}: outlier date ${JSON.stringify(d.date)} is not a date (expected YYYY-MM-DD)`,
      );
    }
    for (const key of ['value', 'replacement'] as const) {
      if (!Number.isFinite(d[key]) || d[key] < 0) {
        throw new InvalidForecastError(
          `product ${id}: outlier ${key} on ${d.date} is ${d[key]} (expected a finite number >= 0)`,
        );
      }
    }
  }
}

/**
 * The UpdateItem for one product. Only the attributes the forecaster owns are named, so
 * current_stock, price, rating and anything else on the item are left as they are.
 * days_of_cover/stockout_risk come from inventory-planning's `stockStatus` over the forecast's
 * own horizon, and are removed when the item has no current_stock, so a previous run's risk flag
 * never outlives the forecast it came from. When the stock could not be read they are left as
 * stored: the writer never removes what it could not recompute. Unbounded cover (no demand
 * expected) removes days_of_cover: DynamoDB cannot store Infinity. With `reorder`, the same holds
 * for reorder_point, suggested_order_qty and reorder_by (inventory-planning's
 * `reorderSuggestion`); reorder_by is removed when no order is due within the horizon.
 */
export function buildForecastUpdate(
  f: ProductForecast,
  currentStock: CurrentStock,
  ctx: RunContext,
  reorder?: ReorderInput,
): ForecastUpdate {
  validateForecast(f);
  const forecastMap = {
    as_of: f.asOf,
    horizon_days: f.horizonDays,
    generated_at: ctx.generatedAt,
    run_id: ctx.runId,
    model: f.model,
    fallback_reason: f.fallbackReason,
    daily: f.daily.map((d) => ({
      date: d.date,
      p10: round2(d.p10),
      p50: round2(d.p50),
      p90: round2(d.p90),
      // The day's mean where P50 is a count median (forecasted_demand sums these).
      ...(d.mean !== undefined ? { mean: round2(d.mean) } : {}),
      // Extra levels (`--quantiles`) only when asked for, so a default item keeps its layout.
      quantiles: d.quantiles,
    })),
    // Only for flagged products, so a clean forecast's map is unchanged.
    data_issues: f.dataIssues ? { rejected_days: f.dataIssues.rejectedDays } : undefined,
    // Only where the statistical engine's cleaning applied: what its models did not see as it was.
    outliers: f.outliers
      ? {
          count: f.outliers.count,
          recent: f.outliers.recent.map((d) => ({
            date: d.date,
            value: round2(d.value),
            replacement: round2(d.replacement),
          })),
        }
      : undefined,
    // Only where the engine fitted after a recent level shift: the day the new level started.
    level_shift: f.levelShift
      ? {
          date: f.levelShift.date,
          before: round2(f.levelShift.before),
          after: round2(f.levelShift.after),
        }
      : undefined,
    // Only where the engine spread a young product's week by the catalogue's weekday profile.
    weekday_profile: f.weekdayProfile
      ? { source: f.weekdayProfile.source, own_weight: round2(f.weekdayProfile.ownWeight) }
      : undefined,
  };

  const names: Record<string, string> = {
    '#fd': 'forecasted_demand',
    '#asOf': 'forecast_as_of',
    '#forecast': 'forecast',
  };
  const values: Record<string, AttributeValue> = {
    ':fd': toAttributeValue(round2(f.forecastedDemand), 'forecasted_demand'),
    ':asOf': { S: f.asOf },
    ':forecast': { M: toAttributeMap(forecastMap, 'forecast') },
  };
  const set = ['#fd = :fd', '#asOf = :asOf', '#forecast = :forecast'];
  const remove: string[] = [];

  if (typeof f.productName === 'string' && f.productName !== '') {
    names['#pn'] = 'product_name';
    values[':pn'] = { S: f.productName };
    set.push('#pn = if_not_exists(#pn, :pn)');
  }
  if (typeof f.category === 'string' && f.category !== '') {
    names['#cat'] = 'category';
    values[':cat'] = { S: f.category };
    set.push('#cat = if_not_exists(#cat, :cat)');
  }

  let stock: StockStatus | undefined;
  if (currentStock !== 'unknown') {
    names['#doc'] = 'days_of_cover';
    names['#risk'] = 'stockout_risk';
  }
  if (currentStock === 'absent') {
    remove.push('#doc', '#risk');
  } else if (typeof currentStock === 'number') {
    stock = stockStatus(f, currentStock);
    values[':risk'] = { BOOL: stock.stockoutRisk };
    set.push('#risk = :risk');
    if (stock.daysOfCover === null) {
      remove.push('#doc');
    } else {
      values[':doc'] = toAttributeValue(stock.daysOfCover, 'days_of_cover');
      set.push('#doc = :doc');
    }
  }

  let suggestion: ReorderSuggestion | undefined;
  // Unknown stock: nothing can be recomputed, so the stored suggestion is neither named nor touched.
  if (reorder && currentStock !== 'unknown') {
    names['#rop'] = 'reorder_point';
    names['#soq'] = 'suggested_order_qty';
    names['#rby'] = 'reorder_by';
    if (currentStock === 'absent') {
      remove.push('#rop', '#soq', '#rby');
    } else {
      suggestion = reorderSuggestion(
        f,
        { currentStock, onOrder: reorder.item.onOrder },
        itemPolicy(reorder.item, reorder.policy),
      );
      values[':rop'] = toAttributeValue(suggestion.reorderPoint, 'reorder_point');
      values[':soq'] = toAttributeValue(suggestion.suggestedOrderQty, 'suggested_order_qty');
      set.push('#rop = :rop', '#soq = :soq');
      if (suggestion.reorderBy === null) {
        remove.push('#rby');
      } else {
        values[':rby'] = { S: suggestion.reorderBy };
        set.push('#rby = :rby');
      }
    }
  }

  const updateExpression =
    `SET ${set.join(', ')}` + (remove.length > 0 ? ` REMOVE ${remove.join(', ')}` : '');
  return {
    input: {
      TableName: ctx.tableName,
      Key: keyOf(f.productId, ctx.keyType ?? 'S'),
      UpdateExpression: updateExpression,
      // ISO dates compare lexicographically, so this keeps a newer forecast from being replaced
      // by a late or re-run older one while letting the same as-of rewrite itself.
      ConditionExpression: 'attribute_not_exists(#asOf) OR #asOf <= :asOf',
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    },
    stock,
    ...(suggestion ? { reorder: suggestion } : {}),
  };
}
