import { availableParallelism } from 'node:os';
import type { ParquetDecodeOptions } from '@retail-forecast/sales-data';

/**
 * How the job decodes Parquet: on as many threads as it forecasts on (`FORECAST_WORKERS`, 0 = one
 * per core), and on the main thread when that is 1. `workerUrl` is the bundle's own script (which
 * doubles as the decode worker), undefined when running from source.
 */
export function parquetDecodeOptions(workers: number, workerUrl?: URL): ParquetDecodeOptions {
  const threads = workers === 0 ? availableParallelism() : workers;
  return { workers: threads > 1 ? threads : 0, workerUrl };
}
