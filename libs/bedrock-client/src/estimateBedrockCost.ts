import type { PromptProduct } from '@retail-forecast/prompt';
import { buildPromptBatches, estimateTokens } from '@retail-forecast/prompt';
import { BedrockOptionsError } from './errors';
import { DEFAULT_CHRONOS_BATCH_SIZE } from './chronosAdapter';
import { chronos2Sizes, chronos2Groups, chronos2Input } from './chronos2Request';
import { outputTokensPerProduct } from './converseAdapter';
import { costOf } from './pricing';
import { promptCacheSupportFor, usesPromptCache } from './promptCaching';
import { unsendable } from './unsendable';
import type { BedrockCostEstimate, EstimateBedrockCostOptions } from './types';

/**
 * Tokens of the system prompt `system` that the prompt cache would hold for `options`' model and
 * setting (`usesPromptCache`, the model's minimum per checkpoint); 0 when nothing would be cached
 * or there is no prompt.
 */
function cachedSystemTokens(options: EstimateBedrockCostOptions, system?: string): number {
  const support = promptCacheSupportFor(options.modelId);
  const tokens = system === undefined ? 0 : estimateTokens(system);
  return usesPromptCache(options.modelId, options.promptCache) &&
    support &&
    tokens >= support.minTokensPerCheckpoint
    ? tokens
    : 0;
}

/**
 * Every sendable product asked once more on its own, on demand: one request each, the prompt of
 * one product (its system prompt read from the prompt cache where the first pass caches it) and
 * the same output allowance.
 */
function reasksAtMost(
  products: PromptProduct[],
  options: EstimateBedrockCostOptions,
): BedrockCostEstimate['reasksAtMost'] {
  let inputTokens = 0;
  let outputTokens = 0;
  const cache = { readTokens: 0, writeTokens: 0 };
  if (options.kind === 'converse' && products.length > 0) {
    const singles = buildPromptBatches(products, options.asOf, {
      ...options.prompt,
      horizon: options.horizon,
      maxProductsPerRequest: 1,
    });
    for (const b of singles) inputTokens += b.estimatedInputTokens;
    outputTokens = products.length * outputTokensPerProduct(options.horizon);
    const system = cachedSystemTokens(options, singles[0]?.system);
    if (system > 0) {
      cache.readTokens = system * singles.length;
      inputTokens -= cache.readTokens;
    }
  }
  const cost = costOf(options.modelId, inputTokens, outputTokens, options.prices, {
    kind: options.kind,
    cache,
  });
  return {
    requests: products.length,
    inputTokens: inputTokens + cache.readTokens,
    outputTokens,
    costUsd: cost.costUsd,
  };
}

/**
 * What a run would cost before making it, for a "this will cost about $X, continue? (--yes)" step.
 * Input tokens come from the prompt batches that would be sent; output tokens from a per-product
 * allowance; a product that is never sent (`unsendable`: no history, unknown days) is not priced.
 * Re-asks are not in the estimate but bounded apart (`reasksAtMost`): a product whose answer was
 * missing or unreadable, or came in a batch whose answers moved together, is asked once more,
 * alone and on demand (`forecastWithBedrock`); rejected answers fall back without one. With
 * `transport: 'batch'` the tokens are priced at the batch price without prompt caching, and
 * `onDemandCostUsd` is what the same requests cost on demand (with prompt caching where it applies).
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
  // A product that is never sent (no history, unknown days) keeps its fallback and costs nothing.
  const products = inputs.map((i) => i.product).filter((p) => unsendable(p) === undefined);
  let requests: number;
  let estimatedInputTokens = 0;
  let estimatedOutputTokens = 0;
  const cache = { readTokens: 0, writeTokens: 0 };
  if (options.kind === 'converse') {
    const batches = buildPromptBatches(products, options.asOf, {
      ...options.prompt,
      horizon: options.horizon,
    });
    requests = batches.length;
    for (const b of batches) estimatedInputTokens += b.estimatedInputTokens;
    estimatedOutputTokens = products.length * outputTokensPerProduct(options.horizon);
    // Every batch shares one system prompt: with a cache point, the first request writes it and
    // the others read it, if it reaches the model's minimum per checkpoint (else nothing is
    // cached). The run's requests are minutes apart at most, inside the 5-minute cache TTL.
    const system = cachedSystemTokens(options, batches[0]?.system);
    if (system > 0) {
      cache.writeTokens = system;
      cache.readTokens = system * (batches.length - 1);
      estimatedInputTokens -= system * batches.length;
    }
  } else if (options.kind === 'chronos2') {
    const { context, maxSeries } = chronos2Sizes(options);
    const byId = new Map(products.map((p) => [p.productId, p]));
    requests = chronos2Groups(
      products,
      (id) =>
        JSON.stringify(chronos2Input(byId.get(id)!, options.asOf, options.horizon, context)).length,
      maxSeries,
    ).length;
  } else {
    const size = options.chronosBatchSize ?? DEFAULT_CHRONOS_BATCH_SIZE;
    requests = Math.ceil(products.length / size);
  }
  const transport = options.transport ?? 'on-demand';
  // On demand, the cacheable system prompt is priced as cache reads and writes; a batch job's
  // records carry no cache point, so there every input token is at the (halved) batch input price.
  const onDemand = costOf(
    options.modelId,
    estimatedInputTokens,
    estimatedOutputTokens,
    options.prices,
    { kind: options.kind, cache },
  );
  const uncachedInput = estimatedInputTokens + cache.readTokens + cache.writeTokens;
  const cost =
    transport === 'batch'
      ? costOf(options.modelId, uncachedInput, estimatedOutputTokens, options.prices, {
          transport,
          kind: options.kind,
        })
      : onDemand;
  const cached = transport === 'on-demand';
  return {
    reasksAtMost: reasksAtMost(products, options),
    requests,
    estimatedInputTokens: cached ? estimatedInputTokens : uncachedInput,
    estimatedOutputTokens,
    estimatedCacheReadTokens: cached ? cache.readTokens : 0,
    estimatedCacheWriteTokens: cached ? cache.writeTokens : 0,
    transport,
    estimatedCostUsd: cost.costUsd,
    estimatedCostWithoutCacheUsd:
      cost.costUsd === null || cost.savingUsd === null ? null : cost.costUsd + cost.savingUsd,
    onDemandCostUsd: onDemand.costUsd,
    ...(cost.note !== undefined ? { costNote: cost.note } : {}),
  };
}
