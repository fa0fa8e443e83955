import { ConverseCommand, type ConverseCommandInput } from '@aws-sdk/client-bedrock-runtime';
import { describe, expect, it } from 'vitest';
import {
  costOf,
  estimateBedrockCost,
  forecastWithBedrock,
  promptCacheSupportFor,
  usesPromptCache,
} from '../src';
import {
  AS_OF,
  answerText,
  askedIds,
  converseOutput,
  inputsFor,
  mockedBedrock,
  runOptions,
} from './helpers';

const { mock, client } = mockedBedrock();
const HAIKU = 'us.anthropic.claude-3-5-haiku-20241022-v1:0';
const LLAMA = 'meta.llama3-1-8b-instruct-v1:0';

/** Answers every asked product with a flat 5 and reports `cache` tokens in its usage. */
function answerAll(cache: (i: number) => { read: number; write: number }) {
  let call = 0;
  mock.on(ConverseCommand).callsFake((input: ConverseCommandInput) => {
    const c = cache(call++);
    const text = answerText(askedIds(input).map((id) => ({ id, daily: Array(7).fill(5) })));
    const out = converseOutput(text, 100, 40);
    return {
      ...out,
      usage: { ...out.usage, cacheReadInputTokens: c.read, cacheWriteInputTokens: c.write },
    };
  });
}

describe('prompt caching', () => {
  it('knows which models cache and their minimum per checkpoint', () => {
    expect(promptCacheSupportFor(HAIKU)).toMatchObject({ minTokensPerCheckpoint: 2048 });
    expect(promptCacheSupportFor('amazon.nova-lite-v1:0')).toMatchObject({
      minTokensPerCheckpoint: 1000,
      cachesTools: false,
    });
    expect(promptCacheSupportFor(LLAMA)).toBeUndefined();
    expect(usesPromptCache(HAIKU, 'off')).toBe(false);
  });

  it('puts a cache point after the system prompt for a caching model and books cache tokens', async () => {
    answerAll((i) => (i === 0 ? { read: 0, write: 600 } : { read: 600, write: 0 }));
    const { stats } = await forecastWithBedrock(
      inputsFor(['P1', 'P2', 'P3', 'P4']),
      runOptions(client, { modelId: HAIKU, concurrency: 1 }),
    );
    const calls = mock.commandCalls(ConverseCommand);
    expect(calls).toHaveLength(2);
    for (const call of calls) {
      const system = call.args[0].input.system!;
      expect(system).toHaveLength(2);
      expect(system[1]).toEqual({ cachePoint: { type: 'default' } });
    }
    expect(stats).toMatchObject({
      accepted: 4,
      inputTokens: 200,
      cacheWriteInputTokens: 600,
      cacheReadInputTokens: 600,
    });
    // Haiku 3.5: input $0.0008, output $0.004, cache write $0.001, cache read $0.00008 per 1k.
    const expected = 0.2 * 0.0008 + 0.08 * 0.004 + 0.6 * 0.001 + 0.6 * 0.00008;
    expect(stats.estimatedCostUsd).toBeCloseTo(expected, 10);
    expect(stats.cacheSavingUsd).toBeCloseTo(1.2 * 0.0008 - (0.6 * 0.001 + 0.6 * 0.00008), 10);
  });

  it('sends no cache point to a model without prompt caching, or with promptCache off', async () => {
    answerAll(() => ({ read: 0, write: 0 }));
    await forecastWithBedrock(inputsFor(['P1']), runOptions(client, { modelId: LLAMA }));
    await forecastWithBedrock(
      inputsFor(['P1']),
      runOptions(client, { modelId: HAIKU, promptCache: 'off' }),
    );
    for (const call of mock.commandCalls(ConverseCommand)) {
      expect(call.args[0].input.system).toHaveLength(1);
    }
  });

  it('drops the cache point for the rest of the run when the service refuses it', async () => {
    let refused = 0;
    mock.on(ConverseCommand).callsFake((input: ConverseCommandInput) => {
      if (input.system!.length > 1) {
        refused++;
        throw Object.assign(
          new Error(
            'You invoked an unsupported model or your request did not allow prompt caching. See the documentation for more information.',
          ),
          { name: 'ValidationException', $metadata: { httpStatusCode: 400 } },
        );
      }
      const text = answerText(askedIds(input).map((id) => ({ id, daily: Array(7).fill(5) })));
      return converseOutput(text);
    });
    const { stats } = await forecastWithBedrock(
      inputsFor(['P1', 'P2', 'P3', 'P4']),
      runOptions(client, { modelId: HAIKU, concurrency: 1 }),
    );
    expect(stats).toMatchObject({ accepted: 4, fallback: 0 });
    expect(refused).toBe(1);
  });

  it('prices cache reads and writes apart and says what caching saved', () => {
    const cost = costOf(HAIKU, 1000, 1000, undefined, {
      kind: 'converse',
      cache: { readTokens: 10_000, writeTokens: 2000 },
    });
    expect(cost.costUsd).toBeCloseTo(0.0008 + 0.004 + 10 * 0.00008 + 2 * 0.001, 10);
    expect(cost.savingUsd).toBeCloseTo(12 * 0.0008 - (10 * 0.00008 + 2 * 0.001), 10);
  });

  it('estimates cache reads only when the system prompt reaches the minimum', () => {
    const inputs = inputsFor(Array.from({ length: 60 }, (_, i) => `P${i}`));
    const opts = { kind: 'converse' as const, asOf: AS_OF, horizon: 7 };
    const haiku = estimateBedrockCost(inputs, { ...opts, modelId: HAIKU });
    // The system prompt (~530 tokens) is under Claude 3.5 Haiku's 2,048: nothing is cached.
    expect(haiku.estimatedCacheReadTokens).toBe(0);
    expect(haiku.estimatedCostWithoutCacheUsd).toBe(haiku.estimatedCostUsd);
  });
});
