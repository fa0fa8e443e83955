import { availableParallelism } from 'node:os';
import { addDays, loadSalesData, SalesDataError } from '@retail-forecast/sales-data';
import type { ProductSeries } from '@retail-forecast/sales-data';
import {
  backtestExternal,
  backtestOrigins,
  formatLeaderboard,
  getModel,
  InvalidOptionError,
  UnknownModelError,
} from '@retail-forecast/forecasting';
import { forecastMany } from '@retail-forecast/forecasting/runtime';
import type {
  BacktestOrigin,
  BacktestReport,
  ExternalForecast,
  ExternalModel,
} from '@retail-forecast/forecasting';
import {
  estimateBedrockCost,
  forecastWithBedrock,
  InvalidModelError,
  ModelAccessDeniedError,
} from '@retail-forecast/bedrock-client';
import type { BedrockRunStats } from '@retail-forecast/bedrock-client';
import type { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import type { CliIo } from './cli';
import { createJobClients } from './clients';
import { resolveRunConfig } from './config';
import type { GuardrailMode } from './config';
import { ConfigError, EXIT_BAD_INPUT } from './errors';
import { createLogger } from './logger';
import type { JobLogger } from './logger';

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
}

export type BacktestModelSpec =
  { kind: 'statistical'; name: string } | { kind: 'bedrock' | 'chronos'; id: string; name: string };

/** Predicted and actual Bedrock use of one model over all origins. */
export interface BacktestBedrockUsage {
  /** `bedrock:<id>` or `chronos:<id>`, as in the leaderboard. */
  model: string;
  /** From `estimateBedrockCost`, summed over origins, before any request. */
  estimate: {
    requests: number;
    inputTokens: number;
    outputTokens: number;
    /** null when no price is known for the model. */
    costUsd: number | null;
    costNote?: string;
  };
  /** `forecastWithBedrock`'s stats summed over origins; null when the model was never called. */
  actual: BedrockRunStats | null;
}

export interface BacktestJson extends BacktestReport {
  bedrock: BacktestBedrockUsage[];
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
      const m = /^(bedrock|chronos):(.*)$/.exec(name);
      if (!m) return { kind: 'statistical', name };
      if (m[2].trim() === '') {
        throw new ConfigError(
          `--models entry "${name}" has no model id (expected ${m[1]}:<model id, inference profile or ARN>)`,
        );
      }
      return { kind: m[1] as 'bedrock' | 'chronos', id: m[2].trim(), name };
    });
  if (specs.length === 0) {
    throw new ConfigError(`--models "${list}" names no model (expected e.g. auto,snaive)`);
  }
  return specs;
}

const LOOPBACK = /^(localhost|.+\.localhost|127(\.\d{1,3}){3}|::1)$/;

/**
 * Whether Bedrock requests would go to this machine: the SDK's endpoint setting
 * (AWS_ENDPOINT_URL_BEDROCK_RUNTIME, else AWS_ENDPOINT_URL) names a loopback host. Anything else,
 * including no setting at all, is AWS and costs money.
 */
export function isLocalBedrockEndpoint(env: NodeJS.ProcessEnv): boolean {
  // With this set the SDK ignores the endpoint variables and goes to AWS.
  if ((env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS ?? '').toLowerCase() === 'true') return false;
  const raw = env.AWS_ENDPOINT_URL_BEDROCK_RUNTIME || env.AWS_ENDPOINT_URL;
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
): boolean {
  return models.some((m) => m.kind !== 'statistical') && !isLocalBedrockEndpoint(env);
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function sumStats(a: BedrockRunStats | null, b: BedrockRunStats): BedrockRunStats {
  if (!a) return { ...b, fallbackReasons: { ...b.fallbackReasons } };
  const reasons = { ...a.fallbackReasons };
  for (const [k, v] of Object.entries(b.fallbackReasons)) reasons[k] = (reasons[k] ?? 0) + v;
  const cost =
    a.estimatedCostUsd === null || b.estimatedCostUsd === null
      ? null
      : a.estimatedCostUsd + b.estimatedCostUsd;
  const costNote = a.costNote ?? b.costNote;
  return {
    requests: a.requests + b.requests,
    retries: a.retries + b.retries,
    failedRequests: a.failedRequests + b.failedRequests,
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    estimatedCostUsd: cost,
    ...(costNote !== undefined ? { costNote } : {}),
    accepted: a.accepted + b.accepted,
    rejected: a.rejected + b.rejected,
    fallback: a.fallback + b.fallback,
    fallbackReasons: reasons,
  };
}

const usd = (v: number | null) => (v === null ? 'unknown' : `$${v.toFixed(4)}`);
const int = (v: number) => v.toLocaleString('en-US');

interface RemoteContext {
  client: BedrockRuntimeClient;
  products: Map<string, ProductSeries>;
  asOf: string;
  horizon: number;
  guardrail: GuardrailMode;
  concurrency: number;
  workers: number;
  region?: string;
  workerUrl?: URL;
  logger: JobLogger;
}

function promptProducts(origin: BacktestOrigin, products: Map<string, ProductSeries>) {
  return origin.trains.map((t) => {
    const p = products.get(t.id);
    return {
      productId: t.id,
      productName: p?.productName,
      category: p?.category,
      history: t.y,
    };
  });
}

/** Estimates a remote model's use over all origins, from exactly the series it will be sent. */
function estimateUsage(
  spec: Extract<BacktestModelSpec, { kind: 'bedrock' | 'chronos' }>,
  origins: BacktestOrigin[],
  ctx: Pick<RemoteContext, 'products' | 'asOf' | 'horizon'>,
): BacktestBedrockUsage['estimate'] {
  const total: BacktestBedrockUsage['estimate'] = {
    requests: 0,
    inputTokens: 0,
    outputTokens: 0,
    costUsd: 0,
  };
  for (const origin of origins) {
    if (origin.trains.length === 0) continue;
    const e = estimateBedrockCost(
      promptProducts(origin, ctx.products).map((product) => ({ product })),
      {
        modelId: spec.id,
        kind: spec.kind === 'chronos' ? 'chronos' : 'converse',
        asOf: addDays(ctx.asOf, -origin.holdoutDays),
        horizon: ctx.horizon,
      },
    );
    total.requests += e.requests;
    total.inputTokens += e.estimatedInputTokens;
    total.outputTokens += e.estimatedOutputTokens;
    total.costUsd =
      total.costUsd === null || e.estimatedCostUsd === null
        ? null
        : total.costUsd + e.estimatedCostUsd;
    if (e.costNote !== undefined) total.costNote ??= e.costNote;
  }
  return total;
}

/**
 * A Bedrock/Chronos model as a backtest model: at each origin the statistical forecast of the
 * truncated series is the guardrail reference and the fallback, as in the daily run.
 */
function remoteModel(
  spec: Extract<BacktestModelSpec, { kind: 'bedrock' | 'chronos' }>,
  usage: BacktestBedrockUsage,
  ctx: RemoteContext,
): ExternalModel {
  return {
    name: spec.name,
    async forecast(origin) {
      const asOf = addDays(ctx.asOf, -origin.holdoutDays);
      const statistical = await forecastMany(origin.trains, {
        horizon: ctx.horizon,
        workers: ctx.workers,
        workerUrl: ctx.workerUrl,
      });
      const products = promptProducts(origin, ctx.products);
      ctx.logger.info(
        `origin ${origin.origin} (as of ${asOf}): asking ${spec.name} for ${products.length} series`,
      );
      const { results, stats } = await forecastWithBedrock(
        products.map((product) => ({ product, statistical: statistical.get(product.productId)! })),
        {
          client: ctx.client,
          modelId: spec.id,
          kind: spec.kind === 'chronos' ? 'chronos' : 'converse',
          asOf,
          horizon: ctx.horizon,
          concurrency: ctx.concurrency,
          guardrail: ctx.guardrail,
          region: ctx.region,
          logger: ctx.logger,
        },
      );
      usage.actual = sumStats(usage.actual, stats);
      const out = new Map<string, ExternalForecast>();
      for (const [id, r] of results) {
        out.set(id, {
          p10: r.p10,
          p50: r.p50,
          p90: r.p90,
          chosen: r.model,
          fallback: r.source === 'fallback',
        });
      }
      return out;
    },
  };
}

function formatEstimate(u: BacktestBedrockUsage, origins: number): string {
  const e = u.estimate;
  const cost =
    e.costUsd === null ? `unknown (${e.costNote ?? 'no price for this model'})` : usd(e.costUsd);
  return `${u.model}: ${origins} origin(s) → ${int(e.requests)} request(s), ~${int(e.inputTokens)} input + ~${int(e.outputTokens)} output tokens, estimated cost ${cost}`;
}

function formatEstimateTotal(usage: BacktestBedrockUsage[]): string {
  let requests = 0;
  let input = 0;
  let output = 0;
  let cost = 0;
  const unpriced: string[] = [];
  for (const { model, estimate: e } of usage) {
    requests += e.requests;
    input += e.inputTokens;
    output += e.outputTokens;
    if (e.costUsd === null) unpriced.push(model);
    else cost += e.costUsd;
  }
  const note = unpriced.length > 0 ? ` plus unknown for ${unpriced.join(', ')}` : '';
  return `total: ${int(requests)} request(s), ~${int(input)} input + ~${int(output)} output tokens, estimated cost ${usd(cost)}${note}`;
}

function formatUsage(usage: BacktestBedrockUsage[]): string {
  if (usage.length === 0) return '';
  const lines = ['', 'Bedrock use (summed over origins):'];
  for (const u of usage) {
    const a = u.actual;
    if (!a) {
      lines.push(`${u.model}: not called`);
      continue;
    }
    const reasons = Object.entries(a.fallbackReasons)
      .map(([k, v]) => `${k} ×${v}`)
      .join(', ');
    lines.push(
      `${u.model}: ${a.accepted} answers used, ${a.fallback} fallbacks${reasons ? ` (${reasons})` : ''}; ` +
        `${int(a.requests)} requests (${a.failedRequests} failed, ${a.retries} retries), ` +
        `${int(a.inputTokens)} input + ${int(a.outputTokens)} output tokens, cost ${usd(a.estimatedCostUsd)} ` +
        `(estimated ${usd(u.estimate.costUsd)})`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/**
 * The `backtest` command: rolling-origin backtest of statistical models and, optionally, Bedrock
 * or Chronos models on the same cuts, scored alike. A remote model against a non-local endpoint
 * runs only with `--yes`, after the expected requests, tokens and cost are printed. Resolves to
 * the exit code: 0 done, 1 unexpected failure, 2 bad input or configuration, or `--yes` missing.
 */
export async function backtestAction(opts: BacktestFlags, io: CliIo): Promise<number> {
  const logger = createLogger({ json: false, stream: io.stderr });
  try {
    const specs = parseBacktestModels(opts.models);
    for (const s of specs) if (s.kind === 'statistical' && s.name !== 'auto') getModel(s.name);
    const remote = specs.filter(
      (s): s is Extract<BacktestModelSpec, { kind: 'bedrock' | 'chronos' }> =>
        s.kind !== 'statistical',
    );
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
      },
      io.env,
    );
    const clients = createJobClients(config, io.env);
    try {
      const data = await loadSalesData({
        source: config.source,
        asOf: config.asOf,
        s3: clients.s3,
        logger,
      });
      const series = data.products.map((p) => ({ id: p.productId, y: p.values }));
      const products = new Map(data.products.map((p) => [p.productId, p]));
      const origins = backtestOrigins(series, { horizon: opts.horizon, origins: opts.origins });
      const usage: BacktestBedrockUsage[] = remote.map((spec) => ({
        model: spec.name,
        estimate: estimateUsage(spec, origins, {
          products,
          asOf: data.asOf,
          horizon: opts.horizon,
        }),
        actual: null,
      }));
      for (const u of usage) io.stderr.write(`${formatEstimate(u, opts.origins)}\n`);
      if (usage.length > 1) io.stderr.write(`${formatEstimateTotal(usage)}\n`);
      if (needsPaidConfirmation(specs, io.env) && !opts.yes) {
        io.stderr.write(
          'These requests go to a paid Amazon Bedrock endpoint (AWS_ENDPOINT_URL_BEDROCK_RUNTIME is not a local address). ' +
            'Nothing was sent. Re-run with --yes to proceed.\n',
        );
        return EXIT_BAD_INPUT;
      }
      const ctx: RemoteContext = {
        client: clients.bedrock!,
        products,
        asOf: data.asOf,
        horizon: opts.horizon,
        guardrail: config.guardrail,
        concurrency: Math.min(config.concurrency, 8),
        workers: config.workers === 0 ? availableParallelism() : config.workers,
        region: config.region,
        workerUrl: io.workerUrl,
        logger,
      };
      const report = await backtestExternal(series, {
        horizon: opts.horizon,
        origins: opts.origins,
        models: specs.map((s) =>
          s.kind === 'statistical' ? s.name : remoteModel(s, usage[remote.indexOf(s)], ctx),
        ),
      });
      if (opts.json) {
        const out: BacktestJson = { ...report, bedrock: usage };
        io.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
      } else {
        io.stdout.write(`${formatLeaderboard(report)}\n${formatUsage(usage)}`);
      }
      return 0;
    } finally {
      clients.destroy();
    }
  } catch (err) {
    if (
      err instanceof ConfigError ||
      err instanceof SalesDataError ||
      err instanceof UnknownModelError ||
      err instanceof InvalidOptionError ||
      err instanceof ModelAccessDeniedError ||
      err instanceof InvalidModelError
    ) {
      logger.error(err.message);
      return EXIT_BAD_INPUT;
    }
    logger.error(`backtest failed: ${errorMessage(err)}`);
    return 1;
  }
}
