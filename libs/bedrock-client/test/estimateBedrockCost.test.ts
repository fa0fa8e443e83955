import { buildPromptBatches } from '@retail-forecast/prompt';
import { describe, expect, it } from 'vitest';
import { estimateBedrockCost } from '../src';
import { AS_OF, CHRONOS, inputsFor, MODEL } from './helpers';

describe('estimateBedrockCost', () => {
  it('counts the prompt batches and prices their estimated tokens', () => {
    const inputs = inputsFor(['P1', 'P2', 'P3']);
    const batches = buildPromptBatches(
      inputs.map((i) => i.product),
      AS_OF,
      { maxProductsPerRequest: 2, horizon: 7 },
    );
    const est = estimateBedrockCost(inputs, {
      modelId: MODEL,
      kind: 'converse',
      asOf: AS_OF,
      horizon: 7,
      prompt: { maxProductsPerRequest: 2 },
    });
    const inputTokens = batches.reduce((s, b) => s + b.estimatedInputTokens, 0);
    expect(est.requests).toBe(2);
    expect(est.estimatedInputTokens).toBe(inputTokens);
    expect(est.estimatedOutputTokens).toBeGreaterThan(0);
    expect(est.estimatedCostUsd).toBeCloseTo(
      (inputTokens / 1000) * 0.003 + (est.estimatedOutputTokens / 1000) * 0.015,
      10,
    );
  });

  it('prices nothing for a product that is never sent (unknown days, no history), as the run skips it', () => {
    const inputs = inputsFor(['P1', 'P2', 'P3']);
    const gap = Float64Array.from(inputs[1].product.history);
    gap[10] = Number.NaN;
    const withUnsendable = [
      inputs[0],
      { ...inputs[1], product: { ...inputs[1].product, history: gap } },
      { ...inputs[2], product: { ...inputs[2].product, history: new Float64Array(0) } },
    ];
    const options = { modelId: MODEL, kind: 'converse' as const, asOf: AS_OF, horizon: 7 };
    expect(estimateBedrockCost(withUnsendable, options)).toEqual(
      estimateBedrockCost([inputs[0]], options),
    );
  });

  it('prices a batch job at half the on-demand price and names both', () => {
    const options = { modelId: MODEL, kind: 'converse' as const, asOf: AS_OF, horizon: 7 };
    const inputs = inputsFor(['P1', 'P2', 'P3']);
    const onDemand = estimateBedrockCost(inputs, options);
    const batch = estimateBedrockCost(inputs, { ...options, transport: 'batch' });
    expect(batch.transport).toBe('batch');
    expect(batch.onDemandCostUsd).toBeCloseTo(onDemand.estimatedCostUsd!, 12);
    expect(batch.estimatedCostUsd).toBeCloseTo(onDemand.estimatedCostUsd! / 2, 12);
    // A caller's own batch price wins over the factor.
    const priced = estimateBedrockCost(inputs, {
      ...options,
      transport: 'batch',
      prices: {
        [MODEL]: { inputPer1k: 1, outputPer1k: 1, batchInputPer1k: 0, batchOutputPer1k: 0 },
      },
    });
    expect(priced.estimatedCostUsd).toBe(0);
  });

  it('prices a batch job without prompt caching, next to the cached on-demand price', () => {
    // Claude 3.5 Haiku has prompt caching; batch records carry no cache point.
    const options = {
      modelId: 'us.anthropic.claude-3-5-haiku-20241022-v1:0',
      kind: 'converse' as const,
      asOf: AS_OF,
      horizon: 7,
    };
    const inputs = inputsFor(['P1', 'P2', 'P3']);
    const onDemand = estimateBedrockCost(inputs, options);
    const batch = estimateBedrockCost(inputs, { ...options, transport: 'batch' });
    expect(batch).toMatchObject({ estimatedCacheReadTokens: 0, estimatedCacheWriteTokens: 0 });
    expect(batch.estimatedInputTokens).toBe(
      onDemand.estimatedInputTokens +
        onDemand.estimatedCacheReadTokens +
        onDemand.estimatedCacheWriteTokens,
    );
    expect(batch.estimatedCostWithoutCacheUsd).toBe(batch.estimatedCostUsd);
    expect(batch.onDemandCostUsd).toBe(onDemand.estimatedCostUsd);
    expect(batch.estimatedCostUsd).toBeCloseTo(onDemand.estimatedCostWithoutCacheUsd! / 2, 12);
  });

  it('bounds the re-asks it leaves out: each sent product asked once more alone, on demand', () => {
    const inputs = inputsFor(['P1', 'P2', 'P3']);
    const options = {
      modelId: MODEL,
      kind: 'converse' as const,
      asOf: AS_OF,
      horizon: 7,
      prompt: { maxProductsPerRequest: 2 },
    };
    const singles = buildPromptBatches(
      inputs.map((i) => i.product),
      AS_OF,
      { maxProductsPerRequest: 1, horizon: 7 },
    );
    const est = estimateBedrockCost(inputs, options);
    const inputTokens = singles.reduce((s, b) => s + b.estimatedInputTokens, 0);
    expect(est.reasksAtMost).toEqual({
      requests: 3,
      inputTokens,
      outputTokens: est.estimatedOutputTokens,
      costUsd: expect.closeTo(
        (inputTokens / 1000) * 0.003 + (est.estimatedOutputTokens / 1000) * 0.015,
        10,
      ),
    });
    // Alone, each prompt repeats the system prompt: more input than the batched first pass.
    expect(est.reasksAtMost.inputTokens).toBeGreaterThan(est.estimatedInputTokens);
    // Re-asks of a batch job go on demand, at the on-demand price.
    expect(estimateBedrockCost(inputs, { ...options, transport: 'batch' }).reasksAtMost).toEqual(
      est.reasksAtMost,
    );
    const chronos = estimateBedrockCost(inputs, {
      modelId: CHRONOS,
      kind: 'chronos',
      asOf: AS_OF,
      horizon: 7,
    });
    expect(chronos.reasksAtMost).toMatchObject({ requests: 3, costUsd: null });
  });

  it('counts Chronos requests by batch size and has no token price', () => {
    const est = estimateBedrockCost(inputsFor(['P1', 'P2', 'P3']), {
      modelId: CHRONOS,
      kind: 'chronos',
      asOf: AS_OF,
      horizon: 7,
      chronosBatchSize: 2,
    });
    expect(est).toMatchObject({ requests: 2, estimatedCostUsd: null });
    expect(est.costNote).toMatch(/instance hour/);
  });
});
