import type { PromptProduct } from '@retail-forecast/prompt';
import type { ParseResult } from '@retail-forecast/response-parser';
import type { Logger } from '@retail-forecast/util';
import type { RunLedger } from './RunLedger';
import type { ForecastWithBedrockOptions } from './types';

/** What an adapter needs from the run it serves. */
export interface AdapterContext {
  options: ForecastWithBedrockOptions;
  /** The product of an input id. */
  product(productId: string): PromptProduct;
  /** Named in fatal error messages. */
  region: string;
  /** Aborted when a fatal error stops the run. */
  signal: AbortSignal;
  ledger: RunLedger;
  log: Pick<Logger, 'info' | 'warn'>;
}

/**
 * One model family behind `forecastWithBedrock`: how products are grouped into requests and how
 * one request is sent and its answer parsed. Retries, fallback and accounting stay with the caller.
 */
export interface ModelAdapter {
  /** `bedrock:<id>` or `chronos:<id>`: the `model` of a result that uses the answer. */
  readonly label: string;
  /**
   * The first pass's requests for `productIds`, each a list of ids, in input order; at most
   * `maxPerRequest` products each when given (a batch job that needs more, smaller records).
   */
  groups(productIds: string[], maxPerRequest?: number): string[][];
  /**
   * Sends one request for `productIds` (`single`: a re-ask of one product), records its usage in
   * the ledger and parses the answer. Throws this lib's errors when the request fails.
   */
  ask(productIds: string[], single: boolean): Promise<ParseResult>;
  /**
   * Why a product must not be sent to this model at all (a series under the model's minimum
   * length, instruction-like free text), as a fallback reason code and text; undefined when it
   * may. Such products are never sent and keep their statistical forecast.
   */
  holdBack?(productId: string): { code: string; reason: string } | undefined;
  /**
   * Batch inference (a job of invocation type `Converse`): one record's `modelInput` for a first-pass
   * group, and the parse of its `modelOutput`, recording the usage as batch tokens. Undefined for
   * model families that have no batch inference (Chronos on a Marketplace endpoint).
   */
  readonly batch?: {
    modelInput(productIds: string[]): unknown;
    parse(productIds: string[], modelOutput: unknown): ParseResult;
  };
  /**
   * True when one request carries several products' free text, so one product could steer the
   * others: the answers of each such request are then checked for a batch-wide shift.
   */
  readonly sharesFreeText?: boolean;
}

/**
 * The `holdBack` of the Chronos models: a product with fewer than `minHistory` days of history is
 * not sent (the model needs that much context) and keeps the statistical forecast as
 * `series-too-short`.
 */
export function holdBackShortHistory(
  ctx: AdapterContext,
  minHistory: number,
  label: string,
): NonNullable<ModelAdapter['holdBack']> {
  return (productId) => {
    const days = ctx.product(productId).history.length;
    if (days >= minHistory) return undefined;
    return {
      code: 'series-too-short',
      reason: `history of ${days} day(s) is shorter than the ${minHistory} days ${label} needs`,
    };
  };
}
