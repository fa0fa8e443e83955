import { BedrockRuntimeClient, type ConverseCommandInput } from '@aws-sdk/client-bedrock-runtime';
import type { SeriesForecast } from '@retail-forecast/forecasting';
import { parsePromptData, type PromptProduct } from '@retail-forecast/prompt';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach } from 'vitest';
import type { BedrockInput, ForecastWithBedrockOptions } from '../src';

export const MODEL = 'us.anthropic.claude-3-7-sonnet-20250219-v1:0';
export const CHRONOS = 'arn:aws:sagemaker:us-east-1:123456789012:endpoint/chronos-bolt-base';
export const AS_OF = '2025-04-28';

/** A client whose commands the returned mock answers; reset before each test, restored after the file. */
export function mockedBedrock() {
  const mock = mockClient(BedrockRuntimeClient);
  const client = new BedrockRuntimeClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
  });
  beforeEach(() => mock.reset());
  afterAll(() => mock.restore());
  return { mock, client };
}

/** The tests' run: Converse, two products per request, two requests in flight, no extra retries. */
export function runOptions(
  client: BedrockRuntimeClient,
  over: Partial<ForecastWithBedrockOptions> = {},
): ForecastWithBedrockOptions {
  return {
    client,
    modelId: MODEL,
    kind: 'converse',
    asOf: AS_OF,
    horizon: 7,
    concurrency: 2,
    prompt: { maxProductsPerRequest: 2 },
    extraRetries: 0,
    ...over,
  };
}

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

/** The product ids of a Converse request's prompt. */
export const askedIds = (input: ConverseCommandInput) =>
  parsePromptData(input.messages![0].content![0].text!).products.map((p) => p.productId);

/** A horizon of 7 equal values. */
export const flat7 = (v: number) => Array.from({ length: 7 }, () => v);
