import { isSeriesValues } from '@retail-forecast/util';
import { isoToDay } from './dates';
import { InvalidProductError } from './errors';
import { estimateTokens } from './estimateTokens';
import { resolveOptions } from './options';
import { buildSystemPrompt } from './systemPrompt';
import type { PromptBatch, PromptOptions, PromptProduct } from './types';
import { formatProductBlock, formatUserMessage } from './userMessage';

// Ids are echoed back verbatim by the model and used as keys, so they are never cut.
const MAX_ID_CHARS = 100;

function checkProduct(p: PromptProduct, seen: Set<string>): void {
  if (
    typeof p.productId !== 'string' ||
    p.productId.length === 0 ||
    p.productId.length > MAX_ID_CHARS
  ) {
    throw new InvalidProductError(
      `productId ${JSON.stringify(p.productId)} is not allowed (expected 1 to ${MAX_ID_CHARS} characters)`,
    );
  }
  if (seen.has(p.productId)) {
    throw new InvalidProductError(
      `productId ${JSON.stringify(p.productId)} appears twice (ids must be unique)`,
    );
  }
  seen.add(p.productId);
  if (!isSeriesValues(p.history) || p.history.length === 0) {
    throw new InvalidProductError(
      `history of product ${JSON.stringify(p.productId)} is empty (expected at least the as-of day)`,
    );
  }
  for (let i = 0; i < p.history.length; i++) {
    const v = p.history[i];
    if (!Number.isFinite(v) || v < 0) {
      throw new InvalidProductError(
        `history[${i}] of product ${JSON.stringify(p.productId)} is ${v} (expected a finite number >= 0)`,
      );
    }
  }
}

function productBlock(p: PromptProduct, asOfDay: number, o: Required<PromptOptions>): string {
  const h = p.history;
  const recentLen = Math.min(o.recentDays, h.length);
  const before = h.length - recentLen;
  const weeks = Math.min(o.weeklyWeeks, Math.floor(before / 7));
  const weekly = new Float64Array(weeks);
  for (let k = 0; k < weeks; k++) {
    const start = before - 7 * (weeks - k);
    let sum = 0;
    for (let i = start; i < start + 7; i++) sum += h[i];
    weekly[k] = sum;
  }
  return formatProductBlock(
    {
      productId: p.productId,
      productName: p.productName,
      category: p.category,
      recent: h.subarray(before),
      recentStartDay: asOfDay - recentLen + 1,
      weekly,
    },
    o.nameMaxChars,
  );
}

/**
 * Split products into model requests, in input order, each under
 * `maxInputTokensPerRequest` (system + user, by `estimateTokens`) and `maxProductsPerRequest`.
 * A product whose block alone is over the budget still gets a request of its own, so every
 * product lands in exactly one batch.
 *
 * @throws InvalidDateError when `asOf` is not YYYY-MM-DD
 * @throws InvalidProductError on an empty/duplicate/over-long id or an empty, negative or
 *   non-finite history
 * @throws InvalidPromptOptionsError on an out-of-range option
 */
export function buildPromptBatches(
  products: PromptProduct[],
  asOf: string,
  options?: PromptOptions,
): PromptBatch[] {
  const o = resolveOptions(options);
  const asOfDay = isoToDay(asOf, 'asOf');
  const seen = new Set<string>();
  for (const p of products) checkProduct(p, seen);

  const system = buildSystemPrompt(o.horizon, o.answerWith);
  const systemTokens = estimateTokens(system);
  const batches: PromptBatch[] = [];
  let ids: string[] = [];
  let blocks: string[] = [];
  let user = '';

  const flush = () => {
    if (ids.length === 0) return;
    batches.push({
      productIds: ids,
      system,
      user,
      estimatedInputTokens: systemTokens + estimateTokens(user),
    });
    ids = [];
    blocks = [];
    user = '';
  };

  for (const p of products) {
    const block = productBlock(p, asOfDay, o);
    if (ids.length >= o.maxProductsPerRequest) flush();
    // Measuring the whole candidate message (not a sum of parts) keeps the budget exact
    // whatever the header costs; batches are small, so the rebuild is cheap.
    const candidate = formatUserMessage(asOfDay, o.horizon, [...blocks, block], o.answerWith);
    if (ids.length > 0 && systemTokens + estimateTokens(candidate) > o.maxInputTokensPerRequest) {
      flush();
      user = formatUserMessage(asOfDay, o.horizon, [block], o.answerWith);
    } else {
      user = candidate;
    }
    ids.push(p.productId);
    blocks.push(block);
  }
  flush();
  return batches;
}
