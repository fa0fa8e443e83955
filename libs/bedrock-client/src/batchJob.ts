import {
  CreateModelInvocationJobCommand,
  GetModelInvocationJobCommand,
  StopModelInvocationJobCommand,
  type GetModelInvocationJobCommandOutput,
} from '@aws-sdk/client-bedrock';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { errorMessage, sleep, type Logger } from '@retail-forecast/util';
import { inputJsonl, parseOutputJsonl, recordIdOf } from './batchRecords';
import { BatchJobConfigError, BedrockOptionsError } from './errors';
import type { ModelAdapter } from './modelAdapter';
import { allOf, outcomesFromParse, type Outcome } from './outcomes';
import type { RunLedger } from './RunLedger';
import type { BatchInferenceOptions } from './types';

/** Default minimum records per job (Bedrock quota "Minimum number of records per batch inference job"). */
export const DEFAULT_BATCH_MIN_RECORDS = 100;
/** Default maximum records per job (quota "Records per batch inference job", 50,000). */
export const DEFAULT_BATCH_MAX_RECORDS = 50_000;
export const DEFAULT_BATCH_POLL_INTERVAL_MS = 60_000;
/** Shortest timeout Bedrock accepts for a job, hours (24–168). */
export const DEFAULT_BATCH_TIMEOUT_HOURS = 24;

const TERMINAL = new Set(['Completed', 'PartiallyCompleted', 'Failed', 'Stopped', 'Expired']);
/** CreateModelInvocationJob's jobName: 1–63 characters, `[a-zA-Z0-9]{1,63}(-*[a-zA-Z0-9\+\-\.]){0,63}`. */
const JOB_NAME = /^[a-zA-Z0-9](-*[a-zA-Z0-9+\-.])*$/;
/** clientRequestToken: `[a-zA-Z0-9](-*[a-zA-Z0-9])*`, 1–256 characters. */
const REQUEST_TOKEN = /^[a-zA-Z0-9](-*[a-zA-Z0-9])*$/;
/** Errors that say the job cannot work as configured (role, model, S3 location, permissions). */
const CONFIG_ERRORS = new Set([
  'AccessDeniedException',
  'ValidationException',
  'ResourceNotFoundException',
]);

/**
 * S3 errors on writing the records that no retry can fix: a wrong `FORECAST_BATCH_S3` bucket, no
 * write permission, or rejected credentials. They stop the run (exit 2) instead of falling back
 * for every product day after day.
 */
const S3_CONFIG_ERRORS = new Set([
  'NoSuchBucket',
  'AccessDenied',
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
  'InvalidBucketName',
  'PermanentRedirect',
  'AuthorizationHeaderMalformed',
  'CredentialsProviderError',
]);

/** `s3://bucket/prefix/` as bucket and key prefix (with a trailing slash, or empty). */
export function parseS3Prefix(uri: string, name: string): { bucket: string; prefix: string } {
  const m = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(.*))?$/.exec(uri);
  if (!m) {
    throw new BedrockOptionsError(
      `batch ${name} "${uri}" is not an S3 location (expected s3://bucket/prefix/)`,
    );
  }
  const prefix = m[2] ?? '';
  return { bucket: m[1], prefix: prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/` };
}

/**
 * A job name valid for CreateModelInvocationJob from any text (e.g. `forecast-2026-11-29-<run id>`):
 * characters outside the allowed set become `-`, the start is alphanumeric, at most 63 characters.
 */
export function batchJobName(text: string): string {
  const cleaned = text
    .replace(/[^a-zA-Z0-9+\-.]/g, '-')
    .replace(/^[^a-zA-Z0-9]+/, '')
    .slice(0, 63)
    .replace(/[^a-zA-Z0-9]+$/, '');
  return cleaned === '' ? 'forecast' : cleaned;
}

/** An idempotency token from a run id: the same run (a retried start) creates one job only. */
export function batchRequestToken(runId: string): string {
  const cleaned = runId
    .replace(/[^a-zA-Z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 256);
  return cleaned === '' ? 'forecast' : cleaned;
}

export function validateBatchOptions(batch: BatchInferenceOptions): void {
  if (!JOB_NAME.test(batch.jobName) || batch.jobName.length > 63) {
    throw new BedrockOptionsError(
      `batch jobName "${batch.jobName}" is not allowed (expected 1-63 of a-z A-Z 0-9 + - ., starting with a letter or digit; batchJobName() makes one)`,
    );
  }
  if (batch.clientRequestToken !== undefined && !REQUEST_TOKEN.test(batch.clientRequestToken)) {
    throw new BedrockOptionsError(
      `batch clientRequestToken "${batch.clientRequestToken}" is not allowed (expected letters and digits joined by -)`,
    );
  }
  if (!/^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/.test(batch.roleArn)) {
    throw new BedrockOptionsError(
      `batch roleArn "${batch.roleArn}" is not an IAM role ARN (expected arn:aws:iam::<account>:role/<name>)`,
    );
  }
  parseS3Prefix(batch.inputUri, 'inputUri');
  parseS3Prefix(batch.outputUri, 'outputUri');
  for (const [name, value] of [
    ['minRecords', batch.minRecords],
    ['maxRecords', batch.maxRecords],
    ['pollIntervalMs', batch.pollIntervalMs],
  ] as const) {
    if (value !== undefined && (!Number.isInteger(value) || value < 1)) {
      throw new BedrockOptionsError(
        `batch ${name} ${value} is not allowed (expected an integer >= 1)`,
      );
    }
  }
  const hours = batch.timeoutHours;
  if (hours !== undefined && (!Number.isInteger(hours) || hours < 24 || hours > 168)) {
    throw new BedrockOptionsError(
      `batch timeoutHours ${hours} is not allowed (expected whole hours from 24 to 168)`,
    );
  }
}

const nameOf = (err: unknown) => (err as { name?: string } | undefined)?.name ?? 'Error';

/** What `runBatchJob` needs from the run it serves. */
export interface BatchJobContext {
  batch: BatchInferenceOptions;
  modelId: string;
  adapter: ModelAdapter & { batch: NonNullable<ModelAdapter['batch']> };
  ledger: RunLedger;
  log: Pick<Logger, 'info' | 'warn'>;
  /** The run's deadline for model work: the job is stopped when it aborts. */
  deadline?: AbortSignal;
  /** Outcomes of products the deadline stopped. */
  pastDeadline(ids: string[]): Map<string, Outcome>;
}

/**
 * Sends the first pass's `groups` (one record each) as one batch inference job: writes the records
 * as JSONL under `inputUri`, creates the job (invocation type `Converse`), polls it until it ends
 * or the deadline aborts (then stops it), reads every `.out` file under `outputUri/<job id>/` and
 * turns each record into its products' outcomes through the adapter's parser, as a synchronous
 * answer would be. A record answered with an error, or absent from the output, fails for its own
 * products only; a job that fails, expires or is stopped fails for all of them.
 * @throws BatchJobConfigError when Bedrock refuses the job as configured (access, role, model, S3)
 */
export async function runBatchJob(
  groups: string[][],
  ctx: BatchJobContext,
): Promise<Map<string, Outcome>> {
  const { batch, adapter, ledger, log } = ctx;
  const started = Date.now();
  const records = groups.map((ids, i) => ({
    recordId: recordIdOf(i),
    ids,
    modelInput: adapter.batch.modelInput(ids),
  }));
  const byRecord = new Map(records.map((r) => [r.recordId, r.ids]));
  const every = groups.flat();
  const book = (
    status: string,
    extra: { jobArn?: string; recordErrors?: number; recordsMissing?: number } = {},
  ) =>
    ledger.recordBatchJob({
      status,
      records: records.length,
      recordErrors: extra.recordErrors ?? 0,
      recordsMissing: extra.recordsMissing ?? 0,
      seconds: Math.round((Date.now() - started) / 100) / 10,
      ...(extra.jobArn !== undefined ? { jobArn: extra.jobArn } : {}),
    });

  const input = parseS3Prefix(batch.inputUri, 'inputUri');
  const output = parseS3Prefix(batch.outputUri, 'outputUri');
  const inputKey = `${input.prefix}${batch.jobName}/records.jsonl`;
  let jobArn: string;
  try {
    await batch.s3
      .send(
        new PutObjectCommand({
          Bucket: input.bucket,
          Key: inputKey,
          Body: inputJsonl(records.map(({ recordId, modelInput }) => ({ recordId, modelInput }))),
          ContentType: 'application/jsonl',
        }),
        { abortSignal: ctx.deadline },
      )
      .catch((err: unknown) => {
        const name = nameOf(err);
        if (!S3_CONFIG_ERRORS.has(name)) throw err;
        throw new BatchJobConfigError(
          `could not write the batch inference records to s3://${input.bucket}/${inputKey} (${name}: ${errorMessage(err)}). ` +
            `Check the batch location (FORECAST_BATCH_S3 / --batch-s3), that the bucket exists in this region, ` +
            `and that the job's credentials may s3:PutObject there.`,
          { cause: err },
        );
      });
    ledger.countRequest();
    const created = await batch.control.send(
      new CreateModelInvocationJobCommand({
        jobName: batch.jobName,
        roleArn: batch.roleArn,
        modelId: ctx.modelId,
        modelInvocationType: 'Converse',
        ...(batch.clientRequestToken !== undefined
          ? { clientRequestToken: batch.clientRequestToken }
          : {}),
        timeoutDurationInHours: batch.timeoutHours ?? DEFAULT_BATCH_TIMEOUT_HOURS,
        inputDataConfig: {
          s3InputDataConfig: {
            s3Uri: `s3://${input.bucket}/${input.prefix}${batch.jobName}/`,
            s3InputFormat: 'JSONL',
          },
        },
        outputDataConfig: {
          s3OutputDataConfig: { s3Uri: `s3://${output.bucket}/${output.prefix}` },
        },
      }),
      { abortSignal: ctx.deadline },
    );
    jobArn = created.jobArn!;
  } catch (err) {
    if (err instanceof BatchJobConfigError) throw err;
    if (ctx.deadline?.aborted) {
      book('NotCreated');
      return ctx.pastDeadline(every);
    }
    const name = nameOf(err);
    if (CONFIG_ERRORS.has(name)) {
      throw new BatchJobConfigError(
        `Bedrock refused batch inference job "${batch.jobName}" for model "${ctx.modelId}" (${name}: ${errorMessage(err)}). ` +
          `Check that the model offers batch inference in this region, that ${batch.roleArn} may read ${batch.inputUri} ` +
          `and write ${batch.outputUri}, and that the caller may pass it (iam:PassRole).`,
        { cause: err },
      );
    }
    ledger.recordFailedRequest();
    book('NotCreated');
    const detail = `the batch inference job could not be started (${name}: ${errorMessage(err)})`;
    log.warn(`${detail}; its ${every.length} product(s) fall back`);
    return allOf('failed', every, 'batch-job:not-created', detail);
  }
  log.info(
    `batch inference job ${jobArn}: ${records.length} record(s), ${every.length} product(s)`,
  );

  let job: GetModelInvocationJobCommandOutput | undefined;
  const interval = batch.pollIntervalMs ?? DEFAULT_BATCH_POLL_INTERVAL_MS;
  for (;;) {
    try {
      job = await batch.control.send(new GetModelInvocationJobCommand({ jobIdentifier: jobArn }), {
        abortSignal: ctx.deadline,
      });
    } catch (err) {
      if (!ctx.deadline?.aborted) {
        // A failed poll is not a failed job: ask again next round (the SDK already retried).
        log.warn(`polling batch job ${jobArn} failed (${nameOf(err)}: ${errorMessage(err)})`);
      }
    }
    if (job?.status && TERMINAL.has(job.status)) break;
    if (ctx.deadline?.aborted) break;
    await sleep(interval, ctx.deadline);
  }

  if (!job?.status || !TERMINAL.has(job.status)) {
    // The run's deadline: stop the job so it is not billed for answers nobody will read.
    try {
      await batch.control.send(new StopModelInvocationJobCommand({ jobIdentifier: jobArn }));
      log.warn(
        `stopped batch inference job ${jobArn} at the run's deadline (it was ${job?.status ?? 'unknown'})`,
      );
    } catch (err) {
      log.warn(`could not stop batch job ${jobArn} (${nameOf(err)}: ${errorMessage(err)})`);
    }
    book('Stopped', { jobArn });
    return ctx.pastDeadline(every);
  }
  if (job.status !== 'Completed' && job.status !== 'PartiallyCompleted') {
    book(job.status, { jobArn });
    const detail = `batch inference job ${jobArn} ended ${job.status}${job.message ? `: ${job.message}` : ''}`;
    log.warn(`${detail}; its ${every.length} product(s) fall back`);
    return allOf('failed', every, `batch-job:${job.status.toLowerCase()}`, detail);
  }

  // Bedrock writes `<output uri>/<job id>/<input file>.out` (and manifest.json.out).
  const jobId = jobArn.slice(jobArn.lastIndexOf('/') + 1);
  const seen = new Set<string>();
  const outcomes = new Map<string, Outcome>();
  let recordErrors = 0;
  let token: string | undefined;
  do {
    const page = await batch.s3.send(
      new ListObjectsV2Command({
        Bucket: output.bucket,
        Prefix: `${output.prefix}${jobId}/`,
        ContinuationToken: token,
      }),
    );
    for (const { Key } of page.Contents ?? []) {
      if (!Key?.endsWith('.jsonl.out')) continue;
      const body = await batch.s3.send(new GetObjectCommand({ Bucket: output.bucket, Key }));
      const parsed = parseOutputJsonl(await body.Body!.transformToString());
      for (const why of parsed.unreadable) log.warn(`s3://${output.bucket}/${Key} ${why}`);
      for (const rec of parsed.records) {
        const ids = byRecord.get(rec.recordId);
        if (!ids || seen.has(rec.recordId)) continue;
        seen.add(rec.recordId);
        if (rec.kind === 'error') {
          recordErrors++;
          const detail = `batch record ${rec.recordId} failed (errorCode ${rec.errorCode}: ${rec.errorMessage})`;
          for (const [id, o] of allOf('failed', ids, 'batch-record:error', detail))
            outcomes.set(id, o);
        } else {
          for (const [id, o] of outcomesFromParse(
            ids,
            adapter.batch.parse(ids, rec.modelOutput),
            log,
          ))
            outcomes.set(id, o);
        }
      }
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  let recordsMissing = 0;
  for (const { recordId, ids } of records) {
    if (seen.has(recordId)) continue;
    recordsMissing++;
    const detail = `batch record ${recordId} is missing from the output of job ${jobArn} (${job.status})`;
    for (const [id, o] of allOf('failed', ids, 'batch-record:missing', detail)) outcomes.set(id, o);
  }
  book(job.status, { jobArn, recordErrors, recordsMissing });
  if (recordErrors + recordsMissing > 0) {
    log.warn(
      `batch job ${jobArn}: ${recordErrors} record(s) answered with an error, ${recordsMissing} missing; their products fall back`,
    );
  }
  return outcomes;
}
