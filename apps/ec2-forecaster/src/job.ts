import type { S3Client } from '@aws-sdk/client-s3';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { BedrockClient } from '@aws-sdk/client-bedrock';
import type { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import type { BedrockRunStats } from '@retail-forecast/bedrock-client';
import type { SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { loadSalesData } from '@retail-forecast/sales-data';
import type { BadRowBudget, SalesDataset } from '@retail-forecast/sales-data';
import { modelFamily, toProductForecast, type ProductForecast } from '@retail-forecast/forecasting';
import { writeForecasts } from '@retail-forecast/dynamodb-writer';
import { rankStockoutRisk } from '@retail-forecast/inventory-planning';
import type { WriteResult } from '@retail-forecast/dynamodb-writer';
import { openForecastArchive } from '@retail-forecast/forecast-archive';
import type { ForecastArchive } from '@retail-forecast/forecast-archive';
import { EXIT_FAILED, EXIT_OK, errorMessage } from '@retail-forecast/util';
import type { Logger } from '@retail-forecast/util';
import { formatShard } from '@retail-forecast/job-contract';
import { archiveStep } from './archiveStep';
import {
  productContext,
  engineSettings,
  loadCalendarSettings,
  warnUnmatchedEvents,
} from './calendarStep';
import { CapacityCheck, availableMemoryBytes } from './capacity';
import type { ArchiveStepResult } from './archiveStep';
import { ConfigError } from './errors';
import { forecastStep, modelLabel } from './forecastStep';
import { parquetDecodeOptions } from './decodeThreads';
import { writeJsonLines } from './output';
import { writeRunReport } from './report';
import type { Progress } from './progress';
import { noProgress } from './progress';
import { runDeadline, type RunDeadline } from './runDeadline';
import { reorderRows } from './reorderRows';
import type { RunConfig, RunSummary, StockRiskRow } from './types';

export interface JobDeps {
  s3?: S3Client;
  dynamodb?: DynamoDBClient;
  bedrock?: BedrockRuntimeClient;
  /** The Bedrock control plane, for `--model-mode batch|auto`. */
  bedrockControl?: BedrockClient;
  sagemaker?: SageMakerRuntimeClient;
  logger: Logger;
  progress?: Progress;
  /** Bundle URL for forecasting and decoding worker threads (the esbuild bundle passes its own). */
  workerUrl?: URL;
  /** Memory the run may use, bytes (default: the machine's or the container's). */
  memoryBytes?: number;
  now?: () => Date;
}

const describeBudget = (b: BadRowBudget) => (b.kind === 'rows' ? String(b.rows) : `${b.percent}%`);

/** The summary's `outliers`: days replaced over the published records, and products with any. */
function outlierTotals(forecasts: ProductForecast[]): RunSummary['outliers'] {
  let daysReplaced = 0;
  let products = 0;
  for (const f of forecasts) {
    const n = f.outliers?.count ?? 0;
    daysReplaced += n;
    if (n > 0) products++;
  }
  return { daysReplaced, products };
}

/** The summary's `levelShifts`: published records fitted after a level shift. */
function levelShiftTotals(forecasts: ProductForecast[]): RunSummary['levelShifts'] {
  return { products: forecasts.filter((f) => f.levelShift !== undefined).length };
}

/** The summary's `weekdayProfile`: published records whose week the catalogue's profile spread. */
function weekdayProfileTotals(forecasts: ProductForecast[]): RunSummary['weekdayProfile'] {
  const spread = forecasts.filter((f) => f.weekdayProfile !== undefined);
  return {
    products: spread.length,
    category: spread.filter((f) => f.weekdayProfile?.source === 'category').length,
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
 * The summary's model count key: a statistical model by its registry name
 * (`statistical:combo-eat`, `statistical:top3`, `statistical:ets`), a remote one as named.
 */
export function modelCountKey(model: string): string {
  const statistical = /^statistical:(.*)$/.exec(model);
  return statistical ? `statistical:${modelFamily(statistical[1])}` : model.replace(/\(.*\)$/, '');
}

/**
 * The daily job: load Gold data, forecast every product, write JSONL and DynamoDB.
 * The same function runs on EC2, from the CLI and in the local demo; only the clients differ.
 * It keeps to `config.deadlineMinutes`: model requests stop in time for the writes, and the
 * products without an answer by then keep their statistical forecast (reason `deadline`).
 */
export async function runForecastJob(config: RunConfig, deps: JobDeps): Promise<RunSummary> {
  const deadline = runDeadline(config.deadlineMinutes);
  try {
    return await runUntil(deadline, config, deps);
  } finally {
    deadline.dispose();
  }
}

async function runUntil(
  deadline: RunDeadline,
  config: RunConfig,
  deps: JobDeps,
): Promise<RunSummary> {
  const started = performance.now();
  const { logger } = deps;
  const progress = deps.progress ?? noProgress;
  const now = deps.now ?? (() => new Date());
  // Opened first so a bad --archive fails the run before anything is loaded.
  const archive: ForecastArchive | undefined = config.archive
    ? openForecastArchive(config.archive, { s3: deps.s3, logger, shard: config.shard })
    : undefined;
  // Read before the data, so a bad events file or holiday code fails the run at start.
  const calendar = await loadCalendarSettings(config, { s3: deps.s3, logger });
  const capacity = new CapacityCheck(
    deps.memoryBytes ?? availableMemoryBytes(),
    logger,
    config.shard,
  );

  // 1. Load. Any unreadable file fails the run here, before anything is written.
  let dataset: SalesDataset;
  try {
    let total = 0;
    dataset = await loadSalesData({
      source: config.source,
      asOf: config.asOf,
      timeZone: config.timezone,
      onDuplicate: config.onDuplicate,
      maxBadRows: config.maxBadRows,
      s3: deps.s3,
      logger,
      shard: config.shard,
      parquetDecode: parquetDecodeOptions(config.workers, deps.workerUrl),
      onFile: (info) => {
        capacity.afterFile(info.products, info.index, info.total);
        if (total === 0) {
          total = info.total;
          progress.start('loading', info.total);
        }
        progress.update(info.index);
      },
    });
  } finally {
    progress.stop();
  }
  const { asOf, products } = dataset;
  const { summary: load } = dataset;
  capacity.loaded(products.length + dataset.failedProducts.length);
  // sales-data logs the load summary and each reported row issue itself. Products it could not
  // build a series for (every row rejected, conflicting rows under --on-duplicate error) fail
  // alone: listed, not written, exit 1.
  const loadFailed = dataset.failedProducts;
  for (const f of loadFailed) logger.error(`product ${f.productId} was not forecast: ${f.error}`);

  // 2. Forecast every product: statistical, then the requested model with fallback.
  warnUnmatchedEvents(calendar, products, { logger, sharded: config.shard !== undefined });
  const stepProducts = products.map((p) => ({
    productId: p.productId,
    productName: p.productName,
    category: p.category,
    history: p.values,
    context: productContext(calendar, { ...p, length: p.values.length }, config.horizon),
  }));
  const engine = engineSettings(config, calendar, stepProducts, config.horizon, logger);
  const step = await forecastStep(stepProducts, {
    model: config.model,
    asOf,
    horizon: config.horizon,
    ...(config.quantiles ? { quantiles: config.quantiles } : {}),
    guardrail: config.guardrail,
    concurrency: config.concurrency,
    workers: config.workers,
    globalModel: config.globalModel,
    combination: config.combination,
    cleanOutliers: config.cleanOutliers,
    levelShifts: config.followLevelShifts,
    catalogueProfile: config.catalogueProfile,
    region: config.region,
    bedrock: deps.bedrock,
    sagemaker: deps.sagemaker,
    workerUrl: deps.workerUrl,
    logger,
    progress,
    signal: deadline.models,
    modelMode: config.modelMode,
    ...(config.batch && deps.bedrockControl && deps.s3
      ? {
          batch: {
            settings: config.batch,
            control: deps.bedrockControl,
            s3: deps.s3,
            runId: config.runId,
          },
        }
      : {}),
  });
  const { statistical } = step;
  const bedrockStats = step.bedrock;
  const forecasts = products.map((p) => {
    const f = step.forecasts.get(p.productId)!;
    return toProductForecast(p, asOf, config.horizon, f.model, f, f.fallbackReason);
  });

  // 3. JSONL first: a DynamoDB failure must not lose the numbers.
  if (config.output) {
    await writeJsonLines(config.output, forecasts, (f) => ({
      statistical_model: statistical.get(f.productId)?.model ?? null,
      demand_class: statistical.get(f.productId)?.demandClass ?? null,
      run_id: config.runId,
      // Only on shard runs, so a whole run's lines are unchanged.
      ...(config.shard ? { shard: formatShard(config.shard) } : {}),
    }));
    logger.info(`wrote ${forecasts.length} forecasts to ${config.output}`);
  }

  // 4. DynamoDB.
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
        // At the run deadline the writer stops retrying and lists what it could not write.
        deadline: deadline.writes,
        reorder: config.reorder,
        logger,
        onProgress: (done: number) => progress.update(done),
      });
    } finally {
      progress.stop();
    }
    for (const f of write.failed)
      logger.error(`product ${f.productId} was not written: ${f.error}`);
    if (write.stockNotRead.length > 0) {
      const ids = write.stockNotRead.map((s) => s.productId);
      logger.error(
        `current_stock could not be read for ${ids.length} written product(s); their stored ` +
          `days_of_cover and stockout_risk${config.reorder ? ' (and reorder fields)' : ''} ` +
          `were kept, not recomputed ` +
          `(${write.stockNotRead[0].reason}): ${ids.slice(0, 20).join(', ')}` +
          (ids.length > 20 ? `, … and ${ids.length - 20} more` : ''),
      );
    }
  }

  // 5. Archive: score earlier forecasts, then store this run's forecasts and that accuracy. A
  // failure here fails the run (exit 1) but leaves what was already written in place.
  let archived: ArchiveStepResult | null = null;
  let archiveError: string | null = null;
  if (archive) {
    try {
      archived = await archiveStep(forecasts, products, {
        archive,
        asOf,
        horizon: config.horizon,
        runId: config.runId,
        alarmFactor: config.accuracyAlarmFactor,
        // A shard holds part of the catalog: its overall and category figures would be partial.
        score: config.shard === undefined,
        logger,
      });
    } catch (err) {
      archiveError = errorMessage(err);
      logger.error(`forecast archive ${archive.uri} not updated: ${archiveError}`);
    } finally {
      archive.close();
    }
  }

  const fallbackList = forecasts.filter((f) => f.fallbackReason !== undefined);
  const stockRisk: StockRiskRow[] = write
    ? rankStockoutRisk(forecasts, write.stock, 10).map((r) => ({
        productId: r.productId,
        productName: r.productName,
        currentStock: r.currentStock,
        forecastedDemand: r.forecastedDemand,
        p90Total: r.p90Total,
        daysOfCover: r.daysOfCover,
        stockoutRisk: r.stockoutRisk,
      }))
    : [];
  const failed = [...loadFailed, ...(write?.failed ?? [])];
  const stockNotRead = write?.stockNotRead ?? [];
  const modelSilent = modelNeverAnswered(bedrockStats);
  const summary: RunSummary = {
    runId: config.runId,
    ...(load.shard ? { shard: load.shard } : {}),
    source: config.source,
    table: config.dryRun ? null : (config.table ?? null),
    asOf,
    horizon: config.horizon,
    model: modelLabel(config.model),
    engine,
    dryRun: config.dryRun,
    output: config.output ?? null,
    files: load.files,
    rows: {
      read: load.rowsRead,
      used: load.rowsUsed,
      skipped: load.rowsSkipped as Record<string, number>,
      rejected: load.rowsRejected,
      maxBadRows: describeBudget(config.maxBadRows),
      duplicatesDropped: load.duplicatesDropped,
      conflictingDuplicates: { count: load.conflictingDuplicates, policy: load.duplicatePolicy },
      issues: load.issues,
    },
    warnings: [...load.warnings, ...(calendar?.warnings ?? [])],
    products: {
      read: products.length,
      flagged: load.productsFlagged,
      forecast: forecasts.length,
      written: write?.written ?? 0,
      skippedNewer: write?.skippedNewer.length ?? 0,
      failed,
      stockNotRead,
    },
    models: count(forecasts, (f) => modelCountKey(f.model)),
    outliers: outlierTotals(forecasts),
    levelShifts: levelShiftTotals(forecasts),
    weekdayProfile: weekdayProfileTotals(forecasts),
    fallbacks: {
      count: fallbackList.length,
      // Counted by stable reason code; the JSONL keeps each product's full reason.
      reasons: bedrockStats?.fallbackReasons ?? count(fallbackList, (f) => f.fallbackReason),
    },
    bedrock: bedrockStats,
    stockRisk,
    reorder: write ? reorderRows(forecasts, write) : [],
    archive: archive
      ? {
          uri: archive.uri,
          forecastsPartition: archived?.forecastsPartition ?? null,
          accuracyPartition: archived?.accuracyPartition ?? null,
          forecastRows: archived?.forecastRows ?? 0,
          error: archiveError,
        }
      : null,
    accuracy: archived?.accuracy ?? null,
    // Milliseconds are enough for a run's duration.
    durationSeconds: Math.round(performance.now() - started) / 1000,
    exitCode:
      failed.length > 0 || stockNotRead.length > 0 || archiveError !== null || modelSilent
        ? EXIT_FAILED
        : EXIT_OK,
  };
  if (modelSilent)
    logger.error(
      `${modelLabel(config.model)} answered no request: all ${bedrockStats?.failedRequests} request(s) failed ` +
        `(${Object.entries(bedrockStats?.fallbackReasons ?? {})
          .map(([reason, n]) => `${reason}: ${n}`)
          .join('; ')}); every product keeps the statistical forecast, and the run exits 1 so ` +
        'an unreachable or misconfigured model does not pass for a healthy run',
    );

  // 5. The HTML report, last: it shows the run's outcome. Not written → the run failed.
  if (config.report) {
    const input = {
      summary,
      products,
      forecasts,
      demandClass: (id: string) => statistical.get(id)?.demandClass,
      generatedAt: now().toISOString(),
    };
    if (!(await writeRunReport(config.report, input, { s3: deps.s3, logger })))
      summary.exitCode = EXIT_FAILED;
  }
  return summary;
}

/**
 * True when a remote model was asked and not one request got an answer (every request failed:
 * unreachable endpoint, throttled throughout, 5xx): the products are written with the statistical
 * forecast, but the run must not report success. Answers the guardrail rejected are answers; a
 * model phase the run's deadline stopped is reported as `deadline` fallbacks instead.
 */
function modelNeverAnswered(stats: BedrockRunStats | null | undefined): boolean {
  return (
    stats != null &&
    stats.failedRequests > 0 &&
    stats.accepted === 0 &&
    stats.rejected === 0 &&
    // The run's own deadline cut the model phase short: reported as such, not as a broken model.
    !('deadline' in stats.fallbackReasons)
  );
}
