import { S3Client } from '@aws-sdk/client-s3';
import type { S3ClientConfig } from '@aws-sdk/client-s3';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { InvalidArgumentError } from './errors';

/** A client plus whether this lib created it (and so must destroy it). */
export interface ResolvedS3Client {
  client: S3Client;
  owned: boolean;
}

/** Attempts per request, body included (the SDK's default is 3). */
const MAX_ATTEMPTS = 5;
/** Time to open a TCP connection (ms). */
const CONNECTION_TIMEOUT_MS = 5_000;
/**
 * Socket inactivity allowed while a request or its body is under way (ms): a hung GetObject
 * fails with a TimeoutError and is retried, instead of holding the load forever.
 */
const REQUEST_TIMEOUT_MS = 60_000;
/** Parallel connections per host: read-ahead plus archive and report writes. */
const MAX_SOCKETS = 32;

/**
 * An S3 client for loading and writing job data. Checksums are limited to `WHEN_REQUIRED`: with
 * the SDK's default (`WHEN_SUPPORTED`) uploads use aws-chunked framing, which S3 emulators such
 * as s3rver store verbatim, and reads of objects written by other tools would be validated
 * against checksums those tools never wrote. A new connection per request (at most 32 at a
 * time, never an idle pooled one), a 5 s connect and a 60 s inactivity timeout, and 5 attempts
 * per request unless `config` says otherwise. Endpoint and region stay with the SDK's own settings (AWS_ENDPOINT_URL_S3, AWS_REGION,
 * profiles).
 */
export function createS3Client(config: S3ClientConfig = {}): S3Client {
  // No keep-alive: a pooled idle connection is one the server may have closed (s3rver after
  // 5 s, S3 after some seconds), and a long synchronous decode holds back both Node's idle
  // timers and the close events, so a request sent right after it can be written to a closed
  // connection (`socket hang up`, ECONNRESET). A fresh connection per object costs one TCP (and
  // TLS) handshake against objects of megabytes; the read-ahead overlaps it.
  const agent = { keepAlive: false, maxSockets: MAX_SOCKETS };
  return new S3Client({
    maxAttempts: MAX_ATTEMPTS,
    requestHandler: new NodeHttpHandler({
      connectionTimeout: CONNECTION_TIMEOUT_MS,
      requestTimeout: REQUEST_TIMEOUT_MS,
      httpAgent: agent,
      httpsAgent: agent,
    }),
    ...config,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

/** The injected client, or a new one from `config` (see `createS3Client`). */
export function resolveS3Client(s3?: S3Client, s3Config?: S3ClientConfig): ResolvedS3Client {
  if (s3 && s3Config) {
    throw new InvalidArgumentError('pass either s3 (a client) or s3Config (its config), not both');
  }
  if (s3) return { client: s3, owned: false };
  return { client: createS3Client(s3Config), owned: true };
}
