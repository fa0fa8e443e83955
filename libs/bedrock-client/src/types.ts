import type { BedrockClient } from '@aws-sdk/client-bedrock';
import type { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import type { S3Client } from '@aws-sdk/client-s3';
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
  /** Batch inference price; default `inputPer1k` × {@link BATCH_PRICE_FACTOR}. */
  batchInputPer1k?: number;
  /** Batch inference price; default `outputPer1k` × {@link BATCH_PRICE_FACTOR}. */
  batchOutputPer1k?: number;
  /** Input tokens written to the prompt cache (on demand); default `inputPer1k`. */
  cacheWritePer1k?: number;
  /** Input tokens read from the prompt cache (on demand); default `inputPer1k` (no discount known). */
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
  /**
   * Send the first pass as one Bedrock batch inference job instead of one Converse call per
   * prompt batch (Converse models only). Re-asks still go on demand through `client`.
   */
  batch?: BatchInferenceOptions;
}

/**
 * A batch inference job (CreateModelInvocationJob, invocation type `Converse`): records are written
 * to `inputUri`, Bedrock writes answers under `outputUri`, reading and writing as `roleArn`.
 */
export interface BatchInferenceOptions {
  /** The Bedrock control-plane client (endpoint `AWS_ENDPOINT_URL_BEDROCK`). */
  control: BedrockClient;
  /** Writes the input JSONL and reads the output. */
  s3: S3Client;
  /** `s3://bucket/prefix/`; the records go to `<prefix><jobName>/records.jsonl`. */
  inputUri: string;
  /** `s3://bucket/prefix/`; Bedrock writes `<prefix><job id>/records.jsonl.out`. */
  outputUri: string;
  /** The batch service role Bedrock assumes (trusted by bedrock.amazonaws.com). */
  roleArn: string;
  /** 1–63 characters; `batchJobName()` makes one from any text. */
  jobName: string;
  /** Idempotency: the same token never starts a second job (`batchRequestToken(runId)`). */
  clientRequestToken?: string;
  /** Between status polls, ms (default 60 000). */
  pollIntervalMs?: number;
  /**
   * The job's minimum record count (default 100, the Bedrock quota): smaller prompt batches are
   * made to reach it, and with fewer askable products than this the run asks on demand instead.
   */
  minRecords?: number;
  /** Most records per job (default 50,000); more products than fit are asked on demand. */
  maxRecords?: number;
  /** The job's own timeout, 24–168 hours (default 24); the run's deadline stops it sooner. */
  timeoutHours?: number;
}

export interface BedrockProductResult {
  productId: string;
  source: 'model' | 'fallback';
  /** `bedrock:<id>` or `chronos:<id>` when the model's answer is used, else the statistical model. */
  model: string;
  p10: number[];
  p50: number[];
  p90: number[];
  /** The statistical forecast's daily means, on a fallback whose P50 is a count median
   * (`SeriesForecast.mean`); absent when the model's answer is used (it gives quantiles only). */
  mean?: number[];
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
  /**
   * Input tokens billed at the full rate (Bedrock counts cached tokens separately), a batch job's
   * included (at the batch price).
   */
  inputTokens: number;
  outputTokens: number;
  /** Input tokens read from the prompt cache by on-demand requests (Converse `usage.cacheReadInputTokens`). */
  cacheReadInputTokens: number;
  /** Input tokens written to the prompt cache (Converse `usage.cacheWriteInputTokens`). */
  cacheWriteInputTokens: number;
  /** null when no price is known for the model; `costNote` says why. */
  estimatedCostUsd: number | null;
  /**
   * What prompt caching saved on the on-demand requests: the cost of the cached tokens at the full
   * input price minus what they cost as cache reads and writes (negative when writes cost more than
   * reads saved); null without a price. A batch job's records are not cached and claim nothing.
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
  /** Set when the first pass went through a batch inference job (`batch` option). */
  batch?: BatchJobStats;
}

/** What a run's batch inference job did and cost. */
export interface BatchJobStats {
  /** The job's ARN; undefined when it could not be created. */
  jobArn?: string;
  /** The job's last status seen (`Completed`, `PartiallyCompleted`, `Failed`, `Stopped`, …). */
  status: string;
  /** Records written to the input JSONL (one per prompt batch). */
  records: number;
  /** Records answered with an `error` object instead of `modelOutput`. */
  recordErrors: number;
  /** Records absent from every output file. */
  recordsMissing: number;
  /** Tokens of the records answered (also counted in the run's totals). */
  inputTokens: number;
  outputTokens: number;
  /** Those tokens at the batch price; null when the model has no known price. */
  costUsd: number | null;
  /** The same tokens at the on-demand price: what batch saved against. */
  onDemandCostUsd: number | null;
  /** Seconds from creating the job to its last status. */
  seconds: number;
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
  /**
   * Price the tokens as sent one request at a time (default, with prompt caching where the model
   * has it) or in a batch inference job (batch price, no prompt caching).
   */
  transport?: 'on-demand' | 'batch';
}

export interface BedrockCostEstimate {
  requests: number;
  /** Input tokens at the full rate (all of them when nothing is cached). */
  estimatedInputTokens: number;
  estimatedOutputTokens: number;
  /** System-prompt tokens expected to be read from / written to the prompt cache (on demand only). */
  estimatedCacheReadTokens: number;
  estimatedCacheWriteTokens: number;
  transport: 'on-demand' | 'batch';
  /**
   * At the `transport`'s price (on demand with prompt caching where the model has it); null when
   * the model has no known price.
   */
  estimatedCostUsd: number | null;
  /**
   * The same requests without prompt caching (equal to `estimatedCostUsd` when nothing is cached,
   * as in a batch job).
   */
  estimatedCostWithoutCacheUsd: number | null;
  /**
   * The same requests sent on demand, prompt caching included (equal to `estimatedCostUsd` on
   * demand).
   */
  onDemandCostUsd: number | null;
  costNote?: string;
  /**
   * Not in the figures above: the most the re-asks can add. `forecastWithBedrock` asks a product
   * once more, alone and on demand, when its answer was missing or could not be read or its
   * batch's answers moved together (rejected answers fall back without a re-ask), so at most
   * every sent product once: `requests` single-product requests, their input tokens (cache reads
   * included) and output tokens, and their on-demand cost (null when the model has no known price).
   */
  reasksAtMost: {
    requests: number;
    inputTokens: number;
    outputTokens: number;
    costUsd: number | null;
  };
}
