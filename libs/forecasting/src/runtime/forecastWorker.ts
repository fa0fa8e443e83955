import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { asFloat64 } from '@retail-forecast/util';
import { forecastAuto } from '../auto';
import type { Job, Reply, WireForecast } from './protocol';
import { WORKER_MARK } from './protocol';

/**
 * To be called first thing in a script that may run as a forecast worker (the lib's own worker
 * entry, or an app bundle passed as `workerUrl`). In such a worker it starts serving jobs and
 * returns true, and the caller should do nothing else; elsewhere it returns false.
 */
export function runForecastWorkerIfChild(): boolean {
  if (
    isMainThread ||
    !parentPort ||
    (workerData as Record<string, unknown> | null)?.[WORKER_MARK] !== true
  ) {
    return false;
  }
  const port = parentPort;
  port.on('message', (job: Job) => {
    try {
      const results: WireForecast[] = job.ids.map((id, i) => {
        const f = forecastAuto(asFloat64(job.ys[i]), job.options, job.contexts?.[i]);
        return {
          id,
          model: f.model,
          demandClass: f.demandClass,
          p10: f.p10,
          p50: f.p50,
          p90: f.p90,
          ...(f.mean ? { mean: f.mean } : {}),
          ...(f.quantiles ? { quantiles: f.quantiles } : {}),
          ...(f.conformal ? { conformal: f.conformal } : {}),
          ...(f.outliers ? { outliers: f.outliers } : {}),
          ...(f.levelShift ? { levelShift: f.levelShift } : {}),
          ...(f.weekdayProfile ? { weekdayProfile: f.weekdayProfile } : {}),
          ...(f.combination ? { combination: f.combination } : {}),
        };
      });
      const transfer = results.flatMap(
        (r) => [r.p10.buffer, r.p50.buffer, r.p90.buffer] as ArrayBuffer[],
      );
      port.postMessage({ type: 'result', jobId: job.jobId, results } satisfies Reply, transfer);
    } catch (err) {
      port.postMessage({
        type: 'error',
        jobId: job.jobId,
        message: err instanceof Error ? `${err.name}: ${err.message}` : String(err),
      } satisfies Reply);
    }
  });
  return true;
}
