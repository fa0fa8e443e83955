import { estimateBedrockCost } from '@retail-forecast/bedrock-client';
import type { BedrockRunStats } from '@retail-forecast/bedrock-client';
import type { BacktestOrigin, SeriesContext } from '@retail-forecast/forecasting';
import type { ProductSeries } from '@retail-forecast/sales-data';
import { addDays } from '@retail-forecast/util';
import { bedrockKind, usesBatch } from './forecastStep';
import type { BacktestBedrockUsage, ModelMode, RemoteBacktestModel, StepProduct } from './types';

/**
 * The products of one origin as they are sent to a remote model: truncated history, names kept,
 * and each one's context at the cut when `contextAt` gives one (`--holidays`/`--events`).
 */
export function originProducts(
  origin: BacktestOrigin,
  products: Map<string, ProductSeries>,
  contextAt?: (productId: string, length: number) => SeriesContext | undefined,
): StepProduct[] {
  return origin.trains.map((t) => {
    const p = products.get(t.id);
    const context = contextAt?.(t.id, t.y.length);
    return {
      productId: t.id,
      productName: p?.productName,
      category: p?.category,
      history: t.y,
      ...(context ? { context } : {}),
    };
  });
}

/**
 * Estimates a remote model's use over all origins, from exactly the series it will be sent; an
 * origin that goes as a batch inference job (`modelMode`) is priced at the batch price.
 */
export function estimateUsage(
  spec: RemoteBacktestModel,
  origins: BacktestOrigin[],
  ctx: {
    products: Map<string, ProductSeries>;
    asOf: string;
    horizon: number;
    modelMode?: ModelMode;
    batchThreshold?: number;
  },
): BacktestBedrockUsage['estimate'] {
  const total: BacktestBedrockUsage['estimate'] = {
    requests: 0,
    inputTokens: 0,
    outputTokens: 0,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    costUsd: 0,
    costWithoutCacheUsd: 0,
    reasksAtMost: { requests: 0, costUsd: 0 },
  };
  let onDemand: number | null = 0;
  let batchOrigins = 0;
  for (const origin of origins) {
    if (origin.trains.length === 0) continue;
    const batch = usesBatch(
      spec,
      ctx.modelMode ?? 'sync',
      origin.trains.length,
      ctx.batchThreshold ?? Number.POSITIVE_INFINITY,
    );
    if (batch) batchOrigins++;
    const e = estimateBedrockCost(
      originProducts(origin, ctx.products).map((product) => ({ product })),
      {
        modelId: spec.id,
        kind: bedrockKind(spec),
        asOf: addDays(ctx.asOf, -origin.holdoutDays),
        horizon: ctx.horizon,
        transport: batch ? 'batch' : 'on-demand',
      },
    );
    onDemand =
      onDemand === null || e.onDemandCostUsd === null ? null : onDemand + e.onDemandCostUsd;
    total.requests += e.requests;
    total.inputTokens += e.estimatedInputTokens;
    total.outputTokens += e.estimatedOutputTokens;
    total.cacheReadTokens += e.estimatedCacheReadTokens;
    total.cacheWriteTokens += e.estimatedCacheWriteTokens;
    total.costUsd =
      total.costUsd === null || e.estimatedCostUsd === null
        ? null
        : total.costUsd + e.estimatedCostUsd;
    total.costWithoutCacheUsd =
      total.costWithoutCacheUsd === null || e.estimatedCostWithoutCacheUsd === null
        ? null
        : total.costWithoutCacheUsd + e.estimatedCostWithoutCacheUsd;
    if (e.costNote !== undefined) total.costNote ??= e.costNote;
    const reasks = total.reasksAtMost;
    reasks.requests += e.reasksAtMost.requests;
    reasks.costUsd =
      reasks.costUsd === null || e.reasksAtMost.costUsd === null
        ? null
        : reasks.costUsd + e.reasksAtMost.costUsd;
  }
  if (batchOrigins > 0) {
    total.batchOrigins = batchOrigins;
    total.onDemandCostUsd = onDemand;
  }
  return total;
}

/** Two origins' Bedrock use added up (`a` is null before the first origin). */
export function sumStats(a: BedrockRunStats | null, b: BedrockRunStats): BedrockRunStats {
  if (!a) return { ...b, fallbackReasons: { ...b.fallbackReasons } };
  const reasons = { ...a.fallbackReasons };
  for (const [k, v] of Object.entries(b.fallbackReasons)) reasons[k] = (reasons[k] ?? 0) + v;
  const cost =
    a.estimatedCostUsd === null || b.estimatedCostUsd === null
      ? null
      : a.estimatedCostUsd + b.estimatedCostUsd;
  const costNote = a.costNote ?? b.costNote;
  const batch =
    a.batch && b.batch
      ? {
          ...b.batch,
          records: a.batch.records + b.batch.records,
          recordErrors: a.batch.recordErrors + b.batch.recordErrors,
          recordsMissing: a.batch.recordsMissing + b.batch.recordsMissing,
          inputTokens: a.batch.inputTokens + b.batch.inputTokens,
          outputTokens: a.batch.outputTokens + b.batch.outputTokens,
          costUsd:
            a.batch.costUsd === null || b.batch.costUsd === null
              ? null
              : a.batch.costUsd + b.batch.costUsd,
          onDemandCostUsd:
            a.batch.onDemandCostUsd === null || b.batch.onDemandCostUsd === null
              ? null
              : a.batch.onDemandCostUsd + b.batch.onDemandCostUsd,
          seconds: a.batch.seconds + b.batch.seconds,
        }
      : (a.batch ?? b.batch);
  const saving =
    a.cacheSavingUsd === null || b.cacheSavingUsd === null
      ? null
      : a.cacheSavingUsd + b.cacheSavingUsd;
  return {
    ...(batch ? { batch } : {}),
    requests: a.requests + b.requests,
    retries: a.retries + b.retries,
    failedRequests: a.failedRequests + b.failedRequests,
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    cacheReadInputTokens: a.cacheReadInputTokens + b.cacheReadInputTokens,
    cacheWriteInputTokens: a.cacheWriteInputTokens + b.cacheWriteInputTokens,
    estimatedCostUsd: cost,
    cacheSavingUsd: saving,
    ...(costNote !== undefined ? { costNote } : {}),
    accepted: a.accepted + b.accepted,
    rejected: a.rejected + b.rejected,
    fallback: a.fallback + b.fallback,
    fallbackReasons: reasons,
  };
}
