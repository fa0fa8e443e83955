import { appendFile } from 'node:fs/promises';
import type { RunSummary } from './job';

export const METRICS_NAMESPACE = 'RetailDemandForecast';
export const METRICS_SERVICE = 'demand-forecast';

/**
 * One CloudWatch Embedded Metric Format record per run. The CloudWatch agent ships the file
 * to the job's log group, where CloudWatch extracts the metrics the alarms watch.
 */
export function emfRecord(
  summary: RunSummary | null,
  success: boolean,
  durationSeconds: number,
  now = Date.now(),
): Record<string, unknown> {
  const values: Record<string, [number, string]> = {
    ProductsForecast: [summary?.products.forecast ?? 0, 'Count'],
    ProductsWritten: [summary?.products.written ?? 0, 'Count'],
    ProductsFailed: [summary?.products.failed.length ?? 0, 'Count'],
    Fallbacks: [summary?.fallbacks.count ?? 0, 'Count'],
    RowsSkipped: [Object.values(summary?.rows.skipped ?? {}).reduce((a, b) => a + b, 0), 'Count'],
    InputTokens: [summary?.bedrock?.inputTokens ?? 0, 'Count'],
    OutputTokens: [summary?.bedrock?.outputTokens ?? 0, 'Count'],
    DurationSeconds: [durationSeconds, 'Seconds'],
    RunSuccess: [success ? 1 : 0, 'Count'],
  };
  const record: Record<string, unknown> = {
    _aws: {
      Timestamp: now,
      CloudWatchMetrics: [
        {
          Namespace: METRICS_NAMESPACE,
          Dimensions: [['Service']],
          Metrics: Object.entries(values).map(([Name, [, Unit]]) => ({ Name, Unit })),
        },
      ],
    },
    Service: METRICS_SERVICE,
    runId: summary?.runId,
    asOf: summary?.asOf,
    model: summary?.model,
  };
  for (const [name, [value]] of Object.entries(values)) record[name] = value;
  return record;
}

export async function appendMetrics(path: string, record: Record<string, unknown>): Promise<void> {
  await appendFile(path, `${JSON.stringify(record)}\n`, 'utf8');
}
