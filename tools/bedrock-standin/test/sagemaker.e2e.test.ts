/**
 * End to end: the real SageMakerRuntimeClient (the SDK's default HTTP/1.1 handler, endpoint from
 * AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME, dummy credentials) against the stand-in on 127.0.0.1,
 * through forecastWithBedrock with a `chronos2` model.
 */
import { InvokeEndpointCommand, ModelError } from '@aws-sdk/client-sagemaker-runtime';
import {
  InvalidModelError,
  ModelAccessDeniedError,
  createSageMakerRuntimeClient,
  forecastWithBedrock,
  type BedrockInput,
  type ForecastWithBedrockOptions,
} from '@retail-forecast/bedrock-client';
import type { SeriesForecast } from '@retail-forecast/forecasting';
import { exitCodeOf } from '@retail-forecast/util';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startBedrockStandin, standinForecast, type BedrockStandin } from '../src';
import { stubStandinCredentials } from './stubCredentials';

const AS_OF = '2025-04-28';

let standin: BedrockStandin;
beforeAll(async () => {
  standin = await startBedrockStandin({ latencyMs: 5_000 });
  vi.stubEnv('AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME', standin.sagemakerUrl);
  stubStandinCredentials();
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await standin?.close();
});

/** A weekly pattern, `base` + weekday index, as history; a ±50 % seasonal-naive reference. */
function input(productId: string, category: string, base: number, days = 70): BedrockInput {
  const history = Float64Array.from({ length: days }, (_, i) => base + (i % 7));
  const p50 = new Float64Array(7);
  for (let k = 0; k < 7; k++) p50[k] = history[days - 7 + k];
  const statistical: SeriesForecast = {
    model: 'statistical:test-snaive',
    p10: p50.map((v) => v * 0.5),
    p50,
    p90: p50.map((v) => v * 1.5),
  };
  return { product: { productId, category, history }, statistical };
}

const INPUTS = [input('T1', 'Toys', 10), input('B1', 'Books', 20), input('T2', 'Toys', 30)];

async function run(endpoint: string, over: Partial<ForecastWithBedrockOptions> = {}) {
  const sagemaker = createSageMakerRuntimeClient({ region: 'us-east-1', maxAttempts: 2 });
  try {
    return await forecastWithBedrock(INPUTS, {
      sagemaker,
      kind: 'chronos2',
      modelId: endpoint,
      asOf: AS_OF,
      horizon: 7,
      extraRetries: 1,
      retryBaseDelayMs: 1,
      ...over,
    } as ForecastWithBedrockOptions);
  } finally {
    sagemaker.destroy();
  }
}

describe('chronos2 through SageMaker InvokeEndpoint against the stand-in', () => {
  it('sends each category with its covariates, passes the schema check and uses the quantiles', async () => {
    const before = standin.stats.byModel['chronos-2-demo'] ?? 0;
    const { results, stats } = await run('chronos-2-demo');
    // One request per category: Toys (T1, T2) and Books (B1).
    expect(standin.stats.byModel['chronos-2-demo'] - before).toBe(2);
    expect(stats).toMatchObject({ requests: 2, accepted: 3, fallback: 0, inputTokens: 0 });
    expect(stats.estimatedCostUsd).toBeNull();
    for (const i of INPUTS) {
      const expected = standinForecast(i.product.history, 7);
      expect(results.get(i.product.productId)).toMatchObject({
        source: 'model',
        model: 'chronos2:chronos-2-demo',
        p50: expected.p50,
        p10: expected.p10,
        p90: expected.p90,
      });
    }
  });

  it('takes the endpoint from an ARN and its region', async () => {
    const arn = 'arn:aws:sagemaker:eu-west-1:123456789012:endpoint/chronos-2-arn';
    const sagemaker = createSageMakerRuntimeClient({ endpoint: arn });
    try {
      expect(await sagemaker.config.region()).toBe('eu-west-1');
      const { stats } = await forecastWithBedrock(INPUTS, {
        sagemaker,
        kind: 'chronos2',
        modelId: arn,
        asOf: AS_OF,
        horizon: 7,
      });
      expect(stats.accepted).toBe(3);
      expect(standin.stats.byModel['chronos-2-arn']).toBe(2);
    } finally {
      sagemaker.destroy();
    }
  });

  it('refuses a request outside the documented schema as the container does (ModelError 424/400)', async () => {
    const sagemaker = createSageMakerRuntimeClient({ region: 'us-east-1', maxAttempts: 1 });
    const bad = {
      inputs: [{ target: [1, 2, 3, 4, 5, 6], future_covariates: { day_of_week: ['Mon'] } }],
      parameters: { prediction_length: 7 },
    };
    try {
      const err = await sagemaker
        .send(
          new InvokeEndpointCommand({
            EndpointName: 'chronos-2-demo',
            ContentType: 'application/json',
            Body: new TextEncoder().encode(JSON.stringify(bad)),
          }),
        )
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ModelError);
      expect(err).toMatchObject({
        OriginalStatusCode: 400,
        OriginalMessage: expect.stringMatching(
          /future_covariates.day_of_week has 1 values, prediction_length is 7/,
        ),
      });
    } finally {
      sagemaker.destroy();
    }
  });

  it.each([
    ['nan', 'rejected:non_numeric'],
    ['wrong-length', 'rejected:wrong_length'],
  ])('falls back on a malformed answer (%s), product by product', async (fault, code) => {
    const { results, stats } = await run(`local-fault-${fault}`);
    expect(stats.accepted).toBe(0);
    expect(Object.keys(stats.fallbackReasons).some((k) => k.startsWith(code.split(':')[0]))).toBe(
      true,
    );
    for (const i of INPUTS) {
      const r = results.get(i.product.productId)!;
      expect(r.source).toBe('fallback');
      expect(r.p50).toEqual(Array.from(i.statistical.p50));
    }
  });

  it('re-asks once when the answer is not JSON, then falls back', async () => {
    const { stats } = await run('local-fault-not-json');
    expect(stats.accepted).toBe(0);
    // 2 category requests, then each of the 3 products alone.
    expect(stats.requests).toBe(5);
    expect(Object.keys(stats.fallbackReasons)).toEqual([expect.stringMatching(/^unparseable/)]);
  });

  it('retries a ModelError from the model (original 500) once and uses the answer', async () => {
    const { stats } = await run('local-fault-model-error-once');
    expect(stats).toMatchObject({ accepted: 3, retries: 2 });
  });

  it('stops the run with exit 2 when the endpoint does not exist', async () => {
    const err = await run('missing-endpoint').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidModelError);
    expect(String(err)).toMatch(/SageMaker rejected endpoint "missing-endpoint".*not found/);
    expect(exitCodeOf(err)).toBe(2);
  });

  it('stops the run with exit 2 when access is denied, naming sagemaker:InvokeEndpoint', async () => {
    const err = await run('local-fault-access-denied').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModelAccessDeniedError);
    expect(String(err)).toMatch(/sagemaker:InvokeEndpoint/);
    expect(exitCodeOf(err)).toBe(2);
  });

  it('falls back with request-failed:throttling when the endpoint keeps throttling', async () => {
    const { stats } = await run('local-fault-throttle');
    expect(stats.fallbackReasons).toEqual({ 'request-failed:throttling': 3 });
  });
});
