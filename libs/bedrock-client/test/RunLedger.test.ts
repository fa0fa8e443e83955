import { describe, expect, it } from 'vitest';
import { RunLedger } from '../src/RunLedger';
import type { BedrockProductResult } from '../src';

const result = (productId: string, source: 'model' | 'fallback'): BedrockProductResult => ({
  productId,
  source,
  model: source === 'model' ? 'bedrock:m' : 'statistical:snaive',
  p10: [1],
  p50: [2],
  p90: [3],
});

describe('RunLedger', () => {
  it('counts requests, extra attempts, failed requests and tokens', () => {
    const ledger = new RunLedger(2);
    ledger.countRequest();
    ledger.recordUsage({ attempts: 3, inputTokens: 100, outputTokens: 40 });
    ledger.countRequest();
    ledger.recordFailedRequest(2);
    ledger.recordFailedRequest();
    expect(ledger.stats).toMatchObject({
      requests: 2,
      retries: 3,
      failedRequests: 2,
      inputTokens: 100,
      outputTokens: 40,
    });
  });

  it('counts accepted products and fallbacks by reason code, reporting progress', () => {
    const progress: [number, number][] = [];
    const ledger = new RunLedger(3, (done, total) => progress.push([done, total]));
    ledger.settle(result('A', 'model'));
    ledger.countRejected();
    ledger.settle(result('B', 'fallback'), 'rejected:negative');
    ledger.settle(result('C', 'fallback'));
    expect(ledger.stats).toMatchObject({
      accepted: 1,
      rejected: 1,
      fallback: 2,
      fallbackReasons: { 'rejected:negative': 1, other: 1 },
    });
    expect(progress).toEqual([
      [1, 3],
      [2, 3],
      [3, 3],
    ]);
    expect(ledger.isSettled('B')).toBe(true);
    expect(ledger.isSettled('D')).toBe(false);
  });

  it('prices the tokens and returns the results in the given order', () => {
    const ledger = new RunLedger(2);
    ledger.recordUsage({ attempts: 1, inputTokens: 2000, outputTokens: 1000 });
    ledger.settle(result('B', 'model'));
    ledger.settle(result('A', 'model'));
    const run = ledger.close(['A', 'B'], 'm', { m: { inputPer1k: 0.5, outputPer1k: 1 } });
    expect([...run.results.keys()]).toEqual(['A', 'B']);
    expect(run.stats.estimatedCostUsd).toBe(2);
    expect(run.stats.costNote).toBeUndefined();
  });

  it('reports a null cost with a note for a model without a price', () => {
    const run = new RunLedger(0).close([], 'unpriced-model');
    expect(run.stats.estimatedCostUsd).toBeNull();
    expect(run.stats.costNote).toContain('"unpriced-model"');
  });
});
