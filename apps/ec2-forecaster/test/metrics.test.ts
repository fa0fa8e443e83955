import { describe, expect, it } from 'vitest';
import { DEFAULT_METRICS_SERVICE, METRICS_NAMESPACE } from '@retail-forecast/job-contract';
import { emfRecord } from '../src/metrics';
import type { RunSummary } from '../src/types';

describe('emfRecord', () => {
  it('declares every metric it carries under the namespace and Service dimension', () => {
    const r = emfRecord(null, {
      success: false,
      durationSeconds: 12.5,
      service: DEFAULT_METRICS_SERVICE,
      now: 1_700_000_000_000,
    });
    const directive = r._aws.CloudWatchMetrics[0];
    expect(directive.Namespace).toBe(METRICS_NAMESPACE);
    expect(directive.Dimensions).toEqual([['Service']]);
    for (const m of directive.Metrics) expect(typeof r[m.Name]).toBe('number');
    expect(r.RunSuccess).toBe(0);
    expect(r.DurationSeconds).toBe(12.5);
    expect(r._aws.Timestamp).toBe(1_700_000_000_000);
  });

  it('leaves RunSuccess 1 to the merge step on a shard run, and reports a failed shard at once', () => {
    const ok = emfRecord(null, { success: true, durationSeconds: 1, service: 's', shard: '1/4' });
    expect(ok.RunSuccess).toBeUndefined();
    expect(ok._aws.CloudWatchMetrics[0].Metrics.map((m) => m.Name)).not.toContain('RunSuccess');
    expect(ok.shard).toBe('1/4');
    const failed = emfRecord(null, {
      success: false,
      durationSeconds: 1,
      service: 's',
      shard: '1/4',
    });
    expect(failed.RunSuccess).toBe(0);
  });

  it('keeps the record the alarms and Logs Insights queries were built on', () => {
    const summary = {
      runId: 'r-1',
      asOf: '2025-04-28',
      model: 'bedrock:local',
      rows: { skipped: { bad_date: 2, negative_sales: 1 } },
      products: { forecast: 40, written: 38, failed: [{ productId: 'P1', error: 'x' }] },
      fallbacks: { count: 3 },
      bedrock: { inputTokens: 1200, outputTokens: 300 },
    } as unknown as RunSummary;
    const line = JSON.stringify(
      emfRecord(summary, { success: true, durationSeconds: 4.25, service: 'svc', now: 5 }),
    );
    const count = (Name: string) => ({ Name, Unit: 'Count' });
    expect(JSON.parse(line)).toEqual({
      _aws: {
        Timestamp: 5,
        CloudWatchMetrics: [
          {
            Namespace: 'RetailDemandForecast',
            Dimensions: [['Service']],
            Metrics: [
              count('ProductsForecast'),
              count('ProductsWritten'),
              count('ProductsFailed'),
              count('Fallbacks'),
              count('RowsSkipped'),
              count('InputTokens'),
              count('OutputTokens'),
              { Name: 'DurationSeconds', Unit: 'Seconds' },
              count('RunSuccess'),
            ],
          },
        ],
      },
      Service: 'svc',
      runId: 'r-1',
      asOf: '2025-04-28',
      model: 'bedrock:local',
      ProductsForecast: 40,
      ProductsWritten: 38,
      ProductsFailed: 1,
      Fallbacks: 3,
      RowsSkipped: 3,
      InputTokens: 1200,
      OutputTokens: 300,
      DurationSeconds: 4.25,
      RunSuccess: 1,
    });
  });
});
