import { describe, expect, it } from 'vitest';
import {
  BASE_MEMORY_BYTES,
  BYTES_PER_PRODUCT,
  MAX_SHARDS,
  PRODUCT_BUCKETS,
  SIZING_TIERS,
  USABLE_MEMORY_SHARE,
  estimateMemoryBytes,
  formatShard,
  parseJobEnv,
  parseShardCount,
  parseShardSpec,
  planForCatalog,
  productsThatFit,
  summaryKey,
} from '../src/index';

describe('parseShardSpec', () => {
  it('reads i/N with 0 ≤ i < N', () => {
    expect(parseShardSpec('0/1')).toEqual({ ok: true, value: { index: 0, count: 1 } });
    expect(parseShardSpec(' 3 / 4 ')).toEqual({ ok: true, value: { index: 3, count: 4 } });
    expect(formatShard({ index: 3, count: 4 })).toBe('3/4');
  });

  it.each([
    ['4/4', 'shard index i from 0 to 3'],
    ['0/0', 'shard count N from 1'],
    [`0/${MAX_SHARDS + 1}`, `from 1 to ${MAX_SHARDS}`],
    ['-1/4', 'expected i/N'],
    ['1', 'expected i/N'],
    ['a/b', 'expected i/N'],
  ])('rejects %s saying what is allowed', (text, message) => {
    const r = parseShardSpec(text);
    expect(r.ok).toBe(false);
    expect(r.ok ? '' : r.message).toContain(message);
  });

  it('reads a shard count N alone as it reads the N of i/N', () => {
    expect(parseShardCount(' 4 ')).toEqual({ ok: true, value: 4 });
    expect(parseShardCount(String(MAX_SHARDS))).toEqual({ ok: true, value: MAX_SHARDS });
    for (const text of ['0', String(MAX_SHARDS + 1), '4.0', '1e1', '-4', '', 'four']) {
      const r = parseShardCount(text);
      expect(r, text).toEqual({
        ok: false,
        message: `expected a shard count N from 1 to ${MAX_SHARDS}`,
      });
      if (/^\d+$/.test(text)) expect(parseShardSpec(`0/${text}`)).toEqual(r);
    }
  });

  it('is part of the job environment contract (FORECAST_SHARD)', () => {
    expect(parseJobEnv({ FORECAST_SHARD: '2/8' })).toEqual({
      ok: true,
      value: { FORECAST_SHARD: { index: 2, count: 8 } },
    });
    const bad = parseJobEnv({ FORECAST_SHARD: '8/8' });
    expect(bad.ok).toBe(false);
    expect(bad.ok ? [] : bad.issues).toEqual([
      { name: 'FORECAST_SHARD', value: '8/8', message: expect.stringContaining('0 to 7') },
    ]);
  });

  it('names each shard summary apart from the run summary', () => {
    expect(summaryKey('r 1')).toBe('run_id=r%201/summary.json');
    expect(summaryKey('r1', { index: 2, count: 8 })).toBe('run_id=r1/shard=2-of-8/summary.json');
    expect(summaryKey('r1', { index: 0, count: 1 })).toBe('run_id=r1/summary.json');
  });

  it('uses a bucket count with many divisors, so common shard counts read only their buckets', () => {
    for (const n of [1, 2, 4, 8, 16, 32, 64]) expect(PRODUCT_BUCKETS % n).toBe(0);
  });
});

describe('sizing', () => {
  it('needs the base plus the per-product memory', () => {
    expect(estimateMemoryBytes(0)).toBe(BASE_MEMORY_BYTES);
    expect(estimateMemoryBytes(100_000)).toBe(BASE_MEMORY_BYTES + 100_000 * BYTES_PER_PRODUCT);
    // 1 GiB + 8 KiB × 100,000 ≈ 1.76 GiB
    expect(estimateMemoryBytes(100_000) / 1024 ** 3).toBeCloseTo(1.763, 3);
  });

  it('fits no product on a machine smaller than the base, and the inverse of the estimate otherwise', () => {
    expect(productsThatFit(1024 ** 3)).toBe(0);
    const fit = productsThatFit(16 * 1024 ** 3);
    expect(estimateMemoryBytes(fit)).toBeLessThanOrEqual(16 * 1024 ** 3 * USABLE_MEMORY_SHARE);
    expect(estimateMemoryBytes(fit + 1)).toBeGreaterThan(16 * 1024 ** 3 * USABLE_MEMORY_SHARE);
  });

  it.each(SIZING_TIERS.map((t) => [t.instanceType, t] as const))(
    'tier %s holds its largest catalog in its usable memory',
    (_type, tier) => {
      expect(productsThatFit(tier.memoryGiB * 1024 ** 3)).toBeGreaterThanOrEqual(tier.maxProducts);
    },
  );

  it('plans the smallest tier that holds a catalog, with a watchdog of at least 60 minutes', () => {
    expect(planForCatalog(300)).toMatchObject({
      shards: 1,
      instanceType: 't4g.small',
      watchdogMinutes: 60,
    });
    expect(planForCatalog(150_000)).toMatchObject({ shards: 1, instanceType: 't4g.medium' });
    // 1M products on 2 vCPUs at 250 series/s each: 33.3 minutes, ×2 + 10, to the quarter hour.
    expect(planForCatalog(1_000_000)).toMatchObject({
      shards: 1,
      instanceType: 'r7g.large',
      forecastMinutes: 33.3,
      watchdogMinutes: 90,
    });
  });

  it('shards a catalog larger than the largest tier', () => {
    const plan = planForCatalog(10_000_000);
    expect(plan).toMatchObject({
      shards: 10,
      productsPerShard: 1_000_000,
      instanceType: 'r7g.large',
    });
    expect(plan.memoryBytes).toBe(estimateMemoryBytes(1_000_000));
  });
});
