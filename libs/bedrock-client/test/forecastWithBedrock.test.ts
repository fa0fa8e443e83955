import {
  AccessDeniedException,
  ConverseCommand,
  ThrottlingException,
  ValidationException,
  type ConverseCommandInput,
} from '@aws-sdk/client-bedrock-runtime';
import { parsePromptData } from '@retail-forecast/prompt';
import { describe, expect, it } from 'vitest';
import {
  InvalidModelError,
  ModelAccessDeniedError,
  forecastWithBedrock,
  type ForecastWithBedrockOptions,
} from '../src';
import {
  answerText,
  converseOutput,
  inputsFor,
  mockedBedrock,
  MODEL,
  runOptions,
  type AnswerEntry,
} from './helpers';

const { mock, client } = mockedBedrock();

const askedIds = (input: ConverseCommandInput) =>
  parsePromptData(input.messages![0].content![0].text!).products.map((p) => p.productId);

/** A good answer for every asked product: daily = 6 for all days, band 4..8. */
const goodEntry = (id: string): AnswerEntry => ({
  id,
  daily: [6, 6, 6, 6, 6, 6, 6],
  p10: [4, 4, 4, 4, 4, 4, 4],
  p90: [8, 8, 8, 8, 8, 8, 8],
});

const options = (over: Partial<ForecastWithBedrockOptions> = {}) => runOptions(client, over);

describe('forecastWithBedrock (converse)', () => {
  it('accepts good answers, sums usage from every response and prices it', async () => {
    mock
      .on(ConverseCommand)
      .callsFake((input: ConverseCommandInput) =>
        converseOutput(
          answerText(askedIds(input).map(goodEntry)),
          100,
          40,
          askedIds(input).includes('P1') ? 2 : 1,
        ),
      );
    const inputs = inputsFor(['P1', 'P2', 'P3', 'P4', 'P5']);
    const progress: number[] = [];
    const { results, stats } = await forecastWithBedrock(
      inputs,
      options({ onProgress: (done) => progress.push(done) }),
    );

    expect([...results.keys()]).toEqual(['P1', 'P2', 'P3', 'P4', 'P5']);
    for (const r of results.values()) {
      expect(r).toMatchObject({ source: 'model', model: `bedrock:${MODEL}` });
      expect(r.p50).toEqual([6, 6, 6, 6, 6, 6, 6]);
      expect(r.p10).toEqual([4, 4, 4, 4, 4, 4, 4]);
      expect(r.p90).toEqual([8, 8, 8, 8, 8, 8, 8]);
    }
    expect(stats).toMatchObject({
      requests: 3,
      retries: 1,
      failedRequests: 0,
      inputTokens: 300,
      outputTokens: 120,
      accepted: 5,
      rejected: 0,
      fallback: 0,
      fallbackReasons: {},
    });
    // 300 input tokens at $0.003/1k + 120 output tokens at $0.015/1k.
    expect(stats.estimatedCostUsd).toBeCloseTo(0.0009 + 0.0018, 10);
    expect(progress.at(-1)).toBe(5);

    const calls = mock.commandCalls(ConverseCommand);
    expect(calls.map((c) => c.args[0].input.inferenceConfig)).toEqual([
      // 256 slack + 2 × (24 + 7 × 3 × 4) tokens per product.
      { maxTokens: 688, temperature: 0 },
      { maxTokens: 688, temperature: 0 },
      { maxTokens: 472, temperature: 0 },
    ]);
    expect(calls[0].args[0].input.modelId).toBe(MODEL);
  });

  it('caps maxTokens at maxOutputTokens for models with a small output limit', async () => {
    mock
      .on(ConverseCommand)
      .callsFake((input: ConverseCommandInput) =>
        converseOutput(answerText(askedIds(input).map(goodEntry))),
      );
    await forecastWithBedrock(inputsFor(['P1', 'P2', 'P3']), options({ maxOutputTokens: 500 }));
    expect(
      mock.commandCalls(ConverseCommand).map((c) => c.args[0].input.inferenceConfig?.maxTokens),
    ).toEqual([500, 472]);
  });

  it('asks a product missing from a batch answer again on its own and uses that answer', async () => {
    mock.on(ConverseCommand).callsFake((input: ConverseCommandInput) => {
      const ids = askedIds(input);
      // Batch answers leave out their second product; single-product answers are complete.
      return converseOutput(answerText((ids.length > 1 ? ids.slice(0, 1) : ids).map(goodEntry)));
    });
    const { results, stats } = await forecastWithBedrock(
      inputsFor(['P1', 'P2', 'P3', 'P4']),
      options(),
    );

    expect([...results.values()].every((r) => r.source === 'model')).toBe(true);
    expect(stats.requests).toBe(4); // two batches + re-asks of P2 and P4
    const singles = mock
      .commandCalls(ConverseCommand)
      .map((c) => askedIds(c.args[0].input))
      .filter((ids) => ids.length === 1);
    expect(singles.flat().sort()).toEqual(['P2', 'P4']);
  });

  it('falls back with reason "missing" when the re-ask leaves the product out too', async () => {
    mock.on(ConverseCommand).callsFake((input: ConverseCommandInput) => {
      const ids = askedIds(input).filter((id) => id !== 'P2');
      return converseOutput(answerText(ids.map(goodEntry)));
    });
    const inputs = inputsFor(['P1', 'P2']);
    const { results, stats } = await forecastWithBedrock(inputs, options());

    const p2 = results.get('P2')!;
    expect(p2.source).toBe('fallback');
    expect(p2.model).toBe('statistical:test-flat');
    expect(p2.p50).toEqual(Array.from(inputs[1].statistical.p50));
    expect(p2.fallbackReason).toMatch(/missing/);
    expect(p2.fallbackReason).toMatch(/asked again once/);
    expect(stats).toMatchObject({
      accepted: 1,
      rejected: 0,
      fallback: 1,
      fallbackReasons: { missing: 1 },
    });
    expect(stats.requests).toBe(2);
  });

  it('re-asks each product of a batch whose answer is not JSON', async () => {
    mock.on(ConverseCommand).callsFake((input: ConverseCommandInput) => {
      const ids = askedIds(input);
      return converseOutput(
        ids.length > 1 ? 'Sure! Demand looks steady.' : answerText(ids.map(goodEntry)),
      );
    });
    const { results, stats } = await forecastWithBedrock(inputsFor(['P1', 'P2']), options());
    expect([...results.values()].map((r) => r.source)).toEqual(['model', 'model']);
    expect(stats.requests).toBe(3);
  });

  it('falls back for a batch whose request keeps failing, without splitting it, counting SDK retries', async () => {
    mock.on(ConverseCommand).rejects(
      new ThrottlingException({
        message: 'Too many requests',
        $metadata: { httpStatusCode: 429, attempts: 3 },
      }),
    );
    const { results, stats } = await forecastWithBedrock(inputsFor(['P1', 'P2']), options());

    for (const r of results.values()) {
      expect(r.source).toBe('fallback');
      expect(r.fallbackReason).toMatch(/throttling/);
    }
    expect(stats).toMatchObject({
      requests: 1,
      failedRequests: 1,
      retries: 2,
      accepted: 0,
      fallback: 2,
      fallbackReasons: { 'request-failed:throttling': 2 },
    });
    expect(mock.commandCalls(ConverseCommand)).toHaveLength(1);
  });

  it('does not ask the products of a timed-out batch again one by one', async () => {
    mock.on(ConverseCommand).callsFake((input: ConverseCommandInput) => {
      if (askedIds(input).includes('P1')) {
        throw Object.assign(new Error('Stream timed out because of no activity'), {
          name: 'TimeoutError',
          $metadata: { attempts: 4 },
        });
      }
      return converseOutput(answerText(askedIds(input).map(goodEntry)));
    });
    const { results, stats } = await forecastWithBedrock(
      inputsFor(['P1', 'P2', 'P3', 'P4']),
      options(),
    );
    expect([...results.values()].map((r) => r.source)).toEqual([
      'fallback',
      'fallback',
      'model',
      'model',
    ]);
    expect(stats).toMatchObject({
      requests: 2,
      failedRequests: 1,
      retries: 3,
      fallbackReasons: { 'request-failed:timeout': 2 },
    });
    expect(mock.commandCalls(ConverseCommand).map((c) => askedIds(c.args[0].input))).toEqual([
      ['P1', 'P2'],
      ['P3', 'P4'],
    ]);
  });

  it('falls back for the products of a batch the service refuses, keeping the other batches', async () => {
    mock.on(ConverseCommand).callsFake((input: ConverseCommandInput) => {
      if (askedIds(input).includes('P3')) {
        throw new ValidationException({
          message: 'Input is too long for requested model.',
          $metadata: { httpStatusCode: 400 },
        });
      }
      return converseOutput(answerText(askedIds(input).map(goodEntry)));
    });
    const { results, stats } = await forecastWithBedrock(
      inputsFor(['P1', 'P2', 'P3', 'P4', 'P5']),
      options(),
    );
    expect(results.get('P1')!.source).toBe('model');
    expect(results.get('P2')!.source).toBe('model');
    expect(results.get('P5')!.source).toBe('model');
    for (const id of ['P3', 'P4']) {
      expect(results.get(id)).toMatchObject({
        source: 'fallback',
        model: 'statistical:test-flat',
        fallbackReason: expect.stringMatching(/Input is too long/),
      });
    }
    expect(stats).toMatchObject({
      requests: 3,
      failedRequests: 1,
      accepted: 3,
      fallbackReasons: { 'request-failed:validation': 2 },
    });
  });

  describe('deadline', () => {
    it('sends nothing once the deadline has passed and says so for every product', async () => {
      const signal = AbortSignal.abort(new Error('the run deadline passed'));
      const { results, stats } = await forecastWithBedrock(
        inputsFor(['P1', 'P2', 'P3']),
        options({ signal }),
      );
      expect(mock.commandCalls(ConverseCommand)).toHaveLength(0);
      for (const r of results.values()) {
        expect(r).toMatchObject({
          source: 'fallback',
          fallbackReason: expect.stringMatching(/deadline.*the run deadline passed/),
        });
      }
      expect(stats).toMatchObject({ requests: 0, fallbackReasons: { deadline: 3 } });
    });

    it('keeps the answers that came before the deadline and sends nothing after it', async () => {
      const deadline = new AbortController();
      mock.on(ConverseCommand).callsFake((input: ConverseCommandInput) => {
        const ids = askedIds(input);
        // The first batch's answer comes back just as the deadline passes.
        deadline.abort(new Error('deadline'));
        // Left out of the answer: would be re-asked on its own, but the deadline has passed.
        return converseOutput(answerText(ids.slice(0, 1).map(goodEntry)));
      });
      const { results, stats } = await forecastWithBedrock(
        inputsFor(['P1', 'P2', 'P3', 'P4']),
        options({ concurrency: 1, signal: deadline.signal }),
      );
      expect(results.get('P1')!.source).toBe('model');
      for (const id of ['P2', 'P3', 'P4']) expect(results.get(id)!.source).toBe('fallback');
      expect(stats).toMatchObject({ requests: 1, accepted: 1, fallbackReasons: { deadline: 3 } });
      expect(mock.commandCalls(ConverseCommand)).toHaveLength(1);
    });
  });

  it('falls back without a re-ask when the answer for a product is invalid', async () => {
    mock
      .on(ConverseCommand)
      .callsFake((input: ConverseCommandInput) =>
        converseOutput(
          answerText(
            askedIds(input).map((id) =>
              id === 'P1' ? { id, daily: [-1, -1, -1, -1, -1, -1, -1] } : goodEntry(id),
            ),
          ),
        ),
      );
    const { results, stats } = await forecastWithBedrock(inputsFor(['P1', 'P2']), options());
    expect(results.get('P1')).toMatchObject({ source: 'fallback', model: 'statistical:test-flat' });
    expect(results.get('P1')!.fallbackReason).toMatch(/^model answer rejected: /);
    expect(results.get('P2')!.source).toBe('model');
    expect(stats).toMatchObject({
      requests: 1,
      accepted: 1,
      rejected: 1,
      fallback: 1,
      fallbackReasons: { 'rejected:negative': 1 },
    });
  });

  describe('guardrail', () => {
    const absurd = (input: ConverseCommandInput) =>
      converseOutput(
        answerText(
          askedIds(input).map((id) => ({ id, daily: [5000, 5000, 5000, 5000, 5000, 5000, 5000] })),
        ),
      );

    it('enforce: rejects an absurd answer and falls back', async () => {
      mock.on(ConverseCommand).callsFake(absurd);
      const { results, stats } = await forecastWithBedrock(inputsFor(['P1']), options());
      expect(results.get('P1')!.source).toBe('fallback');
      expect(results.get('P1')!.fallbackReason).toMatch(/^guardrail: /);
      expect(stats).toMatchObject({
        rejected: 1,
        fallback: 1,
        fallbackReasons: { 'guardrail:implausibly_high': 1 },
      });
    });

    it('warn: keeps the answer and records the warning', async () => {
      mock.on(ConverseCommand).callsFake(absurd);
      const { results } = await forecastWithBedrock(
        inputsFor(['P1']),
        options({ guardrail: 'warn' }),
      );
      expect(results.get('P1')).toMatchObject({
        source: 'model',
        p50: [5000, 5000, 5000, 5000, 5000, 5000, 5000],
      });
      expect(results.get('P1')!.guardrailWarning).toBeTruthy();
    });

    it('off: keeps the answer without a warning', async () => {
      mock.on(ConverseCommand).callsFake(absurd);
      const { results } = await forecastWithBedrock(
        inputsFor(['P1']),
        options({ guardrail: 'off' }),
      );
      expect(results.get('P1')!.source).toBe('model');
      expect(results.get('P1')!.guardrailWarning).toBeUndefined();
    });
  });

  it('derives p10/p90 from the statistical relative widths when the model gives only a median', async () => {
    mock
      .on(ConverseCommand)
      .callsFake((input: ConverseCommandInput) =>
        converseOutput(
          answerText(askedIds(input).map((id) => ({ id, daily: [10, 10, 10, 10, 10, 10, 0] }))),
        ),
      );
    // The reference is 5 with p10 3 and p90 7: ratios 0.6 and 1.4.
    const { results } = await forecastWithBedrock(inputsFor(['P1']), options());
    const r = results.get('P1')!;
    expect(r.p50).toEqual([10, 10, 10, 10, 10, 10, 0]);
    expect(r.p10.map((v) => +v.toFixed(9))).toEqual([6, 6, 6, 6, 6, 6, 0]);
    expect(r.p90.map((v) => +v.toFixed(9))).toEqual([14, 14, 14, 14, 14, 14, 0]);
  });

  it('stops the whole run on AccessDeniedException, naming model and client region', async () => {
    mock
      .on(ConverseCommand)
      .rejects(
        new AccessDeniedException({ message: 'no access', $metadata: { httpStatusCode: 403 } }),
      );
    const err = await forecastWithBedrock(
      inputsFor(['P1', 'P2', 'P3', 'P4', 'P5', 'P6']),
      options({ concurrency: 1 }),
    ).catch((e) => e);
    expect(err).toBeInstanceOf(ModelAccessDeniedError);
    expect(err.message).toContain(MODEL);
    expect(err.message).toContain('us-east-1');
    // The first failure stops the queue: no further batches and no re-asks.
    expect(mock.commandCalls(ConverseCommand)).toHaveLength(1);
  });

  it('stops the whole run on a bad model id, naming the region given in options', async () => {
    mock.on(ConverseCommand).rejects(
      new ValidationException({
        message: 'The provided model identifier is invalid.',
        $metadata: { httpStatusCode: 400 },
      }),
    );
    const err = await forecastWithBedrock(
      inputsFor(['P1']),
      options({ modelId: 'claude', region: 'eu-central-1' }),
    ).catch((e) => e);
    expect(err).toBeInstanceOf(InvalidModelError);
    expect(err.message).toContain('"claude"');
    expect(err.message).toContain('eu-central-1');
  });

  it('reports cost null with a note for a model without a price, and uses a caller price', async () => {
    mock
      .on(ConverseCommand)
      .callsFake((input: ConverseCommandInput) =>
        converseOutput(answerText(askedIds(input).map(goodEntry)), 1000, 1000),
      );
    const unknown = await forecastWithBedrock(
      inputsFor(['P1']),
      options({ modelId: 'acme.mystery-v1' }),
    );
    expect(unknown.stats.estimatedCostUsd).toBeNull();
    expect(unknown.stats.costNote).toContain('acme.mystery-v1');

    const priced = await forecastWithBedrock(
      inputsFor(['P1']),
      options({
        modelId: 'acme.mystery-v1',
        prices: { 'acme.*': { inputPer1k: 0.5, outputPer1k: 2 } },
      }),
    );
    expect(priced.stats.estimatedCostUsd).toBeCloseTo(2.5, 10);
  });

  it('falls back at once for a product with no history', async () => {
    mock
      .on(ConverseCommand)
      .callsFake((input: ConverseCommandInput) =>
        converseOutput(answerText(askedIds(input).map(goodEntry))),
      );
    const inputs = inputsFor(['P1', 'P2']);
    inputs[1].product.history = new Float64Array(0);
    const { results, stats } = await forecastWithBedrock(inputs, options());
    expect(results.get('P1')!.source).toBe('model');
    expect(results.get('P2')).toMatchObject({
      source: 'fallback',
      fallbackReason: expect.stringMatching(/no sales history/),
    });
    expect(stats.fallbackReasons).toEqual({ 'no-history': 1 });
  });

  it('keeps a product with unknown (NaN) days from the model, with a reason, and sends the rest', async () => {
    const sent: string[] = [];
    mock.on(ConverseCommand).callsFake((input: ConverseCommandInput) => {
      sent.push(...askedIds(input));
      return converseOutput(answerText(askedIds(input).map(goodEntry)));
    });
    const inputs = inputsFor(['P1', 'P2', 'P3']);
    inputs[1].product.history[10] = Number.NaN;
    inputs[1].product.history[11] = Number.NaN;
    const { results, stats } = await forecastWithBedrock(inputs, options());
    expect(sent.sort()).toEqual(['P1', 'P3']);
    expect(results.get('P2')).toMatchObject({
      source: 'fallback',
      fallbackReason: expect.stringMatching(/^2 day\(s\) of the history are unknown/),
    });
    expect(results.get('P1')!.source).toBe('model');
    expect(stats.fallbackReasons).toEqual({ 'unknown-days': 1 });
  });

  it('rejects duplicate product ids and a bad horizon before any request', async () => {
    await expect(forecastWithBedrock(inputsFor(['P1', 'P1']), options())).rejects.toThrow(
      /appears more than once/,
    );
    await expect(forecastWithBedrock(inputsFor(['P1']), options({ horizon: 0 }))).rejects.toThrow(
      /horizon 0/,
    );
    expect(mock.commandCalls(ConverseCommand)).toHaveLength(0);
  });
});
