/**
 * What each model mode costs per 1,000 products per day, measured through the real clients against
 * the local stand-ins (runtime: Converse and InvokeModel over h2c; SageMaker Runtime InvokeEndpoint
 * over HTTP/1.1; batch: the job API over local S3):
 *   npm run bench -- model-costs
 * Each shared data set is tiled to 1,000 products (its series repeated under suffixed ids), so the
 * figures are per 1,000 products directly. Tokens are the stand-in's counts (`estimateTokens` of
 * the prompt and of the answer it writes, about 4 characters a token), priced with the lib's price
 * table (on-demand list prices with cache read/write prices; batch at `BATCH_PRICE_FACTOR` of them,
 * never cached). Converse on demand runs three ways: prompt caching off; on, as Bedrock bills it
 * today (the stand-in with each model's minimum tokens per cache checkpoint, which the shared prefix
 * does not reach); and on with the minimum lifted (what caching saves once the prefix reaches it).
 * Chronos-Bolt (Bedrock Marketplace) and Chronos-2 (SageMaker real-time) endpoints are billed per
 * instance-hour, not per token: their rows are the endpoint's hourly price (an assumption, below)
 * times the hours it is up, whatever the catalog size.
 */
import path from 'node:path';
import { BedrockClient } from '@aws-sdk/client-bedrock';
import { S3Client } from '@aws-sdk/client-s3';
import {
  BATCH_PRICE_FACTOR,
  createBedrockRuntimeClient,
  createSageMakerRuntimeClient,
  forecastWithBedrock,
  type BedrockInput,
  type BedrockRunStats,
  type ForecastWithBedrockOptions,
} from '@retail-forecast/bedrock-client';
import {
  startBatchStandin,
  startBedrockStandin,
  type BedrockStandin,
} from '@retail-forecast/bedrock-standin';
import { forecastAuto, type SeriesForecast } from '@retail-forecast/forecasting';
import { startLocalS3 } from '@retail-forecast/local-aws/testing';
import { loadSalesData } from '@retail-forecast/sales-data';
import { asFloat64 } from '@retail-forecast/util';
import { DATASETS } from './data';

const PRODUCTS = 1000;
const HORIZON = 7;
const BUCKET = 'bench-batch';
/** Converse models priced in the lib's table (us-east-1 on-demand list prices). */
const LLMS = ['us.anthropic.claude-3-5-haiku-20241022-v1:0', 'us.amazon.nova-lite-v1:0'];
/**
 * Chronos-Bolt's Marketplace endpoint: ml.m5.xlarge (CPU; Chronos-Bolt needs no GPU) at $0.269 an
 * hour in us-east-1 (a third-party reading of SageMaker real-time inference prices, October 2025:
 * zircon.tech, "The real cost of running AI models on AWS SageMaker"; check the SageMaker pricing
 * page for your region), up 24 hours a day.
 */
const CHRONOS_INSTANCE = { type: 'ml.m5.xlarge', usdPerHour: 0.269, hoursPerDay: 24 };
/**
 * Chronos-2's SageMaker real-time endpoint: ml.g5.2xlarge (1 A10G GPU), the instance its deployment
 * notebook (amazon-science/chronos-forecasting, deploy-chronos-to-amazon-sagemaker.ipynb) deploys
 * on, at $1.52 an hour in us-east-1 (a third-party reading of SageMaker real-time inference prices,
 * March 2026: wring.co, "SageMaker Inference: Real-Time vs Serverless"; check the SageMaker pricing
 * page for your region). Either up 24 hours a day, or created for the daily run and deleted after
 * it (billed per second while InService: an assumed 15 minutes for creation, the run and deletion).
 */
const CHRONOS2_INSTANCE = {
  type: 'ml.g5.2xlarge',
  usdPerHour: 1.52,
  hoursPerDay: 24,
  hoursPerRun: 0.25,
};
/** The SageMaker stand-in answers any endpoint name that is not `missing…` or `local-fault-…`. */
const CHRONOS2_ENDPOINT = 'chronos-2-bench';

interface Row {
  dataset: string;
  mode: string;
  model: string;
  requests: string;
  inputTokens: number;
  outputTokens: number;
  usd: number | null;
  note: string;
  seconds: number;
}

/** The data set's products tiled to `PRODUCTS` (ids suffixed `~k`), with their statistical forecasts. */
async function tiled(
  source: string,
): Promise<{ inputs: BedrockInput[]; asOf: string; unique: number }> {
  const data = await loadSalesData({ source });
  const unique = data.products.filter((p) => p.values.length > 0);
  const reference = new Map<string, SeriesForecast>(
    unique.map((p) => [p.productId, forecastAuto(asFloat64(p.values), { horizon: HORIZON })]),
  );
  const inputs: BedrockInput[] = [];
  for (let i = 0; inputs.length < PRODUCTS; i++) {
    const p = unique[i % unique.length];
    const k = Math.floor(i / unique.length);
    inputs.push({
      product: {
        productId: k === 0 ? p.productId : `${p.productId}~${k}`,
        productName: p.productName,
        category: p.category,
        history: p.values,
      },
      statistical: reference.get(p.productId)!,
    });
  }
  return { inputs, asOf: data.asOf, unique: unique.length };
}

const usd = (v: number | null) => (v === null ? 'n/a' : `$${v.toFixed(4)}`);

/** Prints the rows; asserts nothing. */
export async function modelCostFigures(): Promise<void> {
  const runtime = await startBedrockStandin();
  const s3Server = await startLocalS3({ buckets: [BUCKET] });
  const s3 = new S3Client(s3Server.clientConfig);
  const saved = { ...process.env };
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_BEDROCK_RUNTIME: runtime.url,
    AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME: runtime.sagemakerUrl,
    AWS_ACCESS_KEY_ID: 'AKIDBENCH',
    AWS_SECRET_ACCESS_KEY: 'bench',
  });
  /** A fresh runtime stand-in (an empty prompt cache, as a daily run finds it) for one run. */
  const withStandin = async <T>(
    options: Parameters<typeof startBedrockStandin>[0],
    body: () => Promise<T>,
  ): Promise<T> => {
    const standin: BedrockStandin = await startBedrockStandin(options);
    process.env.AWS_ENDPOINT_URL_BEDROCK_RUNTIME = standin.url;
    try {
      return await body();
    } finally {
      process.env.AWS_ENDPOINT_URL_BEDROCK_RUNTIME = runtime.url;
      await standin.close();
    }
  };
  const rows: Row[] = [];
  const sets = [
    ['retail-ai-insights', path.join(DATASETS, 'retail-ai-insights/forecast_ready')],
    ['superstore', path.join(DATASETS, 'superstore/subcategory_daily_gold.csv')],
  ] as const;
  try {
    for (const [name, source] of sets) {
      const { inputs, asOf, unique } = await tiled(source);
      const dataset = `${name} (${unique} series ×${Math.ceil(PRODUCTS / unique)})`;
      const run = async (over: Partial<ForecastWithBedrockOptions> & { modelId: string }) => {
        const client = createBedrockRuntimeClient({ region: 'us-east-1', maxAttempts: 4 });
        const sagemaker =
          over.kind === 'chronos2'
            ? createSageMakerRuntimeClient({ endpoint: over.modelId, region: 'us-east-1' })
            : undefined;
        const t0 = performance.now();
        try {
          const { stats } = await forecastWithBedrock(inputs, {
            client,
            ...(sagemaker ? { sagemaker } : {}),
            kind: 'converse',
            asOf,
            horizon: HORIZON,
            concurrency: 8,
            ...over,
          });
          return { stats, seconds: (performance.now() - t0) / 1000 };
        } finally {
          client.destroy();
          sagemaker?.destroy();
        }
      };
      const answered = (s: BedrockRunStats) =>
        `${s.accepted} answered, ${s.fallback} fallback${s.fallback > 0 ? ` (${Object.keys(s.fallbackReasons).join(', ')})` : ''}`;
      const cached = (s: BedrockRunStats) =>
        `prompt cache ${s.cacheReadInputTokens} read / ${s.cacheWriteInputTokens} written tokens, saved ${usd(s.cacheSavingUsd)}`;

      for (const modelId of LLMS) {
        const sync = await withStandin({}, () => run({ modelId, promptCache: 'off' }));
        rows.push({
          dataset,
          mode: 'on-demand Converse',
          model: modelId,
          requests: `${sync.stats.requests} requests`,
          inputTokens: sync.stats.inputTokens,
          outputTokens: sync.stats.outputTokens,
          usd: sync.stats.estimatedCostUsd,
          note: `${answered(sync.stats)}; no cache point`,
          seconds: sync.seconds,
        });
        // Prompt caching as Bedrock applies it: each model's own minimum tokens per checkpoint.
        const caching = await withStandin({}, () => run({ modelId, promptCache: 'auto' }));
        rows.push({
          dataset,
          mode: 'on-demand + prompt caching',
          model: modelId,
          requests: `${caching.stats.requests} requests`,
          inputTokens: caching.stats.inputTokens,
          outputTokens: caching.stats.outputTokens,
          usd: caching.stats.estimatedCostUsd,
          note: `${answered(caching.stats)}; ${cached(caching.stats)} (models' own minimums)`,
          seconds: caching.seconds,
        });
        // The same with the minimum lifted: what caching saves once the prefix reaches it.
        const reached = await withStandin({ cacheMinTokens: 0 }, () =>
          run({ modelId, promptCache: 'auto' }),
        );
        rows.push({
          dataset,
          mode: 'on-demand + caching, min reached',
          model: modelId,
          requests: `${reached.stats.requests} requests`,
          inputTokens: reached.stats.inputTokens,
          outputTokens: reached.stats.outputTokens,
          usd: reached.stats.estimatedCostUsd,
          note: `${answered(reached.stats)}; ${cached(reached.stats)} (stand-in minimum 0)`,
          seconds: reached.seconds,
        });

        const batchStandin = await startBatchStandin({ s3: s3Server.clientConfig, stepMs: 10 });
        const control = new BedrockClient({ region: 'us-east-1', endpoint: batchStandin.url });
        try {
          const batch = await run({
            modelId,
            batch: {
              control,
              s3,
              inputUri: `s3://${BUCKET}/bedrock_batch/input/`,
              outputUri: `s3://${BUCKET}/bedrock_batch/output/`,
              roleArn: 'arn:aws:iam::123456789012:role/bench-batch',
              jobName: `bench-${name}-${modelId.replace(/[^a-z0-9]+/gi, '-')}`.slice(0, 63),
              pollIntervalMs: 20,
            },
          });
          const j = batch.stats.batch;
          rows.push({
            dataset,
            mode: 'batch Converse',
            model: modelId,
            requests: j ? `${j.records} records (1 job)` : `${batch.stats.requests} requests`,
            inputTokens: batch.stats.inputTokens,
            outputTokens: batch.stats.outputTokens,
            usd: batch.stats.estimatedCostUsd,
            note: `${answered(batch.stats)}; same tokens on demand ${usd(j?.onDemandCostUsd ?? null)}; records carry no cache point (${batch.stats.cacheReadInputTokens + batch.stats.cacheWriteInputTokens} cache tokens)`,
            seconds: batch.seconds,
          });
        } finally {
          control.destroy();
          await batchStandin.close();
        }
      }

      const chronos = await run({ modelId: 'amazon.chronos-bolt-base', kind: 'chronos' });
      const perDay = CHRONOS_INSTANCE.usdPerHour * CHRONOS_INSTANCE.hoursPerDay;
      rows.push({
        dataset,
        mode: 'Chronos-Bolt (Marketplace endpoint)',
        model: 'chronos-bolt-base',
        requests: `${chronos.stats.requests} requests`,
        inputTokens: chronos.stats.inputTokens,
        outputTokens: chronos.stats.outputTokens,
        usd: perDay,
        note: `${answered(chronos.stats)}; ${CHRONOS_INSTANCE.type} at $${CHRONOS_INSTANCE.usdPerHour}/h × ${CHRONOS_INSTANCE.hoursPerDay} h, whatever the catalog size (per 1,000 products: ${usd(perDay)} ÷ thousands of products)`,
        seconds: chronos.seconds,
      });

      const chronos2 = await run({ modelId: CHRONOS2_ENDPOINT, kind: 'chronos2' });
      const c2 = CHRONOS2_INSTANCE;
      rows.push({
        dataset,
        mode: 'Chronos-2 (SageMaker real-time)',
        model: `chronos2:${CHRONOS2_ENDPOINT}`,
        requests: `${chronos2.stats.requests} requests`,
        inputTokens: chronos2.stats.inputTokens,
        outputTokens: chronos2.stats.outputTokens,
        usd: c2.usdPerHour * c2.hoursPerDay,
        note: `${answered(chronos2.stats)}; ${c2.type} at $${c2.usdPerHour}/h × ${c2.hoursPerDay} h, whatever the catalog size; created for the run and deleted after (${c2.hoursPerRun * 60} min): ${usd(c2.usdPerHour * c2.hoursPerRun)}`,
        seconds: chronos2.seconds,
      });
    }
  } finally {
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
    s3.destroy();
    await s3Server.close();
    await runtime.close();
  }

  console.log(
    `\n=== Cost per ${PRODUCTS.toLocaleString('en-US')} products per day, h = ${HORIZON}, through the stand-ins (batch price = ${BATCH_PRICE_FACTOR} × on-demand) ===`,
  );
  console.log(
    `  ${'data set'.padEnd(30)} ${'mode'.padEnd(36)} ${'model'.padEnd(46)} ${'requests'.padEnd(22)} ${'in tokens'.padStart(9)} ${'out tokens'.padStart(10)} ${'USD/day'.padStart(9)} ${'time'.padStart(6)}  note`,
  );
  for (const r of rows) {
    console.log(
      `  ${r.dataset.padEnd(30)} ${r.mode.padEnd(36)} ${r.model.padEnd(46)} ${r.requests.padEnd(22)} ${String(r.inputTokens).padStart(9)} ${String(r.outputTokens).padStart(10)} ${usd(r.usd).padStart(9)} ${`${r.seconds.toFixed(1)}s`.padStart(6)}  ${r.note}`,
    );
  }
}
