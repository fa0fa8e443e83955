import type { ModelPrice, PriceTable } from './types';

/**
 * On-demand list prices in USD per 1,000 tokens (us-east-1, 2025). Patterns match the bare model id
 * and any inference-profile prefix (`us.`, `eu.`, `apac.`, `global.`) or ARN around it. Cross-region
 * profiles bill at the source region's price, so one entry covers them.
 */
export const DEFAULT_PRICES: PriceTable = {
  '*anthropic.claude-3-7-sonnet*': { inputPer1k: 0.003, outputPer1k: 0.015 },
  '*anthropic.claude-3-5-sonnet*': { inputPer1k: 0.003, outputPer1k: 0.015 },
  '*anthropic.claude-sonnet-4*': { inputPer1k: 0.003, outputPer1k: 0.015 },
  '*anthropic.claude-3-5-haiku*': { inputPer1k: 0.0008, outputPer1k: 0.004 },
  '*anthropic.claude-haiku-4-5*': { inputPer1k: 0.001, outputPer1k: 0.005 },
  '*anthropic.claude-3-haiku*': { inputPer1k: 0.00025, outputPer1k: 0.00125 },
  '*amazon.nova-micro*': { inputPer1k: 0.000035, outputPer1k: 0.00014 },
  '*amazon.nova-lite*': { inputPer1k: 0.00006, outputPer1k: 0.00024 },
  '*amazon.nova-pro*': { inputPer1k: 0.0008, outputPer1k: 0.0032 },
  '*meta.llama3-1-8b*': { inputPer1k: 0.00022, outputPer1k: 0.00022 },
  '*meta.llama3-1-70b*': { inputPer1k: 0.00072, outputPer1k: 0.00072 },
  '*meta.llama3-3-70b*': { inputPer1k: 0.00072, outputPer1k: 0.00072 },
};

/**
 * Batch inference is billed at half the on-demand token price for the models that offer it
 * (Amazon Bedrock pricing page, "Batch": 50 % lower than on-demand, checked 2026-11-29). A price
 * entry's own `batchInputPer1k`/`batchOutputPer1k` win over this factor.
 */
export const BATCH_PRICE_FACTOR = 0.5;

/** A model id pattern (`*` = any run of characters, whole id, case-insensitive) as a RegExp. */
export function globToRegExp(pattern: string): RegExp {
  const escaped = pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(`^${escaped}$`, 'i');
}

/** The price for a model: the caller's table first (in its key order), then the defaults. */
export function findModelPrice(
  modelId: string,
  prices: PriceTable = {},
): { pattern: string; price: ModelPrice } | undefined {
  for (const table of [prices, DEFAULT_PRICES]) {
    for (const [pattern, price] of Object.entries(table)) {
      if (globToRegExp(pattern).test(modelId)) return { pattern, price };
    }
  }
  return undefined;
}

/** How requests reach the model: one call each (`on-demand`) or a batch inference job (`batch`). */
export type PricedTransport = 'on-demand' | 'batch';

/** USD per 1,000 tokens on a transport: the entry's batch price, else on-demand × the factor. */
export function priceOn(price: ModelPrice, transport: PricedTransport): ModelPrice {
  if (transport === 'on-demand') return price;
  return {
    inputPer1k: price.batchInputPer1k ?? price.inputPer1k * BATCH_PRICE_FACTOR,
    outputPer1k: price.batchOutputPer1k ?? price.outputPer1k * BATCH_PRICE_FACTOR,
  };
}

/** Cost in USD, or null with a note when the model has no known price. */
export function costOf(
  modelId: string,
  inputTokens: number,
  outputTokens: number,
  prices?: PriceTable,
  transport: PricedTransport = 'on-demand',
): { costUsd: number | null; note?: string } {
  const found = findModelPrice(modelId, prices);
  if (!found) {
    return {
      costUsd: null,
      note:
        `no price known for model "${modelId}"; pass a price table entry for it ` +
        `(Marketplace endpoints such as Chronos are billed per instance hour, not per token)`,
    };
  }
  const { inputPer1k, outputPer1k } = priceOn(found.price, transport);
  return { costUsd: (inputTokens / 1000) * inputPer1k + (outputTokens / 1000) * outputPer1k };
}
