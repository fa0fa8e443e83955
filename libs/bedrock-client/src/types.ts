import type { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import type { SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import type { SeriesForecast } from '@retail-forecast/forecasting';
import type { PromptOptions, PromptProduct } from '@retail-forecast/prompt';
import type { GuardrailOptions } from '@retail-forecast/response-parser';
import type { Logger } from '@retail-forecast/util';
import type { RequestTimeoutPolicy } from './requestTimeout';

export interface CreateBedrockRuntimeClientConfig {
  /** Defaults to the SDK's own resolution (AWS_REGION, profile). */
  region?: string;
  /** Total HTTP attempts per request, retries included (SDK default 3). */
  maxAttempts?: number;
  /** Per-request timeout in milliseconds (default 60 000). */
  requestTimeoutMs?: number;
  /** Use HTTP/1.1 (NodeHttpHandler) instead of the SDK's default HTTP/2 handler. */
  http1?: boolean;
}

/** USD per 1,000 tokens. */
export interface ModelPrice {
  inputPer1k: number;
  outputPer1k: number;
  /** Input tokens written to the prompt cache; default `inputPer1k`. */
  cacheWritePer1k?: number;
  /** Input tokens read from the prompt cache; default `inputPer1k` (no discount known). */
  cacheReadPer1k?: number;
}

/**
 * Converse prompt caching: `auto` (default) puts a cache point after the system prompt for the
 * models of `PROMPT_CACHE_MODELS`; `off` never does.
 */
export type PromptCacheSetting = 'auto' | 'off';

/**
 * Prices keyed by a model id pattern: `*` matches any run of characters and the pattern must match
 * the whole id, e.g. `*anthropic.claude-3-7-sonnet*`.
 */
export type PriceTable = Record<string, ModelPrice>;

/**
 * `converse`: an LLM through Bedrock Converse; `chronos`: Chronos-Bolt through Bedrock InvokeModel
 * (a Marketplace endpoint); `chronos2`: Chronos-2 on a SageMaker endpoint through InvokeEndpoint.
 */
export type BedrockKind = 'converse' | 'chronos' | 'chronos2';

/**
 * How a Converse model is asked for its answer: `tool` forces a tool call whose input is the
 * answer (structured output), `text` asks for JSON text, `auto` (default) picks by model family
 * (`TOOL_CHOICE_MODELS`) and drops to `text` for the rest of the run if the service refuses tools.
 */
export type StructuredOutput = 'auto' | 'tool' | 'text';

export interface BedrockInput {
  product: PromptProduct;
  /** The statistical forecast: the guardrail's reference and the fallback. */
  statistical: SeriesForecast;
}

export interface ForecastWithBedrockOptions {
  /** Required for `converse` and `chronos`. */
  client?: BedrockRuntimeClient;
  /** Required for `chronos2`: the SageMaker Runtime client (`createSageMakerRuntimeClient`). */
  sagemaker?: SageMakerRuntimeClient;
  /**
   * Model id, inference profile id or ARN, (chronos) a Marketplace endpoint ARN, or (chronos2) a
   * SageMaker endpoint name or ARN.
   */
  modelId: string;
  kind: BedrockKind;
  /** YYYY-MM-DD, the last day of history. */
  asOf: string;
  horizon: number;
  /** Requests in flight at once (default 4). */
  concurrency?: number;
  prompt?: PromptOptions;
  /** Converse only; default `auto`. */
  structuredOutput?: StructuredOutput;
  /** Converse only; default `auto` (see {@link PromptCacheSetting}). */
  promptCache?: PromptCacheSetting;
  /** Series per InvokeModel request (default 32; chronos2: per InvokeEndpoint request, default 256, at most 1000). */
  chronosBatchSize?: number;
  /**
   * chronos2: let the model attend across all series of a request (one category's products),
   * `predict_batches_jointly` (default true).
   */
  chronos2CrossLearning?: boolean;
  /**
   * Upper bound of a Converse request's maxTokens (default 8192). Lower it for models with a
   * smaller output limit (Llama 3.x: 2048), together with `prompt.maxProductsPerRequest`.
   */
  maxOutputTokens?: number;
  /** Days of history sent to Chronos per series (default 512; chronos2 2048, at most 8192). */
  chronosContextLength?: number;
  /** Shorter series are not sent to Chronos and fall back as `series-too-short` (default 5). */
  chronosMinHistory?: number;
  /** Longest horizon Chronos is asked for (default 64, Chronos-Bolt's limit). */
  chronosMaxHorizon?: number;
  /**
   * A Converse request's time-out, from its maxTokens: `min(maxMs, firstTokenMs + 1000 ·
   * maxTokens / tokensPerSecond)`; unset fields take {@link DEFAULT_REQUEST_TIMEOUT}'s.
   */
  requestTimeout?: Partial<RequestTimeoutPolicy>;
  /**
   * The run's deadline for model requests. Once it aborts, nothing more is sent, requests in
   * flight are abandoned, and their products fall back with reason code `deadline`.
   */
  signal?: AbortSignal;
  /** `enforce` (default) falls back on a guardrail breach, `warn` keeps the answer and notes it. */
  guardrail?: 'enforce' | 'warn' | 'off';
  guardrailOptions?: GuardrailOptions;
  /** Merged over {@link DEFAULT_PRICES}; the caller's entries are tried first. */
  prices?: PriceTable;
  /** Named in fatal error messages; defaults to the client's configured region. */
  region?: string;
  /**
   * Extra attempts for failures the SDK does not retry itself (ModelErrorException,
   * ModelTimeoutException); default 1.
   */
  extraRetries?: number;
  /** Default: a no-op logger. */
  logger?: Pick<Logger, 'debug' | 'info' | 'warn' | 'error'>;
  /** Called whenever a product's result is settled. */
  onProgress?(done: number, total: number): void;
}

export interface BedrockProductResult {
  productId: string;
  source: 'model' | 'fallback';
  /** `bedrock:<id>` or `chronos:<id>` when the model's answer is used, else the statistical model. */
  model: string;
  p10: number[];
  p50: number[];
  p90: number[];
  fallbackReason?: string;
  guardrailWarning?: string;
}

export interface BedrockRunStats {
  /** Logical requests sent (first-pass batches and single-product re-asks). */
  requests: number;
  /** Extra HTTP attempts beyond the first, by the SDK or by this lib. */
  retries: number;
  /** Requests that still failed after all retries. */
  failedRequests: number;
  /** Input tokens billed at the full rate (Bedrock counts cached tokens separately). */
  inputTokens: number;
  outputTokens: number;
  /** Input tokens read from the prompt cache (Converse `usage.cacheReadInputTokens`). */
  cacheReadInputTokens: number;
  /** Input tokens written to the prompt cache (Converse `usage.cacheWriteInputTokens`). */
  cacheWriteInputTokens: number;
  /** null when no price is known for the model; `costNote` says why. */
  estimatedCostUsd: number | null;
  /**
   * What prompt caching saved: the cost of the cached tokens at the full input price minus what
   * they cost as cache reads and writes (negative when writes cost more than reads saved); null
   * without a price.
   */
  cacheSavingUsd: number | null;
  costNote?: string;
  /** Products whose model answer was used. */
  accepted: number;
  /** Products for which the model answered but the answer was rejected (validation or guardrail). */
  rejected: number;
  /** Products that ended on the statistical forecast (rejected ones included). */
  fallback: number;
  /** Count of fallbacks by short reason code, e.g. `missing`, `request-failed:throttling`. */
  fallbackReasons: Record<string, number>;
}

export interface BedrockRunResult {
  results: Map<string, BedrockProductResult>;
  stats: BedrockRunStats;
}

export interface EstimateBedrockCostOptions {
  modelId: string;
  kind: BedrockKind;
  asOf: string;
  horizon: number;
  prompt?: PromptOptions;
  /** Converse: as in the run; default `auto`. */
  promptCache?: PromptCacheSetting;
  chronosBatchSize?: number;
  /** chronos2: days of history per series, for the request count (default 2048). */
  chronosContextLength?: number;
  prices?: PriceTable;
}

export interface BedrockCostEstimate {
  requests: number;
  /** Input tokens at the full rate (all of them when nothing is cached). */
  estimatedInputTokens: number;
  estimatedOutputTokens: number;
  /** System-prompt tokens expected to be read from / written to the prompt cache. */
  estimatedCacheReadTokens: number;
  estimatedCacheWriteTokens: number;
  estimatedCostUsd: number | null;
  /** The same requests without prompt caching (equal to `estimatedCostUsd` when nothing is cached). */
  estimatedCostWithoutCacheUsd: number | null;
  costNote?: string;
}
