import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import {
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import { errorMessage } from '@retail-forecast/util';
import { decodeRequest } from './decode';
import { BadRequestError, StandinOptionsError } from './errors';
import { answerFor, type ServiceError } from './respond';

/** What the stand-in does to one record of a job. */
export type BatchRecordFault = 'error' | 'malformed' | 'missing';
/** What the stand-in does to a whole job: `fail` and `expire` end it so, `stall` never ends it. */
export type BatchJobFault = 'fail' | 'expire' | 'stall';

export interface BatchStandinOptions {
  /** Config of an S3 client for the local S3 the jobs read and write (e.g. `LocalS3.clientConfig`). */
  s3: S3ClientConfig;
  /** Time each of Submitted, Validating, Scheduled and InProgress lasts, ms (default 20). */
  stepMs?: number;
  /** Fewer records fail the job at validation, as Bedrock's quota does (default 100). */
  minRecords?: number;
  /** Per record (0-based index in its file, and its id): a fault, or undefined to answer it. */
  recordFault?: (index: number, recordId: string) => BatchRecordFault | undefined;
  jobFault?: BatchJobFault;
}

export interface BatchStandinJob {
  jobArn: string;
  jobName: string;
  modelId: string;
  status: string;
  records: number;
}

export interface BatchStandin {
  /** e.g. `http://127.0.0.1:41234`: set `AWS_ENDPOINT_URL_BEDROCK` to it. */
  url: string;
  /** Every job created, by ARN. */
  jobs: Map<string, BatchStandinJob>;
  close(): Promise<void>;
}

const ACCOUNT = '123456789012';
const REGION = 'us-east-1';
const JOB_NAME = /^[a-zA-Z0-9](-*[a-zA-Z0-9+\-.])*$/;
const RECORD_ID = /^[a-zA-Z0-9]{1,128}$/;
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/;

interface Job extends BatchStandinJob {
  created: number;
  clientRequestToken?: string;
  roleArn: string;
  invocationType: string;
  input: { bucket: string; prefix: string };
  output: { bucket: string; prefix: string };
  /** Set once the job has ended (status fixed from then on). */
  ended?: { status: string; message?: string; at: number };
  stopRequested?: number;
  finishing?: Promise<void>;
}

function s3Location(uri: unknown, field: string): { bucket: string; prefix: string } {
  const m = typeof uri === 'string' ? /^s3:\/\/([^/]+)\/?(.*)$/.exec(uri) : null;
  if (!m) throw new BadRequestError(`${field} ${JSON.stringify(uri)} is not an s3:// URI`);
  return { bucket: m[1], prefix: m[2] };
}

/** Whether a Converse body has a `cachePoint` block in its system prompt, messages or tools. */
function hasCachePoint(body: object): boolean {
  const b = body as {
    system?: unknown;
    messages?: { content?: unknown }[];
    toolConfig?: { tools?: unknown };
  };
  const blocks = [
    ...(Array.isArray(b.system) ? b.system : []),
    ...(Array.isArray(b.messages) ? b.messages : []).flatMap((m) =>
      Array.isArray(m?.content) ? m.content : [],
    ),
    ...(Array.isArray(b.toolConfig?.tools) ? b.toolConfig.tools : []),
  ];
  return blocks.some((x) => typeof x === 'object' && x !== null && 'cachePoint' in x);
}

const validation = (message: string): ServiceError => ({
  status: 400,
  type: 'ValidationException',
  message,
});

/**
 * A local stand-in for the Bedrock control plane's batch inference job API
 * (`POST /model-invocation-job`, `GET /model-invocation-job/{jobIdentifier}`,
 * `POST /model-invocation-job/{jobIdentifier}/stop`) over HTTP/1.1, the control-plane client's
 * default. Jobs read their JSONL input from the local S3 and write `<input file>.out` and
 * `manifest.json.out` under `<output uri><job id>/`, answering each Converse record as the runtime
 * stand-in answers a Converse call. Status moves Submitted → Validating → Scheduled → InProgress →
 * Completed, one `stepMs` each; record and job faults are configurable.
 */
export async function startBatchStandin(options: BatchStandinOptions): Promise<BatchStandin> {
  const stepMs = options.stepMs ?? 20;
  const minRecords = options.minRecords ?? 100;
  if (!Number.isFinite(stepMs) || stepMs < 0) {
    throw new StandinOptionsError(`stepMs ${stepMs} is not allowed (expected milliseconds >= 0)`);
  }
  const s3 = new S3Client(options.s3);
  const jobs = new Map<string, Job>();
  const byToken = new Map<string, Job>();

  const readInput = async (job: Job) => {
    const listed = await s3.send(
      new ListObjectsV2Command({ Bucket: job.input.bucket, Prefix: job.input.prefix }),
    );
    const files: { key: string; lines: string[] }[] = [];
    for (const { Key } of listed.Contents ?? []) {
      if (!Key?.endsWith('.jsonl')) continue;
      const got = await s3.send(new GetObjectCommand({ Bucket: job.input.bucket, Key }));
      const text = await got.Body!.transformToString();
      files.push({ key: Key, lines: text.split('\n').filter((l) => l.trim() !== '') });
    }
    return files;
  };

  /** Validates the input and writes the output files; sets `ended`. */
  const finish = async (job: Job) => {
    const files = await readInput(job);
    const total = files.reduce((n, f) => n + f.lines.length, 0);
    if (files.length === 0 || total < minRecords) {
      job.ended = {
        status: 'Failed',
        message: `The job has ${total} record(s) in ${files.length} .jsonl file(s); at least ${minRecords} are required.`,
        at: Date.now(),
      };
      return;
    }
    let success = 0;
    let errors = 0;
    for (const file of files) {
      const out: string[] = [];
      file.lines.forEach((line, index) => {
        let rec: { recordId?: unknown; modelInput?: unknown };
        try {
          rec = JSON.parse(line);
        } catch {
          errors++;
          out.push(
            JSON.stringify({
              recordId: `line${index + 1}`,
              error: { errorCode: 400, errorMessage: 'Malformed JSON in input record' },
            }),
          );
          return;
        }
        const recordId =
          typeof rec.recordId === 'string' && RECORD_ID.test(rec.recordId)
            ? rec.recordId
            : randomBytes(6).toString('hex').toUpperCase().slice(0, 11);
        const fault = options.recordFault?.(index, recordId);
        if (fault === 'missing') return;
        const fail = (errorMessage: string) => {
          errors++;
          out.push(
            JSON.stringify({
              recordId,
              modelInput: rec.modelInput,
              error: { errorCode: 400, errorMessage },
            }),
          );
        };
        const body = rec.modelInput as { toolConfig?: unknown } | undefined;
        if (typeof body !== 'object' || body === null) return fail('modelInput is not an object');
        if (job.invocationType === 'Converse' && body.toolConfig !== undefined) {
          // Converse-type batch jobs do not support tool calling (Bedrock user guide).
          return fail('toolConfig is not supported for batch inference jobs of type Converse');
        }
        if (hasCachePoint(body)) {
          // Prompt caching is documented for on-demand Converse calls, not for batch records; the
          // stand-in refuses a cache point there so a client that sends one finds out here.
          return fail(
            'cachePoint is not accepted in batch inference records by this stand-in (prompt caching is documented for on-demand Converse calls only)',
          );
        }
        if (fault === 'error') return fail('The model could not process the record.');
        try {
          const request = decodeRequest('converse', JSON.stringify(body));
          const reply = answerFor(request, fault === 'malformed' ? 'not-json' : 'none')(0);
          out.push(
            JSON.stringify({
              recordId,
              modelInput: body,
              modelOutput: JSON.parse(String(reply.body)),
            }),
          );
          success++;
        } catch (err) {
          fail(
            err instanceof BadRequestError ? err.message : `stand-in failure: ${errorMessage(err)}`,
          );
        }
      });
      const name = file.key.slice(file.key.lastIndexOf('/') + 1);
      const jobId = job.jobArn.slice(job.jobArn.lastIndexOf('/') + 1);
      await s3.send(
        new PutObjectCommand({
          Bucket: job.output.bucket,
          Key: `${job.output.prefix}${jobId}/${name}.out`,
          Body: out.map((l) => `${l}\n`).join(''),
        }),
      );
    }
    const jobId = job.jobArn.slice(job.jobArn.lastIndexOf('/') + 1);
    await s3.send(
      new PutObjectCommand({
        Bucket: job.output.bucket,
        Key: `${job.output.prefix}${jobId}/manifest.json.out`,
        Body: JSON.stringify({
          totalRecordCount: total,
          processedRecordCount: success + errors,
          successRecordCount: success,
          errorRecordCount: errors,
        }),
      }),
    );
    job.records = total;
    job.ended = { status: 'Completed', at: Date.now() };
  };

  /** The job's status now, finishing it (writing its output) when its time has come. */
  const statusOf = async (job: Job): Promise<string> => {
    if (job.ended) return job.ended.status;
    if (job.stopRequested !== undefined) {
      if (Date.now() - job.stopRequested >= stepMs)
        job.ended = { status: 'Stopped', at: Date.now() };
      return job.ended?.status ?? 'Stopping';
    }
    const step = Math.floor((Date.now() - job.created) / Math.max(1, stepMs));
    if (options.jobFault === 'stall') return step < 1 ? 'Submitted' : 'InProgress';
    if (options.jobFault === 'expire' && step >= 2) {
      job.ended = {
        status: 'Expired',
        message: 'The job was not started before its timeout.',
        at: Date.now(),
      };
      return 'Expired';
    }
    if (options.jobFault === 'fail' && step >= 1) {
      job.ended = {
        status: 'Failed',
        message: 'Internal error while processing the job.',
        at: Date.now(),
      };
      return 'Failed';
    }
    if (step < 4) return ['Submitted', 'Validating', 'Scheduled', 'InProgress'][step];
    job.finishing ??= finish(job).catch((err: unknown) => {
      job.ended = {
        status: 'Failed',
        message: `stand-in failure: ${errorMessage(err)}`,
        at: Date.now(),
      };
    });
    await job.finishing;
    return job.ended!.status;
  };

  const describe = async (job: Job) => {
    const status = await statusOf(job);
    job.status = status;
    return {
      jobArn: job.jobArn,
      jobName: job.jobName,
      modelId: job.modelId,
      roleArn: job.roleArn,
      status,
      ...(job.ended?.message ? { message: job.ended.message } : {}),
      ...(job.clientRequestToken ? { clientRequestToken: job.clientRequestToken } : {}),
      submitTime: new Date(job.created).toISOString(),
      lastModifiedTime: new Date().toISOString(),
      ...(job.ended ? { endTime: new Date(job.ended.at).toISOString() } : {}),
      modelInvocationType: job.invocationType,
      inputDataConfig: {
        s3InputDataConfig: {
          s3Uri: `s3://${job.input.bucket}/${job.input.prefix}`,
          s3InputFormat: 'JSONL',
        },
      },
      outputDataConfig: {
        s3OutputDataConfig: { s3Uri: `s3://${job.output.bucket}/${job.output.prefix}` },
      },
      timeoutDurationInHours: 24,
    };
  };

  const create = (body: Record<string, unknown>) => {
    const token = typeof body.clientRequestToken === 'string' ? body.clientRequestToken : undefined;
    if (token && byToken.has(token)) return { jobArn: byToken.get(token)!.jobArn };
    const jobName = body.jobName;
    if (typeof jobName !== 'string' || jobName.length > 63 || !JOB_NAME.test(jobName)) {
      throw validation(
        `jobName ${JSON.stringify(jobName)} does not match [a-zA-Z0-9](-*[a-zA-Z0-9+\\-.])* (1-63)`,
      );
    }
    if (typeof body.roleArn !== 'string' || !ROLE_ARN.test(body.roleArn)) {
      throw validation(`roleArn ${JSON.stringify(body.roleArn)} is not an IAM role ARN`);
    }
    if (typeof body.modelId !== 'string' || body.modelId === '')
      throw validation('modelId is required');
    const inputCfg = (
      body.inputDataConfig as { s3InputDataConfig?: { s3Uri?: unknown } } | undefined
    )?.s3InputDataConfig;
    const outputCfg = (
      body.outputDataConfig as { s3OutputDataConfig?: { s3Uri?: unknown } } | undefined
    )?.s3OutputDataConfig;
    let input, output;
    try {
      input = s3Location(inputCfg?.s3Uri, 'inputDataConfig.s3InputDataConfig.s3Uri');
      output = s3Location(outputCfg?.s3Uri, 'outputDataConfig.s3OutputDataConfig.s3Uri');
    } catch (err) {
      throw validation(errorMessage(err));
    }
    if ([...jobs.values()].some((j) => j.jobName === jobName)) {
      throw {
        status: 409,
        type: 'ConflictException',
        message: `A job named ${jobName} already exists.`,
      };
    }
    const id = randomBytes(6).toString('hex');
    const job: Job = {
      jobArn: `arn:aws:bedrock:${REGION}:${ACCOUNT}:model-invocation-job/${id}`,
      jobName,
      modelId: body.modelId,
      roleArn: body.roleArn,
      status: 'Submitted',
      records: 0,
      created: Date.now(),
      invocationType:
        typeof body.modelInvocationType === 'string' ? body.modelInvocationType : 'InvokeModel',
      input,
      output,
      ...(token ? { clientRequestToken: token } : {}),
    };
    jobs.set(job.jobArn, job);
    if (token) byToken.set(token, job);
    return { jobArn: job.jobArn };
  };

  const find = (identifier: string): Job => {
    const id = decodeURIComponent(identifier);
    const job = jobs.get(id) ?? [...jobs.values()].find((j) => j.jobArn.endsWith(`/${id}`));
    if (!job) throw { status: 404, type: 'ResourceNotFoundException', message: `No job ${id}.` };
    return job;
  };

  const route = async (method: string, path: string, raw: string): Promise<unknown> => {
    if (method === 'POST' && path === '/model-invocation-job') {
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(raw) as Record<string, unknown>;
      } catch {
        throw validation('the request body is not JSON');
      }
      return create(body);
    }
    const stop = /^\/model-invocation-job\/([^/]+)\/stop$/.exec(path);
    if (method === 'POST' && stop) {
      const job = find(stop[1]);
      const status = await statusOf(job);
      if (job.ended) {
        throw {
          status: 400,
          type: 'ValidationException',
          message: `The job is ${status} and cannot be stopped.`,
        };
      }
      job.stopRequested = Date.now();
      job.status = 'Stopping';
      return {};
    }
    const get = /^\/model-invocation-job\/([^/]+)$/.exec(path);
    if (method === 'GET' && get) return describe(find(get[1]));
    throw {
      status: 404,
      type: 'UnknownOperationException',
      message: `no route for ${method} ${path}`,
    };
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = (req.url ?? '').split('?')[0];
      route(req.method ?? 'GET', path, Buffer.concat(chunks).toString('utf8')).then(
        (body) => {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify(body));
        },
        (err: unknown) => {
          const e = (err as ServiceError).type
            ? (err as ServiceError)
            : { status: 500, type: 'InternalServerException', message: errorMessage(err) };
          res.writeHead(e.status, {
            'content-type': 'application/json',
            'x-amzn-errortype': e.type,
          });
          res.end(JSON.stringify({ message: e.message }));
        },
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    jobs,
    close: () =>
      new Promise<void>((resolve) => {
        s3.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
