import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { createInventoryTable, seedInventory } from '@retail-forecast/dynamodb-writer/testing';
import { generateDemoDataset } from '@retail-forecast/local-aws';
import { createBedrockRuntimeClient } from '@retail-forecast/bedrock-client';
import { MARKED_PRODUCT, startBedrockStandin } from '@retail-forecast/bedrock-standin';
import type { BedrockStandin, FaultMode } from '@retail-forecast/bedrock-standin';
import { resolveRunConfig } from '../src/config';
import { runForecastJob } from '../src/job';
import { createLogger } from '../src/logger';
import { Capture, startLocal, TABLE } from './harness';
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
    expect(stored.forecast).not.toHaveProperty('outliers');
    // The model saw every day as it was: no product says otherwise.
    expect(lines.some((l) => 'outliers' in l)).toBe(false);
    expect(summary.outliers).toEqual({ daysReplaced: 0, products: 0 });
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
      // A model that answered no request at all fails the run (exit 1), products still written.
      // (server-error: every request fails; the other modes answer, badly).
      expect(code).toBe(mode === 'server-error' ? 1 : 0);
      expectValid(lines);
      const fallbacks = lines.filter((l) => l.fallback_reason !== null);
      expect(fallbacks.length).toBeGreaterThan(0);
      for (const l of fallbacks) expect(l.model).toMatch(/^statistical:/);
      // Only the statistical forecasts published say what their cleaning replaced.
      expect(lines.filter((l) => l.outliers).every((l) => l.fallback_reason !== null)).toBe(true);
      if (mode === 'server-error') expect(lines.some((l) => l.outliers)).toBe(true);
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

  it('stops with exit 2 before any write when the model id is bad', async () => {
    const before = standin.stats.requests;
    const { code, stderr } = await run('bad-model', 'bad-model');
    expect(code).toBe(2);
    expect(stderr).toContain(MODEL);
    expect(stderr).toMatch(/model identifier is invalid/);
    // Found on the first requests (one per batch in flight), never re-asked product by product.
    expect(standin.stats.requests - before).toBeLessThanOrEqual(1);
  }, 60_000);

  it('refuses a Chronos horizon over 64 days at start, with exit 2, before any request', async () => {
    const before = standin.stats.requests;
    const endpoint = 'arn:aws:sagemaker:us-east-1:123456789012:endpoint/chronos-bolt-base';
    const { code, stderr } = await local.cli(
      ['run', '--model', `chronos:${endpoint}`, '--horizon', '65', '--dry-run'],
      { AWS_ENDPOINT_URL_BEDROCK_RUNTIME: standin.url },
    );
    expect(code).toBe(2);
    expect(stderr).toMatch(/--horizon: horizon 65 is over the maximum of 64 days/);
    expect(standin.stats.requests).toBe(before);
  }, 60_000);

  it('falls back as "deadline" once the run deadline for model requests passes, and still writes every product', async () => {
    fault = 'slow';
    const env = { ...local.env, AWS_ENDPOINT_URL_BEDROCK_RUNTIME: standin.url };
    const config = {
      ...resolveRunConfig({ model: `bedrock:${MODEL}` }, env),
      // 0.6 s: model requests stop at 0.48 s, long before the stand-in's slow answers.
      deadlineMinutes: 0.01,
    };
    // The SDK reads the endpoint and credentials from process.env when the client is created.
    const saved = { ...process.env };
    Object.assign(process.env, env);
    const bedrock = createBedrockRuntimeClient({ region: 'us-east-1', maxAttempts: 1 });
    const started = performance.now();
    try {
      const summary = await runForecastJob(config, {
        s3: local.s3,
        dynamodb: local.dynamodb,
        bedrock,
        logger: createLogger({ json: false, stream: new Capture() }),
      });
      expect(performance.now() - started).toBeLessThan(8_000);
      expect(summary.exitCode).toBe(0);
      expect(summary.products.written).toBe(productCount);
      expect(summary.fallbacks).toEqual({
        count: productCount,
        reasons: { deadline: productCount },
      });
    } finally {
      bedrock.destroy();
      for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
      Object.assign(process.env, saved);
    }
  }, 60_000);

  it('stops with exit 2 and says what to do when model access is not enabled', async () => {
    const { code, stderr } = await run('access-denied', 'denied');
    expect(code).toBe(2);
    expect(stderr).toContain(MODEL);
    expect(stderr).toContain('us-east-1');
  }, 60_000);
});

describe('a request the service refuses fails only its own batch (real client → stand-in → DynamoDB)', () => {
  let local: Local;
  let standin: BedrockStandin;
  let marked = '';
  let productCount = 0;

  beforeAll(async () => {
    local = await startLocal();
    standin = await startBedrockStandin();
    const demo = generateDemoDataset({ products: 45, days: 90, endDate: '2025-03-31', seed: 9 });
    // One product carries the mark that makes the stand-in refuse its batch.
    const victim = demo.products[10].product_id;
    marked = `${victim}-${MARKED_PRODUCT}`;
    const rename = <T extends { product_id: string }>(r: T): T =>
      r.product_id === victim ? { ...r, product_id: marked } : r;
    const rows = demo.rows.map(rename);
    productCount = new Set(rows.map((r) => r.product_id)).size;
    await local.putGoldParquet('forecast_ready/', rows, 2);
    await createInventoryTable(local.dynamodb, TABLE);
    await seedInventory(
      local.dynamodb,
      TABLE,
      demo.products.map(rename).map((p) => ({ product_id: p.product_id, current_stock: 50 })),
    );
  }, 60_000);

  afterAll(async () => {
    await standin?.close();
    await local?.close();
  });

  it("keeps the other batches' answers, puts the refused batch on the statistical fallback and exits 0", async () => {
    const output = join(local.dir, 'refused.jsonl');
    const { code, stdout } = await local.cli(
      ['run', '--model', 'bedrock:local-fault-input-too-long-marked', '--output', output, '--json'],
      { AWS_ENDPOINT_URL_BEDROCK_RUNTIME: standin.url },
    );
    expect(code).toBe(0);
    const summary = JSON.parse(stdout);
    const lines: Line[] = (await readFile(output, 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(productCount);
    const fallbacks = lines.filter((l) => l.fallback_reason !== null);
    const answered = lines.filter((l) => l.model === 'bedrock:local-fault-input-too-long-marked');
    // The marked product's batch (at most 20 products) fell back; every other batch was answered.
    expect(fallbacks.map((l) => l.product_id)).toContain(marked);
    expect(fallbacks.length).toBeGreaterThan(0);
    expect(fallbacks.length).toBeLessThanOrEqual(20);
    expect(answered.length).toBe(productCount - fallbacks.length);
    for (const l of fallbacks) {
      expect(l.model).toMatch(/^statistical:/);
      expect(l.fallback_reason).toMatch(/ValidationException: Input is too long/);
    }
    expect(summary.bedrock.failedRequests).toBe(1);
    expect(summary.bedrock.requests).toBeGreaterThan(1);
    expect(summary.fallbacks.reasons).toEqual({ 'request-failed:validation': fallbacks.length });
    expect(summary.products.written).toBe(productCount);
  }, 120_000);
});
