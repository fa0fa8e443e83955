import type { BatchRetryOptions } from './types';

export interface ResolvedBatchRetry {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_BATCH_RETRY: ResolvedBatchRetry = {
  maxAttempts: 8,
  baseDelayMs: 50,
  maxDelayMs: 2000,
};

export function resolveBatchRetry(options: BatchRetryOptions | undefined): ResolvedBatchRetry {
  return { ...DEFAULT_BATCH_RETRY, ...stripUndefined(options ?? {}) };
}

/**
 * "Full jitter" (AWS Architecture Blog, Exponential Backoff And Jitter): spreading retries
 * uniformly over [0, cap) keeps parallel writers from retrying in lock-step against a throttled
 * partition. `retry` is 0 for the first retry.
 */
export function backoffDelayMs(
  retry: number,
  retryOptions: ResolvedBatchRetry,
  random: () => number = Math.random,
): number {
  const cap = Math.min(retryOptions.maxDelayMs, retryOptions.baseDelayMs * 2 ** retry);
  return Math.floor(random() * cap);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
