/**
 * `run` and `backtest` with `--model chronos2:<endpoint>` through the real SageMakerRuntimeClient
 * (HTTP/1.1, AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME) against the stand-in, which checks every request
 * against the Chronos-2 endpoint's documented schema.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBedrockStandin, standinForecast } from '@retail-forecast/bedrock-standin';
import type { BedrockStandin } from '@retail-forecast/bedrock-standin';
import { startLocal } from './harness';
import type { JsonLine, Local } from './harness';

const HEADER = 'product_id,event_date,daily_sales,avg_price,product_name,category';
const DAYS = 70;
const sales = (base: number) => Array.from({ length: DAYS }, (_, d) => base + (d % 7));
const PRODUCTS = [
  { id: 'T1', category: 'Toys', sales: sales(10) },
  { id: 'B1', category: 'Books', sales: sales(20) },
  { id: 'T2', category: 'Toys', sales: sales(30) },
];

describe('chronos2 end to end (CLI → SageMaker Runtime stand-in)', () => {
  let local: Local;
  let standin: BedrockStandin;

  beforeAll(async () => {
    local = await startLocal();
    standin = await startBedrockStandin();
    const rows = [HEADER];
    for (const p of PRODUCTS) {
      p.sales.forEach((v, i) => {
        const date = new Date(Date.parse('2025-01-01T00:00:00Z') + i * 86_400_000)
          .toISOString()
          .slice(0, 10);
        rows.push(`${p.id},${date},${v},9.99,Item ${p.id},${p.category}`);
      });
    }
    await writeFile(join(local.dir, 'sales.csv'), `${rows.join('\n')}\n`);
  }, 60_000);

  afterAll(async () => {
    await standin?.close();
    await local?.close();
  });

  const env = () => ({ AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME: standin.sagemakerUrl });
  /** `forecast run --dry-run` of the test data with `--model <model>` and `extra` arguments. */
  const dryRun = (model: string, extra: string[] = [], environment = env()) =>
    local.cli(
      ['run', '--source', join(local.dir, 'sales.csv'), '--dry-run', '--model', model, ...extra],
      environment,
    );

  it('run: every product gets the endpoint answer, one request per category', async () => {
    const output = join(local.dir, 'chronos2.jsonl');
    const before = standin.stats.byModel['chronos-2-demo'] ?? 0;
    const { code, stdout, stderr } = await dryRun('chronos2:chronos-2-demo', ['--output', output]);
    expect(code, stderr).toBe(0);
    expect(standin.stats.byModel['chronos-2-demo'] - before).toBe(2);
    const lines: JsonLine[] = (await readFile(output, 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as JsonLine);
    for (const p of PRODUCTS) {
      const line = lines.find((l) => l.product_id === p.id)!;
      expect(line.model).toBe('chronos2:chronos-2-demo');
      expect(line.fallback_reason).toBeNull();
      expect(line.daily.map((d) => d.p50)).toEqual(standinForecast(p.sales, 7).p50);
    }
    expect(stdout).toMatch(/billed per instance-hour/);
  });

  it('run: an unknown endpoint stops the run with exit 2 and names it', async () => {
    const { code, stderr } = await dryRun('chronos2:missing-endpoint');
    expect(code).toBe(2);
    expect(stderr).toMatch(/SageMaker rejected endpoint "missing-endpoint"/);
  });

  it('run: an endpoint that answers no request keeps every product on the statistical forecast and exits 1', async () => {
    const output = join(local.dir, 'unreachable.jsonl');
    // Nothing listens on port 9: every request fails to connect.
    const { code, stderr } = await dryRun('chronos2:chronos-2-demo', ['--output', output], {
      AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME: 'http://127.0.0.1:9',
    });
    expect(code).toBe(1);
    expect(stderr).toMatch(/chronos2:chronos-2-demo answered no request/);
    const lines = (await readFile(output, 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as JsonLine);
    expect(lines.map((l) => l.product_id).sort()).toEqual(['B1', 'T1', 'T2']);
    for (const l of lines) {
      expect(l.model).toMatch(/^statistical:/);
      expect(l.fallback_reason).toMatch(/failed after \d+ attempt\(s\) \(network\)/);
    }
  }, 60_000);

  it('run: an id that is no endpoint name or ARN is refused at start (exit 2)', async () => {
    const { code, stderr } = await dryRun('chronos2:bad_name');
    expect(code).toBe(2);
    expect(stderr).toMatch(/"bad_name" is not an endpoint name or ARN/);
  });

  it('backtest: scores chronos2 beside the engine, and the guard holds it without a local endpoint', async () => {
    const args = [
      'backtest',
      '--source',
      join(local.dir, 'sales.csv'),
      '--models',
      'snaive,chronos2:chronos-2-demo',
      '--origins',
      '2',
      '--json',
    ];
    const { code, stdout, stderr } = await local.cli(args, env());
    expect(code, stderr).toBe(0);
    const report = JSON.parse(stdout) as {
      byModel: { model: string; fits: number }[];
      bedrock: { model: string; actual: { accepted: number; requests: number } }[];
    };
    expect(report.byModel.map((r) => r.model)).toContain('chronos2:chronos-2-demo');
    expect(report.bedrock[0].actual).toMatchObject({ accepted: 6, requests: 4 });
    const guarded = await local.cli(args, { AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME: '' });
    expect(guarded.code).toBe(2);
    expect(guarded.stderr).toMatch(/Nothing was sent\. Re-run with --yes/);
  });
});
