import { describe, expect, it } from 'vitest';
import { formatEstimate, formatEstimateTotal } from '../src/backtestReport';
import type { BacktestBedrockUsage } from '../src/types';

const usage = (estimate: Partial<BacktestBedrockUsage['estimate']>): BacktestBedrockUsage => ({
  model: 'bedrock:us.anthropic.claude-3-7-sonnet-20250219-v1:0',
  estimate: {
    requests: 8,
    inputTokens: 10_000,
    outputTokens: 4000,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    costUsd: 0.09,
    costWithoutCacheUsd: 0.09,
    reasksAtMost: { requests: 40, costUsd: 0.1234 },
    ...estimate,
  },
  actual: null,
});

describe('formatEstimate', () => {
  it('names the prompt-cache tokens of on-demand origins and the batch price of batch origins', () => {
    const line = formatEstimate(
      usage({
        cacheReadTokens: 3000,
        cacheWriteTokens: 1000,
        costUsd: 0.08,
        costWithoutCacheUsd: 0.085,
        batchOrigins: 2,
        onDemandCostUsd: 0.12,
      }),
      4,
    );
    expect(line).toContain('estimated cost $0.0800');
    expect(line).toContain(
      '(~3,000 read from and ~1,000 written to the prompt cache; $0.0850 without caching)',
    );
    expect(line).toContain(
      '(2 origin(s) as batch inference jobs at the batch price; on demand $0.1200)',
    );
  });

  it('says that re-asks are not included, and the most they can add', () => {
    expect(formatEstimate(usage({}), 4)).toMatch(
      /; re-asks not included: at most 40 more single-product request\(s\), up to \$0\.1234, if every answer had to be asked again$/,
    );
    const unpriced = usage({ costUsd: null, reasksAtMost: { requests: 2, costUsd: null } });
    expect(formatEstimate(unpriced, 1)).toContain(
      'at most 2 more single-product request(s), cost unknown,',
    );
    expect(formatEstimateTotal([usage({}), unpriced])).toContain(
      're-asks not included: at most 42 more single-product request(s), cost unknown,',
    );
  });

  it('says neither when nothing is cached and no origin goes as a batch job', () => {
    expect(formatEstimate(usage({}), 4)).not.toMatch(/prompt cache|batch/);
  });
});
