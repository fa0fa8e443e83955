import { globToRegExp } from './pricing';
import type { PromptCacheSetting } from './types';

/** What Bedrock's explicit prompt caching allows for one model family. */
export interface PromptCacheSupport {
  /** Smallest prefix (tokens) a cache checkpoint caches; a shorter one is ignored, not refused. */
  minTokensPerCheckpoint: number;
  /** Cache checkpoints per request. */
  maxCheckpoints: number;
  /** Whether `toolConfig` is part of the cacheable prefix (Claude yes, Nova no). */
  cachesTools: boolean;
}

/**
 * Models with Converse prompt caching (`cachePoint` blocks), from the Amazon Bedrock User Guide,
 * "Prompt caching for faster model inference", supported-models table (read 2026-11-29): Claude
 * 3.7 Sonnet, Sonnet 4 / 4.5, Opus 4 and 3.5 Haiku, Haiku 4.5, Amazon Nova Micro/Lite/Pro/Premier.
 * A cache point before the minimum is accepted and has no effect. Patterns as in the price table,
 * so inference-profile prefixes and ARNs match. A model not listed gets no cache point: Bedrock
 * refuses one with a ValidationException.
 */
export const PROMPT_CACHE_MODELS: Readonly<Record<string, PromptCacheSupport>> = {
  '*anthropic.claude-3-7-sonnet*': {
    minTokensPerCheckpoint: 1024,
    maxCheckpoints: 4,
    cachesTools: true,
  },
  '*anthropic.claude-sonnet-4*': {
    minTokensPerCheckpoint: 1024,
    maxCheckpoints: 4,
    cachesTools: true,
  },
  '*anthropic.claude-opus-4*': {
    minTokensPerCheckpoint: 1024,
    maxCheckpoints: 4,
    cachesTools: true,
  },
  '*anthropic.claude-3-5-haiku*': {
    minTokensPerCheckpoint: 2048,
    maxCheckpoints: 4,
    cachesTools: true,
  },
  '*anthropic.claude-haiku-4-5*': {
    minTokensPerCheckpoint: 4096,
    maxCheckpoints: 4,
    cachesTools: true,
  },
  '*amazon.nova-micro*': { minTokensPerCheckpoint: 1000, maxCheckpoints: 4, cachesTools: false },
  '*amazon.nova-lite*': { minTokensPerCheckpoint: 1000, maxCheckpoints: 4, cachesTools: false },
  '*amazon.nova-pro*': { minTokensPerCheckpoint: 1000, maxCheckpoints: 4, cachesTools: false },
  '*amazon.nova-premier*': { minTokensPerCheckpoint: 1000, maxCheckpoints: 4, cachesTools: false },
};

/** The caching rules of `modelId`, or undefined when it has no prompt caching. */
export function promptCacheSupportFor(modelId: string): PromptCacheSupport | undefined {
  for (const [pattern, support] of Object.entries(PROMPT_CACHE_MODELS)) {
    if (globToRegExp(pattern).test(modelId)) return support;
  }
  return undefined;
}

/** Whether a run puts a cache point after the system prompt: `auto` does for the models above. */
export function usesPromptCache(modelId: string, setting: PromptCacheSetting = 'auto'): boolean {
  return setting === 'auto' && promptCacheSupportFor(modelId) !== undefined;
}

/**
 * Whether a Converse failure is the service refusing a cache point for this model ("You invoked an
 * unsupported model or your request did not allow prompt caching"). Looks through `cause`.
 */
export function refusesPromptCaching(err: unknown): boolean {
  for (let e = err, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const { name, message } = e as { name?: unknown; message?: unknown };
    if (
      name === 'ValidationException' &&
      typeof message === 'string' &&
      /prompt caching|cache ?point/i.test(message)
    )
      return true;
  }
  return false;
}
