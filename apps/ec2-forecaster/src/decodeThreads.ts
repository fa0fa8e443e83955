import { availableParallelism } from 'node:os';
import type { ParquetDecodeOptions } from '@retail-forecast/sales-data';

/**
 * Cores from which automatic settings decode Parquet on worker threads. On 2 cores the threads
 * cost more than they free: at 100,000 products × 730 days from local S3 (README, "Parquet
 * decoding on worker threads") the load took 63.5 s and 61 s of CPU at 848 MiB peak on the main
 * thread, 80.7 s / 81 s / 988 MiB with one decode thread and 85.0 s / 82 s / 1,391 MiB with two:
 * the main thread's feeding and the decoders share the same two cores, and encoding, transfer and
 * each thread's heap come on top.
 */
export const DECODE_THREADS_FROM_CORES = 4;

/**
 * How the job decodes Parquet. `workers` is `FORECAST_WORKERS`: 1 keeps decoding on the main
 * thread; n > 1 decodes on n threads; 0 (automatic) decodes on the main thread below
 * {@link DECODE_THREADS_FROM_CORES} cores and on one thread per core but one (the main thread
 * keeps feeding the accumulator) from there on. `workerUrl` is the bundle's own script (which
 * doubles as the decode worker), undefined when running from source.
 */
export function parquetDecodeOptions(
  workers: number,
  workerUrl?: URL,
  cores = availableParallelism(),
): ParquetDecodeOptions {
  const threads = workers === 0 ? (cores >= DECODE_THREADS_FROM_CORES ? cores - 1 : 0) : workers;
  return { workers: threads > 1 ? threads : 0, workerUrl };
}
