import type { PromptProduct } from '@retail-forecast/prompt';
import { buildPromptBatches } from '@retail-forecast/prompt';
import { BedrockOptionsError } from './errors';
import { DEFAULT_CHRONOS_BATCH_SIZE } from './chronosAdapter';
import { outputTokensPerProduct } from './converseAdapter';
import { costOf } from './pricing';
import type { BedrockCostEstimate, EstimateBedrockCostOptions } from './types';

/**
 * What a run would cost before making it, for a "this will cost about $X, continue? (--yes)" step.
 * Input tokens come from the prompt batches that would be sent; output tokens from a per-product
 * allowance. Re-asks are not included, so a run with many failures costs a little more. With
 * `transport: 'batch'` the tokens are priced at the batch price, `onDemandCostUsd` at on-demand.
 */
export function estimateBedrockCost(
  inputs: ReadonlyArray<{ product: PromptProduct }>,
  options: EstimateBedrockCostOptions,
): BedrockCostEstimate {
  if (!Number.isInteger(options.horizon) || options.horizon < 1) {
    throw new BedrockOptionsError(
      `horizon ${options.horizon} is not allowed (expected an integer >= 1)`,
    );
  }
  const products = inputs.map((i) => i.product);
  let requests: number;
  let estimatedInputTokens = 0;
  let estimatedOutputTokens = 0;
  if (options.kind === 'converse') {
    const batches = buildPromptBatches(products, options.asOf, {
      ...options.prompt,
      horizon: options.horizon,
    });
    requests = batches.length;
    for (const b of batches) estimatedInputTokens += b.estimatedInputTokens;
    estimatedOutputTokens = products.length * outputTokensPerProduct(options.horizon);
  } else {
    const size = options.chronosBatchSize ?? DEFAULT_CHRONOS_BATCH_SIZE;
    requests = Math.ceil(products.length / size);
  }
  const transport = options.transport ?? 'on-demand';
  const cost = costOf(
    options.modelId,
    estimatedInputTokens,
    estimatedOutputTokens,
    options.prices,
    transport,
  );
  const onDemand =
    transport === 'batch'
      ? costOf(options.modelId, estimatedInputTokens, estimatedOutputTokens, options.prices)
      : cost;
  return {
    requests,
    estimatedInputTokens,
    estimatedOutputTokens,
    transport,
    estimatedCostUsd: cost.costUsd,
    onDemandCostUsd: onDemand.costUsd,
    ...(cost.note !== undefined ? { costNote: cost.note } : {}),
  };
}
