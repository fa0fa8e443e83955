/**
 * How long to wait for a Converse answer. The service sends nothing until the whole answer is
 * generated, so the wait is the time to the first token plus the answer's length at the slowest
 * output speed we accept, capped.
 */
export interface RequestTimeoutPolicy {
  /** Queueing, reading the prompt and the first token, ms. */
  firstTokenMs: number;
  /**
   * The slowest output speed to wait for, tokens per second. Bedrock's on-demand models generate
   * roughly 30–100 tokens/s (large models at the low end); 20 leaves room for a slow day.
   */
  tokensPerSecond: number;
  /** Upper bound, ms: past this a request is stuck rather than slow. */
  maxMs: number;
}

export const DEFAULT_REQUEST_TIMEOUT: RequestTimeoutPolicy = {
  firstTokenMs: 20_000,
  tokensPerSecond: 20,
  maxMs: 300_000,
};

/**
 * `min(maxMs, firstTokenMs + 1000 · maxTokens / tokensPerSecond)`: with the defaults, a 20-product
 * batch at horizon 7 (maxTokens 4,576) gets 249 s, a single-product re-ask (472) 44 s.
 */
export function requestTimeoutMs(
  maxTokens: number,
  policy: Partial<RequestTimeoutPolicy> = {},
): number {
  const p = { ...DEFAULT_REQUEST_TIMEOUT, ...policy };
  return Math.min(p.maxMs, Math.ceil(p.firstTokenMs + (1000 * maxTokens) / p.tokensPerSecond));
}
