import { buildPromptBatches, estimateTokens } from '@retail-forecast/prompt';
import type { SeriesInput } from '@retail-forecast/forecasting';

/**
 * Input tokens per product of the Bedrock prompt at default settings (target ≤ 150), with the
 * system prompt amortised over each request's products. Uses the prompt lib's own estimator.
 */
export function promptTokenFigures(label: string, series: SeriesInput[], asOf: string): void {
  const batches = buildPromptBatches(
    series.map((s) => ({
      productId: s.id,
      productName: `Product ${s.id}`,
      category: 'Bench',
      history: s.y,
    })),
    asOf,
  );
  const total = batches.reduce((sum, b) => sum + b.estimatedInputTokens, 0);
  const system = estimateTokens(batches[0]?.system ?? '');
  const withoutSystem = total - system * batches.length;
  console.log(
    `  ${label}: ${series.length} products in ${batches.length} requests, ${(total / series.length).toFixed(1)} input tokens/product ` +
      `(${(withoutSystem / series.length).toFixed(1)} without the ${system}-token system prompt; target ≤ 150)`,
  );
}
