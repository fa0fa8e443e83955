import { costOf, type PricedTransport } from './pricing';
import type {
  BatchJobStats,
  BedrockKind,
  BedrockProductResult,
  BedrockRunResult,
  BedrockRunStats,
  PriceTable,
} from './types';

/** How a request reached the model, which decides its token price. */
export type Transport = PricedTransport;

/** What one answered request used, as reported by `converse` / `invokeChronos`. */
export interface RequestUsage {
  /** HTTP attempts, retries included. */
  attempts: number;
  inputTokens: number;
  outputTokens: number;
  /** Converse prompt caching; absent = 0. */
  cacheReadInputTokens?: number;
  cacheWriteInputTokens?: number;
}

/**
 * The run's books: every request, retry, token and settled product goes through here, so the
 * counts in {@link BedrockRunStats} have one owner. A product is settled once, as accepted (the
 * model's numbers) or as a fallback with a short reason code.
 */
export class RunLedger {
  readonly stats: BedrockRunStats = {
    requests: 0,
    retries: 0,
    failedRequests: 0,
    inputTokens: 0,
    outputTokens: 0,
    cacheReadInputTokens: 0,
    cacheWriteInputTokens: 0,
    estimatedCostUsd: null,
    cacheSavingUsd: null,
    accepted: 0,
    rejected: 0,
    fallback: 0,
    fallbackReasons: {},
  };
  private readonly results = new Map<string, BedrockProductResult>();
  private readonly total: number;
  private readonly onProgress?: (done: number, total: number) => void;

  /** @param total products in the run, passed on to `onProgress` */
  constructor(total: number, onProgress?: (done: number, total: number) => void) {
    this.total = total;
    this.onProgress = onProgress;
  }

  /** A logical request is about to be sent (a first-pass batch or a single-product re-ask). */
  countRequest(): void {
    this.stats.requests++;
  }

  private readonly batchTokens = { input: 0, output: 0 };
  private batchJob?: Omit<
    BatchJobStats,
    'inputTokens' | 'outputTokens' | 'costUsd' | 'onDemandCostUsd'
  >;

  /** A request was answered: its extra attempts and its tokens, priced by `transport`. */
  recordUsage(usage: RequestUsage, transport: Transport = 'on-demand'): void {
    this.stats.retries += usage.attempts - 1;
    if (transport === 'batch') {
      // Batch records carry no cache point: any cache counter is input at the batch price.
      const input =
        usage.inputTokens + (usage.cacheReadInputTokens ?? 0) + (usage.cacheWriteInputTokens ?? 0);
      this.stats.inputTokens += input;
      this.stats.outputTokens += usage.outputTokens;
      this.batchTokens.input += input;
      this.batchTokens.output += usage.outputTokens;
      return;
    }
    this.stats.inputTokens += usage.inputTokens;
    this.stats.outputTokens += usage.outputTokens;
    this.stats.cacheReadInputTokens += usage.cacheReadInputTokens ?? 0;
    this.stats.cacheWriteInputTokens += usage.cacheWriteInputTokens ?? 0;
  }

  /** What the run's batch inference job did (its tokens come from `recordUsage`). */
  recordBatchJob(
    job: Omit<BatchJobStats, 'inputTokens' | 'outputTokens' | 'costUsd' | 'onDemandCostUsd'>,
  ): void {
    this.batchJob = job;
  }

  /** A request failed for good after `attempts` HTTP attempts. */
  recordFailedRequest(attempts = 1): void {
    this.stats.retries += attempts - 1;
    this.stats.failedRequests++;
  }

  /** The model answered for a product but the answer was rejected (validation or guardrail). */
  countRejected(): void {
    this.stats.rejected++;
  }

  /** Records a product's final result; a fallback is counted under `reasonCode` (default `other`). */
  settle(result: BedrockProductResult, reasonCode?: string): void {
    this.results.set(result.productId, result);
    if (result.source === 'model') this.stats.accepted++;
    else {
      this.stats.fallback++;
      const code = reasonCode ?? 'other';
      this.stats.fallbackReasons[code] = (this.stats.fallbackReasons[code] ?? 0) + 1;
    }
    this.onProgress?.(this.results.size, this.total);
  }

  isSettled(productId: string): boolean {
    return this.results.has(productId);
  }

  /**
   * Prices the tokens and returns the results in `order` (the input order, so output files and
   * logs are stable run to run). Every id in `order` must be settled.
   */
  close(
    order: readonly string[],
    modelId: string,
    prices?: PriceTable,
    kind?: BedrockKind,
  ): BedrockRunResult {
    const { input, output } = this.batchTokens;
    // On-demand tokens at the on-demand price with their cache reads and writes; the batch job's
    // at the batch price, which has no cache discount to claim.
    const onDemand = costOf(
      modelId,
      this.stats.inputTokens - input,
      this.stats.outputTokens - output,
      prices,
      {
        kind,
        cache: {
          readTokens: this.stats.cacheReadInputTokens,
          writeTokens: this.stats.cacheWriteInputTokens,
        },
      },
    );
    const batch = costOf(modelId, input, output, prices, { transport: 'batch', kind });
    this.stats.estimatedCostUsd =
      onDemand.costUsd === null || batch.costUsd === null ? null : onDemand.costUsd + batch.costUsd;
    this.stats.cacheSavingUsd = onDemand.savingUsd;
    if (onDemand.note !== undefined) this.stats.costNote = onDemand.note;
    if (this.batchJob) {
      this.stats.batch = {
        ...this.batchJob,
        inputTokens: input,
        outputTokens: output,
        costUsd: batch.costUsd,
        onDemandCostUsd: costOf(modelId, input, output, prices, { kind }).costUsd,
      };
    }
    const results = new Map(order.map((id) => [id, this.results.get(id)!]));
    return { results, stats: this.stats };
  }
}
