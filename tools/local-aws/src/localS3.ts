// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- s3rver and dynalite ship no types; the reference makes them visible to every program that imports this file
/// <reference path="./modules.d.ts" />
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import crypto from 'node:crypto';
import type { S3ClientConfig } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from './localConfig';

/**
 * s3rver encrypts ListObjectsV2 continuation tokens with single DES, which OpenSSL 3 (Node 17+)
 * only offers through its legacy provider, so listing more than 1,000 keys fails with a 500.
 * Triple DES with three equal keys is the same cipher and is in the default provider.
 */
function allowSingleDes(): void {
  const marker = Symbol.for('retail-forecast.local-aws.des');
  const c = crypto as unknown as Record<string | symbol, unknown>;
  if (c[marker]) return;
  c[marker] = true;
  const asTripleDes =
    <T>(original: (alg: string, key: Buffer, iv: Buffer | null) => T) =>
    (alg: string, key: Buffer, iv: Buffer | null): T =>
      alg === 'des'
        ? original('des-ede3-cbc', Buffer.concat([key, key, key]), iv)
        : original(alg, key, iv);
  c.createCipheriv = asTripleDes(crypto.createCipheriv.bind(crypto) as never);
  c.createDecipheriv = asTripleDes(crypto.createDecipheriv.bind(crypto) as never);
}

export interface LocalS3 {
  /** e.g. http://127.0.0.1:41234 */
  endpoint: string;
  /**
   * Config for an S3Client talking to it: endpoint, region, path-style addressing, its
   * credentials, and checksums only when required (s3rver would otherwise store aws-chunked
   * framing for streamed bodies).
   */
  clientConfig: S3ClientConfig;
  close(): Promise<void>;
}

/**
 * Starts s3rver on 127.0.0.1 with an ephemeral port and a throw-away directory. The server
 * speaks the S3 REST protocol, so the real S3Client talks to it unchanged.
 */
export async function startLocalS3(
  options: {
    buckets?: string[];
    /**
     * How long the server keeps an idle keep-alive connection before closing it (Node's
     * `server.keepAliveTimeout`, default 5,000 ms, as real S3 also closes idle connections).
     */
    keepAliveTimeoutMs?: number;
  } = {},
): Promise<LocalS3> {
  allowSingleDes();
  const directory = await mkdtemp(join(tmpdir(), 'local-s3-'));
  const server = new S3rver({
    port: 0,
    address: '127.0.0.1',
    silent: true,
    directory,
    allowMismatchedSignatures: true,
    configureBuckets: (options.buckets ?? []).map((name) => ({ name })),
  });
  const address = (await server.run()) as AddressInfo;
  if (options.keepAliveTimeoutMs !== undefined) {
    (server as unknown as { httpServer: Server }).httpServer.keepAliveTimeout =
      options.keepAliveTimeoutMs;
  }
  const endpoint = `http://127.0.0.1:${address.port}`;
  return {
    endpoint,
    clientConfig: {
      endpoint,
      region: LOCAL_REGION,
      forcePathStyle: true,
      credentials: LOCAL_CREDENTIALS,
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    },
    async close() {
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
