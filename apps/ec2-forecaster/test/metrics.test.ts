import { describe, expect, it } from 'vitest';
import { emfRecord, METRICS_NAMESPACE } from '../src/metrics';

describe('emfRecord', () => {
  it('declares every metric it carries under the namespace and Service dimension', () => {
    const r = emfRecord(null, false, 12.5, 1_700_000_000_000) as Record<string, unknown> & {
      _aws: {
        Timestamp: number;
        CloudWatchMetrics: {
          Namespace: string;
          Dimensions: string[][];
          Metrics: { Name: string }[];
        }[];
      };
    };
    const directive = r._aws.CloudWatchMetrics[0];
    expect(directive.Namespace).toBe(METRICS_NAMESPACE);
    expect(directive.Dimensions).toEqual([['Service']]);
    for (const m of directive.Metrics) expect(typeof r[m.Name]).toBe('number');
    expect(r.RunSuccess).toBe(0);
    expect(r.DurationSeconds).toBe(12.5);
    expect(r._aws.Timestamp).toBe(1_700_000_000_000);
  });
});
