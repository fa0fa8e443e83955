import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { validateReorderPolicy } from '@retail-forecast/inventory-planning';
import type { ReorderPolicy } from '@retail-forecast/inventory-planning';
import type { Logger } from '@retail-forecast/util';
import type { ItemPlanning } from './types';

/** Optional replenishment attributes of an inventory item, by the name the item stores them. */
export const PLANNING_ATTRIBUTES = {
  onOrder: 'on_order',
  leadTimeDays: 'lead_time_days',
  reviewPeriodDays: 'review_period_days',
  serviceLevel: 'service_level',
} as const satisfies Record<keyof ItemPlanning, string>;

const ALLOWED: Record<keyof ItemPlanning, { ok: (v: number) => boolean; expected: string }> = {
  onOrder: { ok: (v) => v >= 0, expected: 'a number >= 0' },
  leadTimeDays: {
    ok: (v) => Number.isInteger(v) && v >= 0 && v <= 365,
    expected: 'whole days from 0 to 365',
  },
  reviewPeriodDays: {
    ok: (v) => Number.isInteger(v) && v >= 0 && v <= 365,
    expected: 'whole days from 0 to 365',
  },
  serviceLevel: { ok: (v) => v > 0 && v < 1, expected: 'a probability above 0 and below 1' },
};

/**
 * The replenishment attributes an item holds. A value that is not a number, or not one the
 * policy allows, is left out (the run's policy applies) with a warning naming item and value.
 */
export function parseItemPlanning(
  productId: string,
  item: Record<string, AttributeValue>,
  logger: Logger,
): ItemPlanning {
  const out: ItemPlanning = {};
  for (const [key, name] of Object.entries(PLANNING_ATTRIBUTES) as [keyof ItemPlanning, string][]) {
    const raw = item[name];
    if (raw === undefined) continue;
    const v = raw.N === undefined ? NaN : Number(raw.N);
    if (Number.isFinite(v) && ALLOWED[key].ok(v)) out[key] = v;
    else
      logger.warn(`${name} is not ${ALLOWED[key].expected}; using the run's value`, {
        productId,
        [name]: raw,
      });
  }
  return out;
}

/** The item's own lead time, review period and service level where it has them, else the run's. */
export function itemPolicy(item: ItemPlanning, run: ReorderPolicy): ReorderPolicy {
  const policy = {
    leadTimeDays: item.leadTimeDays ?? run.leadTimeDays,
    reviewPeriodDays: item.reviewPeriodDays ?? run.reviewPeriodDays,
    serviceLevel: item.serviceLevel ?? run.serviceLevel,
  };
  validateReorderPolicy(policy);
  return policy;
}
