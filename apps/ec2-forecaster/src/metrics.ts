import { appendFile } from 'node:fs/promises';
import { buildEmfRecord } from '@retail-forecast/job-contract';
import type { EmfRecord, JobMetricName } from '@retail-forecast/job-contract';
import type { MergedRunSummary } from './mergeShards';
import type { RunSummary } from './types';

/**
 * One CloudWatch Embedded Metric Format record per run. The CloudWatch agent ships the file
 * to the job's log group, where CloudWatch extracts the metrics the alarms watch.
 *
 * A shard run (`shard` = `i/N`) carries `shard` as a property and never reports `RunSuccess` = 1:
 * the run succeeded only when every shard did, which `forecast merge-shards` reports. A failed
 * shard reports 0 at once, so the failed-run alarm does not wait for the merge.
 * @param service the `Service` dimension (`FORECAST_METRICS_SERVICE`)
 */
export function emfRecord(
  summary: RunSummary | null,
  options: {
    success: boolean;
    durationSeconds: number;
    service: string;
    now?: number;
    shard?: string;
  },
): EmfRecord {
  const shard = summary?.shard?.shard ?? options.shard;
  const runSuccess = options.success ? (shard ? undefined : 1) : 0;
  return buildEmfRecord({
    service: options.service,
    timestamp: options.now ?? Date.now(),
    values: {
      ProductsForecast: summary?.products.forecast ?? 0,
      ProductsWritten: summary?.products.written ?? 0,
      ProductsFailed: summary?.products.failed.length ?? 0,
      Fallbacks: summary?.fallbacks.count ?? 0,
      RowsSkipped: Object.values(summary?.rows.skipped ?? {}).reduce((a, b) => a + b, 0),
      InputTokens: summary?.bedrock?.inputTokens ?? 0,
      OutputTokens: summary?.bedrock?.outputTokens ?? 0,
      DurationSeconds: options.durationSeconds,
      RunSuccess: runSuccess,
      ...accuracyValues(summary),
    },
    properties: { runId: summary?.runId, asOf: summary?.asOf, model: summary?.model, shard },
  });
}

/**
 * The run-level record of a sharded run, from `forecast merge-shards`: the shards' figures added
 * up and `RunSuccess` = 1 only when every shard succeeded on the same as-of.
 */
export function mergedEmfRecord(
  merged: MergedRunSummary,
  options: { service: string; now?: number },
): EmfRecord {
  return buildEmfRecord({
    service: options.service,
    timestamp: options.now ?? Date.now(),
    values: {
      ProductsForecast: merged.products.forecast,
      ProductsWritten: merged.products.written,
      ProductsFailed: merged.products.failed.length,
      Fallbacks: merged.fallbacks,
      RowsSkipped: merged.rows.skipped,
      InputTokens: merged.inputTokens,
      OutputTokens: merged.outputTokens,
      DurationSeconds: merged.durationSeconds,
      RunSuccess: merged.exitCode === 0 ? 1 : 0,
    },
    properties: {
      runId: merged.runId,
      asOf: merged.asOf ?? undefined,
      shards: merged.shardCount,
      shardsMissing: merged.missing.length,
    },
  });
}

export async function appendMetrics(path: string, record: EmfRecord): Promise<void> {
  await appendFile(path, `${JSON.stringify(record)}\n`, 'utf8');
}

/**
 * The overall realized accuracy, when earlier forecasts were scored. An undefined figure (no
 * demand in the window) is left out rather than sent as 0, and so is AccuracyDegraded when the
 * archive is too short to compare: the alarm treats missing data as not breaching.
 */
function accuracyValues(summary: RunSummary | null): Partial<Record<JobMetricName, number>> {
  const a = summary?.accuracy;
  if (!a) return {};
  const out: Partial<Record<JobMetricName, number>> = {};
  const put = (name: JobMetricName, v: number | null) => {
    if (v !== null) out[name] = v;
  };
  const one = a.overall.oneDayAhead;
  const total = a.overall.horizonTotal;
  put('WapeOneDayAhead', one.wape);
  put('WapeHorizonTotal', total.wape);
  put('MaseOneDayAhead', one.mase);
  put('MaseHorizonTotal', total.mase);
  put('BiasOneDayAhead', one.bias);
  put('BiasHorizonTotal', total.bias);
  put('CoverageOneDayAhead', one.coverage);
  put('CoverageHorizon', total.coverage);
  out.ProductsMissingInterval = a.missing.length;
  if (a.degradation.reason === undefined) out.AccuracyDegraded = a.degradation.degraded ? 1 : 0;
  return out;
}
