import type { Quantiles, SeriesForecast } from '@retail-forecast/forecasting';
import {
  checkGuardrail,
  quantilesFor,
  type ParsedForecast,
} from '@retail-forecast/response-parser';
import type { Logger } from '@retail-forecast/util';
import { codeOf } from './outcomes';
import type { RunLedger } from './RunLedger';
import type { BedrockInput, ForecastWithBedrockOptions } from './types';

/** Turns one product's outcome into its result in the ledger. */
export interface ProductSettler {
  /** Checks an accepted answer against the guardrail; keeps it or falls back. */
  accept(productId: string, forecast: ParsedForecast): void;
  /** Settles on the statistical forecast, counted under `code`. */
  fallBack(productId: string, code: string, reason: string): void;
}

/** The statistical forecast's own first `horizon` days, as a fallback result's quantiles. */
function statisticalQuantiles(statistical: SeriesForecast, horizon: number): Quantiles<number[]> {
  return {
    p10: Array.from(statistical.p10.subarray(0, horizon)),
    p50: Array.from(statistical.p50.subarray(0, horizon)),
    p90: Array.from(statistical.p90.subarray(0, horizon)),
    ...(statistical.mean ? { mean: Array.from(statistical.mean.subarray(0, horizon)) } : {}),
  };
}

export function productSettler(
  byId: ReadonlyMap<string, BedrockInput>,
  options: Pick<ForecastWithBedrockOptions, 'horizon' | 'guardrail' | 'guardrailOptions'>,
  /** The `model` of a result that uses the answer, e.g. `bedrock:<id>`. */
  label: string,
  ledger: RunLedger,
  log: Pick<Logger, 'warn'>,
): ProductSettler {
  const { horizon } = options;
  const guardrailMode = options.guardrail ?? 'enforce';

  const fallBack = (productId: string, code: string, reason: string) => {
    const { statistical } = byId.get(productId)!;
    ledger.settle(
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
        {
          p50: statistical.p50.subarray(0, horizon),
          p90: statistical.p90.subarray(0, horizon),
          ...(statistical.mean ? { mean: statistical.mean.subarray(0, horizon) } : {}),
        },
        product.history,
        options.guardrailOptions,
      );
      if (!verdict.ok) {
        if (guardrailMode === 'enforce') {
          ledger.countRejected();
          fallBack(productId, codeOf('guardrail', verdict), `guardrail: ${verdict.reason}`);
          return;
        }
        guardrailWarning = verdict.reason;
        log.warn(`guardrail warning for ${productId} (kept the model answer): ${verdict.reason}`);
      }
    }
    ledger.settle({
      productId,
      source: 'model',
      model: label,
      ...quantilesFor(forecast, statistical),
      ...(guardrailWarning !== undefined ? { guardrailWarning } : {}),
    });
  };

  return { accept, fallBack };
}
