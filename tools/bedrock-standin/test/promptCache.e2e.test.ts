/**
 * End to end: Converse prompt caching through the real BedrockRuntimeClient (HTTP/2) against the
 * stand-in, which emulates Bedrock's cache (write on the first request with a prefix, reads after,
 * a TTL, the per-model minimum, refusal for models without caching).
 */
import {
  BedrockRequestError,
  converse,
  createBedrockRuntimeClient,
  forecastWithBedrock,
  type BedrockInput,
} from '@retail-forecast/bedrock-client';
import type { SeriesForecast } from '@retail-forecast/forecasting';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { PromptCacheEmulator, startBedrockStandin, type BedrockStandin } from '../src';
import { stubStandinCredentials } from './stubCredentials';

const HAIKU = 'us.anthropic.claude-3-5-haiku-20241022-v1:0';
const LLAMA = 'meta.llama3-1-8b-instruct-v1:0';

const standins: BedrockStandin[] = [];
beforeAll(() => {
  stubStandinCredentials();
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await Promise.all(standins.map((s) => s.close()));
});

async function standinWith(cacheMinTokens?: number) {
  const s = await startBedrockStandin(cacheMinTokens === undefined ? {} : { cacheMinTokens });
  standins.push(s);
  vi.stubEnv('AWS_ENDPOINT_URL_BEDROCK_RUNTIME', s.url);
  return s;
}

function inputs(n: number): BedrockInput[] {
  return Array.from({ length: n }, (_, i) => {
    const history = Float64Array.from({ length: 56 }, (_, d) => 4 + (d % 7));
    const p50 = Float64Array.from({ length: 7 }, (_, k) => history[49 + k]);
    const statistical: SeriesForecast = {
      model: 'statistical:test-snaive',
      p10: p50.map((v) => v * 0.5),
      p50,
      p90: p50.map((v) => v * 1.5),
    };
    return {
      product: { productId: `P${i + 1}`, productName: `Item ${i + 1}`, history },
      statistical,
    };
  });
}

async function run(modelId: string) {
  const client = createBedrockRuntimeClient({ region: 'us-east-1' });
  try {
    return await forecastWithBedrock(inputs(6), {
      client,
      kind: 'converse',
      modelId,
      asOf: '2025-04-28',
      horizon: 7,
      concurrency: 1,
      prompt: { maxProductsPerRequest: 2 },
    });
  } finally {
    client.destroy();
  }
}

describe('Converse prompt caching against the stand-in', () => {
  it('writes the system prompt on the first request and reads it on the next ones', async () => {
    const standin = await standinWith(200);
    const { stats } = await run(HAIKU);
    expect(stats.requests).toBe(3);
    expect(stats.accepted).toBe(6);
    expect(stats.cacheWriteInputTokens).toBeGreaterThan(200);
    // The two later requests read what the first wrote.
    expect(stats.cacheReadInputTokens).toBe(2 * stats.cacheWriteInputTokens);
    expect(standin.stats.cacheReadInputTokens).toBe(stats.cacheReadInputTokens);
    expect(stats.cacheSavingUsd).toBeGreaterThan(0);
    // A second run within the TTL reads from its first request on.
    const again = await run(HAIKU);
    expect(again.stats.cacheWriteInputTokens).toBe(0);
    expect(again.stats.cacheReadInputTokens).toBe(3 * stats.cacheWriteInputTokens);
  });

  it('bills the same input tokens in all with and without the cache (tool definitions included)', async () => {
    await standinWith();
    const uncached = (await run(HAIKU)).stats;
    await standinWith(200);
    const cached = (await run(HAIKU)).stats;
    expect(uncached.cacheReadInputTokens + uncached.cacheWriteInputTokens).toBe(0);
    expect(cached.cacheReadInputTokens).toBeGreaterThan(0);
    // The cached prefix (system prompt + tool schema) moves tokens between the three counters; it
    // neither adds nor loses any.
    expect(cached.inputTokens + cached.cacheReadInputTokens + cached.cacheWriteInputTokens).toBe(
      uncached.inputTokens,
    );
  });

  it("caches nothing when the system prompt is under the model's minimum per checkpoint", async () => {
    await standinWith();
    const { stats } = await run(HAIKU);
    expect(stats.accepted).toBe(6);
    expect(stats).toMatchObject({ cacheReadInputTokens: 0, cacheWriteInputTokens: 0 });
    expect(stats.cacheSavingUsd).toBe(0);
  });

  it('refuses a cache point for a model without prompt caching, as Bedrock does', async () => {
    await standinWith(200);
    const client = createBedrockRuntimeClient({ region: 'us-east-1' });
    try {
      const err = await converse(client, {
        modelId: LLAMA,
        system: 'You forecast.',
        user: '<data>\nP1|Item|x|1,2,3\n</data>',
        maxTokens: 100,
        cachePoint: true,
        extraRetries: 0,
      }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(BedrockRequestError);
      expect(String(err)).toMatch(/ValidationException/);
    } finally {
      client.destroy();
    }
    // forecastWithBedrock sends Llama no cache point, so its run is answered.
    const { stats } = await run(LLAMA);
    expect(stats.accepted).toBe(6);
  });
});

describe('PromptCacheEmulator', () => {
  it('forgets a prefix after the TTL and resets the TTL on every hit', () => {
    let now = 0;
    const cache = new PromptCacheEmulator(1000, 10, () => now);
    const prefix = { system: 'x'.repeat(400) };
    expect(cache.use(HAIKU, prefix).writeTokens).toBeGreaterThan(0);
    now = 900;
    expect(cache.use(HAIKU, prefix).readTokens).toBeGreaterThan(0);
    now = 1800; // 900 ms after the last hit
    expect(cache.use(HAIKU, prefix).readTokens).toBeGreaterThan(0);
    now = 2900;
    expect(cache.use(HAIKU, prefix).writeTokens).toBeGreaterThan(0);
  });

  it('keys by model: another model writes its own entry', () => {
    const cache = new PromptCacheEmulator(60_000, 10);
    const prefix = { system: 'y'.repeat(400) };
    cache.use(HAIKU, prefix);
    expect(cache.use('amazon.nova-lite-v1:0', prefix).writeTokens).toBeGreaterThan(0);
  });
});
