import { loadSalesData } from '@retail-forecast/sales-data';
import type { ProductSeries } from '@retail-forecast/sales-data';
import {
  backtestExternal,
  backtestOrigins,
  modelNames,
  UnknownModelError,
} from '@retail-forecast/forecasting';
import type { ExternalForecast, ExternalModel, SeriesContext } from '@retail-forecast/forecasting';
import { addDays, asFloat64, EXIT_BAD_INPUT, EXIT_FAILED } from '@retail-forecast/util';
import { formatBacktestReport, formatEstimate, formatEstimateTotal } from './backtestReport';
import { estimateUsage, originProducts, sumStats } from './backtestUsage';
import {
  productContext,
  engineSettings,
  loadCalendarSettings,
  warnUnmatchedEvents,
} from './calendarStep';
import { createJobClients } from './clients';
import { resolveRunConfig } from './config';
import { ConfigError } from './errors';
import { reportFailure } from './exitCodes';
import { assertModelSupports, forecastStep, JOB_CONFORMAL, parseRemoteModel } from './forecastStep';
import type { ForecastStepOptions } from './forecastStep';
import { createLogger } from './logger';
import { parquetDecodeOptions } from './decodeThreads';
import type {
  BacktestBedrockUsage,
  BacktestJson,
  BacktestModelSpec,
  CliIo,
  RemoteBacktestModel,
} from './types';

/** The `backtest` command's flags as commander hands them over. */
export interface BacktestFlags {
  source: string;
  horizon: number;
  origins: number;
  /** Comma-separated: registry names, `auto`, `bedrock:<modelId>`, `chronos:<endpoint or id>`. */
  models: string;
  asOf?: string;
  json?: boolean;
  /** Allows calls to a paid (non-local) Bedrock endpoint. */
  yes?: boolean;
  guardrail?: string;
  /** `sync`, `batch` or `auto` for `bedrock:` models, as in `run`. */
  modelMode?: string;
  batchThreshold?: number;
  /** `on` or `off`: the global model joins `auto`'s race at each origin, as in `run`. */
  globalModel?: string;
  /** Public holidays as calendar regressors of `auto` at each origin, as in `run`. */
  holidays?: string;
  /** Known-future events CSV (local or `s3://`), as in `run`. */
  events?: string;
  /** How `auto` combines its ranked models (`AutoOptions.combination`), as in `run`. */
  combination?: string;
  /** `clean` or `keep`: outliers of smooth demand in `auto`'s fits at each origin, as in `run`. */
  outliers?: string;
  /** `follow` or `ignore`: level shifts in `auto`'s fits at each origin, as in `run`. */
  levelShifts?: string;
  /** `catalogue` or `own`: young products' weekday profile in `auto`'s fits at each origin, as in
   * `run`. */
  weekdayProfile?: string;
  /** How the data is loaded, as in `run`: the time zone of bare UTC instants, the policy for
   * conflicting duplicate rows and the rejected-row budget (`--max-bad-rows`). */
  timezone?: string;
  onDuplicate?: string;
  maxBadRows?: string;
}

/**
 * Splits `--models`. `bedrock:`/`chronos:` entries keep everything after the first colon, so
 * model ids and ARNs with colons survive.
 */
export function parseBacktestModels(list: string): BacktestModelSpec[] {
  const specs = list
    .split(',')
    .map((m) => m.trim())
    .filter(Boolean)
    .map((name): BacktestModelSpec => {
      const remote = parseRemoteModel(name, '--models entry');
      return remote ? { ...remote, name } : { kind: 'statistical', name };
    });
  if (specs.length === 0) {
    throw new ConfigError(`--models "${list}" names no model (expected e.g. auto,snaive)`);
  }
  return specs;
}

const LOOPBACK = /^(localhost|.+\.localhost|127(\.\d{1,3}){3}|::1)$/;

/**
 * Whether Bedrock (or, for `sagemaker`, SageMaker Runtime) requests would go to this machine: the
 * SDK's endpoint setting (AWS_ENDPOINT_URL_BEDROCK_RUNTIME or AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME,
 * else AWS_ENDPOINT_URL) names a loopback host. Anything else, including no setting at all, is AWS
 * and costs money.
 */
export function isLocalBedrockEndpoint(
  env: NodeJS.ProcessEnv,
  service: 'bedrock' | 'sagemaker' = 'bedrock',
): boolean {
  // With this set the SDK ignores the endpoint variables and goes to AWS.
  if ((env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS ?? '').toLowerCase() === 'true') return false;
  return isLoopbackUrl(
    (service === 'sagemaker'
      ? env.AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME
      : env.AWS_ENDPOINT_URL_BEDROCK_RUNTIME) || env.AWS_ENDPOINT_URL,
  );
}

/** Whether batch inference jobs would go to this machine (AWS_ENDPOINT_URL_BEDROCK, else AWS_ENDPOINT_URL). */
export function isLocalBedrockControlEndpoint(env: NodeJS.ProcessEnv): boolean {
  if ((env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS ?? '').toLowerCase() === 'true') return false;
  return isLoopbackUrl(env.AWS_ENDPOINT_URL_BEDROCK || env.AWS_ENDPOINT_URL);
}

function isLoopbackUrl(raw: string | undefined): boolean {
  if (!raw) return false;
  let host: string;
  try {
    host = new URL(raw).hostname.toLowerCase();
  } catch {
    return false;
  }
  return LOOPBACK.test(host.replace(/^\[(.*)\]$/, '$1'));
}

/** The guard's decision: a Bedrock/Chronos model against a non-local endpoint needs `--yes`. */
export function needsPaidConfirmation(
  models: BacktestModelSpec[],
  env: NodeJS.ProcessEnv,
  batch = false,
): boolean {
  const remote = models.filter((m) => m.kind !== 'statistical');
  if (remote.length === 0) return false;
  const paid = remote.some(
    (m) => !isLocalBedrockEndpoint(env, m.kind === 'chronos2' ? 'sagemaker' : 'bedrock'),
  );
  // Batch jobs go to the control plane, for Converse (bedrock:) models only.
  const paidJobs =
    batch && remote.some((m) => m.kind === 'bedrock') && !isLocalBedrockControlEndpoint(env);
  return paid || paidJobs;
}

interface RemoteContext {
  products: Map<string, ProductSeries>;
  /** A product's calendar context at a cut (`--holidays`/`--events`), as the run builds it. */
  contextAt?: (productId: string, length: number) => SeriesContext | undefined;
  /** Last day of the full history; each origin's as-of is earlier. */
  asOf: string;
  /** The forecasting step's settings, the same at every origin. */
  step: Omit<ForecastStepOptions, 'model' | 'asOf'>;
}

/**
 * A Bedrock/Chronos model as a backtest model: at each origin the run's forecasting step on the
 * truncated series, so the statistical forecast is the guardrail reference and the fallback.
 */
function remoteModel(
  spec: RemoteBacktestModel,
  usage: BacktestBedrockUsage,
  ctx: RemoteContext,
): ExternalModel {
  return {
    name: spec.name,
    // A rejected or missing answer is scored as the statistical fallback the run would publish.
    hasFallback: true,
    async forecast(origin) {
      const asOf = addDays(ctx.asOf, -origin.holdoutDays);
      const products = originProducts(origin, ctx.products, ctx.contextAt);
      ctx.step.logger.info(
        `origin ${origin.origin} (as of ${asOf}): asking ${spec.name} for ${products.length} series`,
      );
      const step = await forecastStep(products, { ...ctx.step, model: spec, asOf });
      usage.actual = sumStats(usage.actual, step.bedrock!);
      const out = new Map<string, ExternalForecast>();
      for (const [id, f] of step.forecasts) {
        // The mean too: a count series' expected demand, which bias is scored on (as for auto).
        out.set(id, {
          p10: f.p10,
          p50: f.p50,
          p90: f.p90,
          ...(f.mean ? { mean: f.mean } : {}),
          chosen: f.model,
          fallback: f.fallback,
        });
      }
      return out;
    },
  };
}

/**
 * The `backtest` command: rolling-origin backtest of statistical models and, optionally, Bedrock
 * or Chronos models on the same cuts, scored alike. A remote model against a non-local endpoint
 * runs only with `--yes`, after the expected requests, tokens and cost are printed. Resolves to
 * the exit code: 0 done, 1 products left out by the loader (named; the rest are scored) or an
 * unexpected failure, 2 bad input or configuration (past `--max-bad-rows` too), or `--yes` missing.
 */
export async function backtestAction(opts: BacktestFlags, io: CliIo): Promise<number> {
  const logger = createLogger({ json: false, stream: io.stderr });
  try {
    const specs = parseBacktestModels(opts.models);
    for (const s of specs) {
      if (s.kind === 'statistical' && s.name !== 'auto' && !modelNames().includes(s.name)) {
        throw new UnknownModelError(
          `--models: "${s.name}" is not a model (expected auto, ${modelNames().join(', ')}, bedrock:<modelId>, chronos:<endpoint ARN or model id> or chronos2:<SageMaker endpoint>)`,
        );
      }
    }
    const remote = specs.filter((s): s is RemoteBacktestModel => s.kind !== 'statistical');
    for (const s of remote) assertModelSupports(s, opts.horizon, '--horizon');
    const config = resolveRunConfig(
      {
        source: opts.source,
        asOf: opts.asOf,
        // Bedrock takes at most 90 days; the statistical backtest has no such limit.
        horizon: remote.length > 0 ? opts.horizon : undefined,
        dryRun: true,
        // The first remote model decides whether a Bedrock client (and a region) is needed.
        model: remote[0]?.name ?? 'statistical',
        guardrail: opts.guardrail,
        modelMode: opts.modelMode,
        batchThreshold: opts.batchThreshold,
        globalModel: opts.globalModel,
        holidays: opts.holidays,
        events: opts.events,
        combination: opts.combination,
        outliers: opts.outliers,
        levelShifts: opts.levelShifts,
        weekdayProfile: opts.weekdayProfile,
        timezone: opts.timezone,
        onDuplicate: opts.onDuplicate,
        maxBadRows: opts.maxBadRows,
      },
      io.env,
    );
    const clients = createJobClients(config, io.env, remote);
    try {
      const data = await loadSalesData({
        source: config.source,
        asOf: config.asOf,
        timeZone: config.timezone,
        onDuplicate: config.onDuplicate,
        maxBadRows: config.maxBadRows,
        s3: clients.s3,
        logger,
        parquetDecode: parquetDecodeOptions(config.workers, io.workerUrl),
      });
      // Products the loader left out (every row rejected, or conflicting duplicates under
      // --on-duplicate error) are named and make the exit code 1, as in `run`: a leaderboard
      // without them is not the catalogue's.
      for (const f of data.failedProducts)
        logger.error(`product ${f.productId} was left out of the backtest: ${f.error}`);
      const calendar = await loadCalendarSettings(config, { s3: clients.s3, logger });
      // The backtest's models and cuts work on Float64; the products keep their compact values.
      const series = data.products.map((p) => ({ id: p.productId, y: asFloat64(p.values) }));
      const products = new Map(data.products.map((p) => [p.productId, p]));
      warnUnmatchedEvents(calendar, data.products, { logger, sharded: false });
      // What made auto's numbers, as a run's summary records it; judged on the whole histories
      // (at each origin they are 7·o days shorter still).
      const engine = engineSettings(
        config,
        calendar,
        data.products.map((p) => ({
          history: p.values,
          context: productContext(calendar, { ...p, length: p.values.length }, opts.horizon),
        })),
        opts.horizon,
        logger,
      );
      if (config.globalModel)
        logger.info(
          `global model: fitted once per origin on all ${data.products.length} series before auto runs; that fit's time is not in auto's ms/fit`,
        );
      const origins = backtestOrigins(series, { horizon: opts.horizon, origins: opts.origins });
      // At each cut, the context a run on that day would have built (its calendar regressors span
      // the cut's history and the horizon).
      const contextAt = (id: string, length: number) => {
        const p = products.get(id) as ProductSeries;
        return productContext(calendar, { ...p, length }, opts.horizon);
      };
      const usage: BacktestBedrockUsage[] = remote.map((spec) => ({
        model: spec.name,
        estimate: estimateUsage(spec, origins, {
          products,
          asOf: data.asOf,
          horizon: opts.horizon,
          modelMode: config.modelMode,
          batchThreshold: config.batch?.threshold,
        }),
        actual: null,
      }));
      for (const u of usage) io.stderr.write(`${formatEstimate(u, opts.origins)}\n`);
      if (usage.length > 1) io.stderr.write(`${formatEstimateTotal(usage)}\n`);
      const batchUsed = usage.some((u) => u.estimate.batchOrigins !== undefined);
      if (needsPaidConfirmation(specs, io.env, batchUsed) && !opts.yes) {
        io.stderr.write(
          `These requests go to a paid Amazon Bedrock or SageMaker endpoint (AWS_ENDPOINT_URL_BEDROCK_RUNTIME${batchUsed ? ', AWS_ENDPOINT_URL_BEDROCK' : ''} or AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME is not a local address). ` +
            'Nothing was sent. Re-run with --yes to proceed.\n',
        );
        return EXIT_BAD_INPUT;
      }
      const ctx: RemoteContext = {
        products,
        contextAt,
        asOf: data.asOf,
        step: {
          horizon: opts.horizon,
          guardrail: config.guardrail,
          concurrency: config.concurrency,
          workers: config.workers,
          region: config.region,
          bedrock: clients.bedrock,
          sagemaker: clients.sagemaker,
          workerUrl: io.workerUrl,
          logger,
          modelMode: config.modelMode,
          // The guardrail reference and fallback: auto's engine, as in a run with these settings.
          globalModel: config.globalModel,
          combination: config.combination,
          cleanOutliers: config.cleanOutliers,
          levelShifts: config.followLevelShifts,
          catalogueProfile: config.catalogueProfile,
          ...(config.batch && clients.bedrockControl && clients.s3
            ? {
                batch: {
                  settings: config.batch,
                  control: clients.bedrockControl,
                  s3: clients.s3,
                  runId: config.runId,
                },
              }
            : {}),
        },
      };
      const report = await backtestExternal(series, {
        horizon: opts.horizon,
        origins: opts.origins,
        // `auto` with the job's intervals, as the job publishes them.
        auto: {
          conformal: JOB_CONFORMAL,
          combination: config.combination,
          cleanOutliers: config.cleanOutliers,
          levelShifts: config.followLevelShifts,
          catalogueProfile: config.catalogueProfile,
        },
        models: specs.map((s) =>
          s.kind === 'statistical' ? s.name : remoteModel(s, usage[remote.indexOf(s)], ctx),
        ),
        contextAt,
        globalModel: config.globalModel,
      });
      const leftOut = data.failedProducts.map((f) => ({ productId: f.productId, error: f.error }));
      if (opts.json) {
        const out: BacktestJson = { ...report, engine, bedrock: usage, leftOut };
        io.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
      } else {
        io.stdout.write(formatBacktestReport(report, usage, engine));
        if (leftOut.length > 0)
          io.stdout.write(
            `left out: ${leftOut.length} product(s) the loader could not use, not in the figures above: ${leftOut
              .slice(0, 10)
              .map((f) => f.productId)
              .join(
                ', ',
              )}${leftOut.length > 10 ? ', …' : ''} (each named with its error on stderr)\n`,
          );
      }
      return leftOut.length > 0 ? EXIT_FAILED : 0;
    } finally {
      clients.destroy();
    }
  } catch (err) {
    return reportFailure(logger, 'backtest', err);
  }
}
