import { InvalidSourceError } from './errors';
import type { S3Location } from './types';

const S3_URI = /^s3:\/\/([^/]+)(?:\/(.*))?$/;

/** True when `source` names an S3 location rather than a local path. */
export function isS3Uri(source: string): boolean {
  return /^s3:\/\//i.test(source);
}

/**
 * Splits `s3://bucket/prefix/` into bucket and key prefix (prefix kept as written, without the
 * leading slash; empty for the whole bucket).
 */
export function parseS3Uri(uri: string): S3Location {
  const m = S3_URI.exec(uri.trim());
  if (!m || m[1] === '') {
    throw new InvalidSourceError(uri, `"${uri}" is not an S3 URI (expected s3://bucket/prefix/)`);
  }
  return { bucket: m[1], prefix: m[2] ?? '' };
}

/** `s3://bucket/key` for messages and `DataFile.uri`. */
export function formatS3Uri(bucket: string, key: string): string {
  return `s3://${bucket}/${key}`;
}
