import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { asFloat64 } from '@retail-forecast/util';
import { forecastAuto, resolveAutoOptions } from '../auto';
import { poolCombination } from '../combinationRule';
import { poolCalibration } from '../conformal';
import { ForecastWorkerError, InvalidOptionError } from '../errors';
import { withGlobalCandidates, type GlobalModelOptions } from '../global/globalModel';
import { withWeekdayPriors } from '../weekdayProfile';
import type { SeriesValues } from '@retail-forecast/util';
import type { AutoOptions, SeriesForecast, SeriesInput } from '../types';
import type { Job, Reply, WireForecast } from './protocol';
import { WORKER_MARK } from './protocol';

/** Below this many series the thread start-up costs more than it saves. */
export const IN_PROCESS_THRESHOLD = 200;
const CHUNK = 64;

export interface ForecastManyOptions extends AutoOptions {
  /** Worker threads; default 1 (in-process). Use e.g. `os.availableParallelism()`. */
  workers?: number;
  /** Script the workers run; it must call `runForecastWorkerIfChild()`. Defaults to the lib's
   * own worker entry; an esbuild bundle passes its own `import.meta.url`. */
  workerUrl?: URL;
  /**
   * Fit the global model across all `inputs` first (`fitGlobalModel`, in this thread, seeded, so
   * the same with any number of workers) and enter it into every series' race as the external
   * candidate `global`; default off. An object turns it on with those options (row cap, seed). Costs O(products) plus a fit bounded by its row cap.
   */
  globalModel?: boolean | Omit<GlobalModelOptions, 'horizon' | 'validationOrigins'>;
  /** Called as series complete (after each series in-process, after each chunk in workers). */
  onProgress?: (done: number, total: number) => void;
}

/** Only the plain-data options travel to workers. */
function autoOptionsOf(o: ForecastManyOptions): AutoOptions {
  const {
    horizon,
    maxFitLength,
    validationOrigins,
    combineTop,
    combination,
    candidates,
    quantiles,
    conformal,
    countMedian,
    cleanOutliers,
    levelShifts,
    catalogueProfile,
  } = o;
  return {
    horizon,
    maxFitLength,
    validationOrigins,
    combineTop,
    combination,
    candidates,
    quantiles,
    conformal,
    countMedian,
    cleanOutliers,
    levelShifts,
    catalogueProfile,
  };
}

/**
 * A TypeScript entry (the lib's own `worker.ts`, under tsx or vitest) needs a loader in the
 * thread. On Node 20 ESM loader hooks (`--import tsx`) are not applied to a worker's modules,
 * so such a thread starts from a CommonJS stub with tsx's require hook given as a Node flag;
 * the lib itself never imports tsx. Bundled apps never come here: they pass a .mjs `workerUrl`.
 */
const TS_ENTRY = /\.[cm]?ts$/;
const TS_BOOTSTRAP =
  "require(require('node:url').fileURLToPath(require('node:worker_threads').workerData.entry));";

function spawn(url: URL): Worker {
  const workerData = { [WORKER_MARK]: true, entry: url.href };
  if (!TS_ENTRY.test(url.pathname)) return new Worker(url, { workerData });
  const tsxRequireHook = createRequire(import.meta.url).resolve('tsx/cjs');
  return new Worker(TS_BOOTSTRAP, {
    eval: true,
    workerData,
    execArgv: ['--require', tsxRequireHook],
  });
}

/**
 * Forecasts a catalogue with `forecastAuto`, in parallel over `workers` threads for large inputs
 * (chunks of series are sent as transferred copies of their arrays, each in its own
 * `SeriesValues` type). Results are the same as the single-threaded path and the map follows the input order. A worker that crashes, exits
 * (even with code 0) before answering its chunk, or answers with an error rejects the call with a
 * `ForecastWorkerError` naming the worker and the chunk; every worker is terminated either way.
 * Then the catalogue steps: with `combination: 'class'`, `poolCombination` (the combination rule
 * of each demand class, from the pooled nested-validation scores); then `poolCalibration`:
 * intervals conformally calibrated from the pooled
 * validation scores of each demand class (see `conformal.ts`); the returned forecasts no longer
 * carry their scores.
 */
export async function forecastMany(
  catalogue: SeriesInput<SeriesValues>[],
  options: ForecastManyOptions = {},
): Promise<Map<string, SeriesForecast>> {
  const workers = options.workers ?? 1;
  if (!Number.isInteger(workers) || workers < 1) {
    throw new InvalidOptionError(`workers ${workers} is not allowed (expected an integer >= 1)`);
  }
  const auto = autoOptionsOf(options);
  const resolved = resolveAutoOptions(auto);
  const out = new Map<string, SeriesForecast>();
  const { globalModel } = options;
  const candidates = globalModel
    ? withGlobalCandidates(catalogue, { ...(globalModel === true ? {} : globalModel), ...auto })
    : catalogue;
  const inputs = resolved.catalogueProfile ? withWeekdayPriors(candidates) : candidates;
  if (workers === 1 || inputs.length < IN_PROCESS_THRESHOLD) {
    for (const s of inputs) {
      out.set(s.id, forecastAuto(asFloat64(s.y), auto, s.context));
      options.onProgress?.(out.size, inputs.length);
    }
    return poolCalibration(poolCombination(out));
  }

  const chunks: SeriesInput<SeriesValues>[][] = [];
  for (let i = 0; i < inputs.length; i += CHUNK) chunks.push(inputs.slice(i, i + CHUNK));
  const url = options.workerUrl ?? new URL('./worker.ts', import.meta.url);
  const pool = Array.from({ length: Math.min(workers, chunks.length) }, () => spawn(url));
  let results: WireForecast[][];
  try {
    results = await runPool(pool, url, chunks, auto, (done) =>
      options.onProgress?.(done, inputs.length),
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
        ...(r.mean ? { mean: r.mean } : {}),
        model: r.model,
        demandClass: r.demandClass,
        ...(r.quantiles ? { quantiles: r.quantiles } : {}),
        ...(r.conformal ? { conformal: r.conformal } : {}),
        ...(r.outliers ? { outliers: r.outliers } : {}),
        ...(r.levelShift ? { levelShift: r.levelShift } : {}),
        ...(r.weekdayProfile ? { weekdayProfile: r.weekdayProfile } : {}),
        ...(r.combination ? { combination: r.combination } : {}),
      });
    }
  }
  return poolCalibration(poolCombination(out));
}

/**
 * Hands chunks to idle workers until every chunk is answered. Settles exactly once: resolved
 * when the last answer arrives, rejected at the first failure of any worker.
 */
function runPool(
  pool: Worker[],
  url: URL,
  chunks: SeriesInput<SeriesValues>[][],
  auto: AutoOptions,
  onDone: (done: number) => void,
): Promise<WireForecast[][]> {
  const results: WireForecast[][] = [];
  let next = 0;
  let answered = 0;
  let done = 0;
  const chunkName = (jobId: number) => {
    const first = jobId * CHUNK;
    return `chunk ${jobId} (series ${first}–${first + chunks[jobId].length - 1})`;
  };
  return new Promise((resolve, reject) => {
    let settled = false;
    const fail = (message: string, cause?: unknown) => {
      if (settled) return;
      settled = true;
      reject(new ForecastWorkerError(message, cause === undefined ? undefined : { cause }));
    };
    pool.forEach((worker, index) => {
      const name = `forecast worker ${index + 1} of ${pool.length} (${url.href})`;
      /** The chunk this worker holds; undefined once it has answered and nothing is left. */
      let current: number | undefined;
      const send = () => {
        if (next >= chunks.length) return;
        const jobId = next++;
        current = jobId;
        // Copies of the caller's arrays in their own type (a Uint8 or Float32 series stays so:
        // the worker widens each series only while it forecasts it), so transferring detaches
        // nothing of the caller's and a view into a larger buffer (a slab) sends only its days.
        const ys = chunks[jobId].map((s) => s.y.slice());
        const job: Job = {
          type: 'forecast',
          jobId,
          options: auto,
          ids: chunks[jobId].map((s) => s.id),
          ys,
        };
        if (chunks[jobId].some((s) => s.context))
          job.contexts = chunks[jobId].map((s) => s.context);
        worker.postMessage(
          job,
          ys.map((y) => y.buffer as ArrayBuffer),
        );
      };
      worker.on('message', (reply: Reply) => {
        if (settled) return;
        if (reply.type === 'error') {
          fail(`${name} failed on ${chunkName(reply.jobId)}: ${reply.message}`);
          return;
        }
        results[reply.jobId] = reply.results;
        current = undefined;
        answered++;
        done += reply.results.length;
        onDone(done);
        if (answered === chunks.length) {
          settled = true;
          resolve(results);
        } else send();
      });
      worker.on('messageerror', (err) =>
        fail(`${name} sent an unreadable message: ${err.message}`, err),
      );
      worker.on('error', (err) =>
        fail(
          `${name} crashed${current === undefined ? '' : ` on ${chunkName(current)}`}: ${err.message}`,
          err,
        ),
      );
      // A thread may end cleanly (exit code 0) without answering; an unanswered chunk must
      // still fail the run rather than leave it waiting.
      worker.on('exit', (code) => {
        if (current !== undefined) {
          fail(`${name} exited with code ${code} before answering ${chunkName(current)}`);
        }
      });
      send();
    });
  });
}
