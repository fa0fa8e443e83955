import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { forecastAuto, resolveAutoOptions } from './auto';
import { ForecastWorkerError, InvalidOptionError } from './errors';
import type { AutoOptions, SeriesForecast, SeriesInput } from './types';

/** Below this many series the thread start-up costs more than it saves. */
export const IN_PROCESS_THRESHOLD = 200;
const CHUNK = 64;
/** Marks a worker started by `forecastMany`, so an app bundle can tell it is one. */
const WORKER_MARK = 'retailForecastWorker';

export interface ForecastManyOptions extends AutoOptions {
  /** Worker threads; default 1 (in-process). Use e.g. `os.availableParallelism()`. */
  workers?: number;
  /** Script the workers run; it must call `runForecastWorkerIfChild()`. Defaults to the lib's
   * own worker entry; an esbuild bundle passes its own `import.meta.url`. */
  workerUrl?: URL;
  /** Called as series complete (after each series in-process, after each chunk in workers). */
  onProgress?: (done: number, total: number) => void;
}

interface Job {
  type: 'forecast';
  jobId: number;
  options: AutoOptions;
  ids: string[];
  ys: Float64Array[];
}

interface WireForecast {
  id: string;
  model: string;
  demandClass?: SeriesForecast['demandClass'];
  p10: Float64Array;
  p50: Float64Array;
  p90: Float64Array;
}

type Reply =
  | { type: 'result'; jobId: number; results: WireForecast[] }
  | { type: 'error'; jobId: number; message: string };

/** Only the plain-data options travel to workers. */
function autoOptionsOf(o: ForecastManyOptions): AutoOptions {
  const { horizon, maxFitLength, validationOrigins, combineTop, candidates } = o;
  return { horizon, maxFitLength, validationOrigins, combineTop, candidates };
}

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
        const f = forecastAuto(job.ys[i], job.options);
        return {
          id,
          model: f.model,
          demandClass: f.demandClass,
          p10: f.p10,
          p50: f.p50,
          p90: f.p90,
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

function spawn(url: URL): Worker {
  const workerData = { [WORKER_MARK]: true, entry: url.href };
  // A .ts entry needs a TypeScript loader in the thread; see tsWorkerBootstrap.mjs.
  const script = /\.[cm]?ts$/.test(url.pathname)
    ? new URL('./tsWorkerBootstrap.mjs', import.meta.url)
    : url;
  return new Worker(script, { workerData });
}

/**
 * Forecasts a catalogue with `forecastAuto`, in parallel over `workers` threads for large inputs
 * (chunks of series are sent as transferred copies of their Float64Arrays). Results are the same
 * as the single-threaded path and the map follows the input order.
 */
export async function forecastMany(
  inputs: SeriesInput[],
  options: ForecastManyOptions = {},
): Promise<Map<string, SeriesForecast>> {
  const workers = options.workers ?? 1;
  if (!Number.isInteger(workers) || workers < 1) {
    throw new InvalidOptionError(`workers ${workers} is not allowed (expected an integer >= 1)`);
  }
  const auto = autoOptionsOf(options);
  resolveAutoOptions(auto);
  const out = new Map<string, SeriesForecast>();
  if (workers === 1 || inputs.length < IN_PROCESS_THRESHOLD) {
    for (const s of inputs) {
      out.set(s.id, forecastAuto(s.y, auto));
      options.onProgress?.(out.size, inputs.length);
    }
    return out;
  }

  const chunks: SeriesInput[][] = [];
  for (let i = 0; i < inputs.length; i += CHUNK) chunks.push(inputs.slice(i, i + CHUNK));
  const results: WireForecast[][] = new Array(chunks.length);
  const url = options.workerUrl ?? new URL('./worker.ts', import.meta.url);
  const pool = Array.from({ length: Math.min(workers, chunks.length) }, () => spawn(url));
  let next = 0;
  let done = 0;
  try {
    await Promise.all(
      pool.map(
        (worker) =>
          new Promise<void>((resolve, reject) => {
            const send = () => {
              if (next >= chunks.length) return resolve();
              const jobId = next++;
              // Copies, so transferring never detaches the caller's arrays.
              const ys = chunks[jobId].map((s) => Float64Array.from(s.y));
              const job: Job = {
                type: 'forecast',
                jobId,
                options: auto,
                ids: chunks[jobId].map((s) => s.id),
                ys,
              };
              worker.postMessage(
                job,
                ys.map((y) => y.buffer as ArrayBuffer),
              );
            };
            worker.on('message', (reply: Reply) => {
              if (reply.type === 'error') {
                reject(
                  new ForecastWorkerError(
                    `forecast worker failed on chunk ${reply.jobId}: ${reply.message}`,
                  ),
                );
                return;
              }
              results[reply.jobId] = reply.results;
              done += reply.results.length;
              options.onProgress?.(done, inputs.length);
              send();
            });
            worker.on('error', (err) =>
              reject(
                new ForecastWorkerError(`forecast worker ${url.href} crashed: ${err.message}`, {
                  cause: err,
                }),
              ),
            );
            worker.on('exit', (code) => {
              if (next < chunks.length || results.some((r) => r === undefined)) {
                reject(
                  new ForecastWorkerError(
                    `forecast worker ${url.href} exited with code ${code} before finishing`,
                  ),
                );
              }
            });
            send();
          }),
      ),
    );
  } finally {
    await Promise.all(pool.map((w) => w.terminate()));
  }
  for (const chunk of results) {
    for (const r of chunk) {
      out.set(r.id, {
        p10: r.p10,
        p50: r.p50,
        p90: r.p90,
        model: r.model,
        demandClass: r.demandClass,
      });
    }
  }
  return out;
}
