/**
 * One scale-benchmark run in its own process (so its peak RSS is its own): loads the Gold data
 * from `--source` with sales-data, then forecasts every product with the statistical engine's
 * worker pool, and prints one JSON line of figures per phase. Started by `scale.ts`.
 *
 *   tsx tools/bench/src/scale/phases.ts --source s3://bench/forecast_ready/ [--decode-workers N] [--forecast]
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import { forecastMany } from '@retail-forecast/forecasting/runtime';
import { createS3Client, loadSalesData } from '@retail-forecast/sales-data';

const { values: args } = parseArgs({
  options: {
    source: { type: 'string' },
    'decode-workers': { type: 'string', default: '0' },
    forecast: { type: 'boolean', default: false },
  },
});

/** Wall and CPU seconds (all threads of the process) since it was called. */
function timer() {
  const wall = performance.now();
  const cpu = process.cpuUsage();
  return () => {
    const used = process.cpuUsage(cpu);
    return { wallS: (performance.now() - wall) / 1000, cpuS: (used.user + used.system) / 1e6 };
  };
}

const peakRssMiB = () => process.resourceUsage().maxRSS / 1024;

/**
 * Live memory after a full garbage collection when node runs with `--expose-gc` (undefined
 * otherwise): `heapMiB` is V8's heapUsed plus the typed arrays' backing stores (arrayBuffers,
 * which live outside the heap), i.e. what the process holds for its data whatever the allocator
 * keeps; `rssMiB` is the RSS right after the collection.
 */
async function heapAfterGc(): Promise<
  { heapMiB: number; arrayBuffersMiB: number; rssMiB: number } | undefined
> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) return undefined;
  // Dead typed arrays' backing stores are freed by a background sweep after the collection:
  // give it a moment, then collect again, so arrayBuffers counts only live ones.
  gc();
  await new Promise((resolve) => setTimeout(resolve, 200));
  gc();
  const m = process.memoryUsage();
  const mib = (n: number) => n / 1024 / 1024;
  return {
    heapMiB: mib(m.heapUsed + m.arrayBuffers),
    arrayBuffersMiB: mib(m.arrayBuffers),
    rssMiB: mib(m.rss),
  };
}

const baseRssMiB = process.memoryUsage().rss / 1024 / 1024;
const baseHeap = await heapAfterGc();
const s3 = createS3Client({ forcePathStyle: true });
const loading = timer();
const dataset = await loadSalesData({
  source: args.source ?? '',
  s3,
  parquetDecode: { workers: Number(args['decode-workers']) },
});
const load = loading();
const cells = dataset.products.reduce((s, p) => s + p.values.length, 0);
const heldRssMiB = process.memoryUsage().rss / 1024 / 1024;
const heap = await heapAfterGc();
console.log(
  JSON.stringify({
    phase: 'load',
    products: dataset.products.length,
    rows: dataset.summary.rowsRead,
    cells,
    ...load,
    peakRssMiB: peakRssMiB(),
    baseRssMiB,
    heldRssMiB,
    ...(heap && {
      baseHeapMiB: baseHeap?.heapMiB,
      heldHeapMiB: heap.heapMiB,
      heldArrayBuffersMiB: heap.arrayBuffersMiB,
      heldRssAfterGcMiB: heap.rssMiB,
    }),
  }),
);
s3.destroy();

if (args.forecast) {
  const forecasting = timer();
  const inputs = dataset.products.map((p) => ({ id: p.productId, y: p.values }));
  const out = await forecastMany(inputs, {
    workers: Math.max(1, os.availableParallelism()),
    horizon: 7,
  });
  console.log(
    JSON.stringify({
      phase: 'forecast',
      products: out.size,
      ...forecasting(),
      peakRssMiB: peakRssMiB(),
    }),
  );
}
