import type { PromptProduct } from '@retail-forecast/prompt';
import { screenFreeText } from '@retail-forecast/prompt';
import { checkBatchShift, type BatchShiftVerdict } from '@retail-forecast/response-parser';
import type { Outcome } from './outcomes';
import type { BedrockInput } from './types';

/** Fallback code of a product whose free text was kept from the model. */
export const HELD_BACK_CODE = 'held-back:instruction-like-text';

/**
 * A product whose name or category reads as an instruction is never sent: not in a batch, where
 * it could change its batch-mates' numbers, nor alone, where it could change its own. It keeps
 * the statistical forecast, with the reason.
 */
export function holdBack(product: PromptProduct): { code: string; reason: string } | undefined {
  const finding = screenFreeText(product);
  if (!finding) return undefined;
  return {
    code: HELD_BACK_CODE,
    reason: `${finding.field} looks like an instruction to the model (${JSON.stringify(finding.match)}); not sent to the model, statistical forecast kept`,
  };
}

/**
 * Whether the accepted answers of one multi-product request shifted together against their
 * statistical forecasts (see `checkBatchShift`): one product's free text steering the whole batch
 * that the screen did not catch. The caller then asks each product of the request on its own.
 */
export function batchShiftOf(
  outcomes: ReadonlyMap<string, Outcome>,
  byId: ReadonlyMap<string, BedrockInput>,
  horizon: number,
): BatchShiftVerdict {
  const items: { daily: number[]; reference: Float64Array }[] = [];
  for (const [id, o] of outcomes) {
    if (o.type !== 'accepted') continue;
    const { statistical } = byId.get(id)!;
    items.push({
      daily: o.forecast.daily,
      // The expected demand: a count series' P50s are medians (0 for sparse demand).
      reference: (statistical.mean ?? statistical.p50).subarray(0, horizon),
    });
  }
  return checkBatchShift(items);
}
