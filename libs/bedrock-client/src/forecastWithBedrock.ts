import pLimit from 'p-limit';
import { errorMessage, noopLogger } from '@retail-forecast/util';
import { chronosAdapter } from './chronosAdapter';
import { chronos2Adapter } from './chronos2Adapter';
import { converseAdapter } from './converseAdapter';
import { DEFAULT_BATCH_MAX_RECORDS, DEFAULT_BATCH_MIN_RECORDS, runBatchJob } from './batchJob';
import { batchShiftOf } from './crossTalk';
import { BedrockClientError, BedrockRequestError } from './errors';
import { allOf, outcomesFromParse, type Outcome } from './outcomes';
import { productSettler } from './productSettler';
import { RunLedger } from './RunLedger';
import type { BedrockInput, BedrockRunResult, ForecastWithBedrockOptions } from './types';
import { resolveRegion, validateOptions } from './validateOptions';
import { unsendable } from './unsendable';

export const DEFAULT_CONCURRENCY = 4;

/**
 * Forecasts every product with a Bedrock model, validating each answer and falling back to the
 * statistical forecast per product. Converse models get batched prompts; `chronos` sends raw series
 * to InvokeModel; `chronos2` sends each category's series with covariates to a SageMaker endpoint. Products missing from an answer or in an unparseable answer are asked again once
 * on their own. A request that fails (after the SDK's retries of the whole batch), or that the
 * service refuses for its content, falls back for its own products only, without being split. Once
 * `options.signal` (the run's deadline) aborts, the remaining products fall back as `deadline`.
 * Access-denied and invalid-model errors stop the whole run.
 */
export async function forecastWithBedrock(
  inputs: BedrockInput[],
  options: ForecastWithBedrockOptions,
): Promise<BedrockRunResult> {
  validateOptions(inputs, options);
  const log = options.logger ?? noopLogger;
  const limit = pLimit(options.concurrency ?? DEFAULT_CONCURRENCY);
  const abort = new AbortController();
  const deadline = options.signal;
  const byId = new Map(inputs.map((input) => [input.product.productId, input]));
  const ledger = new RunLedger(inputs.length, options.onProgress);
  const context = {
    options,
    product: (id: string) => byId.get(id)!.product,
    region: await resolveRegion(options),
    signal: deadline ? AbortSignal.any([abort.signal, deadline]) : abort.signal,
    ledger,
    log,
  };
  const adapter =
    options.kind === 'converse'
      ? converseAdapter(context)
      : options.kind === 'chronos2'
        ? chronos2Adapter(context)
        : chronosAdapter(context);
  let fatal: BedrockClientError | undefined;
  let deadlineLogged = false;

  const { accept, fallBack } = productSettler(byId, options, adapter.label, ledger, log);

  /** Every id of a request that the deadline stopped or kept from being sent. */
  const pastDeadline = (ids: string[]) => {
    const detail = `no model answer before the run's deadline (${errorMessage(deadline?.reason)})`;
    if (!deadlineLogged) {
      deadlineLogged = true;
      log.warn(`${detail}: the products not answered yet fall back to the statistical forecast`);
    }
    return allOf('failed', ids, 'deadline', detail);
  };

  /** One request for `ids`; never throws except for fatal errors, which it records. */
  const ask = async (ids: string[], single: boolean): Promise<Map<string, Outcome> | undefined> => {
    if (fatal) return undefined;
    if (deadline?.aborted) return pastDeadline(ids);
    ledger.countRequest();
    try {
      return outcomesFromParse(ids, await adapter.ask(ids, single), log);
    } catch (err) {
      // A configuration problem (no access, bad model id, no credentials) fails every request the
      // same way: stop asking, and let the caller end the run with exit 2.
      if (err instanceof BedrockClientError && err.exitKind === 'config') {
        if (!fatal) {
          // Thrown to the caller once every request has settled; the caller reports it.
          fatal = err;
          abort.abort(err);
        }
        return undefined;
      }
      if (fatal) return undefined;
      if (deadline?.aborted) {
        ledger.recordFailedRequest(err instanceof BedrockRequestError ? err.attempts : 1);
        return pastDeadline(ids);
      }
      if (err instanceof BedrockRequestError) {
        ledger.recordFailedRequest(err.attempts);
        log.warn(`${err.message}; its ${ids.length} product(s) fall back`);
        return allOf('failed', ids, `request-failed:${err.kind}`, err.message);
      }
      // A parser bug must not sink the run: the products are asked again, then fall back.
      ledger.recordFailedRequest();
      const message = errorMessage(err);
      log.error(`unexpected error while asking for ${ids.length} product(s): ${message}`);
      return allOf('retry', ids, 'unexpected-error', message);
    }
  };

  const reask: { id: string; detail: string }[] = [];
  const reviewsBatches = adapter.sharesFreeText === true && options.guardrail !== 'off';
  const firstPass = (outcomes: Map<string, Outcome> | undefined) => {
    if (!outcomes) return;
    // Answers that moved together are not independent: each product is asked again alone.
    const shift =
      reviewsBatches && outcomes.size > 1
        ? batchShiftOf(outcomes, byId, options.horizon)
        : { shifted: false as const };
    if (shift.shifted) log.warn(`${shift.reason}; asking each product of that request alone`);
    for (const [id, outcome] of outcomes) {
      if (outcome.type === 'accepted' && shift.shifted) reask.push({ id, detail: shift.reason });
      else if (outcome.type === 'accepted') accept(id, outcome.forecast);
      else if (outcome.type === 'rejected') {
        ledger.countRejected();
        fallBack(id, outcome.code, `model answer rejected: ${outcome.reason}`);
      } else if (outcome.type === 'failed') fallBack(id, outcome.code, outcome.detail);
      else reask.push({ id, detail: outcome.detail });
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
      ledger.countRejected();
      fallBack(id, outcome.code, `model answer rejected on re-ask: ${outcome.reason}`);
    } else {
      const again = outcome.code === 'deadline' ? '' : '; asked again once on its own';
      fallBack(id, outcome.code, `${outcome.detail} (first ask: ${firstDetail}${again})`);
    }
  };

  const askable: string[] = [];
  for (const { product } of inputs) {
    const held = adapter.holdBack?.(product.productId);
    const unusable = unsendable(product);
    if (unusable) {
      fallBack(product.productId, unusable.code, unusable.reason);
    } else if (held) fallBack(product.productId, held.code, held.reason);
    else askable.push(product.productId);
  }
  let groups = adapter.groups(askable);
  const batch = options.batch;
  const minRecords = batch?.minRecords ?? DEFAULT_BATCH_MIN_RECORDS;
  if (batch && adapter.batch && askable.length >= minRecords) {
    // A job takes at least `minRecords` records: smaller prompt batches reach it.
    if (groups.length < minRecords) {
      groups = adapter.groups(askable, Math.max(1, Math.floor(askable.length / minRecords)));
    }
    const maxRecords = batch.maxRecords ?? DEFAULT_BATCH_MAX_RECORDS;
    const inJob = groups.slice(0, maxRecords);
    groups = groups.slice(maxRecords);
    log.info(
      `asking ${adapter.label} for ${askable.length - groups.flat().length} product(s) in a batch inference job of ${inJob.length} record(s)`,
    );
    try {
      const outcomes = await runBatchJob(inJob, {
        batch,
        modelId: options.modelId,
        adapter: { ...adapter, batch: adapter.batch },
        ledger,
        log,
        deadline,
        pastDeadline,
      });
      for (const ids of inJob) firstPass(new Map(ids.map((id) => [id, outcomes.get(id)!])));
    } catch (err) {
      if (err instanceof BedrockClientError && err.exitKind === 'config') throw err;
      // A bug or an S3 failure reading the output must not sink the run: the products fall back.
      const detail = `the batch inference job could not be completed (${errorMessage(err)})`;
      log.error(`${detail}; its ${inJob.flat().length} product(s) fall back`);
      for (const id of inJob.flat())
        if (!ledger.isSettled(id)) fallBack(id, 'batch-job:error', detail);
    }
    if (groups.length > 0) {
      log.warn(
        `${groups.flat().length} product(s) beyond the job's ${maxRecords} records are asked on demand`,
      );
    }
  } else if (batch) {
    log.warn(
      `${askable.length} product(s) to ask are fewer than the ${minRecords} records a batch inference job takes; asking on demand`,
    );
  }
  if (groups.length > 0) {
    log.info(
      `asking ${adapter.label} for ${groups.flat().length} product(s) in ${groups.length} request(s)`,
    );
  }

  await Promise.all(groups.map((ids) => limit(async () => firstPass(await ask(ids, false)))));
  if (fatal) throw fatal;
  if (reask.length > 0) log.info(`asking again for ${reask.length} product(s), one per request`);
  await Promise.all(
    reask.map(({ id, detail }) => limit(async () => secondPass(id, detail, await ask([id], true)))),
  );
  if (fatal) throw fatal;

  // Anything the model never covered (e.g. the prompt lib left a product out of every batch).
  for (const { product } of inputs) {
    if (!ledger.isSettled(product.productId)) {
      fallBack(product.productId, 'not-asked', 'the product was in no request');
    }
  }
  const run = ledger.close(
    inputs.map(({ product }) => product.productId),
    options.modelId,
    options.prices,
    options.kind,
  );
  if (run.stats.costNote !== undefined) log.warn(run.stats.costNote);
  return run;
}
