import { availableParallelism } from 'node:os';
import type { BedrockClient } from '@aws-sdk/client-bedrock';
import type { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import type { S3Client } from '@aws-sdk/client-s3';
import type { SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import {
  assertHorizonSupported,
  batchJobName,
  batchRequestToken,
  forecastWithBedrock,
  parseSageMakerEndpoint,
} from '@retail-forecast/bedrock-client';
import type { BatchInferenceOptions, BedrockRunStats } from '@retail-forecast/bedrock-client';
import { BATCH_INPUT_DIR, BATCH_OUTPUT_DIR } from '@retail-forecast/job-contract';
import { forecastMany } from '@retail-forecast/forecasting/runtime';
import type { SeriesForecast } from '@retail-forecast/forecasting';
import { errorMessage } from '@retail-forecast/util';
import type { Logger } from '@retail-forecast/util';
import { ConfigError } from './errors';
import { noProgress } from './progress';
import type { Progress } from './progress';
import type {
  BatchSettings,
  GuardrailMode,
  ModelMode,
  ModelSpec,
  RemoteModelSpec,
  StepProduct,
} from './types';

/** Bedrock requests in flight at most, whatever `--concurrency` allows DynamoDB. */
export const MAX_BEDROCK_CONCURRENCY = 8;

const STATISTICAL: ModelSpec = { kind: 'statistical', id: 'statistical' };
const REMOTE = /^(bedrock|chronos2|chronos):(.*)$/;

/**
 * A `bedrock:<id>`, `chronos:<id>` or `chronos2:<endpoint>` setting as a spec; anything else is not
 * a remote model (undefined). The id is everything after the first colon, so ids and ARNs with
 * colons survive.
 * @param setting how the error names the setting, e.g. `--model`
 * @throws ConfigError when the id is empty, or a chronos2 id is not an endpoint name or ARN
 */
export function parseRemoteModel(value: string, setting: string): RemoteModelSpec | undefined {
  const m = REMOTE.exec(value.trim());
  if (!m) return undefined;
  const kind = m[1] as RemoteModelSpec['kind'];
  const id = m[2].trim();
  if (id === '') {
    throw new ConfigError(
      `${setting} "${value}" has no model id (expected ${kind}:<model id, inference profile or ARN>)`,
    );
  }
  if (kind === 'chronos2') {
    try {
      parseSageMakerEndpoint(id);
    } catch (err) {
      throw new ConfigError(`${setting} "${value}": ${errorMessage(err)}`, { cause: err });
    }
  }
  return { kind, id };
}

/**
 * The `run` command's model setting: `statistical` (or `stat`), `bedrock:<id>`, `chronos:<id>`,
 * `chronos2:<endpoint>`.
 */
export function parseModelSpec(value: string): ModelSpec {
  const v = value.trim();
  if (v === 'statistical' || v === 'stat') return STATISTICAL;
  const remote = parseRemoteModel(v, '--model');
  if (remote) return remote;
  throw new ConfigError(
    `--model "${value}" is not a model (expected statistical, bedrock:<modelId or inference profile id>, chronos:<endpoint ARN or model id> or chronos2:<SageMaker endpoint name or ARN>)`,
  );
}

/**
 * How bedrock-client talks to a remote model: Converse for LLMs, InvokeModel for Chronos-Bolt,
 * SageMaker InvokeEndpoint for Chronos-2.
 */
export function bedrockKind(spec: RemoteModelSpec): 'converse' | 'chronos' | 'chronos2' {
  return spec.kind === 'bedrock' ? 'converse' : spec.kind;
}

/**
 * Refuses, at start, a horizon the model cannot forecast (Chronos-Bolt: 64 days).
 * @param setting how the error names the horizon setting, e.g. `--horizon`
 * @throws ConfigError naming the setting, the horizon and the limit
 */
export function assertModelSupports(model: ModelSpec, horizon: number, setting: string): void {
  if (model.kind === 'statistical') return;
  try {
    assertHorizonSupported({ kind: bedrockKind(model), modelId: model.id, horizon });
  } catch (err) {
    throw new ConfigError(`${setting}: ${errorMessage(err)}`, { cause: err });
  }
}

/** The model's name in summaries, leaderboards and metrics. */
export function modelLabel(spec: ModelSpec): string {
  return spec.kind === 'statistical' ? 'statistical' : `${spec.kind}:${spec.id}`;
}

export interface ForecastStepOptions {
  model: ModelSpec;
  /** Last day of history; the forecast starts the day after. */
  asOf: string;
  horizon: number;
  /** Quantile levels beyond P10/P50/P90 to publish (`--quantiles`); default none. */
  quantiles?: number[];
  guardrail: GuardrailMode;
  /** The run's concurrency; Bedrock gets at most {@link MAX_BEDROCK_CONCURRENCY}. */
  concurrency: number;
  /** Forecasting worker threads; 0 = one per available core. */
  workers: number;
  /** Enter the global model across products into every product's race (`forecastMany`). */
  globalModel?: boolean;
  /** How each product's ranked models are combined (`AutoOptions.combination`); default top3. */
  combination?: string;
  /**
   * Fit smooth demand with its one-off outliers replaced (`AutoOptions.cleanOutliers`); default
   * true, as in `forecastAuto`.
   */
  cleanOutliers?: boolean;
  /**
   * Fit demand that moved 2× or more 3–13 weeks ago on the days since the shift
   * (`AutoOptions.levelShifts`); default true, as in `forecastAuto`.
   */
  levelShifts?: boolean;
  /**
   * Spread a young product's week that its models left flat by its category's or catalogue's
   * weekday profile (`AutoOptions.catalogueProfile`); default true, as in `forecastAuto`.
   */
  catalogueProfile?: boolean;
  region?: string;
  /** Required for a `bedrock:` or `chronos:` model. */
  bedrock?: BedrockRuntimeClient;
  /** Required for a `chronos2:` model. */
  sagemaker?: SageMakerRuntimeClient;
  workerUrl?: URL;
  logger: Logger;
  progress?: Progress;
  /** Aborts when model requests must stop (the run's deadline); unanswered products fall back. */
  signal?: AbortSignal;
  /** How a Converse model is asked (default `sync`). */
  modelMode?: ModelMode;
  /** Required for `batch` and `auto` with a Converse model. */
  batch?: BatchStepOptions;
}

/** What a batch inference job of the step needs beyond the settings. */
export interface BatchStepOptions {
  settings: BatchSettings;
  control: BedrockClient;
  s3: S3Client;
  /** Names the job and makes its creation idempotent. */
  runId: string;
}

/**
 * Whether the step sends a batch inference job: `batch` always (for a Converse model), `auto` from
 * the threshold's number of products on, `sync` never.
 */
export function usesBatch(
  model: ModelSpec,
  mode: ModelMode,
  products: number,
  threshold: number,
): boolean {
  if (model.kind !== 'bedrock') return false;
  return mode === 'batch' || (mode === 'auto' && products >= threshold);
}

/** bedrock-client's batch options for one run: job name and token from the run id and as-of. */
export function batchOptionsFor(batch: BatchStepOptions, asOf: string): BatchInferenceOptions {
  const { settings } = batch;
  return {
    control: batch.control,
    s3: batch.s3,
    inputUri: `${settings.s3}${BATCH_INPUT_DIR}`,
    outputUri: `${settings.s3}${BATCH_OUTPUT_DIR}`,
    roleArn: settings.roleArn,
    jobName: batchJobName(`forecast-${asOf}-${batch.runId}`),
    clientRequestToken: batchRequestToken(`${asOf}-${batch.runId}`),
    pollIntervalMs: settings.pollSeconds * 1000,
  };
}

/** The numbers chosen for one product, unrounded. */
export interface StepForecast {
  p10: ArrayLike<number>;
  p50: ArrayLike<number>;
  p90: ArrayLike<number>;
  /** Daily means where P50 is a count median (`SeriesForecast.mean`): the statistical forecast's,
   * when it is the one published. */
  mean?: ArrayLike<number>;
  /** The model that produced the numbers. */
  model: string;
  /** True when a remote model's answer was not used and the statistical forecast stands in. */
  fallback: boolean;
  fallbackReason?: string;
  /** Extra levels by key (`"0.05"`): from the statistical forecast only, when it is the one
   * published; a remote model's answer has none (it gives P10/P50/P90 only). */
  quantiles?: Record<string, ArrayLike<number>>;
  /** What the outlier cleaning replaced (`SeriesForecast.outliers`): from the statistical
   * forecast only, when it is the one published; a remote model saw every day as it was. */
  outliers?: SeriesForecast['outliers'];
  /** The level shift the statistical models were fitted after (`SeriesForecast.levelShift`): from
   * the statistical forecast only, when it is the one published. */
  levelShift?: SeriesForecast['levelShift'];
  /** The catalogue's weekday profile a young product's week was spread by
   * (`SeriesForecast.weekdayProfile`): from the statistical forecast only, when it is the one
   * published. */
  weekdayProfile?: SeriesForecast['weekdayProfile'];
}

export interface StepResult {
  /** One entry per product, by product id, in input order. */
  forecasts: Map<string, StepForecast>;
  /** The statistical forecast of every product (the guardrail reference). */
  statistical: Map<string, SeriesForecast>;
  /** Remote model use; null for a statistical run. */
  bedrock: BedrockRunStats | null;
}

/**
 * The job's interval calibration, also used for `auto` by `forecast backtest` so the backtest
 * scores the intervals the job publishes: the models' own. The pooled conformal calibration spans
 * the catalogue, so a shard (which sees only its products) would publish other intervals than the
 * unsharded run, which shards must equal; the shard-invariant per-series calibration (`'series'`)
 * did not bring coverage toward 0.80 without losing wQL (README "Calibrated intervals").
 */
export const JOB_CONFORMAL = false;

/**
 * The product-forecasting step of `run` and of each `backtest` origin: the statistical forecast
 * of every product, then (for a remote model) the model's answers, each checked by the guardrail
 * against the statistical forecast, which stands in for every rejected or missing answer.
 */
export async function forecastStep(
  products: StepProduct[],
  options: ForecastStepOptions,
): Promise<StepResult> {
  const progress = options.progress ?? noProgress;
  progress.start('forecasting', products.length);
  const statistical = await forecastMany(
    products.map((p) => ({ id: p.productId, y: p.history, context: p.context })),
    {
      horizon: options.horizon,
      ...(options.quantiles ? { quantiles: options.quantiles } : {}),
      conformal: JOB_CONFORMAL,
      workers: options.workers === 0 ? availableParallelism() : options.workers,
      globalModel: options.globalModel,
      ...(options.combination ? { combination: options.combination } : {}),
      ...(options.cleanOutliers !== undefined ? { cleanOutliers: options.cleanOutliers } : {}),
      ...(options.levelShifts !== undefined ? { levelShifts: options.levelShifts } : {}),
      ...(options.catalogueProfile !== undefined
        ? { catalogueProfile: options.catalogueProfile }
        : {}),
      workerUrl: options.workerUrl,
      onProgress: (done) => progress.update(done),
    },
  );
  progress.stop();

  const { model } = options;
  if (model.kind === 'statistical') {
    const forecasts = new Map<string, StepForecast>();
    for (const p of products) {
      const f = statistical.get(p.productId)!;
      forecasts.set(p.productId, {
        p10: f.p10,
        p50: f.p50,
        p90: f.p90,
        ...(f.mean ? { mean: f.mean } : {}),
        model: f.model,
        fallback: false,
        ...(f.quantiles ? { quantiles: f.quantiles } : {}),
        ...(f.outliers ? { outliers: f.outliers } : {}),
        ...(f.levelShift ? { levelShift: f.levelShift } : {}),
        ...(f.weekdayProfile ? { weekdayProfile: f.weekdayProfile } : {}),
      });
    }
    return { forecasts, statistical, bedrock: null };
  }

  if (model.kind === 'chronos2' ? !options.sagemaker : !options.bedrock) {
    throw new ConfigError(
      model.kind === 'chronos2'
        ? 'a chronos2 model was requested but no SageMaker Runtime client was configured'
        : 'a Bedrock model was requested but no Bedrock client was configured',
    );
  }
  const batchStep = options.batch;
  const batch =
    batchStep &&
    usesBatch(model, options.modelMode ?? 'sync', products.length, batchStep.settings.threshold)
      ? batchOptionsFor(batchStep, options.asOf)
      : undefined;
  if (!batch && options.modelMode === 'batch' && model.kind === 'bedrock') {
    throw new ConfigError('--model-mode batch needs the batch settings and clients');
  }
  progress.start('bedrock', products.length);
  try {
    const { results, stats } = await forecastWithBedrock(
      products.map((product) => ({ product, statistical: statistical.get(product.productId)! })),
      {
        client: options.bedrock,
        sagemaker: options.sagemaker,
        modelId: model.id,
        kind: bedrockKind(model),
        asOf: options.asOf,
        horizon: options.horizon,
        concurrency: Math.min(options.concurrency, MAX_BEDROCK_CONCURRENCY),
        guardrail: options.guardrail,
        region: options.region,
        signal: options.signal,
        logger: options.logger,
        onProgress: (done: number) => progress.update(done),
        ...(batch ? { batch } : {}),
      },
    );
    // forecastWithBedrock settles every product: an answer or the statistical fallback.
    const forecasts = new Map<string, StepForecast>();
    for (const [id, r] of results) {
      forecasts.set(id, {
        p10: r.p10,
        p50: r.p50,
        p90: r.p90,
        ...(r.mean ? { mean: r.mean } : {}),
        model: r.model,
        fallback: r.source === 'fallback',
        ...(r.fallbackReason !== undefined ? { fallbackReason: r.fallbackReason } : {}),
        ...(r.source === 'fallback' && statistical.get(id)?.quantiles
          ? { quantiles: statistical.get(id)?.quantiles }
          : {}),
        ...(r.source === 'fallback' && statistical.get(id)?.outliers
          ? { outliers: statistical.get(id)?.outliers }
          : {}),
        ...(r.source === 'fallback' && statistical.get(id)?.levelShift
          ? { levelShift: statistical.get(id)?.levelShift }
          : {}),
        ...(r.source === 'fallback' && statistical.get(id)?.weekdayProfile
          ? { weekdayProfile: statistical.get(id)?.weekdayProfile }
          : {}),
      });
    }
    return { forecasts, statistical, bedrock: stats };
  } finally {
    progress.stop();
  }
}
