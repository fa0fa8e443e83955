/**
 * Prints load figures for @retail-forecast/sales-data. Not a test: nothing here asserts speed.
 *
 *   npx tsx libs/sales-data/bench/loadSalesData.bench.ts [--products 100000] [--days 730] [--file-products 5000]
 *
 * 1. Accumulator at full scale: `products` × `days` cells (default 100k × 730 = 73M), a sale on
 *    every third day, rows fed straight into the accumulator (no parsing) to show memory and
 *    merge cost of the design.
 * 2. End to end from files: `file-products` × 365 days, half the days with a sale, written as
 *    Snappy Parquet parts and as one CSV in a temp dir, then loaded with loadSalesData.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { loadSalesData } from '../src/index';
import { SalesAccumulator } from '../src/SalesAccumulator';
import type { RawRow } from '../src/rawRow';

const { values: args } = parseArgs({
  options: {
    products: { type: 'string', default: '100000' },
    days: { type: 'string', default: '730' },
    'file-products': { type: 'string', default: '5000' },
  },
});
const PRODUCTS = Number(args.products);
const DAYS = Number(args.days);
const FILE_PRODUCTS = Number(args['file-products']);
const START_DAY = Date.UTC(2023, 0, 1) / 86_400_000;
const silent = { debug() {}, info() {}, warn() {}, error() {} };
const mb = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MB`;

/** Wall and CPU seconds since `start`; CPU time stays meaningful on a shared, busy machine. */
function timer() {
  const wall = performance.now();
  const cpu = process.cpuUsage();
  return () => {
    const used = process.cpuUsage(cpu);
    return { wall: (performance.now() - wall) / 1000, cpu: (used.user + used.system) / 1e6 };
  };
}

const fmt = (t: { wall: number; cpu: number }, rows?: number) =>
  `${t.wall.toFixed(1)} s wall, ${t.cpu.toFixed(1)} s CPU` +
  (rows === undefined ? '' : ` (${Math.round(rows / t.cpu).toLocaleString()} rows per CPU second)`);

function memory(): string {
  const m = process.memoryUsage();
  return `rss ${mb(m.rss)}, heap ${mb(m.heapUsed)}, array buffers ${mb(m.arrayBuffers)}`;
}

function accumulatorAtScale(): void {
  const accumulating = timer();
  const acc = new SalesAccumulator({ logger: silent });
  const row: RawRow = {
    productId: '',
    eventDate: 0,
    dailySales: 0,
    avgPrice: 9.99,
    avgRating: 4.5,
    productName: 'Item',
    category: 'Cat',
  };
  const ids = Array.from({ length: PRODUCTS }, (_, p) => `P${p}`);
  let rows = 0;
  // Day-major order, as partitioned Spark output is typically read.
  for (let d = 0; d < DAYS; d++) {
    for (let p = d % 3; p < PRODUCTS; p += 3) {
      row.productId = ids[p];
      row.eventDate = START_DAY + d; // an unannotated day count, the cheapest date path
      row.dailySales = (p + d) % 7;
      acc.addRow('bench', 'row', rows + 1, row);
      rows += 1;
    }
  }
  console.log(
    `accumulate: ${rows.toLocaleString()} rows in ${fmt(accumulating(), rows)}; ${memory()}`,
  );
  const finishing = timer();
  const series = acc.finish(START_DAY + DAYS - 1).products;
  const cells = series.reduce((n, s) => n + s.values.length, 0);
  console.log(
    `finish: ${series.length.toLocaleString()} series, ${cells.toLocaleString()} cells (${mb(cells * 8)} of Float64) in ${fmt(finishing())}; ${memory()}`,
  );
}

async function endToEnd(): Promise<void> {
  const dir = await mkdtemp(path.join(tmpdir(), 'sales-data-bench-'));
  try {
    const ids: string[] = [];
    const dates: Date[] = [];
    const sales: bigint[] = [];
    const csv: string[] = [
      'product_id,event_date,daily_sales,avg_price,avg_rating,product_name,category',
    ];
    for (let d = 0; d < 365; d++) {
      const date = new Date((START_DAY + d) * 86_400_000);
      const iso = date.toISOString().slice(0, 10);
      for (let p = d % 2; p < FILE_PRODUCTS; p += 2) {
        ids.push(`P${p}`);
        dates.push(date);
        sales.push(BigInt(1 + ((p * 7 + d) % 5)));
        csv.push(`P${p},${iso},${1 + ((p * 7 + d) % 5)},9.99,4.5,"Item, ${p}",Cat`);
      }
    }
    const rows = ids.length;
    await mkdir(path.join(dir, 'parquet'));
    const PART = 250_000;
    for (let start = 0, part = 0; start < rows; start += PART, part++) {
      const end = Math.min(rows, start + PART);
      const bytes = parquetWriteBuffer({
        columnData: [
          { name: 'product_id', data: ids.slice(start, end), type: 'STRING' },
          { name: 'event_date', data: dates.slice(start, end), type: 'TIMESTAMP' },
          { name: 'daily_sales', data: sales.slice(start, end), type: 'INT64' },
        ],
      });
      await writeFile(
        path.join(dir, 'parquet', `part-${String(part).padStart(5, '0')}.snappy.parquet`),
        new Uint8Array(bytes),
      );
    }
    await writeFile(path.join(dir, 'sales.csv'), csv.join('\n'));
    csv.length = 0;

    for (const [label, source] of [
      ['parquet', path.join(dir, 'parquet')],
      ['csv', path.join(dir, 'sales.csv')],
    ] as const) {
      const loading = timer();
      const result = await loadSalesData({ source, logger: silent });
      console.log(
        `${label}: ${result.summary.rowsRead.toLocaleString()} rows, ${result.summary.files} files, ${result.products.length.toLocaleString()} products in ${fmt(loading(), result.summary.rowsRead)}; ${memory()}`,
      );
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

console.log(
  `node ${process.version}, ${PRODUCTS.toLocaleString()} products × ${DAYS} days; file test ${FILE_PRODUCTS.toLocaleString()} products × 365 days`,
);
accumulatorAtScale();
await endToEnd();
