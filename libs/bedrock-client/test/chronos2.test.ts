import {
  InvokeEndpointCommand,
  ModelError,
  SageMakerRuntimeClient,
  ValidationError,
} from '@aws-sdk/client-sagemaker-runtime';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { exitCodeOf } from '@retail-forecast/util';
import {
  chronos2Groups,
  chronos2Input,
  chronos2Payload,
  chronos2PayloadProblem,
  estimateBedrockCost,
  forecastWithBedrock,
  InvalidModelError,
  parseSageMakerEndpoint,
  type Chronos2Payload,
} from '../src';
import { AS_OF, inputsFor, runOptions } from './helpers';

const mock = mockClient(SageMakerRuntimeClient);
const sagemaker = new SageMakerRuntimeClient({
  region: 'us-east-1',
  credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
});
beforeEach(() => mock.reset());
afterAll(() => mock.restore());

const ENDPOINT = 'arn:aws:sagemaker:eu-west-1:123456789012:endpoint/chronos-2-demo';

const sent = (i = 0) =>
  JSON.parse(
    new TextDecoder().decode(
      mock.commandCalls(InvokeEndpointCommand)[i].args[0].input.Body as Uint8Array,
    ),
  ) as Chronos2Payload;

const answer = (payload: Chronos2Payload, level = 5) => ({
  $metadata: { httpStatusCode: 200, attempts: 1 },
  ContentType: 'application/json',
  Body: new TextEncoder().encode(
    JSON.stringify({
      predictions: payload.inputs.map((input) => ({
        mean: Array(payload.parameters.prediction_length).fill(level),
        '0.1': Array(payload.parameters.prediction_length).fill(level - 1),
        '0.5': Array(payload.parameters.prediction_length).fill(level),
        '0.9': Array(payload.parameters.prediction_length).fill(level + 1),
        item_id: input.item_id,
      })),
    }),
  ),
});

const options = (over = {}) =>
  runOptions(undefined as never, {
    client: undefined,
    sagemaker,
    kind: 'chronos2',
    modelId: ENDPOINT,
    ...over,
  });

describe('parseSageMakerEndpoint', () => {
  it('takes the name and region from an endpoint ARN', () => {
    expect(parseSageMakerEndpoint(ENDPOINT)).toEqual({
      name: 'chronos-2-demo',
      region: 'eu-west-1',
      account: '123456789012',
      partition: 'aws',
    });
  });
  it('accepts a bare endpoint name', () => {
    expect(parseSageMakerEndpoint('my-chronos2')).toEqual({ name: 'my-chronos2' });
  });
  it('rejects a name SageMaker would not accept, naming it', () => {
    expect(() => parseSageMakerEndpoint('my_endpoint!')).toThrow(
      /"my_endpoint!" is not an endpoint/,
    );
  });
});

describe('chronos2Input', () => {
  it('sends the day of week as a known-future covariate aligned with the dates', () => {
    const product = { productId: 'P1', history: Float64Array.from([1, 2, 3, 4, 5, 6, 7, 8]) };
    // 2025-04-28 is a Monday: the history runs Mon 04-21 .. Mon 04-28.
    const input = chronos2Input(product, AS_OF, 3, 6);
    expect(input.target).toEqual([3, 4, 5, 6, 7, 8]);
    expect(input.start).toBe('2025-04-23');
    expect(input.past_covariates).toEqual({
      day_of_week: ['Wed', 'Thu', 'Fri', 'Sat', 'Sun', 'Mon'],
    });
    expect(input.future_covariates).toEqual({ day_of_week: ['Tue', 'Wed', 'Thu'] });
    expect(chronos2PayloadProblem(chronos2Payload([input], 3))).toBeUndefined();
  });
});

describe('chronos2PayloadProblem', () => {
  const good = () =>
    chronos2Payload(
      [chronos2Input({ productId: 'P1', history: new Float64Array(10).fill(2) }, AS_OF, 7, 100)],
      7,
    );
  it.each([
    [
      'a future covariate of the wrong length',
      (p: Chronos2Payload) => p.inputs[0].future_covariates.day_of_week.pop(),
      /future_covariates.day_of_week must have 7 values/,
    ],
    [
      'a target under 5 observations',
      (p: Chronos2Payload) => (p.inputs[0].target = [1, 2]),
      /at least 5/,
    ],
    [
      'a prediction length over 1024',
      (p: Chronos2Payload) => (p.parameters.prediction_length = 1025),
      /prediction_length 1025/,
    ],
    [
      'a NaN in the target',
      (p: Chronos2Payload) => (p.inputs[0].target[0] = Number.NaN),
      /finite numbers/,
    ],
    [
      'mixed covariate value types',
      (p: Chronos2Payload) => (p.inputs[0].past_covariates.day_of_week[0] = 1),
      /all numbers or all strings/,
    ],
    ['a duplicate item id', (p: Chronos2Payload) => p.inputs.push(p.inputs[0]), /not unique/],
  ])('names %s', (_what, spoil, message) => {
    const p = good();
    spoil(p);
    expect(chronos2PayloadProblem(p)).toMatch(message);
  });
  it('refuses a body over 6 MB', () => {
    expect(chronos2PayloadProblem(good(), 6 * 1024 * 1024 + 1)).toMatch(
      /over SageMaker's real-time limit/,
    );
  });
});

describe('chronos2Groups', () => {
  it('keeps each category together and cuts at the series and byte limits', () => {
    const products = [
      { productId: 'a1', category: 'A' },
      { productId: 'b1', category: 'B' },
      { productId: 'a2', category: 'A' },
      { productId: 'a3', category: 'A' },
      { productId: 'n1' },
    ];
    expect(chronos2Groups(products, () => 10, 2)).toEqual([['a1', 'a2'], ['a3'], ['b1'], ['n1']]);
    expect(chronos2Groups(products, () => 600, 10, 1024 + 1300)).toEqual([
      ['a1', 'a2'],
      ['a3'],
      ['b1'],
      ['n1'],
    ]);
  });
});

describe('forecastWithBedrock (chronos2)', () => {
  const withCategory = (ids: string[], category: string, days = 60) =>
    inputsFor(ids, days).map((i) => ({ ...i, product: { ...i.product, category } }));

  it('sends one request per category through InvokeEndpoint and uses the quantiles', async () => {
    mock
      .on(InvokeEndpointCommand)
      .callsFake((input) =>
        answer(JSON.parse(new TextDecoder().decode(input.Body as Uint8Array)) as Chronos2Payload),
      );
    const { results, stats } = await forecastWithBedrock(
      [...withCategory(['P1', 'P2'], 'Toys'), ...withCategory(['P3'], 'Books')],
      options(),
    );
    const calls = mock.commandCalls(InvokeEndpointCommand);
    expect(calls).toHaveLength(2);
    expect(calls[0].args[0].input).toMatchObject({
      EndpointName: 'chronos-2-demo',
      ContentType: 'application/json',
    });
    const first = sent(0);
    expect(first.inputs.map((i) => i.item_id)).toEqual(['P1', 'P2']);
    expect(first.parameters).toMatchObject({
      prediction_length: 7,
      quantile_levels: [0.1, 0.5, 0.9],
      predict_batches_jointly: true,
      batch_size: 2,
    });
    expect(first.inputs[0].target).toHaveLength(60);
    expect(sent(1).inputs.map((i) => i.item_id)).toEqual(['P3']);
    for (const r of results.values()) {
      expect(r).toMatchObject({ source: 'model', model: `chronos2:${ENDPOINT}` });
      expect(r.p50).toEqual(Array(7).fill(5));
    }
    expect(stats).toMatchObject({
      requests: 2,
      accepted: 3,
      inputTokens: 0,
      estimatedCostUsd: null,
    });
    expect(stats.costNote).toMatch(/per instance-hour/);
  });

  it('falls back per request when the container refuses the content (ModelError 400)', async () => {
    mock.on(InvokeEndpointCommand).callsFake((input) => {
      const payload = JSON.parse(
        new TextDecoder().decode(input.Body as Uint8Array),
      ) as Chronos2Payload;
      if (payload.inputs[0].item_id === 'P1') {
        throw new ModelError({
          message: 'Received client error (400) from primary',
          $metadata: { httpStatusCode: 424 },
          OriginalStatusCode: 400,
          OriginalMessage: 'bad target',
        });
      }
      return answer(payload);
    });
    const { results, stats } = await forecastWithBedrock(
      [...withCategory(['P1'], 'Toys'), ...withCategory(['P2'], 'Books')],
      options(),
    );
    expect(results.get('P1')).toMatchObject({ source: 'fallback' });
    expect(results.get('P1')!.fallbackReason).toMatch(
      /SageMaker request to endpoint .* \(validation\): ModelError: the model container answered 400 bad target/,
    );
    expect(results.get('P2')).toMatchObject({ source: 'model' });
    expect(stats.fallbackReasons).toEqual({ 'request-failed:validation': 1 });
  });

  it('stops the run (exit 2) when the endpoint does not exist', async () => {
    mock.on(InvokeEndpointCommand).rejects(
      new ValidationError({
        message: 'Endpoint chronos-2-demo of account 123456789012 not found.',
        $metadata: { httpStatusCode: 400 },
      }),
    );
    const run = forecastWithBedrock(withCategory(['P1'], 'Toys'), options());
    await expect(run).rejects.toBeInstanceOf(InvalidModelError);
    await expect(run).rejects.toThrow(/SageMaker rejected endpoint/);
    expect(exitCodeOf(await run.catch((e: unknown) => e))).toBe(2);
  });

  it('holds back series under the 5 observations the endpoint needs', async () => {
    mock
      .on(InvokeEndpointCommand)
      .callsFake((input) =>
        answer(JSON.parse(new TextDecoder().decode(input.Body as Uint8Array)) as Chronos2Payload),
      );
    const { stats } = await forecastWithBedrock(withCategory(['P1'], 'Toys', 4), options());
    expect(mock.commandCalls(InvokeEndpointCommand)).toHaveLength(0);
    expect(stats.fallbackReasons).toEqual({ 'series-too-short': 1 });
  });

  it('refuses a run without a SageMaker client', async () => {
    await expect(
      forecastWithBedrock(inputsFor(['P1']), options({ sagemaker: undefined })),
    ).rejects.toThrow(/chronos2 needs options.sagemaker/);
  });

  it('estimates one request per category and no per-token price', () => {
    const estimate = estimateBedrockCost(
      [...withCategory(['P1', 'P2'], 'Toys'), ...withCategory(['P3'], 'Books')],
      { kind: 'chronos2', modelId: ENDPOINT, asOf: AS_OF, horizon: 7 },
    );
    expect(estimate).toMatchObject({ requests: 2, estimatedCostUsd: null });
    expect(estimate.costNote).toMatch(/instance-hour/);
  });
});
