import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import type { S3Client } from '@aws-sdk/client-s3';
import type { ProductForecast } from '@retail-forecast/forecasting';
import { REPORTS_PREFIX } from '@retail-forecast/job-contract';
import { CHART_LIBRARY, renderReport } from '@retail-forecast/report';
import { describeEngine } from './summary';
import type {
  AccuracyPoint,
  ChartLibraryFiles,
  ReorderEntry,
  ReportModel,
  ReportProduct,
} from '@retail-forecast/report';
import { parseS3Uri } from '@retail-forecast/sales-data';
import type { ProductSeries } from '@retail-forecast/sales-data';
import { errorMessage } from '@retail-forecast/util';
import type { Logger } from '@retail-forecast/util';
import { ConfigError } from './errors';
import type { RunSummary } from './types';

/** Days of history each product's chart shows: the last 8 weeks. */
export const REPORT_HISTORY_DAYS = 56;

export const REPORT_CONTENT_TYPE = 'text/html; charset=utf-8';

/** What the job knows after a run, turned into the report's model. */
export interface ReportInput {
  summary: RunSummary;
  products: ProductSeries[];
  forecasts: ProductForecast[];
  /** Demand class per product id, from the statistical engine. */
  demandClass?: (productId: string) => string | undefined;
  generatedAt: string;
  /** Filled in by the accuracy tracking; `null` shows the empty state. */
  accuracy?: AccuracyPoint[] | null;
  /** Filled in by the reorder suggestions; `null` shows the empty state. */
  reorder?: ReorderEntry[] | null;
}

export function buildReportModel(input: ReportInput): ReportModel {
  const { summary: s } = input;
  const series = new Map(input.products.map((p) => [p.productId, p]));
  const products: ReportProduct[] = input.forecasts.map((f) => {
    const values = series.get(f.productId)?.values ?? new Float64Array(0);
    return {
      id: f.productId,
      name: f.productName,
      category: f.category,
      model: f.model,
      demandClass: input.demandClass?.(f.productId),
      fallbackReason: f.fallbackReason,
      ...(f.outliers && { outliers: f.outliers }),
      ...(f.levelShift && { levelShift: f.levelShift }),
      ...(f.weekdayProfile && { weekdayProfile: f.weekdayProfile }),
      history: Array.from(values.subarray(Math.max(0, values.length - REPORT_HISTORY_DAYS))),
      forecastedDemand: f.forecastedDemand,
      forecast: {
        p10: f.daily.map((d) => d.p10),
        p50: f.daily.map((d) => d.p50),
        p90: f.daily.map((d) => d.p90),
        // A day without a mean has P50 as its mean (DailyForecast.mean).
        ...(f.daily.some((d) => d.mean !== undefined) && {
          mean: f.daily.map((d) => d.mean ?? d.p50),
        }),
      },
    };
  });
  return {
    run: {
      runId: s.runId,
      asOf: s.asOf,
      horizon: s.horizon,
      model: s.model,
      engine: describeEngine(s.engine),
      source: s.source,
      table: s.table,
      generatedAt: input.generatedAt,
      durationSeconds: s.durationSeconds,
      exitCode: s.exitCode,
      productsRead: s.products.read,
      productsForecast: s.products.forecast,
      productsWritten: s.dryRun ? null : s.products.written,
      productsSkippedNewer: s.products.skippedNewer,
      remote: s.bedrock && {
        requests: s.bedrock.requests,
        retries: s.bedrock.retries,
        accepted: s.bedrock.accepted,
        rejected: s.bedrock.rejected,
        fallback: s.bedrock.fallback,
        inputTokens: s.bedrock.inputTokens,
        outputTokens: s.bedrock.outputTokens,
        estimatedCostUsd: s.bedrock.estimatedCostUsd,
      },
    },
    dataIssues: {
      files: s.files,
      rowsRead: s.rows.read,
      rowsUsed: s.rows.used,
      rowsSkipped: s.rows.skipped,
      duplicateRows: s.rows.duplicatesDropped,
      rowSamples: s.rows.issues.map((i) => ({
        file: i.file,
        row: i.row,
        productId: i.productId,
        message: i.message,
      })),
      warnings: s.warnings.map((w) => w.message),
      failedProducts: s.products.failed,
      fallbacks: s.fallbacks,
    },
    modelMix: Object.entries(s.models)
      .map(([model, n]) => ({ model, products: n }))
      .sort((a, b) => b.products - a.products || a.model.localeCompare(b.model)),
    products,
    stockRisk: s.stockRisk,
    // Without a table (dry run) no stock was read, so no reorder suggestion could be computed.
    reorder:
      input.reorder ??
      (s.dryRun
        ? null
        : s.reorder.map((r) => ({
            productId: r.productId,
            productName: r.productName,
            reorderPoint: r.reorderPoint,
            suggestedOrderQty: r.suggestedOrderQty,
            reorderBy: r.reorderBy,
            currentStock: r.currentStock,
            leadTimeDays: r.leadTimeDays,
          }))),
    // One-day-ahead points exist for every issuing date; horizon totals only once a whole
    // horizon has been sold, so the one-day-ahead trend is the one with a point per run.
    accuracy: input.accuracy ?? s.accuracy?.trend.oneDayAhead ?? null,
  };
}

/**
 * The pinned chart library's files: next to the bundle (`vendor/uplot/…`, copied there by
 * `ec2-forecaster:build`) on EC2, or from node_modules when run from source.
 */
export async function readChartLibrary(): Promise<ChartLibraryFiles> {
  const bundled = fileURLToPath(new URL(`./vendor/${CHART_LIBRARY.packageName}/`, import.meta.url));
  const dir = existsSync(join(bundled, CHART_LIBRARY.script))
    ? bundled
    : dirname(createRequire(import.meta.url).resolve(`${CHART_LIBRARY.packageName}/package.json`));
  const [script, css] = await Promise.all([
    readFile(join(dir, CHART_LIBRARY.script), 'utf8'),
    readFile(join(dir, CHART_LIBRARY.css), 'utf8'),
  ]);
  return { script, css };
}

/**
 * The objects a `s3://bucket/prefix/` report location receives for a run as of `asOf`: the dated
 * report and the `latest` copy; a shard run (`shard` = `i/N`) writes
 * `as_of=<asOf>/shard=<i>-of-<N>/index.html` and no `latest` copy (it reports part of a run).
 */
export function reportKeys(
  prefix: string,
  asOf: string,
  shard?: string,
): { dated: string; latest?: string } {
  const root = `${prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/`}${REPORTS_PREFIX}`;
  if (shard !== undefined)
    return { dated: `${root}as_of=${asOf}/shard=${shard.replace('/', '-of-')}/index.html` };
  return { dated: `${root}as_of=${asOf}/index.html`, latest: `${root}latest/index.html` };
}

/** A local report path of a shard run: `out/report.html` → `out/report.shard-0-of-4.html`. */
export function shardReportPath(path: string, shard: string): string {
  return path.replace(/(\.html?)?$/i, (ext) => `.shard-${shard.replace('/', '-of-')}${ext}`);
}

/**
 * Writes the HTML to a local file, or to S3 as `<prefix>reports/as_of=<asOf>/index.html` and then
 * the `<prefix>reports/latest/index.html` copy (so `latest` never names a report that has no dated
 * object). Resolves to the locations written.
 */
export async function writeReportHtml(
  html: string,
  target: string,
  options: { asOf: string; s3?: S3Client; shard?: string },
): Promise<string[]> {
  if (!target.startsWith('s3://')) {
    const file = options.shard ? shardReportPath(target, options.shard) : target;
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, html, 'utf8');
    return [file];
  }
  if (!options.s3) throw new ConfigError(`--report ${target} needs an S3 client`);
  const { bucket, prefix } = parseS3Uri(target);
  const keys = reportKeys(prefix, options.asOf, options.shard);
  const written: string[] = [];
  const objects: [string, string][] = [[keys.dated, 'max-age=300']];
  if (keys.latest) objects.push([keys.latest, 'no-cache']);
  for (const [key, cacheControl] of objects) {
    await options.s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: key,
        Body: html,
        ContentType: REPORT_CONTENT_TYPE,
        CacheControl: cacheControl,
      }),
    );
    written.push(`s3://${bucket}/${key}`);
  }
  return written;
}

/**
 * The report step of a run: build the model, render it, write it. A report that cannot be written
 * is logged as an error and resolves to false (the forecasts are already stored; the caller turns
 * it into a failed run so the alarm sees it).
 */
export async function writeRunReport(
  target: string,
  input: ReportInput,
  deps: { s3?: S3Client; logger: Pick<Logger, 'info' | 'error'> },
): Promise<boolean> {
  try {
    const html = renderReport(buildReportModel(input), { chartLibrary: await readChartLibrary() });
    const written = await writeReportHtml(html, target, {
      asOf: input.summary.asOf,
      s3: deps.s3,
      shard: input.summary.shard?.shard,
    });
    deps.logger.info(
      `wrote the HTML report (${Math.round(Buffer.byteLength(html) / 1024)} KiB) to ${written.join(' and ')}`,
    );
    return true;
  } catch (err) {
    deps.logger.error(`the HTML report was not written to ${target}: ${errorMessage(err)}`);
    return false;
  }
}
