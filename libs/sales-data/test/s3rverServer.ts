import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';

/** A running s3rver on 127.0.0.1 with an ephemeral port and a throw-away directory. */
export interface LocalS3 {
  endpoint: string;
  /** Config for a real S3Client talking to it (path style, dummy credentials). */
  config: {
    endpoint: string;
    region: string;
    forcePathStyle: true;
    credentials: { accessKeyId: string; secretAccessKey: string };
  };
  /** A client with the checksum settings the loader itself uses (s3rver stores aws-chunked bodies verbatim otherwise). */
  client(): S3Client;
  close(): Promise<void>;
}

export async function startS3rver(buckets: string[]): Promise<LocalS3> {
  const directory = await mkdtemp(path.join(tmpdir(), 'sales-data-s3rver-'));
  const server = new S3rver({
    port: 0,
    address: '127.0.0.1',
    silent: true,
    directory,
    configureBuckets: buckets.map((name) => ({ name })),
  });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  const config = {
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true as const,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  };
  const clients: S3Client[] = [];
  return {
    endpoint,
    config,
    client() {
      const client = new S3Client({
        ...config,
        requestChecksumCalculation: 'WHEN_REQUIRED',
        responseChecksumValidation: 'WHEN_REQUIRED',
      });
      clients.push(client);
      return client;
    },
    async close() {
      for (const client of clients) client.destroy();
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
