import pLimit from 'p-limit';
import { buildPromptBatches } from '@retail-forecast/prompt';
import { errorMessage, noopLogger } from '@retail-forecast/util';
import {
  checkGuardrail,
  parseChronosResponse,
  parseForecastAnswer,
  quantilesFor,
  type ParseResult,
  type ParsedForecast,
} from '@retail-forecast/response-parser';
import type { BedrockClientError } from './errors';
import {
  BedrockOptionsError,
  BedrockRequestError,
  InvalidModelError,
  ModelAccessDeniedError,
} from './errors';
import { converse, invokeChronos } from './invoke';
import { statisticalQuantiles } from './intervals';
import { costOf } from './pricing';
import type {
  BedrockInput,
  BedrockProductResult,
  BedrockRunResult,
  BedrockRunStats,
  ForecastWithBedrockOptions,
} from './types';

export const DEFAULT_CONCURRENCY = 4;
export const DEFAULT_CHRONOS_BATCH_SIZE = 32;
export const DEFAULT_CHRONOS_CONTEXT_LENGTH = 512;
/** Highest maxTokens asked for; the smallest output limit among the priced models is 8,192. */
export const MAX_OUTPUT_TOKENS = 8192;

/** Output tokens one product's answer takes: an id plus three quantile rows of `horizon` numbers. */
export function outputTokensPerProduct(horizon: number): number {
  return 24 + horizon * 3 * 4;
}

/** maxTokens for a batch: room for every product's answer twice over plus slack, capped. */
export function maxTokensFor(products: number, horizon: number, cap = MAX_OUTPUT_TOKENS): number {
  return Math.min(cap, 256 + products * outputTokensPerProduct(horizon) * 2);
}

/** What one request says about one product. */
type Outcome =
  | { type: 'accepted'; forecast: ParsedForecast }
  | { type: 'rejected'; reason: string; code: string }
  | { type: 'retry'; code: string; detail: string };

/** `prefix:code` when the parser gave a stable code (e.g. `rejected:negative`), else `prefix`. */
function codeOf(prefix: string, detail: object): string {
  const code = (detail as { code?: unknown }).code;
  return typeof code === 'string' && code !== '' ? `${prefix}:${code}` : prefix;
}

function validate(inputs: BedrockInput[], options: ForecastWithBedrockOptions): void {
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
  ] as const) {
    if (value !== undefined && (!Number.isInteger(value) || value < 1)) {
      throw new BedrockOptionsError(`${name} ${value} is not allowed (expected an integer >= 1)`);
    }
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

async function resolveRegion(options: ForecastWithBedrockOptions): Promise<string> {
  if (options.region) return options.region;
  try {
    const region = options.client.config.region;
    return typeof region === 'function' ? await region() : String(region);
  } catch {
    return 'unknown-region';
  }
}

/**
 * Forecasts every product with a Bedrock model, validating each answer and falling back to the
 * statistical forecast per product. Converse models get batched prompts; `chronos` sends raw series
 * to InvokeModel. Products missing from an answer, in an unparseable answer or in a failed request
 * are asked again once on their own. Access-denied and invalid-model errors stop the whole run.
 */
export async function forecastWithBedrock(
  inputs: BedrockInput[],
  options: ForecastWithBedrockOptions,
): Promise<BedrockRunResult> {
  validate(inputs, options);
  const { client, modelId, kind, horizon } = options;
  const log = options.logger ?? noopLogger;
  const guardrailMode = options.guardrail ?? 'enforce';
  const region = await resolveRegion(options);
  const label = kind === 'converse' ? `bedrock:${modelId}` : `chronos:${modelId}`;
  const limit = pLimit(options.concurrency ?? DEFAULT_CONCURRENCY);
  const abort = new AbortController();
  const byId = new Map(inputs.map((input) => [input.product.productId, input]));
  const results = new Map<string, BedrockProductResult>();
  const stats: BedrockRunStats = {
    requests: 0,
    retries: 0,
    failedRequests: 0,
    inputTokens: 0,
    outputTokens: 0,
    estimatedCostUsd: null,
    accepted: 0,
    rejected: 0,
    fallback: 0,
    fallbackReasons: {},
  };
  let fatal: BedrockClientError | undefined;

  const settle = (result: BedrockProductResult, reasonCode?: string) => {
    results.set(result.productId, result);
    if (result.source === 'model') stats.accepted++;
    else {
      stats.fallback++;
      const code = reasonCode ?? 'other';
      stats.fallbackReasons[code] = (stats.fallbackReasons[code] ?? 0) + 1;
    }
    options.onProgress?.(results.size, inputs.length);
  };

  const fallBack = (productId: string, code: string, reason: string) => {
    const { statistical } = byId.get(productId)!;
    settle(
      {
        productId,
        source: 'fallback',
        model: statistical.model,
        ...statisticalQuantiles(statistical, horizon),
        fallbackReason: reason,
      },
      code,
    );
  };

  const accept = (productId: string, forecast: ParsedForecast) => {
    const { product, statistical } = byId.get(productId)!;
    let guardrailWarning: string | undefined;
    if (guardrailMode !== 'off') {
      const verdict = checkGuardrail(
        { daily: forecast.daily },
        { p50: statistical.p50.subarray(0, horizon), p90: statistical.p90.subarray(0, horizon) },
        product.history,
        options.guardrailOptions,
      );
      if (!verdict.ok) {
        if (guardrailMode === 'enforce') {
          stats.rejected++;
          fallBack(productId, codeOf('guardrail', verdict), `guardrail: ${verdict.reason}`);
          return;
        }
        guardrailWarning = verdict.reason;
        log.warn(`guardrail warning for ${productId} (kept the model answer): ${verdict.reason}`);
      }
    }
    settle({
      productId,
      source: 'model',
      model: label,
      ...quantilesFor(forecast, statistical),
      ...(guardrailWarning !== undefined ? { guardrailWarning } : {}),
    });
  };

  const outcomesFromParse = (ids: string[], parsed: ParseResult): Map<string, Outcome> => {
    const out = new Map<string, Outcome>();
    if (parsed.unknownIds.length > 0) {
      log.warn(`model answer named products that were not asked: ${parsed.unknownIds.join(', ')}`);
    }
    for (const id of ids) {
      const verdict = parsed.verdicts.get(id);
      if (verdict?.status === 'accepted')
        out.set(id, { type: 'accepted', forecast: verdict.forecast });
      else if (verdict?.status === 'rejected')
        out.set(id, {
          type: 'rejected',
          reason: verdict.reason,
          code: codeOf('rejected', verdict),
        });
      else if (parsed.error !== undefined)
        out.set(id, {
          type: 'retry',
          code: codeOf('unparseable', { code: (parsed as { errorCode?: string }).errorCode }),
          detail: `answer could not be parsed: ${parsed.error}`,
        });
      else
        out.set(id, { type: 'retry', code: 'missing', detail: "missing from the model's answer" });
    }
    return out;
  };

  const allRetry = (ids: string[], code: string, detail: string) =>
    new Map<string, Outcome>(ids.map((id) => [id, { type: 'retry', code, detail }]));

  /** One request for `ids`; never throws except for fatal errors, which it records. */
  const ask = async (ids: string[], single: boolean): Promise<Map<string, Outcome> | undefined> => {
    if (fatal) return undefined;
    stats.requests++;
    try {
      if (kind === 'converse') {
        const products = ids.map((id) => byId.get(id)!.product);
        const batches = buildPromptBatches(products, options.asOf, {
          ...options.prompt,
          horizon,
          ...(single ? { maxProductsPerRequest: 1 } : {}),
        });
        if (batches.length !== 1) {
          // The first pass uses the prompt lib's own batches, so this only happens on a re-ask.
          throw new BedrockOptionsError(
            `prompt batching split ${ids.length} product(s) into ${batches.length} requests (expected 1)`,
          );
        }
        const batch = batches[0];
        const answer = await converse(client, {
          modelId,
          system: batch.system,
          user: batch.user,
          maxTokens: maxTokensFor(ids.length, horizon, options.maxOutputTokens),
          region,
          abortSignal: abort.signal,
          extraRetries: options.extraRetries,
        });
        stats.retries += answer.attempts - 1;
        stats.inputTokens += answer.inputTokens;
        stats.outputTokens += answer.outputTokens;
        if (answer.stopReason === 'max_tokens') {
          log.warn(`answer for ${ids.length} product(s) hit maxTokens and is cut short`);
        }
        return outcomesFromParse(ids, parseForecastAnswer(answer.text, ids, horizon));
      }
      const context = options.chronosContextLength ?? DEFAULT_CHRONOS_CONTEXT_LENGTH;
      const answer = await invokeChronos(client, {
        modelId,
        series: ids.map((id) => {
          const h = byId.get(id)!.product.history;
          return h.subarray(Math.max(0, h.length - context));
        }),
        predictionLength: horizon,
        region,
        abortSignal: abort.signal,
        extraRetries: options.extraRetries,
      });
      stats.retries += answer.attempts - 1;
      stats.inputTokens += answer.inputTokens;
      stats.outputTokens += answer.outputTokens;
      // A body that is not plain JSON goes to the parser as text: it finds JSON inside prose and
      // names truncation, which a bare JSON.parse error would not.
      const body = answer.jsonError !== undefined ? answer.text : answer.body;
      return outcomesFromParse(ids, parseChronosResponse(body, ids, horizon));
    } catch (err) {
      if (err instanceof ModelAccessDeniedError || err instanceof InvalidModelError) {
        if (!fatal) {
          // Thrown to the caller once every request has settled; the caller reports it.
          fatal = err;
          abort.abort(err);
        }
        return undefined;
      }
      if (fatal) return undefined;
      if (err instanceof BedrockRequestError) {
        stats.retries += err.attempts - 1;
        stats.failedRequests++;
        log.warn(err.message);
        return allRetry(ids, `request-failed:${err.kind}`, err.message);
      }
      // A parser bug must not sink the run: the products fall back like any bad answer.
      stats.failedRequests++;
      const message = errorMessage(err);
      log.error(`unexpected error while asking for ${ids.length} product(s): ${message}`);
      return allRetry(ids, 'unexpected-error', message);
    }
  };

  const reask: { id: string; detail: string }[] = [];
  const firstPass = (outcomes: Map<string, Outcome> | undefined) => {
    if (!outcomes) return;
    for (const [id, outcome] of outcomes) {
      if (outcome.type === 'accepted') accept(id, outcome.forecast);
      else if (outcome.type === 'rejected') {
        stats.rejected++;
        fallBack(id, outcome.code, `model answer rejected: ${outcome.reason}`);
      } else reask.push({ id, detail: outcome.detail });
    }
  };
  const secondPass = (
    id: string,
    firstDetail: string,
    outcomes: Map<string, Outcome> | undefined,
  ) => {
    const outcome = outcomes?.get(id);
    if (!outcome) return;
    if (outcome.type === 'accepted') accept(id, outcome.forecast);
    else if (outcome.type === 'rejected') {
      stats.rejected++;
      fallBack(id, outcome.code, `model answer rejected on re-ask: ${outcome.reason}`);
    } else {
      fallBack(
        id,
        outcome.code,
        `${outcome.detail} (first ask: ${firstDetail}; asked again once on its own)`,
      );
    }
  };

  let groups: string[][];
  const askable: string[] = [];
  for (const { product } of inputs) {
    if (product.history.length === 0) {
      fallBack(product.productId, 'no-history', 'no sales history to send to the model');
    } else askable.push(product.productId);
  }
  if (kind === 'converse') {
    groups = buildPromptBatches(
      askable.map((id) => byId.get(id)!.product),
      options.asOf,
      { ...options.prompt, horizon },
    ).map((b) => b.productIds);
  } else {
    const size = options.chronosBatchSize ?? DEFAULT_CHRONOS_BATCH_SIZE;
    groups = [];
    for (let i = 0; i < askable.length; i += size) groups.push(askable.slice(i, i + size));
  }
  log.info(`asking ${label} for ${askable.length} product(s) in ${groups.length} request(s)`);

  await Promise.all(groups.map((ids) => limit(async () => firstPass(await ask(ids, false)))));
  if (fatal) throw fatal;
  if (reask.length > 0) log.info(`asking again for ${reask.length} product(s), one per request`);
  await Promise.all(
    reask.map(({ id, detail }) => limit(async () => secondPass(id, detail, await ask([id], true)))),
  );
  if (fatal) throw fatal;

  // Anything the model never covered (e.g. the prompt lib left a product out of every batch).
  for (const { product } of inputs) {
    if (!results.has(product.productId)) {
      fallBack(product.productId, 'not-asked', 'the product was in no request');
    }
  }
  const cost = costOf(modelId, stats.inputTokens, stats.outputTokens, options.prices);
  stats.estimatedCostUsd = cost.costUsd;
  if (cost.note !== undefined) {
    stats.costNote = cost.note;
    log.warn(cost.note);
  }
  // Input order, so output files and logs are stable run to run.
  const ordered = new Map(
    inputs.map(({ product }) => [product.productId, results.get(product.productId)!]),
  );
  return { results: ordered, stats };
}
