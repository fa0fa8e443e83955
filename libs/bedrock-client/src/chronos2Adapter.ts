import { parseChronosResponse } from '@retail-forecast/response-parser';
import {
  CHRONOS2_LIMITS,
  chronos2Sizes,
  chronos2Groups,
  chronos2Input,
  chronos2Payload,
  type Chronos2Input,
} from './chronos2Request';
import { BedrockOptionsError } from './errors';
import { invokeChronos2 } from './invokeEndpoint';
import { holdBackShortHistory } from './modelAdapter';
import type { AdapterContext, ModelAdapter } from './modelAdapter';
import { parseSageMakerEndpoint } from './sagemakerEndpoint';

/**
 * Chronos-2 on a SageMaker real-time endpoint through InvokeEndpoint: each category's series sent
 * together with the day of week as a known-future covariate (`chronos2Request.ts`), quantile rows
 * back. The answer goes through the same parser (`parseChronosResponse`), guardrail and fallback
 * as Chronos-Bolt's and the LLMs'.
 */
export function chronos2Adapter(ctx: AdapterContext): ModelAdapter {
  const { options, ledger } = ctx;
  const { modelId, horizon, asOf } = options;
  const client = options.sagemaker;
  if (!client) {
    throw new BedrockOptionsError(
      `chronos2:${modelId} needs a SageMaker Runtime client (options.sagemaker)`,
    );
  }
  const endpoint = parseSageMakerEndpoint(modelId);
  const label = `chronos2:${modelId}`;
  const { context, maxSeries } = chronos2Sizes(options);
  const minHistory = Math.max(options.chronosMinHistory ?? 0, CHRONOS2_LIMITS.minTargetLength);
  const inputs = new Map<string, Chronos2Input>();
  const inputOf = (id: string) => {
    let input = inputs.get(id);
    if (!input) {
      input = chronos2Input(ctx.product(id), asOf, horizon, context);
      inputs.set(id, input);
    }
    return input;
  };
  return {
    label,
    groups: (productIds) =>
      chronos2Groups(
        productIds.map(ctx.product),
        (id) => new TextEncoder().encode(JSON.stringify(inputOf(id))).byteLength,
        maxSeries,
      ),
    holdBack: holdBackShortHistory(ctx, minHistory, label),
    async ask(productIds) {
      const answer = await invokeChronos2(client, {
        endpointName: endpoint.name,
        payload: chronos2Payload(productIds.map(inputOf), horizon, {
          crossLearning: options.chronos2CrossLearning,
        }),
        // An ARN names its region (and the client is built for it); a bare name uses the run's.
        region: endpoint.region ?? ctx.region,
        abortSignal: ctx.signal,
        extraRetries: options.extraRetries,
      });
      ledger.recordUsage(answer);
      const body = answer.jsonError !== undefined ? answer.text : answer.body;
      return parseChronosResponse(body, productIds, horizon);
    },
  };
}
