import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import {
  GetObjectCommand,
  ListObjectsV2Command,
  NoSuchKey,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import type { S3Client } from '@aws-sdk/client-s3';
import { parseS3Uri } from '@retail-forecast/sales-data';
import { ConfigError } from './errors';

/** `location` + `key`, as a URI or path to show in messages. */
export function summaryLocation(location: string, key: string): string {
  if (!location.startsWith('s3://')) return join(resolve(location), key);
  const { bucket, prefix } = parseS3Uri(location);
  const folder = prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/`;
  return `s3://${bucket}/${folder}${key}`;
}

function needS3(s3: S3Client | undefined, location: string): S3Client {
  if (!s3) throw new ConfigError(`summaries location ${location} needs an S3 client`);
  return s3;
}

/**
 * Writes a run's JSON summary to `s3://bucket/prefix/<key>` or `<dir>/<key>`.
 * @returns where it went
 */
export async function writeSummaryObject(
  location: string,
  key: string,
  value: unknown,
  s3?: S3Client,
): Promise<string> {
  const where = summaryLocation(location, key);
  const body = `${JSON.stringify(value, null, 2)}\n`;
  if (!where.startsWith('s3://')) {
    await mkdir(dirname(where), { recursive: true });
    await writeFile(where, body, 'utf8');
    return where;
  }
  const { bucket, prefix } = parseS3Uri(where);
  await needS3(s3, location).send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: prefix,
      Body: body,
      ContentType: 'application/json',
    }),
  );
  return where;
}

/** Reads a summary written by {@link writeSummaryObject}; undefined when there is none. */
export async function readSummaryObject(
  location: string,
  key: string,
  s3?: S3Client,
): Promise<unknown> {
  const where = summaryLocation(location, key);
  if (!where.startsWith('s3://')) {
    try {
      return JSON.parse(await readFile(where, 'utf8'));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  }
  const { bucket, prefix } = parseS3Uri(where);
  try {
    const r = await needS3(s3, location).send(
      new GetObjectCommand({ Bucket: bucket, Key: prefix }),
    );
    return JSON.parse(await r.Body!.transformToString('utf8'));
  } catch (err) {
    if (err instanceof NoSuchKey || (err as { name?: string }).name === 'NoSuchKey')
      return undefined;
    throw err;
  }
}

/** What a summaries location holds for one run (`listRunSummaries`). */
export interface RunSummaryListing {
  /** `shard=<i>-of-<N>` folders of the run that hold a `summary.json`, as `{ index, count }`. */
  shards: { index: number; count: number }[];
  /** Whether the run's own (whole or merged) `run_id=<id>/summary.json` exists. */
  runSummary: boolean;
  /** When the run has nothing: the run ids the location does hold (at most 20), to name them. */
  otherRuns: string[];
}

const SHARD_SUMMARY = /^shard=(\d+)-of-(\d+)\/summary\.json$/;
const RUN_FOLDER = /^run_id=([^/]+)\/?$/;

/**
 * Lists the summaries of run `runId` below a summaries location (`summaryKey`'s layout), reading
 * nothing. A local location that does not exist, or an S3 bucket that does not, is a ConfigError
 * (exit 2) naming it.
 */
export async function listRunSummaries(
  location: string,
  runId: string,
  s3?: S3Client,
): Promise<RunSummaryListing> {
  const run = `run_id=${encodeURIComponent(runId)}/`;
  const names: string[] = [];
  let runs: string[] = [];
  if (!location.startsWith('s3://')) {
    const root = resolve(location);
    const isDir = await stat(root).then(
      (st) => st.isDirectory(),
      () => false,
    );
    if (!isDir) throw new ConfigError(`summaries location ${root} is not a directory`);
    const entries = await readdir(join(root, run), { recursive: true }).catch(
      (err: NodeJS.ErrnoException) => {
        if (err.code === 'ENOENT') return [] as string[];
        throw err;
      },
    );
    names.push(...entries.map((e) => e.split('\\').join('/')));
    if (names.length === 0) runs = await readdir(root);
  } else {
    const client = needS3(s3, location);
    const { bucket, prefix } = parseS3Uri(location);
    const folder = prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/`;
    const list = async (Prefix: string, Delimiter?: string) => {
      const keys: string[] = [];
      let ContinuationToken: string | undefined;
      do {
        let r;
        try {
          r = await client.send(
            new ListObjectsV2Command({ Bucket: bucket, Prefix, Delimiter, ContinuationToken }),
          );
        } catch (err) {
          if ((err as { name?: string }).name === 'NoSuchBucket')
            throw new ConfigError(
              `summaries location ${location}: bucket ${bucket} does not exist`,
              {
                cause: err,
              },
            );
          throw err;
        }
        for (const o of r.Contents ?? []) if (o.Key) keys.push(o.Key.slice(Prefix.length));
        for (const p of r.CommonPrefixes ?? [])
          if (p.Prefix) keys.push(p.Prefix.slice(Prefix.length));
        ContinuationToken = r.IsTruncated ? r.NextContinuationToken : undefined;
      } while (ContinuationToken);
      return keys;
    };
    names.push(...(await list(`${folder}${run}`)));
    if (names.length === 0) runs = await list(folder, '/');
  }
  const shards = names.flatMap((n) => {
    const m = SHARD_SUMMARY.exec(n);
    return m ? [{ index: Number(m[1]), count: Number(m[2]) }] : [];
  });
  shards.sort((a, b) => a.count - b.count || a.index - b.index);
  const otherRuns = runs.flatMap((r) => {
    const m = RUN_FOLDER.exec(r);
    return m ? [decodeURIComponent(m[1])] : [];
  });
  return { shards, runSummary: names.includes('summary.json'), otherRuns: otherRuns.slice(0, 20) };
}
