import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { startLocalDynamo, startLocalS3 } from '@retail-forecast/local-aws';
import type { LocalDynamo, LocalS3 } from '@retail-forecast/local-aws';
import { runCli } from '../src/cli';

export const BUCKET = 'gold';
export const TABLE = 'RetailInventoryTable';
// s3rver accepts only its own well-known key; dynalite accepts any.
const CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

export class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer, _enc: string, cb: () => void) {
    this.text += chunk.toString();
    cb();
  }
}

export interface Local {
  s3Server: LocalS3;
  dynamoServer: LocalDynamo;
  s3: S3Client;
  dynamodb: DynamoDBClient;
  dir: string;
  env: NodeJS.ProcessEnv;
  put(key: string, body: Uint8Array | string): Promise<void>;
  cli(
    args: string[],
    extraEnv?: NodeJS.ProcessEnv,
  ): Promise<{ code: number; stdout: string; stderr: string }>;
  close(): Promise<void>;
}

/** Real S3 and DynamoDB wire protocols on 127.0.0.1, reached through the real SDK clients. */
export async function startLocal(): Promise<Local> {
  const s3Server = await startLocalS3({ buckets: [BUCKET, 'empty-bucket'] });
  const dynamoServer = await startLocalDynamo();
  const dir = await mkdtemp(join(tmpdir(), 'forecaster-test-'));
  const s3 = new S3Client({
    region: 'us-east-1',
    endpoint: s3Server.endpoint,
    forcePathStyle: true,
    credentials: CREDENTIALS,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  const dynamodb = new DynamoDBClient({
    region: 'us-east-1',
    endpoint: dynamoServer.endpoint,
    credentials: CREDENTIALS,
  });
  const env: NodeJS.ProcessEnv = {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
    AWS_ENDPOINT_URL_S3: s3Server.endpoint,
    AWS_ENDPOINT_URL_DYNAMODB: dynamoServer.endpoint,
    GOLD_BUCKET: BUCKET,
    FORECAST_TABLE: TABLE,
    FORECAST_WORKERS: '1',
  };
  return {
    s3Server,
    dynamoServer,
    s3,
    dynamodb,
    dir,
    env,
    async put(key, body) {
      await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body }));
    },
    async cli(args, extraEnv = {}) {
      const stdout = new Capture();
      const stderr = new Capture();
      // The SDK resolves endpoints from process.env when a client is created.
      const saved = { ...process.env };
      Object.assign(process.env, env, extraEnv);
      try {
        const code = await runCli(args, { stdout, stderr, env: { ...env, ...extraEnv } });
        return { code, stdout: stdout.text, stderr: stderr.text };
      } finally {
        for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
        Object.assign(process.env, saved);
      }
    },
    async close() {
      s3.destroy();
      dynamodb.destroy();
      await dynamoServer.close();
      await s3Server.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
