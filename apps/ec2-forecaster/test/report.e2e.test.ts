import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemoDataset } from '@retail-forecast/local-aws';
import type { DemoDataset } from '@retail-forecast/local-aws';
import { BUCKET, startLocal } from './harness';
import type { Local } from './harness';

const END = '2025-06-30';

/** The embedded report data, parsed as the page parses it. */
function embedded(html: string) {
  const json = /<script type="application\/json" id="report-data">([\s\S]*?)<\/script>/.exec(html);
  return JSON.parse(json![1]);
}

describe('forecast run --report (local S3 emulator)', () => {
  let local: Local;
  let demo: DemoDataset;

  beforeAll(async () => {
    local = await startLocal();
    demo = generateDemoDataset({ products: 12, days: 120, endDate: END, seed: 3 });
    await local.putGoldParquet('forecast_ready/', demo.rows, 2);
  }, 60_000);

  afterAll(async () => {
    await local?.close();
  });

  async function getObject(key: string) {
    const r = await local.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
    return {
      body: await r.Body!.transformToString('utf8'),
      contentType: r.ContentType,
      cacheControl: r.CacheControl,
    };
  }

  it('puts reports/as_of=<date>/index.html and reports/latest/index.html as text/html through the job S3 client', async () => {
    const { code, stderr } = await local.cli([
      'run',
      '--dry-run',
      '--report',
      `s3://${BUCKET}/site/`,
    ]);
    expect(stderr).not.toMatch(/ERROR/);
    expect(code).toBe(0);
    const dated = await getObject(`site/reports/as_of=${END}/index.html`);
    const latest = await getObject('site/reports/latest/index.html');
    expect(dated.contentType).toBe('text/html; charset=utf-8');
    expect(latest.contentType).toBe('text/html; charset=utf-8');
    expect(latest.cacheControl).toBe('no-cache');
    expect(latest.body).toBe(dated.body);
    expect(dated.body).toMatch(/^<!doctype html>/);
    expect(stderr).toContain(`s3://${BUCKET}/site/reports/as_of=${END}/index.html`);

    const model = embedded(dated.body);
    expect(model.run.asOf).toBe(END);
    expect(model.run.productsWritten).toBeNull();
    const sold = [...new Set(demo.rows.map((r) => r.product_id))].sort();
    expect(model.products.map((p: { id: string }) => p.id)).toEqual(sold);
    for (const p of model.products) {
      expect(p.history.length).toBeLessThanOrEqual(56);
      expect(p.forecast.p50).toHaveLength(7);
      // The card's total is the expected total: the sum of the daily means, not of the medians.
      const days: number[] = p.forecast.mean ?? p.forecast.p50;
      expect(p.forecastedDemand).toBeCloseTo(
        days.reduce((t, v) => t + v, 0),
        1,
      );
    }
    // The demo sells whole units: count series, whose P50 is a median with the mean beside it.
    expect(model.products.some((p: { forecast: { mean?: number[] } }) => p.forecast.mean)).toBe(
      true,
    );
    expect(model.products.some((p: { history: number[] }) => p.history.length === 56)).toBe(true);
    expect(model.accuracy).toBeNull();
    expect(model.reorder).toBeNull();
  }, 60_000);

  it('writes a local file named by FORECAST_REPORT', async () => {
    const file = join(local.dir, 'nested', 'report.html');
    const { code } = await local.cli(['run', '--dry-run'], { FORECAST_REPORT: file });
    expect(code).toBe(0);
    const html = await readFile(file, 'utf8');
    expect(embedded(html).products).toHaveLength(new Set(demo.rows.map((r) => r.product_id)).size);
  }, 60_000);

  it('fails the run (exit 1) when the report cannot be written, after the forecasts', async () => {
    const output = join(local.dir, 'kept.jsonl');
    const { code, stderr } = await local.cli([
      'run',
      '--dry-run',
      '--output',
      output,
      '--report',
      's3://no-such-report-bucket/',
    ]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/the HTML report was not written to s3:\/\/no-such-report-bucket\//);
    expect((await readFile(output, 'utf8')).trim().split('\n').length).toBeGreaterThan(0);
  }, 60_000);

  it('rejects a report location that is neither .html nor s3:// (exit 2)', async () => {
    const { code, stderr } = await local.cli(['run', '--dry-run', '--report', 'report.txt']);
    expect(code).toBe(2);
    expect(stderr).toContain(
      '--report "report.txt" is not a report location (expected a file ending in .html or s3://bucket/prefix/)',
    );
  });
});
