import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { S3Client } from '@aws-sdk/client-s3';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { startLocalAws } from '@retail-forecast/local-aws';
import type { GoldRow } from '@retail-forecast/local-aws';
import { afterAll, beforeAll, expect } from 'vitest';
import { runCli } from '../src/cli';
import type { RunSummary } from '../src/types';

export const BUCKET = 'gold';

/**
 * Runs the real CLI with `env` as its whole environment (`io.env`; process.env is not touched) and
 * one forecasting worker, and resolves to its exit code and captured output. For tests on local
 * files with --dry-run: no AWS, no emulators.
 */
export async function runLocalCli(
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new Capture();
  const stderr = new Capture();
  const code = await runCli(args, { stdout, stderr, env: { FORECAST_WORKERS: '1', ...env } });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

/**
 * `forecast run --dry-run --json --source <csv> --output <dir>/<name>.jsonl …extra` through
 * `runLocalCli`: expects exit 0, and resolves to the output's lines by product id and the run
 * summary.
 */
export async function dryRunCsv(
  csv: string,
  dir: string,
  name: string,
  extra: string[] = [],
  env: NodeJS.ProcessEnv = {},
): Promise<{ byId: Map<string, JsonLine>; summary: RunSummary }> {
  const output = join(dir, `${name}.jsonl`);
  const r = await runLocalCli(
    ['run', '--dry-run', '--json', '--source', csv, '--output', output, ...extra],
    env,
  );
  expect(r.code, r.stderr).toBe(0);
  const lines = (await readFile(output, 'utf8'))
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as JsonLine);
  return { byId: new Map(lines.map((l) => [l.product_id, l])), summary: JSON.parse(r.stdout) };
}

/**
 * A temporary directory made before the enclosing suite's tests and removed after them (call it
 * first in a `describe`, so later `beforeAll` hooks can write into `path`).
 */
export function useTempDir(prefix: string): { readonly path: string } {
  const dir = { path: '' };
  beforeAll(async () => {
    dir.path = await mkdtemp(join(tmpdir(), prefix));
  });
  afterAll(async () => {
    if (dir.path) await rm(dir.path, { recursive: true, force: true });
  });
  return dir;
}

/** One line of the `--output` JSON Lines, as the tests read it. */
export interface JsonLine {
  product_id: string;
  model: string;
  fallback_reason: string | null;
  forecasted_demand: number;
  daily: { date: string; p10: number; p50: number; p90: number; mean?: number }[];
  outliers?: { count: number; recent: { date: string; value: number; replacement: number }[] };
  level_shift?: { date: string; before: number; after: number };
  weekday_profile?: { source: 'category' | 'catalogue'; own_weight: number };
}
export const TABLE = 'RetailInventoryTable';

export class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer, _enc: string, cb: () => void) {
    this.text += chunk.toString();
    cb();
  }
}

export interface Local {
  s3: S3Client;
  dynamodb: DynamoDBClient;
  dir: string;
  env: NodeJS.ProcessEnv;
  put(key: string, body: Uint8Array | string): Promise<void>;
  putGoldParquet(prefix: string, rows: GoldRow[], parts?: number): Promise<number>;
  cli(
    args: string[],
    extraEnv?: NodeJS.ProcessEnv,
  ): Promise<{ code: number; stdout: string; stderr: string }>;
  close(): Promise<void>;
}

/** Real S3 and DynamoDB wire protocols on 127.0.0.1, reached through the real SDK clients. */
export async function startLocal(): Promise<Local> {
  const aws = await startLocalAws({ buckets: [BUCKET, 'empty-bucket'] });
  const dir = await mkdtemp(join(tmpdir(), 'forecaster-test-'));
  const env: NodeJS.ProcessEnv = {
    ...aws.env,
    GOLD_BUCKET: BUCKET,
    FORECAST_TABLE: TABLE,
    FORECAST_WORKERS: '1',
  };
  return {
    s3: aws.s3,
    dynamodb: aws.dynamodb,
    dir,
    env,
    put: (key, body) => aws.put(BUCKET, key, body),
    putGoldParquet: (prefix, rows, parts) => aws.putGoldParquet(BUCKET, prefix, rows, parts),
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
      await aws.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
