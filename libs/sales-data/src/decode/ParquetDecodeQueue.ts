import { createRequire } from 'node:module';
import os from 'node:os';
import v8 from 'node:v8';
import { Piscina } from 'piscina';
import { DecodeWorkerError, InvalidArgumentError } from '../errors';
import type { FileSource } from '../fileSource';
import type { DataFile, ParquetDecodeOptions } from '../types';
import { DECODE_TASK_NAME, DECODE_WORKER_MARK } from './decodeParquet';
import type { DecodeTask, DecodedParquet } from './decodeParquet';

/** Loads with less Parquet than this (listed bytes) decode on the calling thread. */
export const DEFAULT_DECODE_MIN_BYTES = 4 * 1024 * 1024;

/**
 * Listed Parquet bytes handed to workers and not yet fed to the accumulator. Decoded columns take
 * about 8 times the file's bytes; one file larger than this is still decoded, alone.
 */
export const DEFAULT_DECODE_BYTES_IN_FLIGHT = 64 * 1024 * 1024;

/** Smallest default heap limit of a decode thread (MiB): enough to start one and decode small files. */
const MIN_DEFAULT_HEAP_MB = 256;

const MIB = 1024 * 1024;

/**
 * The default heap limit of each decode thread in MiB (`parquetDecode.maxOldGenerationSizeMb`):
 * the `workers` threads together get at most half the machine's memory (`os.totalmem()`, the
 * other half is the main thread's, which holds the loaded series), and none more than the main
 * thread's own V8 limit; at least 256 MiB. E.g. 1,024 MiB per thread for 2 threads on 4 GiB.
 */
export function defaultDecodeHeapMb(workers: number): number {
  const halfMachine = Math.floor(os.totalmem() / MIB / 2 / Math.max(1, workers));
  const mainLimit = Math.floor(v8.getHeapStatistics().heap_size_limit / MIB);
  return Math.max(MIN_DEFAULT_HEAP_MB, Math.min(halfMachine, mainLimit));
}

/** How long `close` waits for the threads to exit. */
const CLOSE_WAIT_MS = 5_000;

/**
 * A TypeScript entry (the lib's own, under tsx or vitest) needs a loader in the thread: on
 * Node 20 ESM loader hooks are not applied to a worker's modules, so the pool starts a CommonJS
 * stub with tsx's require hook as a Node flag (as `forecastMany` does). Bundled apps pass their
 * own `.mjs` as `workerUrl` and never come here.
 */
const DEFAULT_ENTRY = new URL('./worker.cjs', import.meta.url);

/** The whole buffer when `bytes` is all of it (then transferred), else a copy of the view. */
function ownBuffer(bytes: Uint8Array): Uint8Array {
  if (
    bytes.byteOffset === 0 &&
    bytes.byteLength === bytes.buffer.byteLength &&
    bytes.buffer instanceof ArrayBuffer
  ) {
    return bytes;
  }
  return bytes.slice();
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Node's error for a worker thread stopped at its `resourceLimits`. */
function isOutOfMemory(err: unknown): boolean {
  return (err as { code?: unknown } | null)?.code === 'ERR_WORKER_OUT_OF_MEMORY';
}

/**
 * Decodes a listing's Parquet files on a pool of worker threads (piscina), one file per task,
 * while the caller feeds them to the accumulator strictly in listing order: `take(i)` waits for
 * file i whatever order the workers finish in. Files are fetched and decoded ahead up to two per
 * worker and `maxBytesInFlight` listed bytes. A failed fetch or a corrupt file surfaces when its
 * file is taken (as SourceReadError / in `DecodedParquet.failure`); a worker that crashes or exits
 * rejects its file's `take` with a DecodeWorkerError. Each thread's heap is bounded
 * (`maxOldGenerationSizeMb`, default `defaultDecodeHeapMb`): a file whose decoding needs more
 * stops its thread and fails with a DecodeWorkerError naming the file, its size and the limit,
 * while the process and the other threads carry on (piscina starts a new thread in its place).
 * `close()` ends every thread.
 */
export class ParquetDecodeQueue {
  private readonly pool: Piscina;
  private readonly started = new Map<number, { decoded: Promise<DecodedParquet>; size: number }>();
  private readonly maxTasks: number;
  private readonly maxBytes: number;
  /** Each thread's heap limit, MiB. */
  private readonly heapMb: number;
  private next = 0;
  private bytesInFlight = 0;

  private constructor(
    private readonly files: readonly DataFile[],
    private readonly source: FileSource,
    private readonly defaultZone: string | undefined,
    workers: number,
    options: ParquetDecodeOptions,
  ) {
    const url = options.workerUrl ?? DEFAULT_ENTRY;
    const fromSource = url === DEFAULT_ENTRY;
    this.maxTasks = workers * 2;
    this.maxBytes = options.maxBytesInFlight ?? DEFAULT_DECODE_BYTES_IN_FLIGHT;
    this.heapMb = options.maxOldGenerationSizeMb ?? defaultDecodeHeapMb(workers);
    this.pool = new Piscina({
      filename: url.href,
      name: DECODE_TASK_NAME,
      minThreads: workers,
      maxThreads: workers,
      workerData: { [DECODE_WORKER_MARK]: true },
      resourceLimits: { maxOldGenerationSizeMb: this.heapMb },
      ...(fromSource
        ? { execArgv: ['--require', createRequire(import.meta.url).resolve('tsx/cjs')] }
        : {}),
    });
    // A thread that fails outside a task (its script throws while loading) has no task to
    // reject, and piscina may keep the queued tasks waiting for a thread that never comes: the
    // first such failure fails every task, so a load never hangs on it.
    this.poolFailed = new Promise<never>((_, reject) => {
      this.pool.once('error', reject);
    });
    this.poolFailed.catch(() => undefined);
    this.pool.on('error', () => undefined);
  }

  /** Rejects at the pool's first failure outside a task; never resolves. */
  private readonly poolFailed: Promise<never>;

  /**
   * A queue for the listing's Parquet files, or undefined when they are to be decoded on the
   * calling thread: `workers` below 1, or fewer listed Parquet bytes than `minBytes`.
   * @throws InvalidArgumentError for a `workers` that is not a whole number, or a
   *   `maxOldGenerationSizeMb` that is not a whole number of MiB >= 1
   */
  static forLoad(
    files: readonly DataFile[],
    source: FileSource,
    defaultZone: string | undefined,
    options: ParquetDecodeOptions | undefined,
  ): ParquetDecodeQueue | undefined {
    if (options === undefined) return undefined;
    const { workers } = options;
    if (!Number.isInteger(workers) || workers < 0) {
      throw new InvalidArgumentError(
        `parquetDecode.workers ${workers} is not allowed (expected a whole number; 0 decodes on the calling thread)`,
      );
    }
    const heap = options.maxOldGenerationSizeMb;
    if (heap !== undefined && (!Number.isInteger(heap) || heap < 1)) {
      throw new InvalidArgumentError(
        `parquetDecode.maxOldGenerationSizeMb ${heap} is not allowed (expected a whole number of MiB >= 1)`,
      );
    }
    const parquet = files.filter((f) => f.format === 'parquet');
    const bytes = parquet.reduce((sum, f) => sum + f.size, 0);
    if (workers === 0 || parquet.length === 0) return undefined;
    if (bytes < (options.minBytes ?? DEFAULT_DECODE_MIN_BYTES)) return undefined;
    return new ParquetDecodeQueue(
      files,
      source,
      defaultZone,
      Math.min(workers, parquet.length),
      options,
    );
  }

  /** File `index` of the listing (a Parquet file), decoded; starts decoding the next ones. */
  async take(index: number): Promise<DecodedParquet> {
    this.fill(index);
    const entry = this.started.get(index);
    if (entry === undefined) throw new Error(`file ${index} is not a Parquet file of the listing`);
    this.started.delete(index);
    this.bytesInFlight -= entry.size;
    this.fill(index + 1);
    return entry.decoded;
  }

  /**
   * Ends every worker thread; tasks still running are dropped. Waits at most `CLOSE_WAIT_MS` for
   * the threads' exits: after a thread failed to start, piscina may wait for an exit event that
   * never comes (seen under vitest), and a failed load must still end rather than hang.
   */
  async close(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const bounded = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, CLOSE_WAIT_MS);
      timer.unref();
    });
    await Promise.race([this.pool.destroy(), bounded]);
    clearTimeout(timer);
  }

  private fill(from: number): void {
    this.next = Math.max(this.next, from);
    while (this.next < this.files.length) {
      const file = this.files[this.next];
      if (file.format !== 'parquet') {
        this.next += 1;
        continue;
      }
      // The file needed next always starts, however large.
      if (
        this.started.size > 0 &&
        (this.started.size >= this.maxTasks || this.bytesInFlight + file.size > this.maxBytes)
      ) {
        break;
      }
      const decoded = this.decode(file);
      // Failures surface when the file is taken; until then they must not count as unhandled.
      decoded.catch(() => undefined);
      this.started.set(this.next, { decoded, size: file.size });
      this.bytesInFlight += file.size;
      this.next += 1;
    }
  }

  private async decode(file: DataFile): Promise<DecodedParquet> {
    const bytes = ownBuffer(await this.source.bytes(file.uri));
    const task: DecodeTask = { file: file.uri, bytes, defaultZone: this.defaultZone };
    try {
      const run = this.pool.run(task, { transferList: [bytes.buffer as ArrayBuffer] });
      // Lost the race to a pool failure: its own later rejection must not go unhandled.
      run.catch(() => undefined);
      return (await Promise.race([run, this.poolFailed])) as DecodedParquet;
    } catch (err) {
      const why = isOutOfMemory(err)
        ? `decoding the file (${(file.size / MIB).toFixed(1)} MiB) needed more than the thread's ` +
          `heap limit of ${this.heapMb} MiB (parquetDecode.maxOldGenerationSizeMb): ${describe(err)}`
        : describe(err);
      throw new DecodeWorkerError(
        file.uri,
        `the Parquet decode worker failed on ${file.uri}: ${why}`,
        { cause: err },
      );
    }
  }
}
