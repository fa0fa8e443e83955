import path from 'node:path';
import { ARCHIVE_PARTITION_KEY, ARCHIVE_TABLES } from '@retail-forecast/job-contract';
import type { ArchiveTable } from '@retail-forecast/job-contract';
import { isIsoDate } from '@retail-forecast/util';
import { InvalidArchiveLocationError } from './errors';
import type { ArchiveLocation } from './types';

const S3_URI = /^s3:\/\/([^/]+)(?:\/(.*))?$/i;

/**
 * `s3://bucket/prefix/` (the prefix is made a folder) or a local directory (made absolute).
 * @throws InvalidArchiveLocationError for an empty value or an S3 URI without a bucket
 */
export function parseArchiveLocation(uri: string): ArchiveLocation {
  const value = uri.trim();
  if (value === '')
    throw new InvalidArchiveLocationError(
      'archive location is empty (expected s3://bucket/prefix/ or a directory)',
    );
  if (/^s3:\/\//i.test(value)) {
    const m = S3_URI.exec(value);
    if (!m || m[1] === '')
      throw new InvalidArchiveLocationError(
        `archive "${uri}" is not an S3 URI (expected s3://bucket/prefix/)`,
      );
    const written = (m[2] ?? '').replace(/^\/+/, '');
    return {
      kind: 's3',
      bucket: m[1],
      prefix: written === '' || written.endsWith('/') ? written : `${written}/`,
    };
  }
  return { kind: 'local', dir: path.resolve(value) };
}

/** `<table>/as_of=YYYY-MM-DD/`, relative to the archive root. */
export function partitionPrefix(table: ArchiveTable, asOf: string): string {
  return `${ARCHIVE_TABLES[table]}/${ARCHIVE_PARTITION_KEY}=${asOf}/`;
}

const PARTITION = new RegExp(`^${ARCHIVE_PARTITION_KEY}=(\\d{4}-\\d{2}-\\d{2})$`);

/** The as-of date of a partition folder name (`as_of=2025-06-30`), or undefined. */
export function partitionAsOf(folder: string): string | undefined {
  const m = PARTITION.exec(folder);
  return m && isIsoDate(m[1]) ? m[1] : undefined;
}

/** The archive root as written in messages. */
export function describeLocation(location: ArchiveLocation): string {
  return location.kind === 's3' ? `s3://${location.bucket}/${location.prefix}` : `${location.dir}/`;
}
