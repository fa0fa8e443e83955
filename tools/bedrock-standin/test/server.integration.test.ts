import http2 from 'node:http2';
import { buildPromptBatches } from '@retail-forecast/prompt';
import { exitKindOf } from '@retail-forecast/util';
import { afterEach, describe, expect, it } from 'vitest';
import {
  BedrockStandinError,
  StandinOptionsError,
  startBedrockStandin,
  type BedrockStandin,
  type StandinRequestInfo,
} from '../src';

interface RawResponse {
  status: number;
  headers: http2.IncomingHttpHeaders;
  body: string;
}

/** One POST over a fresh h2c session, the way the SDK's NodeHttp2Handler sends it. */
function post(url: string, path: string, body: string): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const session = http2.connect(url);
    session.on('error', reject);
    const req = session.request({
      ':method': 'POST',
      ':path': path,
      'content-type': 'application/json',
    });
    let headers: http2.IncomingHttpHeaders = {};
    let data = '';
    req.on('response', (h) => (headers = h));
    req.setEncoding('utf8');
    req.on('data', (c: string) => (data += c));
    req.on('end', () => {
      session.close();
      resolve({ status: Number(headers[':status']), headers, body: data });
    });
    req.on('error', reject);
    req.end(body);
  });
}

const history = Float64Array.from({ length: 28 }, (_, i) => (i % 7) + 1);
const [batch] = buildPromptBatches([{ productId: 'P1', history }], '2025-04-28');
const converseBody = JSON.stringify({
  system: [{ text: batch.system }],
  messages: [{ role: 'user', content: [{ text: batch.user }] }],
});

let standin: BedrockStandin | undefined;
afterEach(async () => {
  await standin?.close();
  standin = undefined;
});

describe('startBedrockStandin', () => {
  it('answers Converse with the Bedrock response shape and usage', async () => {
    standin = await startBedrockStandin();
    const r = await post(standin.url, '/model/local/converse', converseBody);
    expect(r.status).toBe(200);
    const json = JSON.parse(r.body);
    expect(json.stopReason).toBe('end_turn');
    expect(json.output.message.role).toBe('assistant');
    const answer = JSON.parse(json.output.message.content[0].text);
    expect(answer.forecasts[0]).toMatchObject({ product_id: 'P1', daily: [1, 2, 3, 4, 5, 6, 7] });
    expect(json.usage.totalTokens).toBe(json.usage.inputTokens + json.usage.outputTokens);
    expect(standin.stats).toEqual({
      requests: 1,
      byModel: { local: 1 },
      cacheReadInputTokens: 0,
      cacheWriteInputTokens: 0,
    });
  });

  it('sends errors with the status and x-amzn-errortype header the SDK reads', async () => {
    standin = await startBedrockStandin();
    const r = await post(standin.url, '/model/local-fault-throttle/converse', converseBody);
    expect(r.status).toBe(429);
    expect(String(r.headers['x-amzn-errortype'])).toMatch(/^ThrottlingException:/);
    expect(JSON.parse(r.body).message).toBeTruthy();
    const denied = await post(
      standin.url,
      '/model/local-fault-access-denied/converse',
      converseBody,
    );
    expect(denied.status).toBe(403);
  });

  it('answers 404 on an unknown route and 400 ValidationException on a body that is not a prompt', async () => {
    standin = await startBedrockStandin();
    expect((await post(standin.url, '/foundation-models', '{}')).status).toBe(404);
    const bad = await post(standin.url, '/model/local/converse', '{"messages":[]}');
    expect(bad.status).toBe(400);
    expect(String(bad.headers['x-amzn-errortype'])).toMatch(/^ValidationException:/);
  });

  it('gives a fault function the call index per batch, so "-once" faults recover on retry', async () => {
    const seen: StandinRequestInfo[] = [];
    standin = await startBedrockStandin({
      fault: (info) => {
        seen.push(info);
        return info.callIndex === 0 ? 'server-error' : undefined;
      },
    });
    expect((await post(standin.url, '/model/m%3A1/converse', converseBody)).status).toBe(500);
    expect((await post(standin.url, '/model/m%3A1/converse', converseBody)).status).toBe(200);
    expect(seen.map((s) => [s.modelId, s.kind, s.callIndex, s.productIds])).toEqual([
      ['m:1', 'converse', 0, ['P1']],
      ['m:1', 'converse', 1, ['P1']],
    ]);
  });

  it('answers InvokeModel in the Chronos shape with token-count headers', async () => {
    standin = await startBedrockStandin();
    const body = JSON.stringify({
      inputs: [{ target: Array.from(history) }, { target: [2, 4] }],
      parameters: { prediction_length: 3, quantile_levels: [0.1, 0.5, 0.9] },
    });
    const r = await post(standin.url, '/model/chronos/invoke', body);
    expect(r.status).toBe(200);
    const { predictions } = JSON.parse(r.body);
    expect(predictions).toHaveLength(2);
    expect(predictions[0]['0.5']).toEqual([1, 2, 3]);
    expect(predictions[1].mean).toEqual([3, 3, 3]);
    expect(Number(r.headers['x-amzn-bedrock-input-token-count'])).toBeGreaterThan(0);
  });

  it('closes promptly while a slow answer is still pending', async () => {
    standin = await startBedrockStandin({ latencyMs: 60_000 });
    const pending = post(standin.url, '/model/local-fault-slow/converse', converseBody).catch(
      (e) => e,
    );
    await new Promise((r) => setTimeout(r, 100));
    const t0 = Date.now();
    await standin.close();
    standin = undefined;
    expect(Date.now() - t0).toBeLessThan(2_000);
    await pending;
  });

  const toolBody = (toolConfig: unknown) =>
    JSON.stringify({ ...JSON.parse(converseBody), toolConfig });
  const forecastTool = {
    tools: [
      {
        toolSpec: {
          name: 'submit_forecasts',
          inputSchema: { json: { type: 'object', properties: { forecasts: { type: 'array' } } } },
        },
      },
    ],
    toolChoice: { tool: { name: 'submit_forecasts' } },
  };

  it('answers a forced tool with a toolUse block and stopReason tool_use', async () => {
    standin = await startBedrockStandin();
    const r = await post(standin.url, '/model/local/converse', toolBody(forecastTool));
    expect(r.status).toBe(200);
    const json = JSON.parse(r.body);
    expect(json.stopReason).toBe('tool_use');
    expect(json.output.message.content).toHaveLength(1);
    const { toolUse } = json.output.message.content[0];
    expect(toolUse).toMatchObject({ name: 'submit_forecasts', toolUseId: expect.any(String) });
    expect(toolUse.input.forecasts[0]).toMatchObject({
      product_id: 'P1',
      daily: [1, 2, 3, 4, 5, 6, 7],
    });
  });

  it.each([
    [{ tools: [] }, /toolConfig.tools must be a non-empty list/],
    [
      { tools: [{ toolSpec: { name: 'a b', inputSchema: { json: {} } } }] },
      /name "a b" is not valid/,
    ],
    [
      { tools: [{ toolSpec: { name: 'a', inputSchema: { json: { type: 'array' } } } }] },
      /of type "object"/,
    ],
    [
      { ...forecastTool, toolChoice: { tool: { name: 'other' } } },
      /toolChoice.tool.name "other" is not one of the tools \(submit_forecasts\)/,
    ],
    [{ ...forecastTool, toolChoice: { auto: {}, any: {} } }, /exactly one of auto, any, tool/],
  ])(
    'rejects a bad toolConfig with a 400 ValidationException (%#)',
    async (toolConfig, message) => {
      standin = await startBedrockStandin();
      const r = await post(standin.url, '/model/local/converse', toolBody(toolConfig));
      expect(r.status).toBe(400);
      expect(String(r.headers['x-amzn-errortype'])).toMatch(/^ValidationException:/);
      expect(JSON.parse(r.body).message).toMatch(message);
    },
  );

  it('no-tools refuses a forced tool but answers the same prompt as text', async () => {
    standin = await startBedrockStandin();
    const refused = await post(
      standin.url,
      '/model/local-fault-no-tools/converse',
      toolBody(forecastTool),
    );
    expect(refused.status).toBe(400);
    expect(JSON.parse(refused.body).message).toMatch(
      /doesn't support the toolConfig.toolChoice.tool/,
    );
    expect(
      (await post(standin.url, '/model/local-fault-no-tools/converse', converseBody)).status,
    ).toBe(200);
  });

  it('rejects an out-of-range port', async () => {
    await expect(startBedrockStandin({ port: 70_000 })).rejects.toThrow(
      /port 70000 is not allowed/,
    );
  });

  it('reports a bad option as a StandinOptionsError, a run failure (exit 1)', async () => {
    const err = await startBedrockStandin({ latencyMs: -1 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StandinOptionsError);
    expect(err).toBeInstanceOf(BedrockStandinError);
    expect(exitKindOf(err)).toBe('failure');
  });
});
