/** How the stand-in misbehaves for a request. */
export type FaultMode =
  | 'none'
  | 'throttle'
  | 'throttle-once'
  | 'server-error'
  | 'server-error-once'
  | 'service-unavailable'
  | 'model-not-ready-once'
  | 'model-error-once'
  | 'slow'
  | 'not-json'
  | 'truncated-json'
  | 'unknown-ids'
  | 'missing-ids'
  | 'negative'
  | 'nan'
  | 'absurd'
  | 'wrong-length'
  | 'access-denied'
  | 'bad-model'
  // Answer shapes of real models: the numbers are right, the wrapping is not plain JSON.
  | 'fenced'
  | 'thinking-draft'
  | 'thinking-zero-draft'
  | 'think-draft'
  | 'reasoning-block'
  | 'echoed-example'
  | 'two-answers'
  | 'truncated-final'
  // Follows instructions found in product names and categories, for the whole request.
  | 'obedient'
  // Refuses tool use with a ValidationException, as models without forced tool choice do.
  | 'no-tools'
  | 'input-too-long'
  | 'input-too-long-marked';

export interface StandinRequestInfo {
  /** The model id from the URL path, decoded. */
  modelId: string;
  /** `invoke-endpoint`: SageMaker Runtime InvokeEndpoint (Chronos-2); `modelId` is the endpoint name. */
  kind: 'converse' | 'invoke' | 'invoke-endpoint';
  /**
   * How many earlier calls carried the same model and products (0 on the first), so SDK retries
   * and re-asks of one batch see 1, 2, ...
   */
  callIndex: number;
  /** Product ids of a Converse prompt; for InvokeModel, `item_id`s or `series-<i>`. */
  productIds: string[];
  /** The tool a Converse request forces (`toolChoice` `tool` or `any`), if any. */
  forcedTool?: string;
}

export type FaultSelector = FaultMode | ((req: StandinRequestInfo) => FaultMode | undefined);

export interface BedrockStandinOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: '127.0.0.1';
  /** Overrides the fault a `local-fault-<mode>` model id selects; undefined keeps that one. */
  fault?: FaultSelector;
  /** How long a `slow` answer takes, ms (default 10 000: past any sensible client timeout). */
  latencyMs?: number;
  /** Delay added to every other answer, ms (default 0), e.g. for benchmarks. */
  baseLatencyMs?: number;
  /** Prompt-cache TTL, ms (default 5 minutes, Bedrock's). */
  cacheTtlMs?: number;
  /**
   * Overrides every model's minimum tokens per cache checkpoint (default: each model's own, from
   * bedrock-client's `PROMPT_CACHE_MODELS`), e.g. to exercise caching with a short system prompt.
   */
  cacheMinTokens?: number;
}

export interface BedrockStandinStats {
  requests: number;
  byModel: Record<string, number>;
  /** Converse prompt-cache tokens reported, over all requests. */
  cacheReadInputTokens: number;
  cacheWriteInputTokens: number;
}

export interface BedrockStandin {
  /** e.g. `http://127.0.0.1:41234` (Bedrock Runtime, HTTP/2 cleartext) */
  url: string;
  port: number;
  /**
   * The SageMaker Runtime stand-in (HTTP/1.1, the SDK's default for that service), for
   * `AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME`: `POST /endpoints/<name>/invocations` with a Chronos-2 body.
   */
  sagemakerUrl: string;
  close(): Promise<void>;
  /** Live counters. */
  stats: BedrockStandinStats;
}
