import { createHash } from 'node:crypto';
import { promptCacheSupportFor } from '@retail-forecast/bedrock-client';
import { estimateTokens } from '@retail-forecast/prompt';
import { BadRequestError } from './errors';

/** Bedrock's default prompt-cache TTL: 5 minutes, reset by every hit. */
export const DEFAULT_CACHE_TTL_MS = 5 * 60_000;

/** What a request's cache point did: tokens written to or read from the cache. */
export interface CacheUse {
  readTokens: number;
  writeTokens: number;
}

/**
 * Bedrock's explicit prompt caching as the stand-in emulates it: the prefix up to the cache point
 * (tools when the model caches them, then the system prompt) is keyed by a hash with the model
 * id. The first request with a prefix writes it (`cacheWriteInputTokens`), later ones within the
 * TTL read it (`cacheReadInputTokens`, and each hit resets the TTL). A prefix under the model's
 * minimum per checkpoint is not cached, as Bedrock does; a cache point for a model without prompt
 * caching is refused with Bedrock's ValidationException.
 */
export class PromptCacheEmulator {
  private readonly entries = new Map<string, number>();
  constructor(
    private readonly ttlMs: number = DEFAULT_CACHE_TTL_MS,
    /** Overrides every model's minimum tokens per checkpoint (tests with short prompts). */
    private readonly minTokens?: number,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * @param prefix the tools (JSON) and system text before the cache point
   * @throws BadRequestError when the model has no prompt caching
   */
  use(modelId: string, prefix: { tools?: string; system: string }): CacheUse {
    const support = promptCacheSupportFor(modelId);
    if (!support) {
      throw new BadRequestError(
        'You invoked an unsupported model or your request did not allow prompt caching. See the documentation for more information.',
      );
    }
    const text = (support.cachesTools ? (prefix.tools ?? '') : '') + prefix.system;
    const tokens = estimateTokens(text);
    if (tokens < (this.minTokens ?? support.minTokensPerCheckpoint)) {
      return { readTokens: 0, writeTokens: 0 };
    }
    const key = createHash('sha256').update(`${modelId}\0${text}`).digest('hex');
    const now = this.now();
    const expires = this.entries.get(key);
    this.entries.set(key, now + this.ttlMs);
    return expires !== undefined && expires > now
      ? { readTokens: tokens, writeTokens: 0 }
      : { readTokens: 0, writeTokens: tokens };
  }
}
