import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeleteObjectCommand, GetObjectCommand } from '@aws-sdk/client-s3';
import { PRODUCT_BUCKETS } from '@retail-forecast/job-contract';
import { generateDemoDataset, writeGoldParquetParts } from '@retail-forecast/local-aws';
import type { GoldRow } from '@retail-forecast/local-aws';
import { productBucket, productHash } from '@retail-forecast/sales-data';
import { BUCKET, startLocal } from './harness';
import type { Local } from './harness';

// N shard runs together must equal one unsharded run, product for product: no overlap, no gap,
// the same numbers. Local S3 over its wire protocol, the real CLI.
const END = '2025-06-30';

interface Line {
  product_id: string;
  shard?: string;
  run_id?: string;
  [key: string]: unknown;
}

async function readJsonl(path: string): Promise<Line[]> {
  return (await readFile(path, 'utf8'))
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Line);
}

/** A line without the fields that differ between runs by design. */
const comparable = ({ run_id: _run, shard: _shard, ...rest }: Line) => rest;

describe('forecast run --shard i/N', () => {
  let local: Local;
  let whole: Map<string, Line>;
  let rows: GoldRow[];

  beforeAll(async () => {
    local = await startLocal();
    rows = generateDemoDataset({ products: 60, days: 120, endDate: END, seed: 11 }).rows;
    // The same rows twice: flat (Spark part files) and product-bucketed (product_bucket=NN/).
    await local.putGoldParquet('flat/', rows, 3);
    const byBucket = new Map<number, GoldRow[]>();
    for (const r of rows) {
      const b = productBucket(r.product_id);
      byBucket.set(b, [...(byBucket.get(b) ?? []), r]);
    }
    for (const [b, bucketRows] of byBucket) {
      for (const f of writeGoldParquetParts(bucketRows, 1))
        await local.put(`bucketed/product_bucket=${String(b).padStart(2, '0')}/${f.name}`, f.body);
    }
    // A shard reads no catalogue weekday profile (it would read its own products' only), so the
    // shards together equal the unsharded run with --weekday-profile own.
    const output = join(local.dir, 'whole.jsonl');
    const run = await local.cli([
      'run',
      '--dry-run',
      '--source',
      `s3://${BUCKET}/flat/`,
      '--as-of',
      END,
      '--weekday-profile',
      'own',
      '--output',
      output,
    ]);
    expect(run.code).toBe(0);
    whole = new Map((await readJsonl(output)).map((l) => [l.product_id, l]));
    expect(whole.size).toBe(new Set(rows.map((r) => r.product_id)).size);
    // The default run differs from it only where a young product's week was spread.
    const byDefault = join(local.dir, 'whole-default.jsonl');
    const plain = await local.cli([
      'run',
      '--dry-run',
      '--source',
      `s3://${BUCKET}/flat/`,
      '--as-of',
      END,
      '--output',
      byDefault,
    ]);
    expect(plain.code).toBe(0);
    for (const l of await readJsonl(byDefault))
      if (l.weekday_profile === undefined)
        expect(comparable(l)).toEqual(comparable(whole.get(l.product_id)!));
  }, 120_000);

  afterAll(async () => {
    await local?.close();
  });

  /** Runs every shard of `count` and returns their lines and JSON summaries. */
  async function runShards(
    source: string,
    count: number,
    extra: string[] = [],
    env: NodeJS.ProcessEnv = {},
  ) {
    const lines: Line[] = [];
    const summaries: Record<string, unknown>[] = [];
    for (let index = 0; index < count; index++) {
      const output = join(local.dir, `${source.replace(/\W/g, '')}-${index}-of-${count}.jsonl`);
      const run = await local.cli(
        [
          'run',
          '--dry-run',
          '--json',
          '--source',
          `s3://${BUCKET}/${source}/`,
          '--as-of',
          END,
          '--shard',
          `${index}/${count}`,
          '--output',
          output,
          ...extra,
        ],
        env,
      );
      expect(run.code, run.stderr).toBe(0);
      summaries.push(JSON.parse(run.stdout));
      for (const l of await readJsonl(output)) {
        expect(l.shard).toBe(`${index}/${count}`);
        expect(productHash(l.product_id) % count).toBe(index);
        lines.push(l);
      }
    }
    return { lines, summaries };
  }

  function expectSameAsWhole(lines: Line[]) {
    const ids = lines.map((l) => l.product_id);
    expect(new Set(ids).size).toBe(ids.length); // no overlap
    expect([...ids].sort()).toEqual([...whole.keys()].sort()); // no gap
    for (const l of lines) expect(comparable(l)).toEqual(comparable(whole.get(l.product_id)!));
  }

  it('splits a flat layout into 3 shards whose union is the unsharded run', async () => {
    const { lines, summaries } = await runShards('flat', 3);
    expectSameAsWhole(lines);
    for (const s of summaries) {
      expect(s.shard).toMatchObject({ layout: 'filtered', filesListed: 3 });
      expect(s.files).toBe(3);
    }
    // Every row is read by each shard, and kept by exactly one.
    const kept = summaries.reduce((n, s) => n + (s.rows as { read: number }).read, 0);
    expect(kept).toBe(rows.length);
  }, 120_000);

  it('reads only its own product_bucket folders with 4 shards, and still equals the unsharded run', async () => {
    const archive = join(local.dir, 'archive');
    const { lines, summaries } = await runShards('bucketed', 4, ['--archive', archive]);
    expectSameAsWhole(lines);
    const listed = new Set(rows.map((r) => productBucket(r.product_id))).size;
    let filesRead = 0;
    summaries.forEach((s, index) => {
      expect(s.shard).toMatchObject({
        layout: 'bucketed',
        filesListed: listed,
        rowsOtherShards: 0,
      });
      const own = new Set(
        rows.map((r) => productBucket(r.product_id)).filter((b) => b % 4 === index),
      );
      expect(s.files).toBe(own.size);
      filesRead += s.files as number;
    });
    // Together the shards read each listed file once.
    expect(filesRead).toBe(listed);
    expect(PRODUCT_BUCKETS % 4).toBe(0);

    // Each shard archived its own file of the partition; together they hold every product.
    const partition = join(archive, `forecasts/as_of=${END}`);
    expect((await readdir(partition)).sort()).toEqual(
      [0, 1, 2, 3].map((i) => `part-0000${i}-of-00004.snappy.parquet`),
    );
  }, 120_000);

  it('merges the shard summaries into the run summary and its RunSuccess metric, and fails a run missing a shard', async () => {
    const summaries = `s3://${BUCKET}/forecast_runs/`;
    const env = { FORECAST_RUN_ID: 'run-2025-06-30' };
    await runShards('bucketed', 4, ['--summaries', summaries], env);
    const metrics = join(local.dir, 'merge-metrics.jsonl');
    const merge = () =>
      local.cli(
        [
          'merge-shards',
          '--summaries',
          summaries,
          '--shards',
          '4',
          '--metrics-file',
          metrics,
          '--json',
        ],
        env,
      );
    const ok = await merge();
    expect(ok.code, ok.stderr).toBe(0);
    const merged = JSON.parse(ok.stdout);
    expect(merged).toMatchObject({
      runId: 'run-2025-06-30',
      asOf: END,
      shardCount: 4,
      missing: [],
      exitCode: 0,
      rows: { read: rows.length },
      products: { forecast: whole.size, failed: [] },
      // The engine the shards ran with, as an unsharded run's summary records it.
      engine: {
        globalModel: false,
        combination: 'top3',
        outliers: 'clean',
        levelShifts: 'follow',
        weekdayProfile: 'own',
        holidays: null,
      },
      engineMismatch: [],
    });
    const stored = await local.s3.send(
      new GetObjectCommand({
        Bucket: BUCKET,
        Key: 'forecast_runs/run_id=run-2025-06-30/summary.json',
      }),
    );
    expect(JSON.parse(await stored.Body!.transformToString()).products.forecast).toBe(whole.size);

    // Shard 2 never finished: the run failed, and says which shard is missing.
    await local.s3.send(
      new DeleteObjectCommand({
        Bucket: BUCKET,
        Key: 'forecast_runs/run_id=run-2025-06-30/shard=2-of-4/summary.json',
      }),
    );
    const failed = await merge();
    expect(failed.code).toBe(1);
    expect(JSON.parse(failed.stdout)).toMatchObject({ missing: ['2/4'], exitCode: 1 });
    expect(failed.stderr).toContain(
      'shard 2/4 left no summary at s3://gold/forecast_runs/run_id=run-2025-06-30/shard=2-of-4/summary.json',
    );
    // The complete merged summary stored before is kept, not replaced by the emptier one.
    const kept = await local.s3.send(
      new GetObjectCommand({
        Bucket: BUCKET,
        Key: 'forecast_runs/run_id=run-2025-06-30/summary.json',
      }),
    );
    expect(JSON.parse(await kept.Body!.transformToString())).toMatchObject({
      missing: [],
      products: { forecast: whole.size },
    });
    // A --shards count no shard summary has is refused before anything is read or written.
    const wrong = await local.cli(
      ['merge-shards', '--summaries', summaries, '--shards', '3', '--json'],
      env,
    );
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain(
      '--shards 3 does not match the shard summaries of run run-2025-06-30 at s3://gold/forecast_runs/run_id=run-2025-06-30/: found shard=0-of-4, shard=1-of-4, shard=3-of-4; nothing written',
    );
    const records = (await readFile(metrics, 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(records.map((r) => r.RunSuccess)).toEqual([1, 0]);
    expect(records[0].ProductsForecast).toBe(whole.size);
  }, 120_000);

  it('falls back to reading every bucket with 3 shards (3 does not divide 64), with the same result', async () => {
    const { lines, summaries } = await runShards('bucketed', 3);
    expectSameAsWhole(lines);
    for (const s of summaries) expect(s.shard).toMatchObject({ layout: 'filtered' });
  }, 120_000);
});
