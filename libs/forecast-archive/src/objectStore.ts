import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  DeleteObjectsCommand,
  GetObjectCommand,
  PutObjectCommand,
  S3Client,
  paginateListObjectsV2,
} from '@aws-sdk/client-s3';
import { ArchiveIoError } from './errors';
import { describeLocation } from './location';
import type { ArchiveLocation, ForecastArchiveOptions } from './types';

/** Keys relative to the archive root, with '/' separators, on S3 or disk alike. */
export interface ObjectStore {
  /** Every key under `prefix` (a folder ending in '/'), sorted. */
  list(prefix: string): Promise<string[]>;
  get(key: string): Promise<Uint8Array>;
  /** Replaces the object whole: readers see the old or the new bytes, never a part. */
  put(key: string, body: Uint8Array): Promise<void>;
  delete(keys: readonly string[]): Promise<void>;
  close(): void;
}

/** S3's DeleteObjects limit. */
const DELETE_BATCH = 1000;

const describe = (err: unknown) =>
  err instanceof Error ? `${err.name}: ${err.message}` : String(err);

/** Runs `fn`, turning any failure into an ArchiveIoError that names the operation and object. */
async function io<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw new ArchiveIoError(`cannot ${what}: ${describe(err)}`, { cause: err });
  }
}

export function openObjectStore(
  location: ArchiveLocation,
  options: ForecastArchiveOptions,
): ObjectStore {
  return location.kind === 's3'
    ? s3Store(location.bucket, location.prefix, options)
    : localStore(location.dir);
}

function s3Store(bucket: string, root: string, options: ForecastArchiveOptions): ObjectStore {
  if (options.s3 && options.s3Config)
    throw new ArchiveIoError('pass either s3 (a client) or s3Config (its config), not both');
  const owned = options.s3 === undefined;
  // Checksums WHEN_REQUIRED: S3 emulators store aws-chunked uploads verbatim (as in sales-data).
  const client =
    options.s3 ??
    new S3Client({
      ...options.s3Config,
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  const uri = (key: string) => `${describeLocation({ kind: 's3', bucket, prefix: root })}${key}`;
  return {
    list: (prefix) =>
      io(`list ${uri(prefix)}`, async () => {
        const keys: string[] = [];
        const pages = paginateListObjectsV2({ client }, { Bucket: bucket, Prefix: root + prefix });
        for await (const page of pages)
          for (const o of page.Contents ?? []) if (o.Key) keys.push(o.Key.slice(root.length));
        return keys.sort();
      }),
    get: (key) =>
      io(`read ${uri(key)}`, async () => {
        const out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: root + key }));
        if (!out.Body) throw new Error('GetObject returned no body');
        return out.Body.transformToByteArray();
      }),
    put: (key, body) =>
      io(`write ${uri(key)}`, async () => {
        await client.send(
          new PutObjectCommand({
            Bucket: bucket,
            Key: root + key,
            Body: body,
            ContentType: 'application/vnd.apache.parquet',
          }),
        );
      }),
    delete: (keys) =>
      io(`delete ${keys.length} objects under ${uri('')}`, async () => {
        for (let i = 0; i < keys.length; i += DELETE_BATCH) {
          const out = await client.send(
            new DeleteObjectsCommand({
              Bucket: bucket,
              Delete: {
                Objects: keys.slice(i, i + DELETE_BATCH).map((k) => ({ Key: root + k })),
                Quiet: true,
              },
            }),
          );
          const failed = out.Errors ?? [];
          if (failed.length > 0)
            throw new Error(
              `${failed.length} not deleted, e.g. ${failed[0].Key}: ${failed[0].Code} ${failed[0].Message}`,
            );
        }
      }),
    close() {
      if (owned) client.destroy();
    },
  };
}

function localStore(dir: string): ObjectStore {
  const file = (key: string) => path.join(dir, ...key.split('/'));
  return {
    list: (prefix) =>
      io(`list ${file(prefix)}`, async () => {
        const entries = await readdir(file(prefix), { recursive: true, withFileTypes: true }).catch(
          (err: NodeJS.ErrnoException) => {
            if (err.code === 'ENOENT') return [];
            throw err;
          },
        );
        return entries
          .filter((e) => e.isFile())
          .map((e) => path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
          .sort();
      }),
    get: (key) => io(`read ${file(key)}`, () => readFile(file(key))),
    put: (key, body) =>
      io(`write ${file(key)}`, async () => {
        const target = file(key);
        await mkdir(path.dirname(target), { recursive: true });
        // Write aside, then rename: a reader never sees half a file.
        const temp = path.join(
          path.dirname(target),
          `.${path.basename(target)}.${process.pid}.tmp`,
        );
        await writeFile(temp, body);
        await rename(temp, target);
      }),
    delete: (keys) =>
      io(`delete ${keys.length} files under ${dir}`, async () => {
        for (const key of keys) await rm(file(key), { force: true });
      }),
    close() {},
  };
}
