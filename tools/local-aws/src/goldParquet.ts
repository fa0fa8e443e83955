import { parquetWriteBuffer } from 'hyparquet-writer';
import type { GoldRow } from './demoData';

export interface PartFile {
  /** File name relative to the dataset prefix, e.g. `part-00000-….snappy.parquet` */
  name: string;
  body: Uint8Array;
}

/**
 * Writes Gold rows as Snappy-compressed Parquet part files the way Spark lays them out:
 * `event_date` a TIMESTAMP (midnight UTC), `daily_sales` INT64, `day_of_week`/`month` INT32.
 * Rows are split across `parts` files by product so a product may span files like Spark output.
 */
export function writeGoldParquetParts(rows: GoldRow[], parts = 4): PartFile[] {
  const buckets: GoldRow[][] = Array.from({ length: Math.max(1, parts) }, () => []);
  rows.forEach((row, i) => buckets[i % buckets.length].push(row));
  return buckets
    .filter((bucket) => bucket.length > 0)
    .map((bucket, i) => ({
      name: `part-${String(i).padStart(5, '0')}-c000.snappy.parquet`,
      body: new Uint8Array(
        parquetWriteBuffer({
          columnData: [
            { name: 'product_id', data: bucket.map((r) => r.product_id), type: 'STRING' },
            {
              name: 'event_date',
              data: bucket.map((r) => new Date(`${r.event_date}T00:00:00Z`)),
              type: 'TIMESTAMP',
            },
            { name: 'daily_sales', data: bucket.map((r) => BigInt(r.daily_sales)), type: 'INT64' },
            { name: 'avg_price', data: bucket.map((r) => r.avg_price), type: 'DOUBLE' },
            { name: 'avg_rating', data: bucket.map((r) => r.avg_rating), type: 'DOUBLE' },
            { name: 'day_of_week', data: bucket.map((r) => r.day_of_week), type: 'INT32' },
            { name: 'month', data: bucket.map((r) => r.month), type: 'INT32' },
            { name: 'product_name', data: bucket.map((r) => r.product_name), type: 'STRING' },
            { name: 'category', data: bucket.map((r) => r.category), type: 'STRING' },
          ],
        }),
      ),
    }));
}
