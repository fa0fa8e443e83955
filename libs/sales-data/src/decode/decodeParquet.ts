import { isMainThread, workerData } from 'node:worker_threads';
import { move, transferableSymbol, valueSymbol } from 'piscina';
import { columnBuffers, compactColumn } from '../readers/compactColumns';
import type { CompactColumn } from '../readers/compactColumns';
import { PARQUET_COLUMNS, corruptParquet, openParquet } from '../readers/readParquet';
import type { ParquetHeader } from '../readers/readParquet';

/** Marks the `workerData` of the decode pool's threads. */
export const DECODE_WORKER_MARK = 'retailForecastParquetDecodeWorker';

/** Name of the task function a decode worker's script exports. */
export const DECODE_TASK_NAME = 'decodeParquetTask';

/** One Parquet file to decode; `bytes`' buffer is transferred to the worker. */
export interface DecodeTask {
  /** `s3://bucket/key` or local path, for messages. */
  file: string;
  bytes: Uint8Array;
  /** The zone bare UTC instants are read in when the file names none (undefined: UTC). */
  defaultZone?: string;
}

/** One row range of a decoded file, its columns in `PARQUET_COLUMNS` order. */
export interface CompactRange {
  /** 0-based index of the range's first row in the file. */
  rowStart: number;
  count: number;
  columns: CompactColumn[];
}

/** A decoded Parquet file: its header and row ranges, or why it could not be decoded. */
export interface DecodedParquet {
  /** Undefined when the footer could not be read (`failure` says why). */
  header?: ParquetHeader;
  /** The ranges decoded, in file order; those before the failure when decoding failed midway. */
  ranges: CompactRange[];
  /** The CorruptFileError message naming the file, when decoding failed. */
  failure?: string;
}

/**
 * Decodes a whole Parquet file into compact columns (`compactColumns.ts`) with hyparquet. Never
 * throws: a file that cannot be decoded comes back with `failure`, the CorruptFileError message a
 * main-thread read gives, and the ranges decoded before the failure.
 */
export async function decodeParquet(task: DecodeTask): Promise<DecodedParquet> {
  const { file } = task;
  let opened: ReturnType<typeof openParquet>;
  try {
    opened = openParquet(file, task.bytes, task.defaultZone);
  } catch (err) {
    return { ranges: [], failure: corruptParquet(file, err).message };
  }
  const { header } = opened;
  const present = PARQUET_COLUMNS.map((c) => header.names.includes(c));
  const ranges: CompactRange[] = [];
  try {
    for await (const range of opened.ranges()) {
      ranges.push({
        rowStart: range.rowStart,
        count: range.count,
        columns: range.columns.map((values, i) => compactColumn(values, range.count, present[i])),
      });
    }
  } catch (err) {
    return { header, ranges, failure: corruptParquet(file, err).message };
  }
  return { header, ranges };
}

/** The decode pool's task function: `decodeParquet`, its column buffers transferred back. */
export async function decodeParquetTask(task: DecodeTask): Promise<unknown> {
  const decoded = await decodeParquet(task);
  const buffers = decoded.ranges.flatMap((r) => r.columns.flatMap(columnBuffers));
  return move({ [transferableSymbol]: buffers, [valueSymbol]: decoded });
}

/**
 * True in a thread of the Parquet decode pool. A script passed as the pool's `workerUrl` (an app
 * bundle that doubles as the worker) must export `decodeParquetTask` and, when this is true, do
 * nothing else at load: the pool calls the exported function.
 */
export function isParquetDecodeWorker(): boolean {
  return (
    !isMainThread && (workerData as Record<string, unknown> | null)?.[DECODE_WORKER_MARK] === true
  );
}
