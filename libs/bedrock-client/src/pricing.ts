import type { BedrockKind, ModelPrice, PriceTable } from './types';

/**
 * On-demand list prices in USD per 1,000 tokens (us-east-1, 2025). Patterns match the bare model id
 * and any inference-profile prefix (`us.`, `eu.`, `apac.`, `global.`) or ARN around it. Cross-region
 * profiles bill at the source region's price, so one entry covers them.
 */
export const DEFAULT_PRICES: PriceTable = {
  // Prompt caching (Amazon Bedrock pricing page, on-demand, us-east-1, read 2026-11-29): Claude
  // cache writes cost 1.25× and reads 0.1× the input price; Nova writes cost the input price and
  // reads 0.25× of it.
  '*anthropic.claude-3-7-sonnet*': {
    inputPer1k: 0.003,
    outputPer1k: 0.015,
    cacheWritePer1k: 0.00375,
    cacheReadPer1k: 0.0003,
  },
  '*anthropic.claude-3-5-sonnet*': { inputPer1k: 0.003, outputPer1k: 0.015 },
  '*anthropic.claude-sonnet-4*': {
    inputPer1k: 0.003,
    outputPer1k: 0.015,
    cacheWritePer1k: 0.00375,
    cacheReadPer1k: 0.0003,
  },
  '*anthropic.claude-3-5-haiku*': {
    inputPer1k: 0.0008,
    outputPer1k: 0.004,
    cacheWritePer1k: 0.001,
    cacheReadPer1k: 0.00008,
  },
  '*anthropic.claude-haiku-4-5*': {
    inputPer1k: 0.001,
    outputPer1k: 0.005,
    cacheWritePer1k: 0.00125,
    cacheReadPer1k: 0.0001,
  },
  '*anthropic.claude-3-haiku*': { inputPer1k: 0.00025, outputPer1k: 0.00125 },
  '*amazon.nova-micro*': {
    inputPer1k: 0.000035,
    outputPer1k: 0.00014,
    cacheWritePer1k: 0.000035,
    cacheReadPer1k: 0.00000875,
  },
  '*amazon.nova-lite*': {
    inputPer1k: 0.00006,
    outputPer1k: 0.00024,
    cacheWritePer1k: 0.00006,
    cacheReadPer1k: 0.000015,
  },
  '*amazon.nova-pro*': {
    inputPer1k: 0.0008,
    outputPer1k: 0.0032,
    cacheWritePer1k: 0.0008,
    cacheReadPer1k: 0.0002,
  },
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

/**
 * USD per 1,000 tokens on a transport: the entry's batch price, else on-demand × the factor. The
 * batch price has no cache read/write prices: batch records carry no cache point.
 */
export function priceOn(price: ModelPrice, transport: PricedTransport): ModelPrice {
  if (transport === 'on-demand') return price;
  return {
    inputPer1k: price.batchInputPer1k ?? price.inputPer1k * BATCH_PRICE_FACTOR,
    outputPer1k: price.batchOutputPer1k ?? price.outputPer1k * BATCH_PRICE_FACTOR,
  };
}

/**
 * Why a `chronos2` run has no per-run price: a SageMaker real-time endpoint is billed per
 * instance-hour while it is InService (SageMaker AI pricing, "Real-Time Inference"), with no
 * per-request or per-token charge, so what a run adds is 0 on an endpoint that is up anyway and the
 * endpoint's hours otherwise. Said rather than guessed.
 */
export const SAGEMAKER_COST_NOTE =
  'SageMaker real-time endpoints are billed per instance-hour while InService, not per request or token: ' +
  'this run adds no per-request charge; the daily cost is the instance price × the hours the endpoint is up';

/** Prompt-cache tokens of a run or estimate. */
export interface CacheTokens {
  readTokens: number;
  writeTokens: number;
}

/** How the tokens given to {@link costOf} were sent. */
export interface CostOptions {
  /** Default `on-demand`; `batch` prices at the batch price. */
  transport?: PricedTransport;
  /** `chronos2` has no token price (see {@link SAGEMAKER_COST_NOTE}). */
  kind?: BedrockKind;
  /** Prompt-cache reads and writes (on demand only), on top of the full-rate input tokens. */
  cache?: CacheTokens;
}

/**
 * Cost in USD, or null with a note when the model has no known price (always for `chronos2`:
 * see {@link SAGEMAKER_COST_NOTE}). `inputTokens` are the full-rate ones; on demand, `cache` tokens
 * are priced at the model's cache read/write prices, and `savingUsd` is what they would have cost
 * at the input price minus what they cost. On `batch` there is no cache price: cache tokens (not
 * expected, records carry no cache point) are priced as batch input and the saving is 0.
 */
export function costOf(
  modelId: string,
  inputTokens: number,
  outputTokens: number,
  prices?: PriceTable,
  options: CostOptions = {},
): { costUsd: number | null; savingUsd: number | null; note?: string } {
  const { transport = 'on-demand', kind, cache = { readTokens: 0, writeTokens: 0 } } = options;
  if (kind === 'chronos2') return { costUsd: null, savingUsd: null, note: SAGEMAKER_COST_NOTE };
  const found = findModelPrice(modelId, prices);
  if (!found) {
    return {
      costUsd: null,
      savingUsd: null,
      note:
        `no price known for model "${modelId}"; pass a price table entry for it ` +
        `(Marketplace endpoints such as Chronos are billed per instance hour, not per token)`,
    };
  }
  const price = priceOn(found.price, transport);
  const { inputPer1k, outputPer1k } = price;
  const writePer1k = price.cacheWritePer1k ?? inputPer1k;
  const readPer1k = price.cacheReadPer1k ?? inputPer1k;
  const cached = (cache.writeTokens / 1000) * writePer1k + (cache.readTokens / 1000) * readPer1k;
  const uncached = ((cache.writeTokens + cache.readTokens) / 1000) * inputPer1k;
  return {
    costUsd: (inputTokens / 1000) * inputPer1k + (outputTokens / 1000) * outputPer1k + cached,
    savingUsd: uncached - cached,
  };
}
