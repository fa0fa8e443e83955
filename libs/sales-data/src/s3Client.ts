import { S3Client } from '@aws-sdk/client-s3';
import type { S3ClientConfig } from '@aws-sdk/client-s3';
import { InvalidArgumentError } from './errors';

/** A client plus whether this lib created it (and so must destroy it). */
export interface ResolvedS3Client {
  client: S3Client;
  owned: boolean;
}

/**
 * The injected client, or a new one from `config`. Checksums are limited to `WHEN_REQUIRED`:
 * with the SDK's default (`WHEN_SUPPORTED`) uploads use aws-chunked framing, which S3
 * emulators such as s3rver store verbatim, and reads of objects written by other tools would be
 * validated against checksums those tools never wrote. Endpoint and region stay with the SDK's
 * own settings (AWS_ENDPOINT_URL_S3, AWS_REGION, profiles).
 */
export function resolveS3Client(s3?: S3Client, s3Config?: S3ClientConfig): ResolvedS3Client {
  if (s3 && s3Config) {
    throw new InvalidArgumentError('pass either s3 (a client) or s3Config (its config), not both');
  }
  if (s3) return { client: s3, owned: false };
  return {
    client: new S3Client({
      ...s3Config,
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    }),
    owned: true,
  };
}
