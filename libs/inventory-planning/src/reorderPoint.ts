import { addDays, isIsoDate } from '@retail-forecast/util';
import { demandQuantile, periodDemand } from './demandDistribution';
import { InvalidPlanningArgumentError } from './errors';
import { expectedDemand } from './stockStatus';
import type { DailyDemand, ReorderPolicy, ReorderSuggestion, StockPosition } from './types';

/** Used where neither the item nor the run sets a value. */
export const DEFAULT_REORDER_POLICY: Readonly<ReorderPolicy> = {
  leadTimeDays: 7,
  reviewPeriodDays: 7,
  serviceLevel: 0.95,
};

/** Floating-point slack so that 50.000000001 units rounds up to 50, not 51. */
const EPS = 1e-9;
const wholeUp = (v: number) => Math.max(0, Math.ceil(v - EPS));

/**
 * Checks a policy; every setting is named with the value seen and what is allowed.
 * @throws InvalidPlanningArgumentError
 */
export function validateReorderPolicy(policy: ReorderPolicy): void {
  const issues: string[] = [];
  for (const key of ['leadTimeDays', 'reviewPeriodDays'] as const) {
    const v = policy[key];
    if (!Number.isInteger(v) || v < 0 || v > 365)
      issues.push(`${key} ${v} is not allowed (expected a whole number of days from 0 to 365)`);
  }
  const s = policy.serviceLevel;
  if (!(s > 0 && s < 1))
    issues.push(`serviceLevel ${s} is not allowed (expected a probability above 0 and below 1)`);
  if (issues.length > 0) throw new InvalidPlanningArgumentError(issues.join('; '));
}

/**
 * Reorder suggestion of one product under a periodic-review order-up-to (R, S) policy with a
 * reorder point (Silver, Pyke & Thomas, "Inventory and Production Management in Supply Chains",
 * 4th ed., ch. 6–7; Axsäter, "Inventory Control", 3rd ed., §5):
 *
 * - reorder point s = the `serviceLevel` quantile of demand over the lead time L, in whole units
 *   (rounded up): stock that covers the lead time at the service level (cycle service level);
 * - order-up-to level S = the `serviceLevel` quantile of demand over L + R (R = review period):
 *   what must be in the pipeline to last until the order after next arrives;
 * - inventory position IP = current_stock + on_order; suggested order quantity
 *   = max(0, ⌈S − IP⌉) whole units;
 * - reorder_by = as-of + k, where k ≥ 0 is the first day on which the projected inventory
 *   position at expected demand (IP − Σ `expectedDemand` of days 1..k, the mean where the
 *   forecast gives one, else P50) falls below s; null when that does not happen
 *   within the forecast's horizon. The lead time is not subtracted again: s already holds the
 *   lead-time demand, so placing the order on day k is what keeps the service level (k = 0:
 *   order today).
 *
 * Demand over n days is {@link periodDemand} (normal days from expected demand and P90, summed;
 * n beyond the horizon extends with the mean daily expected demand and keeps widening) and its quantile is
 * {@link demandQuantile}: a normal for large means, Poisson or negative binomial for count data.
 * Quantiles above P90 (a 0.99 service level) come from that fitted distribution, not from the
 * forecast's own P90. Lead time 0 gives s = 0; review period 0 gives S = s.
 * @param forecast the as-of date (YYYY-MM-DD) and one entry per forecast day
 * @param position units on hand (negative for back-orders) and on order
 * @throws InvalidPlanningArgumentError for a bad policy, as-of or on-order value
 */
export function reorderSuggestion(
  forecast: { readonly asOf: string; readonly daily: readonly DailyDemand[] },
  position: StockPosition,
  policy: ReorderPolicy = DEFAULT_REORDER_POLICY,
): ReorderSuggestion {
  validateReorderPolicy(policy);
  if (!isIsoDate(forecast.asOf))
    throw new InvalidPlanningArgumentError(
      `asOf ${JSON.stringify(forecast.asOf)} is not a date (expected YYYY-MM-DD)`,
    );
  const onOrder = position.onOrder ?? 0;
  if (!Number.isFinite(onOrder) || onOrder < 0)
    throw new InvalidPlanningArgumentError(
      `onOrder ${onOrder} is not allowed (expected a finite number >= 0)`,
    );
  if (!Number.isFinite(position.currentStock))
    throw new InvalidPlanningArgumentError(
      `currentStock ${position.currentStock} is not allowed (expected a finite number)`,
    );

  const { leadTimeDays: L, reviewPeriodDays: R, serviceLevel } = policy;
  const leadTime = demandQuantile(periodDemand(forecast.daily, L), serviceLevel);
  const cycle = periodDemand(forecast.daily, L + R);
  const orderUpTo = demandQuantile(cycle, serviceLevel);
  const reorderPoint = wholeUp(leadTime.value);
  const orderUpToLevel = Math.max(reorderPoint, wholeUp(orderUpTo.value));
  const position0 = position.currentStock + onOrder;

  let reorderBy: string | null = null;
  let projected = position0;
  for (let k = 0; k <= forecast.daily.length; k++) {
    if (k > 0) projected -= expectedDemand(forecast.daily[k - 1]);
    if (projected < reorderPoint - EPS) {
      reorderBy = addDays(forecast.asOf, k);
      break;
    }
  }

  return {
    reorderPoint,
    orderUpToLevel,
    suggestedOrderQty: wholeUp(orderUpToLevel - position0),
    reorderBy,
    distribution: orderUpTo.distribution,
    extendedDays: cycle.extendedDays,
    policy: { ...policy },
  };
}
