import type { BackoffOptions } from '@retail-forecast/util';
import type { BatchRetryOptions } from './types';

export interface ResolvedBatchRetry {
  maxAttempts: number;
  /** For `fullJitterDelayMs`: the delay before retry n is random() · min(maxMs, baseMs · 2ⁿ). */
  backoff: BackoffOptions;
}

const DEFAULT_MAX_ATTEMPTS = 8;
const DEFAULT_BASE_DELAY_MS = 50;
const DEFAULT_MAX_DELAY_MS = 2000;

/** The batch APIs' retry settings with defaults for what the caller left out. */
export function resolveBatchRetry(options: BatchRetryOptions | undefined): ResolvedBatchRetry {
  return {
    maxAttempts: options?.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
    backoff: {
      baseMs: options?.baseDelayMs ?? DEFAULT_BASE_DELAY_MS,
      maxMs: options?.maxDelayMs ?? DEFAULT_MAX_DELAY_MS,
    },
  };
}
