import type { SeriesForecast } from '@retail-forecast/forecasting';
import type { PromptProduct } from '@retail-forecast/prompt';
import type { BedrockInput } from '../src';

/** A weekly-patterned history: weekday k sells base + k units, oldest first. */
export function weeklyHistory(days: number, base = 2): Float64Array {
  return Float64Array.from({ length: days }, (_, i) => base + (i % 7));
}

/** A flat statistical reference: p50 = level, p10/p90 = level ∓/± spread. */
export function flatReference(level: number, spread: number, horizon = 7): SeriesForecast {
  return {
    model: 'statistical:test-flat',
    p10: new Float64Array(horizon).fill(Math.max(0, level - spread)),
    p50: new Float64Array(horizon).fill(level),
    p90: new Float64Array(horizon).fill(level + spread),
  };
}

export function inputsFor(ids: string[], days = 56): BedrockInput[] {
  return ids.map((productId) => {
    const product: PromptProduct = {
      productId,
      productName: `Item ${productId}`,
      history: weeklyHistory(days),
    };
    return { product, statistical: flatReference(5, 2) };
  });
}

export interface AnswerEntry {
  id: string;
  daily: (number | string)[];
  p10?: number[];
  p90?: number[];
}

/** The JSON object the prompt's answer contract asks for. */
export function answerText(entries: AnswerEntry[]): string {
  return `{"forecasts":[${entries
    .map(
      (e) =>
        `{"product_id":${JSON.stringify(e.id)},"daily":[${e.daily.join(',')}]` +
        (e.p10 ? `,"p10":[${e.p10.join(',')}]` : '') +
        (e.p90 ? `,"p90":[${e.p90.join(',')}]` : '') +
        '}',
    )
    .join(',')}]}`;
}

export function converseOutput(text: string, inputTokens = 100, outputTokens = 40, attempts = 1) {
  return {
    $metadata: { httpStatusCode: 200, attempts },
    output: { message: { role: 'assistant' as const, content: [{ text }] } },
    stopReason: 'end_turn' as const,
    usage: { inputTokens, outputTokens, totalTokens: inputTokens + outputTokens },
    metrics: { latencyMs: 5 },
  };
}
