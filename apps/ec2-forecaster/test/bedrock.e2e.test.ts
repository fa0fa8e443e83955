import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { createInventoryTable, seedInventory } from '@retail-forecast/dynamodb-writer/testing';
import { generateDemoDataset } from '@retail-forecast/local-aws';
import { startBedrockStandin } from '@retail-forecast/bedrock-standin';
import type { BedrockStandin, FaultMode } from '@retail-forecast/bedrock-standin';
import { startLocal, TABLE } from './harness';
import type { JsonLine as Line, Local } from './harness';

const MODEL = 'us.anthropic.claude-3-7-sonnet-20250219-v1:0';

describe('Bedrock path end to end: real BedrockRuntimeClient → local HTTP/2 stand-in → DynamoDB', () => {
  let local: Local;
  let standin: BedrockStandin;
  let fault: FaultMode = 'none';
  let productCount = 0;

  beforeAll(async () => {
    local = await startLocal();
    standin = await startBedrockStandin({ fault: () => fault });
    const demo = generateDemoDataset({ products: 12, days: 120, endDate: '2025-03-31', seed: 5 });
    productCount = new Set(demo.rows.map((r) => r.product_id)).size;
    await local.putGoldParquet('forecast_ready/', demo.rows, 2);
    await createInventoryTable(local.dynamodb, TABLE);
    await seedInventory(
      local.dynamodb,
      TABLE,
      demo.products.map((p) => ({ product_id: p.product_id, current_stock: 50, price: p.price })),
    );
  }, 60_000);

  afterAll(async () => {
    await standin?.close();
    await local?.close();
  });

  async function run(mode: FaultMode, name: string, extra: string[] = []) {
    fault = mode;
    const output = join(local.dir, `${name}.jsonl`);
    const result = await local.cli(
      ['run', '--model', `bedrock:${MODEL}`, '--output', output, '--json', ...extra],
      {
        AWS_ENDPOINT_URL_BEDROCK_RUNTIME: standin.url,
      },
    );
    const lines: Line[] =
      result.code === 2
        ? []
        : (await readFile(output, 'utf8'))
            .trim()
            .split('\n')
            .map((l) => JSON.parse(l));
    return { ...result, lines, summary: result.code === 2 ? undefined : JSON.parse(result.stdout) };
  }

  function expectValid(lines: Line[]) {
    expect(lines).toHaveLength(productCount);
    for (const l of lines) {
      expect(l.daily).toHaveLength(7);
      for (const d of l.daily) {
        expect(Number.isFinite(d.p50)).toBe(true);
        expect(d.p10).toBeGreaterThanOrEqual(0);
        expect(d.p10).toBeLessThanOrEqual(d.p50);
        expect(d.p50).toBeLessThanOrEqual(d.p90);
      }
    }
  }

  it('writes the model numbers on the happy path and accounts for tokens and cost', async () => {
    const { code, lines, summary } = await run('none', 'happy');
    expect(code).toBe(0);
    expectValid(lines);
    expect(lines.every((l) => l.model === `bedrock:${MODEL}` && l.fallback_reason === null)).toBe(
      true,
    );
    expect(summary.bedrock.requests).toBeGreaterThan(0);
    expect(summary.bedrock.inputTokens).toBeGreaterThan(0);
    expect(summary.bedrock.outputTokens).toBeGreaterThan(0);
    expect(summary.bedrock.estimatedCostUsd).toBeGreaterThan(0);
    expect(summary.bedrock.accepted).toBe(productCount);
    expect(summary.fallbacks.count).toBe(0);
    const item = await local.dynamodb.send(
      new GetItemCommand({ TableName: TABLE, Key: { product_id: { S: lines[0].product_id } } }),
    );
    const stored = unmarshall(item.Item!);
    expect(stored.forecast.model).toBe(`bedrock:${MODEL}`);
    expect(stored.forecasted_demand).toBe(lines[0].forecasted_demand);
    expect(stored.current_stock).toBe(50);
  }, 120_000);

  it.each<[FaultMode, RegExp]>([
    ['not-json', /unparseable|no_json|missing/],
    ['truncated-json', /unparseable|truncated|missing/],
    ['unknown-ids', /missing|unknown/],
    ['negative', /negative/],
    ['nan', /not_finite/],
    ['absurd', /guardrail/],
    ['wrong-length', /wrong_length/],
    ['server-error', /request-failed|server/],
  ])(
    'falls back to the statistical forecast with a reason when the model answers %s',
    async (mode, reason) => {
      const { code, lines, summary } = await run(mode, mode);
      expect(code).toBe(0);
      expectValid(lines);
      const fallbacks = lines.filter((l) => l.fallback_reason !== null);
      expect(fallbacks.length).toBeGreaterThan(0);
      for (const l of fallbacks) expect(l.model).toMatch(/^statistical:/);
      expect(Object.keys(summary.fallbacks.reasons).join(' ')).toMatch(reason);
      expect(summary.fallbacks.count).toBe(fallbacks.length);
      expect(summary.products.written).toBe(productCount);
      expect(summary.bedrock.requests).toBeGreaterThan(0);
    },
    120_000,
  );

  it('asks again, one product at a time, for products missing from an answer', async () => {
    const { code, lines, summary } = await run('missing-ids', 'missing');
    expect(code).toBe(0);
    expectValid(lines);
    // The stand-in drops one product per batch; the single-product re-ask recovers it.
    expect(summary.bedrock.requests).toBeGreaterThan(1);
    expect(summary.bedrock.accepted + summary.fallbacks.count).toBe(productCount);
    expect(lines.filter((l) => l.model === `bedrock:${MODEL}`).length).toBe(
      summary.bedrock.accepted,
    );
  }, 120_000);

  it('forecasts through a Chronos-Bolt endpoint with InvokeModel', async () => {
    fault = 'none';
    const endpoint = 'arn:aws:sagemaker:us-east-1:123456789012:endpoint/chronos-bolt-base';
    const output = join(local.dir, 'chronos.jsonl');
    const { code, stdout } = await local.cli(
      ['run', '--model', `chronos:${endpoint}`, '--output', output, '--json'],
      {
        AWS_ENDPOINT_URL_BEDROCK_RUNTIME: standin.url,
      },
    );
    expect(code).toBe(0);
    const lines: Line[] = (await readFile(output, 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expectValid(lines);
    expect(lines.every((l) => l.model === `chronos:${endpoint}`)).toBe(true);
    expect(JSON.parse(stdout).bedrock.accepted).toBe(productCount);
  }, 120_000);

  it('stops with exit 2 and says what to do when model access is not enabled', async () => {
    const { code, stderr } = await run('access-denied', 'denied');
    expect(code).toBe(2);
    expect(stderr).toContain(MODEL);
    expect(stderr).toContain('us-east-1');
  }, 60_000);
});
