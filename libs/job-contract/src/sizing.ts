/**
 * How big a machine a catalog needs: the one place for the job's memory and time constants, read
 * by the job (which checks the catalog against its machine as it loads) and by the stack and its
 * docs (instance types, watchdog and shard count per catalog size).
 *
 * Sources: the memory figures are the measured peak RSS of `npm run bench -- scale` (730-day daily
 * histories of whole units, 64 Parquet parts on local S3; README "Load, forecast and dry run"):
 * the load peaks at its end, holding the loader's day arrays while it builds the Float32 series,
 * at 309 MiB for 10,000 products and 887 MiB for 100,000 (2026-11-29), i.e. 6.6 KiB per added
 * product, and the 10,000-product dry run peaks at 376 MiB. The base keeps 1 GiB for Node,
 * the bundle, the worker pool, the S3 read-ahead and the model clients; 8 KiB per product leaves
 * room for the forecast phase and for histories up to about 2½ years (4 bytes a day, twice over
 * at the load's peak). The throughput is the engine's `forecastAuto` figure in the README (287
 * series/s on one thread of the 2-core bench machine). When the loader's per-product cost
 * changes, change {@link BYTES_PER_PRODUCT} here only.
 */

/** Memory the job needs whatever the catalog (bytes). */
export const BASE_MEMORY_BYTES = 1024 ** 3;

/** Memory per product loaded, for a daily history of up to 2½ years (bytes). */
export const BYTES_PER_PRODUCT = 8 * 1024;

/** Share of the machine's memory the job may plan to use; the rest is the OS and page cache. */
export const USABLE_MEMORY_SHARE = 0.85;

/** Series the statistical engine forecasts per second per vCPU (README, "Accuracy and speed"). */
export const SERIES_PER_SECOND_PER_VCPU = 250;

/**
 * Minutes around the job on a fresh instance: boot, installing Node and fetching the bundle
 * before it, shipping logs and metrics after it.
 */
export const INSTANCE_OVERHEAD_MINUTES = 10;

/** One row of the sizing table: up to `maxProducts` products per run (or per shard). */
export interface SizingTier {
  maxProducts: number;
  /** Graviton instance type with enough memory for `maxProducts`. */
  instanceType: string;
  memoryGiB: number;
  vcpus: number;
}

/**
 * Instance types by catalog size (per shard when sharded), smallest first. Each tier's
 * `maxProducts` fits {@link estimateMemoryBytes} into {@link USABLE_MEMORY_SHARE} of its memory.
 */
export const SIZING_TIERS: readonly SizingTier[] = [
  { maxProducts: 50_000, instanceType: 't4g.small', memoryGiB: 2, vcpus: 2 },
  { maxProducts: 200_000, instanceType: 't4g.medium', memoryGiB: 4, vcpus: 2 },
  { maxProducts: 1_000_000, instanceType: 'r7g.large', memoryGiB: 16, vcpus: 2 },
  { maxProducts: 2_000_000, instanceType: 'r7g.xlarge', memoryGiB: 32, vcpus: 4 },
];

/** Products per shard when a catalog is larger than the largest tier. */
export const PRODUCTS_PER_SHARD = 1_000_000;

/** Memory the job needs for `products` products (bytes). */
export function estimateMemoryBytes(products: number): number {
  return BASE_MEMORY_BYTES + BYTES_PER_PRODUCT * products;
}

/** Products that fit into a machine (or container) with `memoryBytes` of memory. */
export function productsThatFit(memoryBytes: number): number {
  return Math.max(
    0,
    Math.floor((memoryBytes * USABLE_MEMORY_SHARE - BASE_MEMORY_BYTES) / BYTES_PER_PRODUCT),
  );
}

/** What a catalog of `products` needs: per shard, the instance type, memory, time and watchdog. */
export interface SizingPlan {
  products: number;
  /** Shards to split the catalog into (1 = one run). */
  shards: number;
  productsPerShard: number;
  instanceType: string;
  /** Memory one run (shard) needs, bytes. */
  memoryBytes: number;
  /** Estimated forecasting minutes of one run (shard) on `instanceType`, statistical model. */
  forecastMinutes: number;
  /** The instance watchdog (`maxRunMinutes`) this plan needs: forecast time × 2 + overhead, ≥ 60. */
  watchdogMinutes: number;
}

/**
 * The sizing table's answer for a catalog: the smallest tier that holds it, or shards of
 * {@link PRODUCTS_PER_SHARD} on the largest tier's type when none does.
 */
export function planForCatalog(products: number): SizingPlan {
  const tier = SIZING_TIERS.find((t) => products <= t.maxProducts);
  const shards = tier ? 1 : Math.ceil(products / PRODUCTS_PER_SHARD);
  const perShard = Math.ceil(products / shards);
  const chosen = tier ?? SIZING_TIERS.find((t) => PRODUCTS_PER_SHARD <= t.maxProducts)!;
  const forecastMinutes = perShard / (SERIES_PER_SECOND_PER_VCPU * chosen.vcpus) / 60;
  // Twice the estimate: the Bedrock path, a cold S3 read and a slower machine all stretch it.
  const watchdogMinutes = Math.max(
    60,
    Math.ceil((forecastMinutes * 2 + INSTANCE_OVERHEAD_MINUTES) / 15) * 15,
  );
  return {
    products,
    shards,
    productsPerShard: perShard,
    instanceType: chosen.instanceType,
    memoryBytes: estimateMemoryBytes(perShard),
    forecastMinutes: Math.round(forecastMinutes * 10) / 10,
    watchdogMinutes,
  };
}

/** `512 KiB`, `61.0 MiB` or `1.5 GiB`: the largest unit the amount reaches. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 ** 3) return formatGiB(bytes);
  if (bytes >= 1024 ** 2) return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
  return `${Math.round(bytes / 1024)} KiB`;
}

/** `1.5 GiB` */
export function formatGiB(bytes: number): string {
  return `${(bytes / 1024 ** 3).toFixed(1)} GiB`;
}
