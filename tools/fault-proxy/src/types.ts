/** DynamoDB errors the proxy answers in DynamoDB's own wire format (JSON 1.0, `__type`). */
export type DynamoDbErrorName =
  | 'ProvisionedThroughputExceededException'
  | 'ThrottlingException'
  | 'AccessDeniedException'
  | 'ValidationException'
  | 'InternalServerError';

/** What a rule does to a request it applies to. */
export type Fault =
  /** Answer with this DynamoDB error instead of forwarding. */
  | { error: DynamoDbErrorName; message?: string }
  /** Answer with this raw response instead of forwarding (for S3 or Bedrock errors). */
  | { status: number; body?: string; headers?: Record<string, string> }
  /** Forward after this delay. */
  | { delayMs: number }
  /** Destroy the connection without an answer (the client sees ECONNRESET / socket hang up). */
  | { reset: true };

export interface FaultRule {
  /**
   * Operations it applies to: the part of `X-Amz-Target` after the dot (`UpdateItem`,
   * `BatchGetItem`), or the HTTP method for requests without one (S3). Default: every request.
   */
  operation?: string | readonly string[];
  /** Only requests naming a matching product key (any key of a batch). Default: any request. */
  key?: string | RegExp | ((key: string) => boolean);
  /** Chance that a matching request is faulted, drawn from the proxy's seeded PRNG; default 1. */
  probability?: number;
  /** Fault at most this many requests; default unlimited. */
  count?: number;
  fault: Fault;
}

export interface FaultProxyOptions {
  /** Where requests are forwarded, e.g. the local DynamoDB's `http://127.0.0.1:41235`. */
  target: string;
  rules?: FaultRule[];
  /** Seed of the PRNG behind `probability`, so a run's faults can be replayed; default 1. */
  seed?: number;
  /** The key attribute counted and matched in DynamoDB requests; default `product_id`. */
  keyAttribute?: string;
}

/** Requests seen (faulted or not) per operation, and per operation and key. */
export interface ProxyCounts {
  requests: Record<string, number>;
  /** operation -> key -> requests naming that key (a batch counts once for each of its keys). */
  keys: Record<string, Record<string, number>>;
  /** operation -> requests a rule faulted. */
  injected: Record<string, number>;
}

export interface FaultProxy {
  /** e.g. http://127.0.0.1:41236: point the client (AWS_ENDPOINT_URL_DYNAMODB) here. */
  endpoint: string;
  /** Replaces the rules (and their counts) from the next request on. */
  setRules(rules: FaultRule[]): void;
  counts(): ProxyCounts;
  resetCounts(): void;
  close(): Promise<void>;
}
