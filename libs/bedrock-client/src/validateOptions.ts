import { DEFAULT_CHRONOS_MAX_HORIZON } from './chronosAdapter';
import { validateBatchOptions } from './batchJob';
import { CHRONOS2_LIMITS } from './chronos2Request';
import { BatchJobConfigError, BedrockOptionsError, UnsupportedHorizonError } from './errors';
import type { BedrockInput, BedrockKind, ForecastWithBedrockOptions } from './types';

/**
 * Checks the horizon against what the model forecasts (Chronos: at most `chronosMaxHorizon`,
 * default 64), so an app can refuse the settings at start rather than after loading the data.
 * @throws UnsupportedHorizonError (exit kind `config`) naming the horizon and the limit
 */
export function assertHorizonSupported(options: {
  kind: BedrockKind;
  modelId: string;
  horizon: number;
  chronosMaxHorizon?: number;
}): void {
  if (options.kind === 'chronos2') {
    const limit = CHRONOS2_LIMITS.maxPredictionLength;
    if (options.horizon > limit) {
      throw new UnsupportedHorizonError(options.horizon, limit, `chronos2:${options.modelId}`);
    }
    return;
  }
  const limit = options.chronosMaxHorizon ?? DEFAULT_CHRONOS_MAX_HORIZON;
  if (options.kind === 'chronos' && options.horizon > limit) {
    throw new UnsupportedHorizonError(options.horizon, limit, `chronos:${options.modelId}`);
  }
}

/**
 * Refuses batch inference for a model family that has none here: batch jobs run Converse records,
 * and neither a Chronos(-Bolt) Marketplace endpoint nor a Chronos-2 SageMaker real-time endpoint
 * is a batch inference model.
 * @throws BatchJobConfigError (exit kind `config`)
 */
export function assertBatchSupported(options: { kind: BedrockKind; modelId: string }): void {
  if (options.kind !== 'converse') {
    const served =
      options.kind === 'chronos2'
        ? 'Chronos-2 is served by a SageMaker real-time endpoint (InvokeEndpoint)'
        : 'Chronos-Bolt is served by a Bedrock Marketplace endpoint (InvokeModel)';
    throw new BatchJobConfigError(
      `batch inference is not available for ${options.kind}:${options.modelId} (it runs Converse models, ` +
        `e.g. bedrock:anthropic.claude-3-5-haiku-20241022-v1:0, and ${served}); use the on-demand mode for Chronos`,
    );
  }
}

/** @throws BedrockOptionsError naming the first option or input that is out of range */
export function validateOptions(inputs: BedrockInput[], options: ForecastWithBedrockOptions): void {
  const { horizon } = options;
  if (!Number.isInteger(horizon) || horizon < 1 || horizon > 90) {
    throw new BedrockOptionsError(`horizon ${horizon} is not allowed (expected an integer 1..90)`);
  }
  if (!/^\d{4}-\d{2}-\d{2}$/.test(options.asOf)) {
    throw new BedrockOptionsError(`asOf "${options.asOf}" is not a date (expected YYYY-MM-DD)`);
  }
  if (!options.modelId) {
    throw new BedrockOptionsError(
      'modelId is empty (expected a model id, inference profile or ARN)',
    );
  }
  for (const [name, value] of [
    ['concurrency', options.concurrency],
    ['chronosBatchSize', options.chronosBatchSize],
    ['chronosContextLength', options.chronosContextLength],
    ['maxOutputTokens', options.maxOutputTokens],
    ['chronosMinHistory', options.chronosMinHistory],
    ['chronosMaxHorizon', options.chronosMaxHorizon],
  ] as const) {
    if (value !== undefined && (!Number.isInteger(value) || value < 1)) {
      throw new BedrockOptionsError(`${name} ${value} is not allowed (expected an integer >= 1)`);
    }
  }
  for (const [name, value] of Object.entries(options.requestTimeout ?? {})) {
    if (!Number.isFinite(value) || value <= 0) {
      throw new BedrockOptionsError(
        `requestTimeout.${name} ${value} is not allowed (expected a positive number)`,
      );
    }
  }
  if (options.kind === 'chronos2' ? !options.sagemaker : !options.client) {
    throw new BedrockOptionsError(
      options.kind === 'chronos2'
        ? `model kind chronos2 needs options.sagemaker (a SageMaker Runtime client)`
        : `model kind ${options.kind} needs options.client (a Bedrock Runtime client)`,
    );
  }
  assertHorizonSupported(options);
  if (options.batch) {
    assertBatchSupported(options);
    validateBatchOptions(options.batch);
  }
  const seen = new Set<string>();
  for (const { product, statistical } of inputs) {
    if (seen.has(product.productId)) {
      throw new BedrockOptionsError(
        `product "${product.productId}" appears more than once in the inputs (expected unique ids)`,
      );
    }
    seen.add(product.productId);
    if (statistical.p50.length < horizon) {
      throw new BedrockOptionsError(
        `statistical forecast of "${product.productId}" has ${statistical.p50.length} days (expected at least horizon ${horizon})`,
      );
    }
  }
}

/** The region named in fatal error messages: the option, else the client's own. */
export async function resolveRegion(options: ForecastWithBedrockOptions): Promise<string> {
  if (options.region) return options.region;
  try {
    const client = options.kind === 'chronos2' ? options.sagemaker : options.client;
    const region = client?.config.region;
    return typeof region === 'function' ? await region() : String(region);
  } catch {
    return 'unknown-region';
  }
}
