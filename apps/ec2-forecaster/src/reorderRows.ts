import type { ProductForecast } from '@retail-forecast/forecasting';
import type { WriteResult } from '@retail-forecast/dynamodb-writer';
import type { ReorderRow } from './types';

/**
 * The summary's reorder table: every written product with a suggestion, the earliest
 * `reorderBy` first (no date last), then the larger order, then product id.
 */
export function reorderRows(
  forecasts: readonly ProductForecast[],
  write: WriteResult,
): ReorderRow[] {
  const rows: ReorderRow[] = [];
  for (const f of forecasts) {
    const r = write.reorder?.[f.productId];
    const stock = write.stock[f.productId];
    if (!r || !stock) continue;
    rows.push({
      productId: f.productId,
      ...(f.productName !== undefined ? { productName: f.productName } : {}),
      currentStock: stock.currentStock,
      reorderPoint: r.reorderPoint,
      orderUpToLevel: r.orderUpToLevel,
      suggestedOrderQty: r.suggestedOrderQty,
      reorderBy: r.reorderBy,
      leadTimeDays: r.policy.leadTimeDays,
      reviewPeriodDays: r.policy.reviewPeriodDays,
      serviceLevel: r.policy.serviceLevel,
    });
  }
  const dateKey = (d: string | null) => d ?? '9999-12-31';
  return rows.sort(
    (a, b) =>
      dateKey(a.reorderBy).localeCompare(dateKey(b.reorderBy)) ||
      b.suggestedOrderQty - a.suggestedOrderQty ||
      (a.productId < b.productId ? -1 : a.productId > b.productId ? 1 : 0),
  );
}
