import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../src/cli';
import { Capture } from './harness';

const datasets = resolve(
  dirname(fileURLToPath(import.meta.url)),
  '../../../../shared/datasets/retail-ai-insights',
);
const present = existsSync(join(datasets, 'forecast_ready'));

async function run(source: string, output: string) {
  const stdout = new Capture();
  const stderr = new Capture();
  const code = await runCli(
    ['run', '--source', source, '--dry-run', '--output', output, '--json'],
    {
      stdout,
      stderr,
      env: { FORECAST_WORKERS: '1' },
    },
  );
  const lines = (await readFile(output, 'utf8'))
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  return { code, summary: JSON.parse(stdout.text), lines, stderr: stderr.text };
}

describe.skipIf(!present)('the seed Gold dataset (../shared/datasets/retail-ai-insights)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'shared-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('forecasts all 61 products for 2025-04-29 … 2025-05-05 from Parquet, and the CSV twin gives the same numbers', async () => {
    const parquet = await run(join(datasets, 'forecast_ready'), join(dir, 'parquet.jsonl'));
    expect(parquet.code).toBe(0);
    expect(parquet.summary.asOf).toBe('2025-04-28');
    expect(parquet.lines).toHaveLength(61);
    const expectedDates = [
      '2025-04-29',
      '2025-04-30',
      '2025-05-01',
      '2025-05-02',
      '2025-05-03',
      '2025-05-04',
      '2025-05-05',
    ];
    for (const f of parquet.lines) {
      expect(f.daily.map((d: { date: string }) => d.date)).toEqual(expectedDates);
      for (const d of f.daily) {
        expect(Number.isFinite(d.p50)).toBe(true);
        expect(d.p10).toBeGreaterThanOrEqual(0);
        expect(d.p10).toBeLessThanOrEqual(d.p50);
        expect(d.p50).toBeLessThanOrEqual(d.p90);
      }
    }
    const csv = await run(join(datasets, 'forecast_ready.csv'), join(dir, 'csv.jsonl'));
    expect(csv.code).toBe(0);
    // Numbers only: the Parquet twin stores one product name with its CSV quoting left in.
    const numbers = (l: Record<string, unknown>) => ({
      product_id: l.product_id,
      as_of: l.as_of,
      forecasted_demand: l.forecasted_demand,
      daily: l.daily,
      model: l.model,
    });
    expect(csv.lines.map(numbers)).toEqual(parquet.lines.map(numbers));
  }, 120_000);
});
