/**
 * How a catalog is split between shard runs, shared by the job (which reads and filters its
 * share), the Gold layout docs (the Glue/Spark and Athena snippets that bucket the data) and the
 * infrastructure (which fans the shards out and validates what it writes).
 *
 * A product's hash is the CRC-32 (IEEE 802.3, as zlib, Spark SQL's `crc32` and Trino's `crc32`
 * compute it) of its UTF-8 `product_id`. Its bucket is `hash mod PRODUCT_BUCKETS`; shard `i/N`
 * owns the products with `hash mod N === i`. When N divides PRODUCT_BUCKETS, a bucket's products
 * all belong to one shard (bucket `b` → shard `b mod N`), so a shard reads only its buckets.
 */

/** Buckets of the product-bucketed Gold layout (`forecast_ready/product_bucket=NN/`). */
export const PRODUCT_BUCKETS = 64;

/** The Hive partition column of the product-bucketed Gold layout. */
export const PRODUCT_BUCKET_KEY = 'product_bucket';

/** Most shards one run may be split into (AWS Batch array jobs allow 2 to 10,000 children). */
export const MAX_SHARDS = 10_000;

/** `i/N`: shard index (0-based) and shard count. */
export const SHARD_PATTERN = /^\s*(\d{1,5})\s*\/\s*(\d{1,5})\s*$/;

/** One shard of a run: `index` in 0..count-1. `{ index: 0, count: 1 }` is the whole catalog. */
export interface ShardSpec {
  index: number;
  count: number;
}

const SHARD_COUNT_EXPECTED = `expected a shard count N from 1 to ${MAX_SHARDS}`;

/** N of a run's shards, as written alone (`forecast merge-shards --shards N`). */
const SHARD_COUNT_PATTERN = /^\s*(\d{1,5})\s*$/;

const checkShardCount = (count: number) =>
  count >= 1 && count <= MAX_SHARDS
    ? ({ ok: true, value: count } as const)
    : ({ ok: false, message: SHARD_COUNT_EXPECTED } as const);

/**
 * Parses a shard count N (a whole number, 1 ≤ N ≤ {@link MAX_SHARDS}), the N of `i/N`: `4.0`,
 * `1e1` or `10001` are refused as `--shard 0/4.0` is.
 * @returns the count, or a message saying what is allowed
 */
export function parseShardCount(
  text: string,
): { ok: true; value: number } | { ok: false; message: string } {
  const m = SHARD_COUNT_PATTERN.exec(text);
  return m ? checkShardCount(Number(m[1])) : { ok: false, message: SHARD_COUNT_EXPECTED };
}

/**
 * Parses `i/N` (0 ≤ i < N ≤ {@link MAX_SHARDS}).
 * @returns the spec, or a message saying what is wrong with `text` and what is allowed
 */
export function parseShardSpec(
  text: string,
): { ok: true; value: ShardSpec } | { ok: false; message: string } {
  const m = SHARD_PATTERN.exec(text);
  if (!m) return { ok: false, message: 'expected i/N, e.g. 0/4 for the first of 4 shards' };
  const index = Number(m[1]);
  const counted = checkShardCount(Number(m[2]));
  if (!counted.ok) return counted;
  const count = counted.value;
  if (index >= count)
    return { ok: false, message: `expected a shard index i from 0 to ${count - 1} (0 ≤ i < N)` };
  return { ok: true, value: { index, count } };
}

/** `i/N` as written in settings, summaries and metrics. */
export function formatShard(shard: ShardSpec): string {
  return `${shard.index}/${shard.count}`;
}

/** Where run summaries go under the stack's Gold bucket (`FORECAST_SUMMARIES`). */
export const SUMMARIES_PREFIX = 'forecast_runs/';

/**
 * The key of a run's JSON summary below a summaries location: `run_id=<id>/summary.json` for a
 * whole (or merged) run, `run_id=<id>/shard=<i>-of-<N>/summary.json` for one shard.
 */
export function summaryKey(runId: string, shard?: ShardSpec): string {
  const run = `run_id=${encodeURIComponent(runId)}/`;
  return shard && shard.count > 1
    ? `${run}shard=${shard.index}-of-${shard.count}/summary.json`
    : `${run}summary.json`;
}
