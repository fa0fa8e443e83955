// Fourteen consecutive daily runs against local S3 and DynamoDB: the forecast archive fills one
// partition a day, the last run's accuracy matches WAPE/MASE/bias recomputed here from the raw
// demo rows and the runs' own JSONL (horizon totals and bias on the expected demand, the daily
// mean ?? p50), and AccuracyDegraded fires after an injected demand shift.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInventoryTable, seedInventory } from '@retail-forecast/dynamodb-writer/testing';
import { openForecastArchive } from '@retail-forecast/forecast-archive';
import { demoInventoryItems, generateDemoDataset } from '@retail-forecast/local-aws';
import type { GoldRow } from '@retail-forecast/local-aws';
import { addDays, daysBetween } from '@retail-forecast/util';
import { BUCKET, TABLE, startLocal } from './harness';
import type { Local } from './harness';

const END = '2025-06-30';
const RUNS = 14;
/** Short horizon: 14 runs then leave 11 fully observed issuing dates for the degradation check. */
const HORIZON = 3;
const SHIFT_FROM = addDays(END, -3);
const asOfOf = (i: number) => addDays(END, i - (RUNS - 1));

interface Line {
  product_id: string;
  daily: { date: string; p10: number; p50: number; p90: number; mean?: number }[];
}

/** product → date → units, from the raw rows. */
function actualsOf(rows: GoldRow[]): Map<string, Map<string, number>> {
  const out = new Map<string, Map<string, number>>();
  for (const r of rows) {
    const m = out.get(r.product_id) ?? new Map<string, number>();
    m.set(r.event_date, (m.get(r.event_date) ?? 0) + r.daily_sales);
    out.set(r.product_id, m);
  }
  return out;
}

/** Seasonal-naive (lag 7) in-sample MAE from the first sale through `to`, lag 1 if that is 0. */
function naiveScale(days: Map<string, number>, to: string): number {
  const first = [...days.keys()].sort()[0];
  const n = daysBetween(first, to) + 1;
  const y = Array.from({ length: n }, (_, i) => days.get(addDays(first, i)) ?? 0);
  const lagMae = (lag: number) => {
    let s = 0;
    for (let t = lag; t < n; t++) s += Math.abs(y[t] - y[t - lag]);
    return n > lag ? s / (n - lag) : 0;
  };
  return lagMae(7) > 0 ? lagMae(7) : lagMae(1);
}

async function readLines(path: string): Promise<Line[]> {
  return (await readFile(path, 'utf8'))
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
}

describe('forecast archive and accuracy over 14 daily runs', () => {
  let local: Local;
  const demo = generateDemoDataset({ products: 30, days: 120, endDate: END, seed: 3 });
  const shifted = generateDemoDataset({
    products: 30,
    days: 120,
    endDate: END,
    seed: 3,
    shift: { from: SHIFT_FROM, factor: 4 },
  });
  const lines: Line[][] = [];
  let last: { code: number; summary: Record<string, unknown> };
  let metrics: Record<string, unknown>;

  beforeAll(async () => {
    local = await startLocal();
    await local.putGoldParquet('forecast_ready/', demo.rows, 2);
    await local.putGoldParquet('shifted/', shifted.rows, 2);
    await createInventoryTable(local.dynamodb, TABLE);
    await seedInventory(local.dynamodb, TABLE, demoInventoryItems(demo));
    const metricsFile = join(local.dir, 'metrics.emf');
    for (let i = 0; i < RUNS; i++) {
      const output = join(local.dir, `run-${i}.jsonl`);
      const final = i === RUNS - 1;
      const r = await local.cli([
        'run',
        '--as-of',
        asOfOf(i),
        '--horizon',
        String(HORIZON),
        '--archive',
        `s3://${BUCKET}/archive/`,
        '--output',
        output,
        '--json',
        ...(final ? ['--metrics-file', metricsFile] : ['--dry-run']),
      ]);
      if (r.code !== 0) throw new Error(`run ${i} exited ${r.code}: ${r.stderr}`);
      lines.push(await readLines(output));
      if (final) last = { code: r.code, summary: JSON.parse(r.stdout) };
    }
    metrics = JSON.parse((await readFile(metricsFile, 'utf8')).trim());
  }, 240_000);

  afterAll(async () => {
    await local?.close();
  });

  it('writes one Hive partition per run', async () => {
    const listed = await local.s3.send(
      new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'archive/forecasts/' }),
    );
    const keys = (listed.Contents ?? []).map((o) => o.Key!);
    expect(keys).toHaveLength(RUNS);
    expect(keys).toEqual(
      Array.from(
        { length: RUNS },
        (_, i) => `archive/forecasts/as_of=${asOfOf(i)}/part-00000.snappy.parquet`,
      ),
    );
    const archive = openForecastArchive(`s3://${BUCKET}/archive/`, { s3: local.s3 });
    const rows = await archive.readForecasts({ from: END, to: END });
    expect(rows).toHaveLength(lines[RUNS - 1].length * HORIZON);
    const first = lines[RUNS - 1][0];
    expect(rows.find((r) => r.productId === first.product_id && r.horizonDay === 1)).toMatchObject({
      asOf: END,
      forecastDate: first.daily[0].date,
      p50: first.daily[0].p50,
      mean: first.daily[0].mean ?? null,
    });
    // The demo sells whole units, so the engine's P50 is a count median and the mean is archived.
    const withMean = lines[RUNS - 1].flatMap((l) => l.daily.filter((d) => d.mean !== undefined));
    expect(withMean.length).toBeGreaterThan(0);
    expect(rows.filter((r) => r.mean !== null)).toHaveLength(withMean.length);
  });

  it('reports the WAPE and MASE recomputed from the raw rows', () => {
    const actual = actualsOf(demo.rows);
    const at = (p: string, d: string) => actual.get(p)?.get(d) ?? 0;
    let oneAbs = 0;
    let oneSum = 0;
    const oneScaled: number[] = [];
    let oneSigned = 0;
    let totAbs = 0;
    let totSigned = 0;
    let totSum = 0;
    for (let i = 0; i < RUNS - 1; i++) {
      const origin = asOfOf(i);
      for (const l of lines[i]) {
        const a1 = at(l.product_id, l.daily[0].date);
        const e1 = Math.abs(l.daily[0].p50 - a1);
        oneAbs += e1;
        oneSigned += (l.daily[0].mean ?? l.daily[0].p50) - a1;
        oneSum += a1;
        const scale = naiveScale(actual.get(l.product_id)!, origin);
        if (scale > 0) oneScaled.push(e1 / scale);
        if (daysBetween(origin, END) >= HORIZON) {
          const a = l.daily.reduce((t, d) => t + at(l.product_id, d.date), 0);
          // The expected total: the sum of the daily means (P50 where there is none).
          const f = l.daily.reduce((t, d) => t + (d.mean ?? d.p50), 0);
          totAbs += Math.abs(f - a);
          totSigned += f - a;
          totSum += a;
        }
      }
    }
    const acc = last.summary.accuracy as {
      window: { origins: number };
      overall: {
        oneDayAhead: { forecasts: number; wape: number; mase: number; bias: number };
        horizonTotal: { forecasts: number; wape: number; bias: number };
      };
    };
    expect(acc.window.origins).toBe(RUNS - 1);
    expect(acc.overall.oneDayAhead.forecasts).toBe(lines.slice(0, -1).flat().length);
    expect(acc.overall.oneDayAhead.wape).toBeCloseTo(oneAbs / oneSum, 9);
    expect(acc.overall.oneDayAhead.mase).toBeCloseTo(
      oneScaled.reduce((a, b) => a + b, 0) / oneScaled.length,
      9,
    );
    expect(acc.overall.oneDayAhead.bias).toBeCloseTo(oneSigned / oneSum, 9);
    expect(acc.overall.horizonTotal.wape).toBeCloseTo(totAbs / totSum, 9);
    expect(acc.overall.horizonTotal.bias).toBeCloseTo(totSigned / totSum, 9);
    expect(metrics.WapeOneDayAhead).toBeCloseTo(oneAbs / oneSum, 9);
    expect(metrics.WapeHorizonTotal).toBeCloseTo(totAbs / totSum, 9);
  });

  it('archives the same accuracy table and does not flag steady demand', async () => {
    const archive = openForecastArchive(`s3://${BUCKET}/archive/`, { s3: local.s3 });
    const rows = await archive.readAccuracy({ from: END, to: END });
    const overall = rows.find((r) => r.level === 'overall' && r.kind === 'horizon_total');
    const acc = last.summary.accuracy as { overall: { horizonTotal: { wape: number } } };
    expect(overall?.wape).toBe(acc.overall.horizonTotal.wape);
    expect(rows.some((r) => r.level === 'category')).toBe(true);
    expect(metrics.AccuracyDegraded).toBe(0);
  });

  it('writes reorder suggestions to the items with stock', async () => {
    const product = demo.products.find(
      (p) =>
        p.current_stock !== undefined && lines[RUNS - 1].some((l) => l.product_id === p.product_id),
    )!;
    const got = await local.dynamodb.send(
      new GetItemCommand({ TableName: TABLE, Key: { product_id: { S: product.product_id } } }),
    );
    const item = unmarshall(got.Item!);
    const row = (last.summary.reorder as { productId: string }[]).find(
      (r) => r.productId === product.product_id,
    );
    expect(row).toMatchObject({
      reorderPoint: item.reorder_point,
      suggestedOrderQty: item.suggested_order_qty,
    });
    expect(Number.isInteger(item.reorder_point)).toBe(true);
  });

  it('fires AccuracyDegraded after a demand shift', async () => {
    // The shifted data equals the original before SHIFT_FROM, so the earlier runs' partitions are
    // copied rather than recomputed; the runs from SHIFT_FROM on see the shift.
    const dir = join(local.dir, 'shifted-archive');
    const listed = await local.s3.send(
      new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'archive/forecasts/' }),
    );
    for (const { Key } of listed.Contents ?? []) {
      if (Key! >= `archive/forecasts/as_of=${SHIFT_FROM}`) continue;
      const body = await local.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key }));
      const target = join(dir, Key!.slice('archive/'.length));
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, await body.Body!.transformToByteArray());
    }
    const metricsFile = join(local.dir, 'shifted.emf');
    let code = 0;
    for (let i = RUNS - 4; i < RUNS; i++) {
      const r = await local.cli([
        'run',
        '--source',
        `s3://${BUCKET}/shifted/`,
        '--as-of',
        asOfOf(i),
        '--horizon',
        String(HORIZON),
        '--archive',
        dir,
        '--dry-run',
        '--metrics-file',
        metricsFile,
      ]);
      code = Math.max(code, r.code);
    }
    expect(code).toBe(0);
    const records = (await readFile(metricsFile, 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(records.at(-1).AccuracyDegraded).toBe(1);
    expect(await openForecastArchive(dir).partitions('forecasts')).toHaveLength(RUNS);
  }, 120_000);
});
