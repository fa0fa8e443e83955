import { InvokeModelCommand, type InvokeModelCommandOutput } from '@aws-sdk/client-bedrock-runtime';
import { describe, expect, it } from 'vitest';
import { exitCodeOf } from '@retail-forecast/util';
import { assertHorizonSupported, forecastWithBedrock, UnsupportedHorizonError } from '../src';
import { CHRONOS, inputsFor, mockedBedrock, runOptions } from './helpers';

const { mock, client } = mockedBedrock();

const chronosBody = (predictions: unknown[]) =>
  ({
    $metadata: { httpStatusCode: 200, attempts: 1 },
    contentType: 'application/json',
    body: new TextEncoder().encode(
      JSON.stringify({ predictions }),
    ) as InvokeModelCommandOutput['body'],
  }) as InvokeModelCommandOutput;

const requestOf = (call: { args: [{ input: { body?: unknown } }] }) =>
  JSON.parse(new TextDecoder().decode(call.args[0].input.body as Uint8Array)) as {
    inputs: { target: number[] }[];
    parameters: { prediction_length: number; quantile_levels: number[] };
  };

describe('forecastWithBedrock (chronos)', () => {
  const prediction = (level: number) => ({
    mean: Array(7).fill(level),
    '0.1': Array(7).fill(level - 1),
    '0.5': Array(7).fill(level),
    '0.9': Array(7).fill(level + 1),
  });

  it('batches series with a capped context and maps the quantiles', async () => {
    mock.on(InvokeModelCommand).callsFake((input) => {
      const req = JSON.parse(new TextDecoder().decode(input.body as Uint8Array)) as {
        inputs: unknown[];
      };
      return chronosBody(req.inputs.map(() => prediction(5)));
    });
    const { results, stats } = await forecastWithBedrock(
      inputsFor(['P1', 'P2', 'P3'], 60),
      runOptions(client, {
        kind: 'chronos',
        modelId: CHRONOS,
        chronosBatchSize: 2,
        chronosContextLength: 30,
      }),
    );
    const calls = mock.commandCalls(InvokeModelCommand);
    expect(calls).toHaveLength(2);
    const first = requestOf(calls[0] as never);
    expect(first.inputs).toHaveLength(2);
    expect(first.inputs[0].target).toHaveLength(30);
    expect(first.inputs[0].target.at(-1)).toBe(inputsFor(['x'], 60)[0].product.history[59]);
    expect(first.parameters).toEqual({ prediction_length: 7, quantile_levels: [0.1, 0.5, 0.9] });
    expect(calls[0].args[0].input.modelId).toBe(CHRONOS);
    for (const r of results.values()) {
      expect(r).toMatchObject({ source: 'model', model: `chronos:${CHRONOS}` });
      expect(r.p10).toEqual(Array(7).fill(4));
      expect(r.p50).toEqual(Array(7).fill(5));
      expect(r.p90).toEqual(Array(7).fill(6));
    }
    expect(stats).toMatchObject({ requests: 2, accepted: 3, estimatedCostUsd: null });
  });

  it('re-asks series missing from a response and falls back on a body that is not JSON', async () => {
    mock.on(InvokeModelCommand).callsFake((input) => {
      const req = JSON.parse(new TextDecoder().decode(input.body as Uint8Array)) as {
        inputs: unknown[];
      };
      if (req.inputs.length > 1) return chronosBody([prediction(5)]); // one prediction short
      return {
        $metadata: {},
        contentType: 'text/html',
        body: new TextEncoder().encode('<html>'),
      } as never;
    });
    const { results, stats } = await forecastWithBedrock(
      inputsFor(['P1', 'P2']),
      runOptions(client, { kind: 'chronos', modelId: CHRONOS }),
    );
    expect(results.get('P1')!.source).toBe('model');
    expect(results.get('P2')!.source).toBe('fallback');
    expect(results.get('P2')!.fallbackReason).toMatch(/JSON/);
    expect(stats).toMatchObject({
      requests: 2,
      accepted: 1,
      fallback: 1,
      fallbackReasons: { 'unparseable:no_json': 1 },
    });
  });

  it('does not send a series under the minimum length and falls back for it with a reason', async () => {
    mock.on(InvokeModelCommand).callsFake((input) => {
      const req = JSON.parse(new TextDecoder().decode(input.body as Uint8Array)) as {
        inputs: unknown[];
      };
      return chronosBody(req.inputs.map(() => prediction(5)));
    });
    const inputs = inputsFor(['P1', 'P2', 'P3']);
    inputs[1].product.history = Float64Array.from([1, 2, 3, 4]);
    const { results, stats } = await forecastWithBedrock(
      inputs,
      runOptions(client, { kind: 'chronos', modelId: CHRONOS }),
    );
    expect(results.get('P2')).toMatchObject({
      source: 'fallback',
      fallbackReason: expect.stringMatching(/history of 4 day\(s\) is shorter than the 5 days/),
    });
    expect(results.get('P1')!.source).toBe('model');
    expect(results.get('P3')!.source).toBe('model');
    expect(stats.fallbackReasons).toEqual({ 'series-too-short': 1 });
    const sent = mock.commandCalls(InvokeModelCommand).map((c) => requestOf(c as never));
    expect(sent.flatMap((r) => r.inputs.map((i) => i.target.length))).toEqual([56, 56]);
  });

  it("refuses a horizon over Chronos-Bolt's 64 steps before any request, as a setting error", async () => {
    const err = await forecastWithBedrock(
      inputsFor(['P1']).map((i) => ({
        ...i,
        statistical: { ...i.statistical, p50: new Float64Array(65) },
      })),
      runOptions(client, { kind: 'chronos', modelId: CHRONOS, horizon: 65 }),
    ).catch((e) => e);
    expect(err).toBeInstanceOf(UnsupportedHorizonError);
    expect(err.message).toMatch(/horizon 65 is over the maximum of 64 days/);
    expect(exitCodeOf(err)).toBe(2);
    expect(mock.commandCalls(InvokeModelCommand)).toHaveLength(0);
    expect(() =>
      assertHorizonSupported({ kind: 'chronos', modelId: CHRONOS, horizon: 64 }),
    ).not.toThrow();
    expect(() =>
      assertHorizonSupported({ kind: 'converse', modelId: 'm', horizon: 90 }),
    ).not.toThrow();
  });
});
