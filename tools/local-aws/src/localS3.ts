// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- s3rver and dynalite ship no types; the reference makes them visible to every program that imports this file
/// <reference path="./modules.d.ts" />
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import S3rver from 's3rver';

export interface LocalS3 {
  /** e.g. http://127.0.0.1:41234 */
  endpoint: string;
  close(): Promise<void>;
}

/**
 * Starts s3rver on 127.0.0.1 with an ephemeral port and a throw-away directory. The server
 * speaks the S3 REST protocol, so the real S3Client talks to it unchanged.
 */
export async function startLocalS3(options: { buckets?: string[] } = {}): Promise<LocalS3> {
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
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    async close() {
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
