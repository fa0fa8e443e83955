import { crc32 } from 'node:zlib';
import { PRODUCT_BUCKETS, PRODUCT_BUCKET_KEY, formatShard } from '@retail-forecast/job-contract';
import type { ShardSpec } from '@retail-forecast/job-contract';
import { InvalidSourceError, ShardLayoutError } from './errors';
import type { DataFile, ShardLoad } from './types';

/**
 * The product's hash: CRC-32 (IEEE) of its UTF-8 bytes, an unsigned 32-bit integer. Spark SQL
 * `crc32(product_id)` and Athena/Trino `crc32(to_utf8(product_id))` give the same number, so the
 * bucketed Gold layout they write and the job's `--shard` agree. The empty id hashes to 0.
 */
export function productHash(productId: string): number {
  return crc32(productId);
}

/** The product's bucket in the product-bucketed layout: `hash mod buckets`. */
export function productBucket(productId: string, buckets: number = PRODUCT_BUCKETS): number {
  return productHash(productId) % buckets;
}

/** True when shard `shard` (i/N) owns the product: `hash mod N === i`. */
export function ownsProduct(shard: ShardSpec, productId: string): boolean {
  return shard.count === 1 || productHash(productId) % shard.count === shard.index;
}

const BUCKET_VALUE = /^\d{1,9}$/;

/** A listed file's `product_bucket=NN` folder as a number, undefined when it has none. */
function bucketOf(file: DataFile): number | undefined {
  const value = file.partitions?.[PRODUCT_BUCKET_KEY];
  if (value === undefined) return undefined;
  const bucket = value === null ? NaN : Number(value);
  if (value === null || !BUCKET_VALUE.test(value) || bucket >= PRODUCT_BUCKETS) {
    throw new InvalidSourceError(
      file.uri,
      `${file.uri} is in folder ${PRODUCT_BUCKET_KEY}=${value ?? '__HIVE_DEFAULT_PARTITION__'}, ` +
        `which is not a bucket (expected a whole number from 0 to ${PRODUCT_BUCKETS - 1}: ` +
        `crc32(product_id) mod ${PRODUCT_BUCKETS})`,
    );
  }
  return bucket;
}

/**
 * The files shard `shard` has to read, and how its share is found:
 * - every file under a `product_bucket=NN/` folder and N divides {@link PRODUCT_BUCKETS}: only the
 *   buckets b with `b mod N === i` (their products are exactly the shard's);
 * - otherwise (a flat layout, some files outside bucket folders, or N not dividing the bucket
 *   count): every file, the rows filtered by hash, with `note` saying why it is not cheaper.
 * @throws InvalidSourceError for a bucket folder whose value is not 0..PRODUCT_BUCKETS-1
 */
export function selectShardFiles(
  files: readonly DataFile[],
  shard: ShardSpec,
): { files: DataFile[]; load: ShardLoad; note?: string } {
  const buckets = files.map(bucketOf);
  const bucketed = files.length > 0 && buckets.every((b) => b !== undefined);
  const base = { shard: formatShard(shard), filesListed: files.length, rowsOtherShards: 0 };
  if (shard.count === 1) return { files: [...files], load: { ...base, layout: 'whole' } };
  if (bucketed && PRODUCT_BUCKETS % shard.count === 0) {
    const mine = files.filter((_, k) => (buckets[k] as number) % shard.count === shard.index);
    return { files: mine, load: { ...base, layout: 'bucketed' } };
  }
  const withBucket = buckets.filter((b) => b !== undefined).length;
  const note = bucketed
    ? `shard ${formatShard(shard)}: ${shard.count} does not divide the ${PRODUCT_BUCKETS} ` +
      `${PRODUCT_BUCKET_KEY} folders, so every file is read and its rows filtered by ` +
      `crc32(product_id) mod ${shard.count} (correct, not cheaper; use a shard count dividing ${PRODUCT_BUCKETS})`
    : withBucket > 0
      ? `shard ${formatShard(shard)}: ${files.length - withBucket} of ${files.length} files are ` +
        `outside ${PRODUCT_BUCKET_KEY}=NN/ folders, so every file is read and its rows filtered ` +
        `by crc32(product_id) mod ${shard.count} (correct, not cheaper)`
      : `shard ${formatShard(shard)}: the source has no ${PRODUCT_BUCKET_KEY}=NN/ folders, so ` +
        `every file is read and its rows filtered by crc32(product_id) mod ${shard.count} ` +
        `(correct, not cheaper; see the README's "Sharding" for the bucketed layout)`;
  return { files: [...files], load: { ...base, layout: 'filtered' }, note };
}

/**
 * Decides, row by row, whether a shard keeps a row: its product's hash mod N is the shard's
 * index. In a `product_bucket=NN/` file it also checks the row is in its product's bucket: a
 * writer that bucketed by another hash would otherwise make products vanish between shards.
 */
export class ShardRowFilter {
  private file: DataFile | undefined;
  private bucket: number | undefined;
  rowsOtherShards = 0;

  constructor(private readonly shard: ShardSpec) {}

  beginFile(file: DataFile): void {
    this.file = file;
    this.bucket = bucketOf(file);
  }

  /**
   * @param productId the row's id as parsed ('' when empty: such rows belong to shard 0, so
   *   exactly one shard reports them)
   * @param row the row or line number, for the error
   * @throws ShardLayoutError when the row sits in another product's bucket folder
   */
  keeps(productId: string, row: number): boolean {
    const hash = productHash(productId);
    if (this.bucket !== undefined && productId !== '' && hash % PRODUCT_BUCKETS !== this.bucket) {
      const file = this.file?.uri ?? '?';
      throw new ShardLayoutError(
        file,
        `product ${JSON.stringify(productId)} on row ${row} of ${file} is in folder ` +
          `${PRODUCT_BUCKET_KEY}=${this.file?.partitions?.[PRODUCT_BUCKET_KEY]}, but ` +
          `crc32(product_id) mod ${PRODUCT_BUCKETS} is ${hash % PRODUCT_BUCKETS}: the layout was ` +
          `not written with the job's bucketing (expected pmod(crc32(product_id), ${PRODUCT_BUCKETS}); ` +
          `see the README's "Sharding"), so shards would miss products`,
      );
    }
    if (hash % this.shard.count === this.shard.index) return true;
    this.rowsOtherShards += 1;
    return false;
  }
}
