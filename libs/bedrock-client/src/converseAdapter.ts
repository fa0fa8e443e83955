import { buildPromptBatches, type AnswerWith } from '@retail-forecast/prompt';
import { parseForecastAnswer } from '@retail-forecast/response-parser';
import { errorMessage } from '@retail-forecast/util';
import { holdBack } from './crossTalk';
import { BedrockOptionsError } from './errors';
import type { ContentBlock } from '@aws-sdk/client-bedrock-runtime';
import { converse, converseBody } from './invoke';
import { converseOutputOf } from './batchRecords';
import { bedrockClientOf } from './bedrockClientOf';
import { refusesPromptCaching, usesPromptCache } from './promptCaching';
import type { RequestUsage, Transport } from './RunLedger';
import type { AdapterContext, ModelAdapter } from './modelAdapter';
import { answerOf, answerWithFor, forecastToolConfig, refusesToolUse } from './structuredOutput';

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

/** An LLM through the Converse API: the prompt lib's batches in, `{"forecasts":[…]}` out. */
export function converseAdapter(ctx: AdapterContext): ModelAdapter {
  const { options, ledger, log } = ctx;
  const { modelId, asOf, horizon } = options;
  const client = bedrockClientOf(options);
  // Decided once per run: the capability table (or the override), then at most one switch to
  // text when the service refuses tool use. While the first tool request is out, the others wait
  // for it, so a refusal costs one request rather than one per batch.
  let answerWith = answerWithFor(modelId, options.structuredOutput);
  let firstToolAsk: Promise<unknown> | undefined;
  let toolUseConfirmed = false;
  // A cache point after the system prompt for models with prompt caching; dropped for the rest of
  // the run if the service refuses it (the table was wrong), and the request is sent again.
  let cachePoint = usesPromptCache(modelId, options.promptCache);

  /**
   * The prompt and settings of one request for `productIds`, answered as `mode`, with a cache point
   * after the system prompt when `withCachePoint`.
   */
  const requestFor = (
    productIds: string[],
    single: boolean,
    mode: AnswerWith,
    withCachePoint: boolean,
  ) => {
    const batches = buildPromptBatches(productIds.map(ctx.product), asOf, {
      ...options.prompt,
      horizon,
      answerWith: mode,
      ...(single ? { maxProductsPerRequest: 1 } : {}),
    });
    if (batches.length !== 1) {
      // The first pass uses the prompt lib's own batches, so this only happens on a re-ask.
      throw new BedrockOptionsError(
        `prompt batching split ${productIds.length} product(s) into ${batches.length} requests (expected 1)`,
      );
    }
    const batch = batches[0];
    return {
      system: batch.system,
      user: batch.user,
      maxTokens: maxTokensFor(productIds.length, horizon, options.maxOutputTokens),
      ...(mode === 'tool' ? { toolConfig: forecastToolConfig(horizon) } : {}),
      ...(withCachePoint ? { cachePoint: true } : {}),
    };
  };

  const sendWith = async (
    productIds: string[],
    single: boolean,
    mode: AnswerWith,
    withCachePoint: boolean,
  ) =>
    converse(client, {
      modelId,
      ...requestFor(productIds, single, mode, withCachePoint),
      region: ctx.region,
      abortSignal: ctx.signal,
      extraRetries: options.extraRetries,
      timeout: options.requestTimeout,
    });

  const send = async (
    productIds: string[],
    single: boolean,
    mode: AnswerWith,
  ): ReturnType<typeof converse> => {
    if (!cachePoint) return sendWith(productIds, single, mode, false);
    try {
      return await sendWith(productIds, single, mode, true);
    } catch (err) {
      if (!refusesPromptCaching(err)) throw err;
      if (cachePoint) {
        cachePoint = false;
        log.warn(
          `${modelId} refused the prompt cache point (${errorMessage(err)}); sending without one for the rest of the run`,
        );
      }
      const answer = await sendWith(productIds, single, mode, false);
      return { ...answer, attempts: answer.attempts + 1 };
    }
  };

  /** Usage, a cut-short warning and the parsed answer of one answered request. */
  const read = (
    productIds: string[],
    content: ContentBlock[],
    stopReason: string | undefined,
    usage: RequestUsage,
    transport: Transport,
  ) => {
    ledger.recordUsage(usage, transport);
    if (stopReason === 'max_tokens') {
      log.warn(`answer for ${productIds.length} product(s) hit maxTokens and is cut short`);
    }
    return parseForecastAnswer(answerOf(content), productIds, horizon);
  };

  const sendOnce = async (productIds: string[], single: boolean) => {
    if (answerWith === 'tool' && !toolUseConfirmed && firstToolAsk) {
      await firstToolAsk.catch(() => undefined);
    }
    const mode = answerWith;
    const pending = send(productIds, single, mode);
    if (mode === 'tool' && !firstToolAsk) firstToolAsk = pending;
    try {
      const answer = await pending;
      if (mode === 'tool') toolUseConfirmed = true;
      return answer;
    } catch (err) {
      if (mode !== 'tool' || !refusesToolUse(err)) throw err;
      if (answerWith === 'tool') {
        answerWith = 'text';
        log.warn(
          `${modelId} refused tool use (${errorMessage(err)}); asking for JSON text for the rest of the run`,
        );
      }
      const answer = await send(productIds, single, 'text');
      // The refused request was one attempt: ValidationException is never retried.
      return { ...answer, attempts: answer.attempts + 1 };
    }
  };

  return {
    label: `bedrock:${modelId}`,
    sharesFreeText: true,
    holdBack: (productId) => holdBack(ctx.product(productId)),
    // Text-prompt batches: the tool prompt is never longer (a prompt test holds it to that), so
    // each batch also fits when it is sent as a tool request.
    groups: (productIds, maxPerRequest) =>
      buildPromptBatches(productIds.map(ctx.product), asOf, {
        ...options.prompt,
        horizon,
        ...(maxPerRequest !== undefined
          ? {
              maxProductsPerRequest: Math.min(
                maxPerRequest,
                options.prompt?.maxProductsPerRequest ?? maxPerRequest,
              ),
            }
          : {}),
      }).map((b) => b.productIds),
    async ask(productIds, single) {
      const answer = await sendOnce(productIds, single);
      return read(productIds, answer.content, answer.stopReason, answer, 'on-demand');
    },
    batch: {
      // A Converse batch job refuses records with toolConfig, so records ask for JSON text. They
      // carry no cache point: prompt caching is documented for on-demand Converse calls, not for
      // batch inference records, whose order and timing the service decides.
      modelInput: (productIds) => converseBody(requestFor(productIds, false, 'text', false)),
      parse(productIds, modelOutput) {
        const out = converseOutputOf(modelOutput);
        return read(productIds, out.content, out.stopReason, out.usage, 'batch');
      },
    },
  };
}
