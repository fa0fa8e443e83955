/**
 * End to end: batch inference through the real BedrockClient (control plane, endpoint from
 * AWS_ENDPOINT_URL_BEDROCK), S3Client (local s3rver) and BedrockRuntimeClient (re-asks), against the
 * batch stand-in and the runtime stand-in on 127.0.0.1.
 */
import {
  BedrockClient,
  CreateModelInvocationJobCommand,
  GetModelInvocationJobCommand,
} from '@aws-sdk/client-bedrock';
import {
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import {
  createBedrockRuntimeClient,
  forecastWithBedrock,
  type BatchInferenceOptions,
  type BedrockInput,
} from '@retail-forecast/bedrock-client';
import { startLocalS3, type LocalS3 } from '@retail-forecast/local-aws/testing';
import { buildPromptBatches } from '@retail-forecast/prompt';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  startBatchStandin,
  startBedrockStandin,
  type BatchStandin,
  type BatchStandinOptions,
  type BedrockStandin,
} from '../src';

const AS_OF = '2025-04-28';
const BUCKET = 'batch-gold';
const ROLE = 'arn:aws:iam::123456789012:role/forecast-batch';

let s3: LocalS3;
let runtime: BedrockStandin;
let s3Client: S3Client;
beforeAll(async () => {
  s3 = await startLocalS3({ buckets: [BUCKET] });
  runtime = await startBedrockStandin();
  s3Client = new S3Client(s3.clientConfig);
  vi.stubEnv('AWS_ENDPOINT_URL_BEDROCK_RUNTIME', runtime.url);
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIDSTANDIN');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'standin-secret');
  vi.stubEnv('AWS_EC2_METADATA_DISABLED', 'true');
});
afterAll(async () => {
  vi.unstubAllEnvs();
  s3Client?.destroy();
  await runtime?.close();
  await s3?.close();
});

function inputs(n: number): BedrockInput[] {
  return Array.from({ length: n }, (_, i) => {
    const history = Float64Array.from({ length: 56 }, (_, d) => 5 + ((d + i) % 7));
    const p50 = Float64Array.from({ length: 7 }, (_, k) => history[49 + k]);
    return {
      product: { productId: `SKU${String(i).padStart(4, '0')}`, history },
      statistical: {
        model: 'statistical:test',
        p10: p50.map((v) => v * 0.5),
        p50,
        p90: p50.map((v) => v * 1.5),
      },
    };
  });
}

async function withBatch(
  options: Omit<BatchStandinOptions, 's3'>,
  run: (batch: BatchInferenceOptions, standin: BatchStandin) => Promise<void>,
) {
  const standin = await startBatchStandin({ s3: s3.clientConfig, stepMs: 10, ...options });
  const control = new BedrockClient({ region: 'us-east-1', endpoint: standin.url });
  try {
    await run(
      {
        control,
        s3: s3Client,
        inputUri: `s3://${BUCKET}/bedrock_batch/input/`,
        outputUri: `s3://${BUCKET}/bedrock_batch/output/`,
        roleArn: ROLE,
        jobName: `forecast-${Math.random().toString(36).slice(2, 10)}`,
        pollIntervalMs: 5,
      },
      standin,
    );
  } finally {
    control.destroy();
    await standin.close();
  }
}

describe('batch inference against the stand-ins', () => {
  it('answers 300 products in one job, falling back per faulty record with its reason', async () => {
    await withBatch(
      {
        recordFault: (i) =>
          i === 3 ? 'error' : i === 7 ? 'missing' : i === 11 ? 'malformed' : undefined,
      },
      async (batch, standin) => {
        const client = createBedrockRuntimeClient({ region: 'us-east-1' });
        const runtimeBefore = runtime.stats.requests;
        const { results, stats } = await forecastWithBedrock(inputs(300), {
          client,
          modelId: 'local',
          kind: 'converse',
          asOf: AS_OF,
          horizon: 7,
          batch,
        });
        client.destroy();

        expect(results.size).toBe(300);
        const job = [...standin.jobs.values()][0];
        expect(job).toMatchObject({ status: 'Completed', records: 100 });
        // 300 products in at least 100 records: 3 per record.
        expect(stats.batch).toMatchObject({
          status: 'Completed',
          records: 100,
          recordErrors: 1,
          recordsMissing: 1,
        });
        expect(stats.fallbackReasons).toEqual({
          'batch-record:error': 3,
          'batch-record:missing': 3,
        });
        expect(stats.accepted).toBe(294);
        // The malformed record's 3 products were asked again on demand, one each.
        expect(runtime.stats.requests - runtimeBefore).toBe(3);
        const failed = [...results.values()].filter((r) => r.source === 'fallback');
        expect(failed.map((r) => r.fallbackReason)).toEqual(
          expect.arrayContaining([
            expect.stringMatching(/record R000000004 failed \(errorCode 400: The model could not/),
            expect.stringMatching(/record R000000008 is missing from the output/),
          ]),
        );
        expect(stats.batch!.costUsd).toBeNull(); // the local model has no price
        const out = await s3Client.send(
          new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'bedrock_batch/output/' }),
        );
        const keys = (out.Contents ?? []).map((c) => c.Key!);
        expect(keys.some((k) => k.endsWith('/records.jsonl.out'))).toBe(true);
        const manifest = await s3Client.send(
          new GetObjectCommand({
            Bucket: BUCKET,
            Key: keys.find((k) => k.endsWith('manifest.json.out')),
          }),
        );
        expect(JSON.parse(await manifest.Body!.transformToString())).toMatchObject({
          totalRecordCount: 100,
          errorRecordCount: 1,
        });
      },
    );
  });

  it('sends a caching model no cache point in batch records, and one in its on-demand re-asks', async () => {
    await withBatch({ recordFault: (i) => (i === 5 ? 'malformed' : undefined) }, async (batch) => {
      const client = createBedrockRuntimeClient({ region: 'us-east-1' });
      const runtimeBefore = runtime.stats.requests;
      // Claude 3.7 Sonnet has prompt caching: every on-demand Converse request carries a cache
      // point. A record with one would be answered with an error by the batch stand-in.
      const { stats } = await forecastWithBedrock(inputs(200), {
        client,
        modelId: 'us.anthropic.claude-3-7-sonnet-20250219-v1:0',
        kind: 'converse',
        asOf: AS_OF,
        horizon: 7,
        batch,
      });
      client.destroy();
      expect(stats.batch).toMatchObject({ status: 'Completed', records: 100, recordErrors: 0 });
      expect(stats.fallback).toBe(0);
      // The malformed record's 2 products were asked again on demand, with a cache point (under
      // the model's 1,024-token minimum, so nothing is cached).
      expect(runtime.stats.requests - runtimeBefore).toBe(2);
      expect(stats).toMatchObject({ cacheReadInputTokens: 0, cacheWriteInputTokens: 0 });
      expect(stats.cacheSavingUsd).toBe(0);
      // Batch tokens at half price, the re-asks at the on-demand price.
      expect(stats.batch!.costUsd).toBeCloseTo(stats.batch!.onDemandCostUsd! / 2, 10);
      expect(stats.estimatedCostUsd!).toBeGreaterThan(stats.batch!.costUsd!);
    });
  });

  it('answers a record that carries a cachePoint with a record error', async () => {
    await withBatch({ minRecords: 2 }, async (batch, standin) => {
      const [prompt] = buildPromptBatches([inputs(1)[0].product], AS_OF, { horizon: 7 });
      const body = (cachePoint: boolean) => ({
        system: [
          { text: prompt.system },
          ...(cachePoint ? [{ cachePoint: { type: 'default' } }] : []),
        ],
        messages: [{ role: 'user', content: [{ text: prompt.user }] }],
        inferenceConfig: { maxTokens: 1000 },
      });
      await s3Client.send(
        new PutObjectCommand({
          Bucket: BUCKET,
          Key: 'bedrock_batch/input/cache-point/records.jsonl',
          Body: [
            { recordId: 'R1', modelInput: body(false) },
            { recordId: 'R2', modelInput: body(true) },
          ]
            .map((r) => `${JSON.stringify(r)}\n`)
            .join(''),
        }),
      );
      const { jobArn } = await batch.control.send(
        new CreateModelInvocationJobCommand({
          jobName: 'cache-point',
          modelId: 'local',
          roleArn: ROLE,
          modelInvocationType: 'Converse',
          inputDataConfig: {
            s3InputDataConfig: { s3Uri: `s3://${BUCKET}/bedrock_batch/input/cache-point/` },
          },
          outputDataConfig: {
            s3OutputDataConfig: { s3Uri: `s3://${BUCKET}/bedrock_batch/output/` },
          },
        }),
      );
      let status: string | undefined;
      for (let i = 0; i < 100 && status !== 'Completed'; i++) {
        await new Promise((r) => setTimeout(r, 20));
        status = (
          await batch.control.send(new GetModelInvocationJobCommand({ jobIdentifier: jobArn }))
        ).status;
      }
      expect(status).toBe('Completed');
      expect(standin.jobs.get(jobArn!)?.records).toBe(2);
      const jobId = jobArn!.slice(jobArn!.lastIndexOf('/') + 1);
      const out = await s3Client.send(
        new GetObjectCommand({
          Bucket: BUCKET,
          Key: `bedrock_batch/output/${jobId}/records.jsonl.out`,
        }),
      );
      const lines = (await out.Body!.transformToString())
        .trim()
        .split('\n')
        .map(
          (l) =>
            JSON.parse(l) as {
              recordId: string;
              modelOutput?: unknown;
              error?: { errorMessage: string };
            },
        );
      expect(lines.find((l) => l.recordId === 'R1')).toMatchObject({
        modelOutput: { stopReason: 'end_turn' },
      });
      expect(lines.find((l) => l.recordId === 'R2')?.error?.errorMessage).toMatch(
        /cachePoint is not accepted in batch inference records/,
      );
    });
  });

  it('stops a job still running at the deadline and falls back for all of it', async () => {
    await withBatch({ jobFault: 'stall' }, async (batch, standin) => {
      const client = createBedrockRuntimeClient({ region: 'us-east-1' });
      const { stats } = await forecastWithBedrock(inputs(120), {
        client,
        modelId: 'local',
        kind: 'converse',
        asOf: AS_OF,
        horizon: 7,
        batch,
        signal: AbortSignal.timeout(2_000),
      });
      client.destroy();
      expect(stats.fallbackReasons).toEqual({ deadline: 120 });
      expect(stats.batch?.status).toBe('Stopped');
      const job = [...standin.jobs.values()][0];
      // The stand-in saw the stop request.
      expect(job.status).toBe('Stopping');
    });
  });

  it('falls back for every product of a job that fails validation (too few records)', async () => {
    await withBatch({ minRecords: 500 }, async (batch) => {
      const client = createBedrockRuntimeClient({ region: 'us-east-1' });
      const { stats, results } = await forecastWithBedrock(inputs(120), {
        client,
        modelId: 'local',
        kind: 'converse',
        asOf: AS_OF,
        horizon: 7,
        batch,
      });
      client.destroy();
      expect(stats.fallbackReasons).toEqual({ 'batch-job:failed': 120 });
      expect(results.get('SKU0000')!.fallbackReason).toMatch(
        /ended Failed: The job has 120 record/,
      );
    });
  });
});
