import { buildPromptBatches } from '@retail-forecast/prompt';
import { parseForecastAnswer } from '@retail-forecast/response-parser';
import { BedrockOptionsError } from './errors';
import { converse } from './invoke';
import type { AdapterContext, ModelAdapter } from './modelAdapter';

/** Highest maxTokens asked for; the smallest output limit among the priced models is 8,192. */
export const MAX_OUTPUT_TOKENS = 8192;

/** Output tokens one product's answer takes: an id plus three quantile rows of `horizon` numbers. */
export function outputTokensPerProduct(horizon: number): number {
  return 24 + horizon * 3 * 4;
}

/** maxTokens for a batch: room for every product's answer twice over plus slack, capped. */
export function maxTokensFor(products: number, horizon: number, cap = MAX_OUTPUT_TOKENS): number {
  return Math.min(cap, 256 + products * outputTokensPerProduct(horizon) * 2);
}

/** An LLM through the Converse API: the prompt lib's batches in, `{"forecasts":[…]}` out. */
export function converseAdapter(ctx: AdapterContext): ModelAdapter {
  const { options, ledger, log } = ctx;
  const { client, modelId, asOf, horizon } = options;
  return {
    label: `bedrock:${modelId}`,
    groups: (productIds) =>
      buildPromptBatches(productIds.map(ctx.product), asOf, { ...options.prompt, horizon }).map(
        (b) => b.productIds,
      ),
    async ask(productIds, single) {
      const batches = buildPromptBatches(productIds.map(ctx.product), asOf, {
        ...options.prompt,
        horizon,
        ...(single ? { maxProductsPerRequest: 1 } : {}),
      });
      if (batches.length !== 1) {
        // The first pass uses the prompt lib's own batches, so this only happens on a re-ask.
        throw new BedrockOptionsError(
          `prompt batching split ${productIds.length} product(s) into ${batches.length} requests (expected 1)`,
        );
      }
      const batch = batches[0];
      const answer = await converse(client, {
        modelId,
        system: batch.system,
        user: batch.user,
        maxTokens: maxTokensFor(productIds.length, horizon, options.maxOutputTokens),
        region: ctx.region,
        abortSignal: ctx.signal,
        extraRetries: options.extraRetries,
        timeout: options.requestTimeout,
      });
      ledger.recordUsage(answer);
      if (answer.stopReason === 'max_tokens') {
        log.warn(`answer for ${productIds.length} product(s) hit maxTokens and is cut short`);
      }
      return parseForecastAnswer(answer.text, productIds, horizon);
    },
  };
}
