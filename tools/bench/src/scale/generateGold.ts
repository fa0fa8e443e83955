/**
 * A streaming generator of Spark-like Gold Parquet for the scale benchmark: `products` × `days`
 * (the Gold schema of ../shared/datasets/README.md: product_id STRING, event_date TIMESTAMP at
 * midnight UTC, daily_sales INT64, avg_price/avg_rating DOUBLE, day_of_week/month INT32,
 * product_name/category STRING), one row per product and day with a sale, 40 % smooth, 40 %
 * intermittent and 20 % new products (history of the last 14–120 days). Rows are spread over the
 * part files by a hash of (product, day), as a shuffle leaves them, so every file holds a slice of
 * every product. Products are generated in chunks and each chunk is appended to every part file
 * as a row group, so memory stays at one chunk whatever the scale.
 */
import { mkdir, readdir, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ParquetWriter, fileWriter, schemaFromColumnData } from 'hyparquet-writer';
import type { ColumnSource } from 'hyparquet-writer';
import { samplePoisson as poisson, seededRandom } from '@retail-forecast/util';

export interface GoldScaleOptions {
  products: number;
  days: number;
  parts: number;
  /** Products generated (and written as one row group per part) at a time. */
  chunk?: number;
  /** Last day of the history (UTC). */
  lastDay?: string;
}

const CATEGORIES = ['Grocery', 'Home', 'Toys', 'Garden', 'Beauty', 'Sports', 'Books', 'Tools'];

interface Columns {
  ids: string[];
  dates: Date[];
  sales: bigint[];
  prices: number[];
  ratings: number[];
  dow: number[];
  month: number[];
  names: string[];
  categories: string[];
}

const emptyColumns = (): Columns => ({
  ids: [],
  dates: [],
  sales: [],
  prices: [],
  ratings: [],
  dow: [],
  month: [],
  names: [],
  categories: [],
});

function toColumnData(c: Columns): ColumnSource[] {
  return [
    { name: 'product_id', data: c.ids, type: 'STRING' },
    { name: 'event_date', data: c.dates, type: 'TIMESTAMP' },
    { name: 'daily_sales', data: c.sales, type: 'INT64' },
    { name: 'avg_price', data: c.prices, type: 'DOUBLE' },
    { name: 'avg_rating', data: c.ratings, type: 'DOUBLE' },
    { name: 'day_of_week', data: c.dow, type: 'INT32' },
    { name: 'month', data: c.month, type: 'INT32' },
    { name: 'product_name', data: c.names, type: 'STRING' },
    { name: 'category', data: c.categories, type: 'STRING' },
  ];
}

/** Appends one product's rows (days with a sale only) to the part buckets. */
function addProduct(p: number, options: GoldScaleOptions, firstDay: number, parts: Columns[]) {
  // Seeded, so a scale's data is the same on every run; means stay in (0, 60], Knuth's range.
  const random = seededRandom(p * 7919 + 17);
  const kind = p % 5; // 0,1 smooth; 2,3 intermittent; 4 new
  const id = `P${String(p).padStart(7, '0')}`;
  const name = `Product ${p}`;
  const category = CATEGORIES[p % CATEGORIES.length];
  const price = Math.round((2 + random() * 98) * 100) / 100;
  const rating = Math.round((3 + random() * 2) * 10) / 10;
  const level = kind < 2 ? 3 + random() * 20 : 0.15 + random() * 0.4;
  const start = kind === 4 ? options.days - 14 - Math.floor(random() * 107) : 0;
  const trend = (random() - 0.5) * 0.002;
  for (let d = start; d < options.days; d++) {
    const day = firstDay + d;
    const weekday = (day + 4) % 7; // 0 = Sunday (1970-01-01 was a Thursday)
    const season = 1 + 0.3 * Math.sin((2 * Math.PI * weekday) / 7);
    const mean = Math.max(0.01, level * season * (1 + trend * d));
    const sold =
      kind >= 2 && kind <= 3
        ? random() < mean
          ? 1 + poisson(random, 1)
          : 0
        : poisson(random, mean);
    if (sold === 0) continue;
    // Spread by a hash of (product, day), as a shuffle does.
    const h = Math.imul(p ^ Math.imul(d, 0x9e3779b1), 0x85ebca6b) >>> 0;
    const c = parts[h % parts.length];
    const date = new Date(day * 86_400_000);
    c.ids.push(id);
    c.dates.push(date);
    c.sales.push(BigInt(sold));
    c.prices.push(price);
    c.ratings.push(rating);
    c.dow.push(weekday + 1);
    c.month.push(date.getUTCMonth() + 1);
    c.names.push(name);
    c.categories.push(category);
  }
}

/**
 * Writes the data set as `part-NNNNN-c000.snappy.parquet` files plus `_SUCCESS` under `dir`
 * (reused when a previous run left a complete one). Returns the part files' total bytes and rows.
 */
export async function generateGoldScale(
  dir: string,
  options: GoldScaleOptions,
): Promise<{ bytes: number; rows: number; reused: boolean }> {
  const done = path.join(dir, '_SUCCESS');
  const summaryFile = path.join(dir, '.rows');
  const existing = await stat(done).catch(() => undefined);
  if (existing) {
    const names = (await readdir(dir)).filter((n) => n.endsWith('.parquet'));
    const sizes = await Promise.all(names.map((n) => stat(path.join(dir, n))));
    const rows = Number((await import('node:fs')).readFileSync(summaryFile, 'utf8'));
    return { bytes: sizes.reduce((s, f) => s + f.size, 0), rows, reused: true };
  }
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const lastDay = Date.parse(`${options.lastDay ?? '2025-06-30'}T00:00:00Z`) / 86_400_000;
  const firstDay = lastDay - options.days + 1;
  const chunk = options.chunk ?? 5_000;
  let writers: ParquetWriter[] | undefined;
  let rows = 0;
  for (let from = 0; from < options.products; from += chunk) {
    const parts = Array.from({ length: options.parts }, emptyColumns);
    for (let p = from; p < Math.min(options.products, from + chunk); p++) {
      addProduct(p, options, firstDay, parts);
    }
    writers ??= parts.map(
      (c, i) =>
        new ParquetWriter({
          writer: fileWriter(
            path.join(dir, `part-${String(i).padStart(5, '0')}-c000.snappy.parquet`),
          ),
          schema: schemaFromColumnData({ columnData: toColumnData(c) }),
        }),
    );
    parts.forEach((c, i) => {
      rows += c.ids.length;
      // One row group per chunk and file, as a writer task flushes its buffer.
      void writers?.[i].write({ columnData: toColumnData(c), rowGroupSize: c.ids.length + 1 });
    });
  }
  for (const w of writers ?? []) w.finish();
  await writeFile(summaryFile, String(rows));
  await writeFile(done, '');
  const names = (await readdir(dir)).filter((n) => n.endsWith('.parquet'));
  const sizes = await Promise.all(names.map((n) => stat(path.join(dir, n))));
  return { bytes: sizes.reduce((s, f) => s + f.size, 0), rows, reused: false };
}
