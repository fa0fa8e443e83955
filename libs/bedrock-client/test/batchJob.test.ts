import {
  BedrockClient,
  CreateModelInvocationJobCommand,
  GetModelInvocationJobCommand,
  StopModelInvocationJobCommand,
  AccessDeniedException,
} from '@aws-sdk/client-bedrock';
import { ConverseCommand, type ConverseCommandInput } from '@aws-sdk/client-bedrock-runtime';
import {
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { parsePromptData } from '@retail-forecast/prompt';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import {
  BatchJobConfigError,
  batchJobName,
  batchRequestToken,
  forecastWithBedrock,
  type BatchInferenceOptions,
} from '../src';
import {
  answerText,
  askedIds,
  converseOutput,
  flat7,
  inputsFor,
  mockedBedrock,
  runOptions,
  CHRONOS,
} from './helpers';

const { mock: runtime, client } = mockedBedrock();
const control = mockClient(BedrockClient);
const s3 = mockClient(S3Client);
beforeEach(() => {
  control.reset();
  s3.reset();
});
afterAll(() => {
  control.restore();
  s3.restore();
});

const JOB_ARN = 'arn:aws:bedrock:us-east-1:123456789012:model-invocation-job/abc123xyz';
const ROLE = 'arn:aws:iam::123456789012:role/forecast-batch';

const batchOptions = (over: Partial<BatchInferenceOptions> = {}): BatchInferenceOptions => ({
  control: new BedrockClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
  }),
  s3: new S3Client({
    region: 'us-east-1',
    credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
  }),
  inputUri: 's3://gold/bedrock_batch/input/',
  outputUri: 's3://gold/bedrock_batch/output/',
  roleArn: ROLE,
  jobName: 'forecast-2025-04-28-run1',
  clientRequestToken: 'run1',
  pollIntervalMs: 1,
  minRecords: 10,
  ...over,
});

const good = (id: string) => ({ id, daily: flat7(6), p10: flat7(4), p90: flat7(8) });

interface InputRecord {
  recordId: string;
  modelInput: { messages: { content: { text: string }[] }[]; toolConfig?: unknown };
}

/** The records the run wrote to S3, parsed. */
function writtenRecords(): InputRecord[] {
  const put = s3.commandCalls(PutObjectCommand)[0].args[0].input;
  return String(put.Body)
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as InputRecord);
}

const idsOf = (r: InputRecord) =>
  parsePromptData(r.modelInput.messages[0].content[0].text).products.map((p) => p.productId);

/** Serves the output file Bedrock would write, with `answer` deciding each record's line. */
function serveOutput(answer: (r: InputRecord, i: number) => object | undefined) {
  s3.on(ListObjectsV2Command).resolves({
    Contents: [
      { Key: 'bedrock_batch/output/abc123xyz/records.jsonl.out' },
      { Key: 'bedrock_batch/output/abc123xyz/manifest.json.out' },
    ],
  });
  s3.on(GetObjectCommand).callsFake(() => {
    const lines = writtenRecords()
      .map((r, i) => answer(r, i))
      .filter((l) => l !== undefined)
      .map((l) => JSON.stringify(l))
      .join('\n');
    // The SDK's stream mixin, as far as the reader uses it.
    return { Body: { transformToString: async () => lines } as never };
  });
}

describe('forecastWithBedrock with batch inference', () => {
  it('sends one Converse-type job of at least minRecords text records and settles every product', async () => {
    s3.on(PutObjectCommand).resolves({});
    control.on(CreateModelInvocationJobCommand).resolves({ jobArn: JOB_ARN });
    control
      .on(GetModelInvocationJobCommand)
      .resolvesOnce({ status: 'Submitted' } as never)
      .resolvesOnce({ status: 'InProgress' } as never)
      .resolves({ status: 'Completed' } as never);
    serveOutput((r, i) => {
      const ids = idsOf(r);
      if (i === 0)
        return { ...r, error: { errorCode: 400, errorMessage: 'Malformed input request' } };
      if (i === 1) return undefined; // missing from the output
      const text = i === 2 ? 'I cannot forecast this.' : answerText(ids.map(good));
      return { ...r, modelOutput: converseOutput(text, 1000, 200) };
    });
    // The unreadable record's product is asked again on demand.
    runtime
      .on(ConverseCommand)
      .callsFake((input: ConverseCommandInput) =>
        converseOutput(answerText(askedIds(input).map(good)), 100, 20),
      );
    const ids = Array.from({ length: 20 }, (_, i) => `P${i + 1}`);

    const { results, stats } = await forecastWithBedrock(
      inputsFor(ids),
      runOptions(client, { prompt: { maxProductsPerRequest: 20 }, batch: batchOptions() }),
    );

    const create = control.commandCalls(CreateModelInvocationJobCommand)[0].args[0].input;
    expect(create).toMatchObject({
      jobName: 'forecast-2025-04-28-run1',
      clientRequestToken: 'run1',
      roleArn: ROLE,
      modelInvocationType: 'Converse',
      inputDataConfig: {
        s3InputDataConfig: { s3Uri: 's3://gold/bedrock_batch/input/forecast-2025-04-28-run1/' },
      },
      outputDataConfig: { s3OutputDataConfig: { s3Uri: 's3://gold/bedrock_batch/output/' } },
    });
    const records = writtenRecords();
    // 20 products would make 1 prompt batch; the job's minimum of 10 records makes 10 of 2.
    expect(records).toHaveLength(10);
    expect(records.every((r) => r.modelInput.toolConfig === undefined)).toBe(true);
    expect(records.map((r) => r.recordId)).toContain('R000000001');

    const first = idsOf(records[0]);
    const second = idsOf(records[1]);
    const third = idsOf(records[2]);
    for (const id of first) {
      expect(results.get(id)).toMatchObject({ source: 'fallback' });
      expect(results.get(id)!.fallbackReason).toMatch(
        /record R000000001 failed \(errorCode 400: Malformed/,
      );
    }
    for (const id of second)
      expect(results.get(id)!.fallbackReason).toMatch(/R000000002 is missing/);
    for (const id of third) expect(results.get(id)).toMatchObject({ source: 'model' });
    expect(stats).toMatchObject({
      accepted: 16,
      fallback: 4,
      fallbackReasons: { 'batch-record:error': 2, 'batch-record:missing': 2 },
    });
    // Two on-demand re-asks for the unreadable record's two products.
    expect(runtime.commandCalls(ConverseCommand)).toHaveLength(2);
    expect(stats.batch).toMatchObject({
      jobArn: JOB_ARN,
      status: 'Completed',
      records: 10,
      recordErrors: 1,
      recordsMissing: 1,
      inputTokens: 8000,
      outputTokens: 1600,
    });
    // Claude 3.7 Sonnet: $0.003 / $0.015 per 1k on demand, half in batch.
    expect(stats.batch!.onDemandCostUsd).toBeCloseTo(0.024 + 0.024, 10);
    expect(stats.batch!.costUsd).toBeCloseTo(0.024, 10);
    expect(stats.estimatedCostUsd).toBeCloseTo(0.024 + 0.0006 + 0.0006, 10);
  });

  it('sends batch records without a cache point, re-asks with one, and claims no cache saving for batch tokens', async () => {
    s3.on(PutObjectCommand).resolves({});
    control.on(CreateModelInvocationJobCommand).resolves({ jobArn: JOB_ARN });
    control.on(GetModelInvocationJobCommand).resolves({ status: 'Completed' } as never);
    serveOutput((r, i) => {
      const text = i === 0 ? 'I cannot forecast this.' : answerText(idsOf(r).map(good));
      const out = converseOutput(text, 1000, 200);
      // A cache counter in a batch answer (none is expected: records carry no cache point).
      return { ...r, modelOutput: { ...out, usage: { ...out.usage, cacheReadInputTokens: 500 } } };
    });
    const asked: ConverseCommandInput[] = [];
    runtime.on(ConverseCommand).callsFake((input: ConverseCommandInput) => {
      asked.push(input);
      const out = converseOutput(answerText(askedIds(input).map(good)), 100, 20);
      return { ...out, usage: { ...out.usage, cacheReadInputTokens: 1000 } };
    });
    const ids = Array.from({ length: 10 }, (_, i) => `P${i + 1}`);

    // MODEL (Claude 3.7 Sonnet) has prompt caching: on demand every request gets a cache point.
    const { stats } = await forecastWithBedrock(
      inputsFor(ids),
      runOptions(client, { batch: batchOptions() }),
    );

    const records = writtenRecords();
    expect(records).toHaveLength(10);
    for (const r of records) {
      expect(JSON.stringify(r.modelInput)).not.toContain('cachePoint');
      expect((r.modelInput as { system?: unknown[] }).system).toHaveLength(1);
    }
    expect(asked).toHaveLength(1);
    expect(asked[0].system).toEqual([
      { text: expect.any(String) },
      { cachePoint: { type: 'default' } },
    ]);
    // Batch: 10 records × (1,000 + 500) in / 200 out at half of $0.003 / $0.015 per 1k.
    expect(stats.batch).toMatchObject({ inputTokens: 15_000, outputTokens: 2000 });
    expect(stats.batch!.costUsd).toBeCloseTo(0.0225 + 0.015, 10);
    expect(stats.batch!.onDemandCostUsd).toBeCloseTo(0.045 + 0.03, 10);
    // On demand: the re-ask's 1,000 cache reads at $0.0003 per 1k instead of $0.003.
    expect(stats.cacheReadInputTokens).toBe(1000);
    expect(stats.cacheWriteInputTokens).toBe(0);
    expect(stats.cacheSavingUsd).toBeCloseTo(0.003 - 0.0003, 10);
    expect(stats.estimatedCostUsd).toBeCloseTo(0.0375 + 0.0003 + 0.0003 + 0.0003, 10);
  });

  it('stops the job at the deadline and falls back for all of its products', async () => {
    s3.on(PutObjectCommand).resolves({});
    control.on(CreateModelInvocationJobCommand).resolves({ jobArn: JOB_ARN });
    const deadline = new AbortController();
    let polls = 0;
    control.on(GetModelInvocationJobCommand).callsFake(() => {
      if (++polls === 3) deadline.abort(new Error('model requests stop before the deadline'));
      return { status: 'InProgress' };
    });
    control.on(StopModelInvocationJobCommand).resolves({});
    const ids = Array.from({ length: 10 }, (_, i) => `P${i + 1}`);

    const { stats, results } = await forecastWithBedrock(
      inputsFor(ids),
      runOptions(client, { batch: batchOptions(), signal: deadline.signal }),
    );

    expect(control.commandCalls(StopModelInvocationJobCommand)[0].args[0].input).toEqual({
      jobIdentifier: JOB_ARN,
    });
    expect(stats).toMatchObject({ accepted: 0, fallback: 10, fallbackReasons: { deadline: 10 } });
    expect(stats.batch).toMatchObject({ status: 'Stopped', jobArn: JOB_ARN });
    expect(results.get('P1')!.fallbackReason).toMatch(/before the run's deadline/);
  });

  it('falls back for every product of a job that fails, naming its status and message', async () => {
    s3.on(PutObjectCommand).resolves({});
    control.on(CreateModelInvocationJobCommand).resolves({ jobArn: JOB_ARN });
    control
      .on(GetModelInvocationJobCommand)
      .resolves({ status: 'Expired', message: 'not started within 24 hours' } as never);
    const ids = Array.from({ length: 10 }, (_, i) => `P${i + 1}`);
    const { stats, results } = await forecastWithBedrock(
      inputsFor(ids),
      runOptions(client, { batch: batchOptions() }),
    );
    expect(stats.fallbackReasons).toEqual({ 'batch-job:expired': 10 });
    expect(results.get('P3')!.fallbackReason).toMatch(/ended Expired: not started within 24 hours/);
  });

  it('asks on demand when fewer products than the minimum records are to be asked', async () => {
    runtime
      .on(ConverseCommand)
      .callsFake((input: ConverseCommandInput) =>
        converseOutput(answerText(askedIds(input).map(good))),
      );
    const { stats } = await forecastWithBedrock(
      inputsFor(['P1', 'P2', 'P3']),
      runOptions(client, { batch: batchOptions({ minRecords: 100 }) }),
    );
    expect(control.commandCalls(CreateModelInvocationJobCommand)).toHaveLength(0);
    expect(stats.accepted).toBe(3);
    expect(stats.batch).toBeUndefined();
  });

  it('stops the run with a config error when Bedrock refuses the job (role cannot be passed)', async () => {
    s3.on(PutObjectCommand).resolves({});
    control.on(CreateModelInvocationJobCommand).rejects(
      new AccessDeniedException({
        message: 'not authorized to perform iam:PassRole',
        $metadata: {},
      }),
    );
    const ids = Array.from({ length: 10 }, (_, i) => `P${i + 1}`);
    const run = forecastWithBedrock(inputsFor(ids), runOptions(client, { batch: batchOptions() }));
    await expect(run).rejects.toBeInstanceOf(BatchJobConfigError);
    await expect(run).rejects.toThrow(/iam:PassRole/);
  });

  it.each(['NoSuchBucket', 'AccessDenied', 'InvalidAccessKeyId'])(
    'stops the run with a config error naming the location when S3 refuses the records (%s)',
    async (name) => {
      s3.on(PutObjectCommand).rejects(Object.assign(new Error(`S3 said ${name}`), { name }));
      const ids = Array.from({ length: 10 }, (_, i) => `P${i + 1}`);
      const run = forecastWithBedrock(
        inputsFor(ids),
        runOptions(client, { batch: batchOptions() }),
      );
      await expect(run).rejects.toBeInstanceOf(BatchJobConfigError);
      await expect(run).rejects.toThrow(/s3:\/\/gold\/bedrock_batch\/input\/.*records\.jsonl/);
      expect(control.commandCalls(CreateModelInvocationJobCommand)).toHaveLength(0);
    },
  );

  it('falls back for every product when writing the records fails transiently', async () => {
    s3.on(PutObjectCommand).rejects(Object.assign(new Error('reset'), { name: 'InternalError' }));
    const ids = Array.from({ length: 10 }, (_, i) => `P${i + 1}`);
    const { stats } = await forecastWithBedrock(
      inputsFor(ids),
      runOptions(client, { batch: batchOptions() }),
    );
    expect(stats.fallback).toBe(10);
    expect(stats.fallbackReasons).toEqual({ 'batch-job:not-created': 10 });
    expect(stats.batch?.status).toBe('NotCreated');
  });

  it('refuses batch for Chronos, Chronos-2 and bad job names before any request', async () => {
    await expect(
      forecastWithBedrock(
        inputsFor(['P1']),
        runOptions(client, { kind: 'chronos', modelId: CHRONOS, batch: batchOptions() }),
      ),
    ).rejects.toThrow(/batch inference is not available for chronos:/);
    await expect(
      forecastWithBedrock(
        inputsFor(['P1']),
        runOptions(client, {
          kind: 'chronos2',
          modelId: 'chronos-2-endpoint',
          sagemaker: {} as never,
          batch: batchOptions(),
        }),
      ),
    ).rejects.toThrow(
      /batch inference is not available for chronos2:chronos-2-endpoint .*SageMaker real-time endpoint/,
    );
    await expect(
      forecastWithBedrock(
        inputsFor(['P1']),
        runOptions(client, { batch: batchOptions({ jobName: 'bad name!' }) }),
      ),
    ).rejects.toThrow(/jobName "bad name!" is not allowed/);
    expect(s3.calls()).toHaveLength(0);
  });
});

describe('batchJobName / batchRequestToken', () => {
  it('makes API-valid names and tokens from any text', () => {
    expect(batchJobName('forecast 2025-04-28 / run_1')).toBe('forecast-2025-04-28---run-1');
    expect(batchJobName('__x'.repeat(40))).toMatch(/^x[a-zA-Z0-9+\-.]{0,62}$/);
    expect(batchRequestToken('9f1c_2a:b')).toBe('9f1c-2a-b');
  });
});
