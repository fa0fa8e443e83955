import { availableParallelism } from 'node:os';
import type { S3Client } from '@aws-sdk/client-s3';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { addDays, loadSalesData, SalesDataError } from '@retail-forecast/sales-data';
import type { ProductSeries, RowIssue, SalesDataset } from '@retail-forecast/sales-data';
import { forecastMany } from '@retail-forecast/forecasting';
import type { ProductForecast, SeriesForecast } from '@retail-forecast/forecasting';
import { TableNotFoundError, writeForecasts } from '@retail-forecast/dynamodb-writer';
import type { WriteResult } from '@retail-forecast/dynamodb-writer';
import { rankStockoutRisk } from '@retail-forecast/inventory-planning';
import {
  forecastWithBedrock,
  InvalidModelError,
  ModelAccessDeniedError,
} from '@retail-forecast/bedrock-client';
import type { BedrockRunStats } from '@retail-forecast/bedrock-client';
import type { RunConfig } from './config';
import { ConfigError, EXIT_BAD_INPUT, EXIT_OK, EXIT_PRODUCTS_FAILED, InputError } from './errors';
import type { JobLogger } from './logger';
import { writeJsonLines } from './output';
import type { Progress } from './progress';
import { noProgress } from './progress';

export interface JobDeps {
  s3?: S3Client;
  dynamodb?: DynamoDBClient;
  bedrock?: BedrockRuntimeClient;
  logger: JobLogger;
  progress?: Progress;
  /** Bundle URL for forecasting worker threads (the esbuild bundle passes its own). */
  workerUrl?: URL;
  now?: () => Date;
}

export interface StockRiskRow {
  productId: string;
  productName?: string;
  currentStock: number;
  forecast7d: number;
  p90Total: number;
  daysOfCover: number | null;
  stockoutRisk: boolean;
}

export interface RunSummary {
  runId: string;
  source: string;
  table: string | null;
  asOf: string;
  horizon: number;
  model: string;
  dryRun: boolean;
  output: string | null;
  files: number;
  rows: {
    read: number;
    used: number;
    skipped: Record<string, number>;
    duplicates: number;
    issues: RowIssue[];
  };
  products: {
    read: number;
    forecast: number;
    written: number;
    skippedNewer: number;
    failed: { productId: string; error: string }[];
  };
  models: Record<string, number>;
  fallbacks: { count: number; reasons: Record<string, number> };
  bedrock: BedrockRunStats | null;
  stockRisk: StockRiskRow[];
  durationSeconds: number;
  exitCode: number;
}

const round = (v: number, digits = 2) => {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
};

function toProductForecast(
  series: ProductSeries,
  asOf: string,
  horizon: number,
  model: string,
  q: { p10: ArrayLike<number>; p50: ArrayLike<number>; p90: ArrayLike<number> },
  fallbackReason?: string,
): ProductForecast {
  const daily = Array.from({ length: horizon }, (_, k) => {
    const p50 = round(Math.max(0, q.p50[k]));
    return {
      date: addDays(asOf, k + 1),
      p10: Math.min(p50, round(Math.max(0, q.p10[k]))),
      p50,
      p90: Math.max(p50, round(Math.max(0, q.p90[k]))),
    };
  });
  return {
    productId: series.productId,
    productName: series.productName,
    category: series.category,
    asOf,
    horizonDays: horizon,
    model,
    ...(fallbackReason ? { fallbackReason } : {}),
    forecastedDemand: round(daily.reduce((s, d) => s + d.p50, 0)),
    daily,
  };
}

function count<T>(items: T[], key: (t: T) => string | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  for (const item of items) {
    const k = key(item);
    if (k !== undefined) out[k] = (out[k] ?? 0) + 1;
  }
  return out;
}

/**
 * The daily job: load Gold data, forecast every product, write JSONL and DynamoDB.
 * The same function runs on EC2, from the CLI and in the local demo; only the clients differ.
 */
export async function runForecastJob(config: RunConfig, deps: JobDeps): Promise<RunSummary> {
  const started = performance.now();
  const { logger } = deps;
  const progress = deps.progress ?? noProgress;
  const now = deps.now ?? (() => new Date());

  // 1. Load. Any unreadable file fails the run here, before anything is written.
  let dataset: SalesDataset;
  try {
    let total = 0;
    dataset = await loadSalesData({
      source: config.source,
      asOf: config.asOf,
      s3: deps.s3,
      logger,
      onFile: (info) => {
        if (total === 0) {
          total = info.total;
          progress.start('loading', info.total);
        }
        progress.update(info.index);
      },
    });
    progress.stop();
  } catch (err) {
    progress.stop();
    if (err instanceof SalesDataError) throw new InputError(err.message, { cause: err });
    throw err;
  }
  const { asOf, products } = dataset;
  const { summary: load } = dataset;
  // sales-data logs the load summary and each reported row issue itself.

  // 2. Statistical forecast for every product: the default model and the guardrail reference.
  progress.start('forecasting', products.length);
  const statistical: Map<string, SeriesForecast> = await forecastMany(
    products.map((p) => ({ id: p.productId, y: p.values })),
    {
      horizon: config.horizon,
      workers: config.workers === 0 ? availableParallelism() : config.workers,
      workerUrl: deps.workerUrl,
      onProgress: (done) => progress.update(done),
    },
  );
  progress.stop();

  // 3. Optionally ask Bedrock; every rejected or missing answer falls back to the statistical one.
  let bedrockStats: BedrockRunStats | null = null;
  const forecasts: ProductForecast[] = [];
  if (config.model.kind === 'statistical') {
    for (const p of products) {
      const f = statistical.get(p.productId)!;
      forecasts.push(toProductForecast(p, asOf, config.horizon, f.model, f));
    }
  } else {
    if (!deps.bedrock)
      throw new ConfigError('a Bedrock model was requested but no Bedrock client was configured');
    progress.start('bedrock', products.length);
    try {
      const { results, stats } = await forecastWithBedrock(
        products.map((p) => ({
          product: {
            productId: p.productId,
            productName: p.productName,
            category: p.category,
            history: p.values,
          },
          statistical: statistical.get(p.productId)!,
        })),
        {
          client: deps.bedrock,
          modelId: config.model.id,
          kind: config.model.kind === 'chronos' ? 'chronos' : 'converse',
          asOf,
          horizon: config.horizon,
          concurrency: Math.min(config.concurrency, 8),
          guardrail: config.guardrail,
          region: config.region,
          logger,
          onProgress: (done: number) => progress.update(done),
        },
      );
      bedrockStats = stats;
      for (const p of products) {
        const r = results.get(p.productId);
        if (r) {
          forecasts.push(toProductForecast(p, asOf, config.horizon, r.model, r, r.fallbackReason));
        } else {
          const f = statistical.get(p.productId)!;
          forecasts.push(toProductForecast(p, asOf, config.horizon, f.model, f, 'no answer'));
        }
      }
    } catch (err) {
      // Model access not enabled or a wrong model id: a configuration problem, exit 2.
      if (err instanceof ModelAccessDeniedError || err instanceof InvalidModelError)
        throw new ConfigError(err.message, { cause: err });
      throw err;
    } finally {
      progress.stop();
    }
  }

  // 4. JSONL first: a DynamoDB failure must not lose the numbers.
  if (config.output) {
    await writeJsonLines(config.output, forecasts, (f) => ({
      statistical_model: statistical.get(f.productId)?.model ?? null,
      demand_class: statistical.get(f.productId)?.demandClass ?? null,
      run_id: config.runId,
    }));
    logger.info(`wrote ${forecasts.length} forecasts to ${config.output}`);
  }

  // 5. DynamoDB.
  let write: WriteResult | null = null;
  if (!config.dryRun) {
    if (!deps.dynamodb || !config.table)
      throw new ConfigError('missing configuration: --table (or FORECAST_TABLE)');
    progress.start('writing', forecasts.length);
    try {
      write = await writeForecasts(forecasts, {
        client: deps.dynamodb,
        tableName: config.table,
        runId: config.runId,
        generatedAt: now().toISOString(),
        concurrency: config.concurrency,
        logger,
        onProgress: (done: number) => progress.update(done),
      });
    } catch (err) {
      // A table that does not exist is a configuration problem (exit 2), not a failed product.
      if (err instanceof TableNotFoundError) throw new ConfigError(err.message, { cause: err });
      throw err;
    } finally {
      progress.stop();
    }
    for (const f of write.failed)
      logger.error(`product ${f.productId} was not written: ${f.error}`);
  }

  const fallbackList = forecasts.filter((f) => f.fallbackReason !== undefined);
  const stockRisk: StockRiskRow[] = write
    ? rankStockoutRisk(forecasts, write.stock, 10).map((r) => ({
        productId: r.productId,
        productName: r.productName,
        currentStock: r.currentStock,
        forecast7d: r.forecastedDemand,
        p90Total: r.p90Total,
        daysOfCover: r.daysOfCover,
        stockoutRisk: r.stockoutRisk,
      }))
    : [];
  const failed = write?.failed ?? [];
  return {
    runId: config.runId,
    source: config.source,
    table: config.dryRun ? null : (config.table ?? null),
    asOf,
    horizon: config.horizon,
    model:
      config.model.kind === 'statistical'
        ? 'statistical'
        : `${config.model.kind}:${config.model.id}`,
    dryRun: config.dryRun,
    output: config.output ?? null,
    files: load.files,
    rows: {
      read: load.rowsRead,
      used: load.rowsUsed,
      skipped: load.rowsSkipped as Record<string, number>,
      duplicates: load.duplicateRows,
      issues: load.issues,
    },
    products: {
      read: products.length,
      forecast: forecasts.length,
      written: write?.written ?? 0,
      skippedNewer: write?.skippedNewer.length ?? 0,
      failed,
    },
    models: count(forecasts, (f) => f.model.replace(/\(.*\)$/, '')),
    fallbacks: {
      count: fallbackList.length,
      // Counted by stable reason code; the JSONL keeps each product's full reason.
      reasons: bedrockStats?.fallbackReasons ?? count(fallbackList, (f) => f.fallbackReason),
    },
    bedrock: bedrockStats,
    stockRisk,
    durationSeconds: round((performance.now() - started) / 1000, 3),
    exitCode: failed.length > 0 ? EXIT_PRODUCTS_FAILED : EXIT_OK,
  };
}

export { EXIT_BAD_INPUT };
