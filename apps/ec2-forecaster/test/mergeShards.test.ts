import { describe, expect, it } from 'vitest';
import { mergeShardSummaries, formatMergedSummary } from '../src/mergeShards';
import type { RunSummary } from '../src/types';
import { summary } from './summaryFixture';

const shard = (over: Partial<RunSummary> = {}): RunSummary => ({ ...summary, ...over });

describe('mergeShardSummaries', () => {
  it('adds up the shards of a run that all succeeded', () => {
    const m = mergeShardSummaries('r1', [shard(), shard()]);
    expect(m.exitCode).toBe(summary.exitCode);
    expect(m.asOf).toBe(summary.asOf);
    expect(m.products.forecast).toBe(2 * summary.products.forecast);
    expect(m.rows.read).toBe(2 * summary.rows.read);
    expect(m.missing).toEqual([]);
    const cleaned = mergeShardSummaries('r1', [
      shard({ outliers: { daysReplaced: 3, products: 1 } }),
      shard({ outliers: { daysReplaced: 0, products: 0 } }),
      shard({ outliers: { daysReplaced: 9, products: 4 } }),
    ]);
    expect(cleaned.outliers).toEqual({ daysReplaced: 12, products: 5 });
    expect(formatMergedSummary(cleaned)).toMatch(/outliers\s+12 days replaced in 5 of 3 products/);
  });

  it('fails the run for a missing shard, naming it', () => {
    const m = mergeShardSummaries('r1', [
      shard({ exitCode: 0 }),
      undefined,
      shard({ exitCode: 0 }),
    ]);
    expect(m.exitCode).toBe(1);
    expect(m.missing).toEqual(['1/3']);
    expect(formatMergedSummary(m)).toContain('shard 1/3: no summary (did not finish)');
  });

  it('keeps the worst shard exit code, and fails shards on another as-of', () => {
    expect(
      mergeShardSummaries('r1', [shard({ exitCode: 0 }), shard({ exitCode: 2 })]).exitCode,
    ).toBe(2);
    const m = mergeShardSummaries('r1', [
      shard({ exitCode: 0, asOf: '2025-06-30' }),
      shard({ exitCode: 0, asOf: '2025-06-29' }),
    ]);
    expect(m).toMatchObject({ exitCode: 1, asOf: null, asOfMismatch: ['1/2'] });
  });
});
