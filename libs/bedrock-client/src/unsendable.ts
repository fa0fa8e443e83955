import { countKnown } from '@retail-forecast/forecasting';
import type { PromptProduct } from '@retail-forecast/prompt';

/**
 * Why a product's history cannot go to any model, whatever the model: it is empty (`no-history`)
 * or has unknown days, i.e. days whose rows were rejected (`unknown-days`). A model sees numbers,
 * not gaps, so rather than fill an unknown day with a guess the product keeps the statistical
 * forecast, which treats those days as missing. Undefined when the history can be sent.
 * `forecastWithBedrock` settles such a product as its fallback and `estimateBedrockCost` prices
 * nothing for it.
 */
export function unsendable(
  product: Pick<PromptProduct, 'history'>,
): { code: 'no-history' | 'unknown-days'; reason: string } | undefined {
  if (product.history.length === 0) {
    return { code: 'no-history', reason: 'no sales history to send to the model' };
  }
  const unknownDays = product.history.length - countKnown(product.history);
  if (unknownDays > 0) {
    return {
      code: 'unknown-days',
      reason: `${unknownDays} day(s) of the history are unknown (rejected rows); not sent to the model, statistical forecast kept`,
    };
  }
  return undefined;
}
