import { appendFile } from 'node:fs/promises';
import { buildEmfRecord } from '@retail-forecast/job-contract';
import type { EmfRecord } from '@retail-forecast/job-contract';
import type { RunSummary } from './types';

/**
 * One CloudWatch Embedded Metric Format record per run. The CloudWatch agent ships the file
 * to the job's log group, where CloudWatch extracts the metrics the alarms watch.
 * @param service the `Service` dimension (`FORECAST_METRICS_SERVICE`)
 */
export function emfRecord(
  summary: RunSummary | null,
  options: { success: boolean; durationSeconds: number; service: string; now?: number },
): EmfRecord {
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
      RunSuccess: options.success ? 1 : 0,
    },
    properties: { runId: summary?.runId, asOf: summary?.asOf, model: summary?.model },
  });
}

export async function appendMetrics(path: string, record: EmfRecord): Promise<void> {
  await appendFile(path, `${JSON.stringify(record)}\n`, 'utf8');
}
