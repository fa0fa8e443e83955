import type { FileSource } from './fileSource';
import type { DataFile } from './types';

export interface ReadAheadLimits {
  /** Objects fetched ahead of the one being parsed. */
  maxFiles: number;
  /** Bytes held by fetched-ahead objects; larger objects are only ever streamed when reached. */
  maxBytes: number;
}

/**
 * Eight objects or 160 MiB ahead: room for one 128 MiB Spark part file (`spark.sql.files.
 * maxPartitionBytes`) plus small ones, bounded well below the job's memory.
 */
export const DEFAULT_READ_AHEAD: ReadAheadLimits = { maxFiles: 8, maxBytes: 160 * 1024 * 1024 };

const CHUNK = 64 * 1024;

async function* chunked(bytes: Promise<Uint8Array>): AsyncGenerator<Uint8Array> {
  const all = await bytes;
  // Slices keep csv-parse working chunk by chunk, as it would on a network stream.
  for (let i = 0; i < all.length; i += CHUNK) yield all.subarray(i, i + CHUNK);
}

/**
 * Wraps a FileSource so that, while one object is parsed, the next few small ones are already
 * downloading. Files are still parsed strictly one at a time and in order; only the waiting for
 * S3 overlaps. Spark output often has hundreds of small part files, where a sequential GET per
 * file would dominate the run time.
 */
export function withReadAhead(
  source: FileSource,
  files: readonly DataFile[],
  limits = DEFAULT_READ_AHEAD,
): FileSource {
  const indexOf = new Map(files.map((f, i) => [f.uri, i]));
  const pending = new Map<string, { bytes: Promise<Uint8Array>; size: number }>();
  let next = 0;
  let pendingBytes = 0;

  const take = (uri: string): Promise<Uint8Array> | undefined => {
    const entry = pending.get(uri);
    if (entry === undefined) return undefined;
    pending.delete(uri);
    pendingBytes -= entry.size;
    return entry.bytes;
  };

  const fill = (current: number): void => {
    next = Math.max(next, current + 1);
    while (next < files.length && pending.size < limits.maxFiles) {
      const file = files[next];
      if (file.size > limits.maxBytes) {
        next += 1;
        continue;
      }
      if (pendingBytes + file.size > limits.maxBytes) break;
      const bytes = source.bytes(file.uri);
      // Rejections surface when the file is reached; until then they must not count as unhandled.
      bytes.catch(() => undefined);
      pending.set(file.uri, { bytes, size: file.size });
      pendingBytes += file.size;
      next += 1;
    }
  };

  return {
    bytes(uri) {
      // The file needed now is requested before any read-ahead.
      const bytes = take(uri) ?? source.bytes(uri);
      fill(indexOf.get(uri) ?? -1);
      return bytes;
    },
    stream(uri) {
      const ahead = take(uri);
      fill(indexOf.get(uri) ?? -1);
      return ahead ? chunked(ahead) : source.stream(uri);
    },
  };
}
