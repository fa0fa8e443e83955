import { parseChronosResponse } from '@retail-forecast/response-parser';
import { invokeChronos } from './invoke';
import { bedrockClientOf } from './bedrockClientOf';
import { holdBackShortHistory } from './modelAdapter';
import type { AdapterContext, ModelAdapter } from './modelAdapter';

export const DEFAULT_CHRONOS_BATCH_SIZE = 32;
export const DEFAULT_CHRONOS_CONTEXT_LENGTH = 512;
/**
 * Shortest series a Chronos endpoint accepts: the SageMaker/Marketplace Chronos containers refuse
 * a target of fewer than 5 values with a ValidationException, which would fail its whole batch.
 */
export const DEFAULT_CHRONOS_MIN_HISTORY = 5;
/** Longest horizon: Chronos-Bolt is trained with (and predicts at most) 64 steps. */
export const DEFAULT_CHRONOS_MAX_HORIZON = 64;

/** Consecutive runs of at most `size` items, in order. */
function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Chronos-Bolt through InvokeModel: batches of raw series in, quantile rows out. */
export function chronosAdapter(ctx: AdapterContext): ModelAdapter {
  const { options, ledger } = ctx;
  const { modelId, horizon } = options;
  const client = bedrockClientOf(options);
  const label = `chronos:${modelId}`;
  const minHistory = options.chronosMinHistory ?? DEFAULT_CHRONOS_MIN_HISTORY;
  return {
    label,
    groups: (productIds) =>
      chunks(productIds, options.chronosBatchSize ?? DEFAULT_CHRONOS_BATCH_SIZE),
    holdBack: holdBackShortHistory(ctx, minHistory, label),
    async ask(productIds) {
      const context = options.chronosContextLength ?? DEFAULT_CHRONOS_CONTEXT_LENGTH;
      const answer = await invokeChronos(client, {
        modelId,
        series: productIds.map((id) => {
          const h = ctx.product(id).history;
          return h.subarray(Math.max(0, h.length - context));
        }),
        predictionLength: horizon,
        region: ctx.region,
        abortSignal: ctx.signal,
        extraRetries: options.extraRetries,
      });
      ledger.recordUsage(answer);
      // A body that is not plain JSON goes to the parser as text: it finds JSON inside prose and
      // names truncation, which a bare JSON.parse error would not.
      const body = answer.jsonError !== undefined ? answer.text : answer.body;
      return parseChronosResponse(body, productIds, horizon);
    },
  };
}
