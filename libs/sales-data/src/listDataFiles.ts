import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { paginateListObjectsV2 } from '@aws-sdk/client-s3';
import type { S3Client } from '@aws-sdk/client-s3';
import { InvalidSourceError, SourceReadError } from './errors';
import { formatS3Uri, isS3Uri, parseS3Uri } from './s3Uri';
import { resolveS3Client } from './s3Client';
import type { DataFile, DataFileFormat } from './types';
import { compareStrings } from './order';

const EXTENSIONS: ReadonlyArray<[string, DataFileFormat]> = [
  ['.parquet', 'parquet'],
  ['.csv', 'csv'],
  ['.jsonl', 'jsonl'],
  ['.ndjson', 'jsonl'],
  ['.json', 'json'],
];

/**
 * The format of a data file from its path relative to the source, or undefined when it is to be
 * ignored. Spark and Hadoop treat names starting with `_` or `.` as metadata (`_SUCCESS`,
 * `_committed_*`, `.part-0.parquet.crc`) and `_temporary/` as an unfinished job's scratch space.
 */
export function dataFileFormat(relativePath: string): DataFileFormat | undefined {
  if (relativePath === '' || relativePath.endsWith('/')) return undefined;
  const segments = relativePath.split('/');
  if (segments.includes('_temporary')) return undefined;
  const name = segments[segments.length - 1].toLowerCase();
  if (name.startsWith('_') || name.startsWith('.') || name.endsWith('.crc')) return undefined;
  return EXTENSIONS.find(([ext]) => name.endsWith(ext))?.[1];
}

const HIVE_NULL = '__HIVE_DEFAULT_PARTITION__';

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    // A stray `%` that is no escape: the name as written.
    return text;
  }
}

/**
 * The Hive-style `key=value` folders of a data file's path relative to the source, outermost
 * first, as Spark writes them (`partitionBy`): names and values URL-decoded (Spark escapes `:`,
 * `/`, `%`, …), `__HIVE_DEFAULT_PARTITION__` (Spark's null) as null. Undefined when there are none.
 */
export function hivePartitions(relativePath: string): Record<string, string | null> | undefined {
  const segments = relativePath.split('/').slice(0, -1);
  let out: Record<string, string | null> | undefined;
  for (const segment of segments) {
    const eq = segment.indexOf('=');
    if (eq <= 0) continue;
    const value = segment.slice(eq + 1);
    out ??= {};
    out[decode(segment.slice(0, eq))] = value === HIVE_NULL ? null : decode(value);
  }
  return out;
}

/** A listed file, with its partition folders when it has any. */
function dataFile(uri: string, format: DataFileFormat, size: number, relative: string): DataFile {
  const partitions = hivePartitions(relative);
  return partitions ? { uri, format, size, partitions } : { uri, format, size };
}

function describe(err: unknown): string {
  if (err instanceof Error) return `${err.name}: ${err.message}`;
  return String(err);
}

async function listS3(source: string, client: S3Client): Promise<DataFile[]> {
  const { bucket, prefix: written } = parseS3Uri(source);
  // A prefix naming one data file selects just it; otherwise `forecast_ready` must not also
  // match `forecast_ready_old/`, so the prefix becomes a folder.
  const singleKey =
    written !== '' && !written.endsWith('/') && dataFileFormat(written) !== undefined;
  const prefix = singleKey || written === '' || written.endsWith('/') ? written : `${written}/`;
  const files: DataFile[] = [];
  try {
    for await (const page of paginateListObjectsV2(
      { client },
      { Bucket: bucket, Prefix: prefix },
    )) {
      for (const object of page.Contents ?? []) {
        const key = object.Key;
        if (key === undefined) continue;
        if (singleKey && key !== written) continue;
        const relative = singleKey ? path.posix.basename(key) : key.slice(prefix.length);
        const format = dataFileFormat(relative);
        if (format === undefined) continue;
        files.push(dataFile(formatS3Uri(bucket, key), format, object.Size ?? 0, relative));
      }
    }
  } catch (err) {
    throw new SourceReadError(
      formatS3Uri(bucket, prefix),
      `cannot list ${formatS3Uri(bucket, prefix)}: ${describe(err)}`,
      { cause: err },
    );
  }
  // ListObjectsV2 already returns UTF-8 binary key order; sorting again keeps that guarantee
  // independent of any emulator.
  return files.sort((a, b) => compareStrings(a.uri, b.uri));
}

async function walk(dir: string, relative: string, out: DataFile[]): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true });
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    const rel = relative === '' ? entry.name : `${relative}/${entry.name}`;
    let isDir = entry.isDirectory();
    let isFile = entry.isFile();
    if (entry.isSymbolicLink()) {
      const target = await stat(full);
      isDir = target.isDirectory();
      isFile = target.isFile();
    }
    if (isDir) {
      if (entry.name !== '_temporary') await walk(full, rel, out);
    } else if (isFile) {
      const format = dataFileFormat(rel);
      if (format !== undefined) out.push(dataFile(full, format, (await stat(full)).size, rel));
    }
  }
}

async function listLocal(source: string): Promise<DataFile[]> {
  const resolved = path.resolve(source);
  let info;
  try {
    info = await stat(resolved);
  } catch (err) {
    throw new SourceReadError(resolved, `cannot read ${source}: ${describe(err)}`, { cause: err });
  }
  if (info.isFile()) {
    const format = dataFileFormat(path.basename(resolved));
    if (format === undefined) {
      throw new InvalidSourceError(
        source,
        `${source} is not a data file (expected .parquet, .csv, .jsonl, .ndjson or .json)`,
      );
    }
    return [{ uri: resolved, format, size: info.size }];
  }
  if (!info.isDirectory()) {
    throw new InvalidSourceError(source, `${source} is neither a file nor a directory`);
  }
  const files: DataFile[] = [];
  try {
    await walk(resolved, '', files);
  } catch (err) {
    throw new SourceReadError(resolved, `cannot list ${source}: ${describe(err)}`, { cause: err });
  }
  return files.sort((a, b) => compareStrings(a.uri, b.uri));
}

/** Lists with an already resolved client; the public wrapper owns client creation. */
export async function listDataFilesWith(
  source: string,
  client: () => S3Client,
): Promise<DataFile[]> {
  return isS3Uri(source) ? listS3(source, client()) : listLocal(source);
}

/**
 * Every `.parquet`, `.csv`, `.jsonl`/`.ndjson` and `.json` file under `source` (an
 * `s3://bucket/prefix/` URI, a local directory searched recursively, or one local file), sorted
 * by URI, each with its Hive `key=value` folders below the source (`partitions`).
 * `_SUCCESS`, `_temporary/`, `.crc` and folder keys are skipped. An empty list is
 * returned as is; `loadSalesData` is what turns it into `NoDataError`.
 */
export async function listDataFiles(source: string, s3?: S3Client): Promise<DataFile[]> {
  if (!isS3Uri(source)) return listLocal(source);
  const { client, owned } = resolveS3Client(s3);
  try {
    return await listS3(source, client);
  } finally {
    if (owned) client.destroy();
  }
}
