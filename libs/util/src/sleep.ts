import { setTimeout as delay } from 'node:timers/promises';

/**
 * Waits `ms` milliseconds; resolves early (without throwing) when `signal` aborts, so a retry
 * loop can re-check its deadline instead of handling an AbortError.
 */
export async function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return;
  await delay(ms, undefined, { signal }).catch((err: unknown) => {
    if ((err as { name?: string }).name !== 'AbortError') throw err;
  });
}

/** Exponential backoff bounds: the cap before retry `n` (0-based) is `min(maxMs, baseMs·2ⁿ)`. */
export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
}

/**
 * "Full jitter" backoff (AWS Architecture Blog, "Exponential Backoff And Jitter", 2015): a delay
 * drawn uniformly from [0, min(maxMs, baseMs·2^retry)), which keeps parallel clients from
 * retrying in lock-step against a throttled partition. `retry` is 0 for the first retry.
 * @returns whole milliseconds.
 */
export function fullJitterDelayMs(
  retry: number,
  { baseMs, maxMs }: BackoffOptions,
  random: () => number = Math.random,
): number {
  return Math.floor(random() * Math.min(maxMs, baseMs * 2 ** retry));
}

/**
 * "Equal jitter": half the exponential step fixed, half random — a delay in
 * [step/2, step) with step = min(maxMs, baseMs·2^retry). Used where a minimum wait matters
 * (a model endpoint that is warming up). @returns milliseconds.
 */
export function equalJitterDelayMs(
  retry: number,
  { baseMs, maxMs }: BackoffOptions,
  random: () => number = Math.random,
): number {
  const step = Math.min(maxMs, baseMs * 2 ** retry);
  return step * (0.5 + random() / 2);
}
