/**
 * Batch inference end to end: `forecast run --model-mode auto` on 1,000 products through the real
 * S3Client (local s3rver), BedrockClient (batch stand-in: job API against that S3),
 * BedrockRuntimeClient (runtime stand-in, for re-asks) and DynamoDBClient (local dynalite).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInventoryTable, seedInventory } from '@retail-forecast/dynamodb-writer/testing';
import { generateDemoDataset } from '@retail-forecast/local-aws';
import {
  startBatchStandin,
  startBedrockStandin,
  type BatchJobFault,
  type BatchStandin,
  type BedrockStandin,
} from '@retail-forecast/bedrock-standin';
import { BUCKET, startLocal, TABLE } from './harness';
import type { JsonLine as Line, Local } from './harness';

const MODEL = 'us.anthropic.claude-3-5-haiku-20241022-v1:0';
const ROLE = 'arn:aws:iam::123456789012:role/forecast-batch';
const PRODUCTS = 1000;

describe('batch inference end to end: 1,000 products → local S3 → batch stand-in → DynamoDB', () => {
  let local: Local;
  let runtime: BedrockStandin;
  let jobFault: BatchJobFault | undefined;

  beforeAll(async () => {
    local = await startLocal();
    runtime = await startBedrockStandin();
    const demo = generateDemoDataset({
      products: PRODUCTS,
      days: 90,
      endDate: '2025-03-31',
      seed: 11,
    });
    await local.putGoldParquet('forecast_ready/', demo.rows, 4);
    await createInventoryTable(local.dynamodb, TABLE);
    await seedInventory(
      local.dynamodb,
      TABLE,
      demo.products.map((p) => ({ product_id: p.product_id, current_stock: 40, price: p.price })),
    );
  }, 120_000);

  afterAll(async () => {
    await runtime?.close();
    await local?.close();
  });

  async function run(
    name: string,
    args: string[],
    faults: Parameters<typeof startBatchStandin>[0]['recordFault'],
  ) {
    const batch: BatchStandin = await startBatchStandin({
      s3: {
        endpoint: local.env.AWS_ENDPOINT_URL_S3,
        region: local.env.AWS_REGION,
        forcePathStyle: true,
        credentials: {
          accessKeyId: local.env.AWS_ACCESS_KEY_ID!,
          secretAccessKey: local.env.AWS_SECRET_ACCESS_KEY!,
        },
      },
      stepMs: 50,
      recordFault: faults,
      ...(jobFault ? { jobFault } : {}),
    });
    try {
      const output = join(local.dir, `${name}.jsonl`);
      const result = await local.cli(
        ['run', '--model', `bedrock:${MODEL}`, '--output', output, '--json', ...args],
        {
          AWS_ENDPOINT_URL_BEDROCK: batch.url,
          AWS_ENDPOINT_URL_BEDROCK_RUNTIME: runtime.url,
          FORECAST_BATCH_ROLE_ARN: ROLE,
          FORECAST_BATCH_S3: `s3://${BUCKET}/bedrock_batch/`,
          FORECAST_BATCH_POLL_SECONDS: '1',
        },
      );
      const lines: Line[] = (await readFile(output, 'utf8'))
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      return {
        ...result,
        lines,
        summary: JSON.parse(result.stdout),
        jobs: [...batch.jobs.values()],
      };
    } finally {
      await batch.close();
    }
  }

  it('writes every product, with the faulty records fallen back with their reasons', async () => {
    const runtimeBefore = runtime.stats.requests;
    const { code, lines, summary, jobs, stderr } = await run(
      'auto',
      ['--model-mode', 'auto', '--batch-threshold', '500'],
      (i) =>
        i % 50 === 7
          ? 'error'
          : i % 50 === 19
            ? 'missing'
            : i % 50 === 33
              ? 'malformed'
              : undefined,
    );
    expect(code, stderr).toBe(0);
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({ status: 'Completed', modelId: MODEL });
    const records = jobs[0].records;
    expect(records).toBeGreaterThanOrEqual(100);

    expect(lines).toHaveLength(PRODUCTS);
    expect(summary.products.written).toBe(PRODUCTS);
    const b = summary.bedrock;
    const faulty = Math.ceil((records - 7) / 50) + Math.ceil((records - 19) / 50);
    expect(b.batch).toMatchObject({
      status: 'Completed',
      records,
      recordErrors: Math.ceil((records - 7) / 50),
      recordsMissing: Math.ceil((records - 19) / 50),
    });
    const byReason = (re: RegExp) => lines.filter((l) => re.test(l.fallback_reason ?? ''));
    const errored = byReason(/batch record R\d+ failed \(errorCode 400: The model could not/);
    const missing = byReason(/batch record R\d+ is missing from the output/);
    expect(errored.length).toBe(b.fallbackReasons['batch-record:error']);
    expect(missing.length).toBe(b.fallbackReasons['batch-record:missing']);
    expect(errored.length + missing.length).toBeGreaterThanOrEqual(faulty);
    for (const l of [...errored, ...missing]) expect(l.model).toMatch(/^statistical/);
    // The malformed records' products were asked again on demand, one request each.
    expect(runtime.stats.requests - runtimeBefore).toBeGreaterThan(0);
    expect(lines.filter((l) => l.model === `bedrock:${MODEL}`).length).toBe(b.accepted);
    // Batch price: half the on-demand price of the same tokens (Claude 3.5 Haiku has a price).
    expect(b.batch.costUsd).toBeGreaterThan(0);
    expect(b.batch.costUsd).toBeCloseTo(b.batch.onDemandCostUsd / 2, 10);

    // Every product's item carries this run's forecast in DynamoDB.
    const scan = await local.dynamodb.send(
      new ScanCommand({
        TableName: TABLE,
        ProjectionExpression: 'product_id, #f.run_id',
        ExpressionAttributeNames: { '#f': 'forecast' },
      }),
    );
    const written = (scan.Items ?? []).filter((i) => i.forecast?.M?.run_id?.S === summary.runId);
    expect(written).toHaveLength(PRODUCTS);
  }, 300_000);

  it('falls back for every product of a job that fails, and says so in the summary', async () => {
    jobFault = 'fail';
    try {
      const { code, lines, summary } = await run('failed', ['--model-mode', 'batch'], undefined);
      expect(code).toBe(0);
      expect(lines).toHaveLength(PRODUCTS);
      expect(summary.bedrock.batch.status).toBe('Failed');
      expect(summary.bedrock.accepted).toBe(0);
      expect(summary.bedrock.fallbackReasons['batch-job:failed']).toBeGreaterThan(900);
      expect(lines[0].fallback_reason ?? '').toMatch(/ended Failed: Internal error/);
    } finally {
      jobFault = undefined;
    }
  }, 300_000);
});
