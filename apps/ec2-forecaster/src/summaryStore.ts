import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { GetObjectCommand, NoSuchKey, PutObjectCommand } from '@aws-sdk/client-s3';
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
