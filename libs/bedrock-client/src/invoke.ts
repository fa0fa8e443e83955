import {
  ConverseCommand,
  InvokeModelCommand,
  type BedrockRuntimeClient,
  type ContentBlock,
  type SystemContentBlock,
  type ToolConfiguration,
} from '@aws-sdk/client-bedrock-runtime';
import { equalJitterDelayMs, errorMessage, sleep } from '@retail-forecast/util';
import { BedrockRequestError, type BedrockClientError } from './errors';
import { SDK_UNRETRIED_TRANSIENT, mapBedrockError, sdkAttempts } from './mapBedrockError';
import { requestTimeoutMs, type RequestTimeoutPolicy } from './requestTimeout';

export interface CallContext {
  /** Named in fatal error messages. */
  region?: string;
  abortSignal?: AbortSignal;
  /** Extra attempts for failures the SDK does not retry (default 1). */
  extraRetries?: number;
  /** Base delay of our own exponential backoff, ms (default 250). */
  retryBaseDelayMs?: number;
  /**
   * Sizes a Converse request's time-out from its maxTokens (see `requestTimeoutMs`); InvokeModel
   * keeps the client's own time-out.
   */
  timeout?: Partial<RequestTimeoutPolicy>;
}

export interface ConverseRequest extends CallContext {
  modelId: string;
  system: string;
  user: string;
  maxTokens: number;
  /** Default 0: forecasts should be repeatable. */
  temperature?: number;
  /** Tools offered to the model, e.g. one forced tool whose input is the answer. */
  toolConfig?: ToolConfiguration;
  /**
   * Put a prompt-cache checkpoint after the system prompt (`{ cachePoint: { type: 'default' } }`),
   * so the tools and system prompt, the same in every request of a run, are cached. Only for
   * models of `PROMPT_CACHE_MODELS`: others refuse it.
   */
  cachePoint?: boolean;
}

export interface ConverseResult {
  /** The text blocks of the answer, joined; reasoning and tool-use blocks are not text. */
  text: string;
  /** Every content block of the answer, in order (text, reasoningContent, toolUse, …). */
  content: ContentBlock[];
  stopReason?: string;
  /** Input tokens at the full rate: Bedrock reports cached tokens separately. */
  inputTokens: number;
  outputTokens: number;
  cacheReadInputTokens: number;
  cacheWriteInputTokens: number;
  /** HTTP attempts, retries included. */
  attempts: number;
}

export interface InvokeChronosRequest extends CallContext {
  /** Model id or Marketplace endpoint ARN. */
  modelId: string;
  series: ArrayLike<number>[];
  predictionLength: number;
  /** Default [0.1, 0.5, 0.9]. */
  quantileLevels?: number[];
}

export interface InvokeChronosResult {
  /** The parsed JSON body, or undefined when it was not JSON (`text` then holds it). */
  body: unknown;
  text: string;
  jsonError?: string;
  /** From the X-Amzn-Bedrock-*-Token-Count headers when the service sends them, else 0. */
  inputTokens: number;
  outputTokens: number;
  attempts: number;
}

/** How one service's failures are told apart: which to retry ourselves, and how to map them. */
export interface FailurePolicy {
  /** True for a failure the SDK does not retry but that usually passes on a second try. */
  transient(err: unknown): boolean;
  map(err: unknown, modelId: string, region: string, attempts: number): BedrockClientError;
}

const BEDROCK_FAILURES: FailurePolicy = {
  transient: (err) =>
    SDK_UNRETRIED_TRANSIENT.has((err as { name?: string } | undefined)?.name ?? ''),
  map: mapBedrockError,
};

/**
 * Runs `call`, adding a bounded retry with jittered exponential backoff for the transient failures
 * the SDK does not retry itself, and maps every failure to this lib's errors.
 */
export async function withRetries<T>(
  modelId: string,
  ctx: CallContext,
  call: () => Promise<{ value: T; attempts: number }>,
  policy: FailurePolicy = BEDROCK_FAILURES,
): Promise<{ value: T; attempts: number }> {
  const extra = ctx.extraRetries ?? 1;
  // Uncapped, as the retries are few: with the default one extra retry the wait is in [base/2, base).
  const backoff = { baseMs: ctx.retryBaseDelayMs ?? 250, maxMs: Number.POSITIVE_INFINITY };
  const region = ctx.region ?? 'unknown-region';
  let attempts = 0;
  for (let round = 0; ; round++) {
    try {
      const r = await call();
      return { value: r.value, attempts: attempts + r.attempts };
    } catch (err) {
      attempts += sdkAttempts(err);
      if (round < extra && policy.transient(err) && !ctx.abortSignal?.aborted) {
        await sleep(equalJitterDelayMs(round, backoff), ctx.abortSignal);
        continue;
      }
      throw policy.map(err, modelId, region, attempts);
    }
  }
}

/** The prompt and settings of a Converse request, without the transport's call context. */
export type ConverseBodyRequest = Pick<
  ConverseRequest,
  'system' | 'user' | 'maxTokens' | 'temperature' | 'toolConfig' | 'cachePoint'
>;

/**
 * The body of a Converse request (everything but `modelId`): what `converse` sends, and what a
 * batch inference job of invocation type `Converse` takes as one record's `modelInput` (the
 * converse adapter never asks for a cache point there: prompt caching is documented for the
 * on-demand Converse API, not for batch inference records).
 */
export function converseBody(request: ConverseBodyRequest) {
  const system: SystemContentBlock[] = request.cachePoint
    ? [{ text: request.system }, { cachePoint: { type: 'default' } }]
    : [{ text: request.system }];
  return {
    system,
    messages: [{ role: 'user' as const, content: [{ text: request.user }] }],
    inferenceConfig: { maxTokens: request.maxTokens, temperature: request.temperature ?? 0 },
    ...(request.toolConfig ? { toolConfig: request.toolConfig } : {}),
  };
}

/**
 * One Converse call with a system prompt and a single user message. Its time-out grows with
 * maxTokens, so a long answer is not cut off and asked for again (and billed) on every retry.
 */
export async function converse(
  client: BedrockRuntimeClient,
  request: ConverseRequest,
): Promise<ConverseResult> {
  const requestTimeout = requestTimeoutMs(request.maxTokens, request.timeout);
  const { value, attempts } = await withRetries(request.modelId, request, async () => {
    const out = await client.send(
      new ConverseCommand({ modelId: request.modelId, ...converseBody(request) }),
      { abortSignal: request.abortSignal, requestTimeout },
    );
    return { value: out, attempts: out.$metadata?.attempts ?? 1 };
  });
  const content = value.output?.message?.content ?? [];
  const text = content
    .map((block) => ('text' in block && typeof block.text === 'string' ? block.text : ''))
    .join('');
  if (value.output?.message === undefined) {
    throw new BedrockRequestError(
      'unknown',
      request.modelId,
      attempts,
      'the Converse response had no output message',
    );
  }
  return {
    text,
    content,
    stopReason: value.stopReason,
    inputTokens: value.usage?.inputTokens ?? 0,
    outputTokens: value.usage?.outputTokens ?? 0,
    cacheReadInputTokens: value.usage?.cacheReadInputTokens ?? 0,
    cacheWriteInputTokens: value.usage?.cacheWriteInputTokens ?? 0,
    attempts,
  };
}

function headerNumber(headers: Record<string, string> | undefined, name: string): number {
  if (!headers) return 0;
  for (const [k, v] of Object.entries(headers)) {
    if (k.toLowerCase() === name) {
      const n = Number(v);
      return Number.isFinite(n) && n >= 0 ? n : 0;
    }
  }
  return 0;
}

/**
 * One InvokeModel call in the Chronos request shape (`inputs[].target`, `parameters`). Token counts
 * are not part of InvokeModel's typed output, so a middleware reads them from the raw headers.
 */
export async function invokeChronos(
  client: BedrockRuntimeClient,
  request: InvokeChronosRequest,
): Promise<InvokeChronosResult> {
  const payload = {
    inputs: request.series.map((s) => ({ target: Array.from(s) })),
    parameters: {
      prediction_length: request.predictionLength,
      quantile_levels: request.quantileLevels ?? [0.1, 0.5, 0.9],
    },
  };
  const body = new TextEncoder().encode(JSON.stringify(payload));
  const { value, attempts } = await withRetries(request.modelId, request, async () => {
    let headers: Record<string, string> | undefined;
    const command = new InvokeModelCommand({
      modelId: request.modelId,
      contentType: 'application/json',
      accept: 'application/json',
      body,
    });
    command.middlewareStack.add(
      (next) => async (args) => {
        const result = await next(args);
        headers = (result.response as { headers?: Record<string, string> } | undefined)?.headers;
        return result;
      },
      { step: 'deserialize', name: 'captureTokenCountHeaders', override: true },
    );
    const out = await client.send(command, { abortSignal: request.abortSignal });
    return { value: { out, headers }, attempts: out.$metadata?.attempts ?? 1 };
  });
  const text = value.out.body ? new TextDecoder().decode(value.out.body) : '';
  let parsed: unknown;
  let jsonError: string | undefined;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    jsonError = `the InvokeModel body is not JSON (${errorMessage(err)}); it starts with ${JSON.stringify(text.slice(0, 60))}`;
  }
  return {
    body: parsed,
    text,
    jsonError,
    inputTokens: headerNumber(value.headers, 'x-amzn-bedrock-input-token-count'),
    outputTokens: headerNumber(value.headers, 'x-amzn-bedrock-output-token-count'),
    attempts,
  };
}
