// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- s3rver and dynalite ship no types; the reference makes them visible to every program that imports this file
/// <reference path="./modules.d.ts" />
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from './localConfig';

export interface LocalDynamo {
  /** e.g. http://127.0.0.1:41235 */
  endpoint: string;
  /** Config for a DynamoDBClient talking to it: endpoint, region, dummy credentials. */
  clientConfig: DynamoDBClientConfig;
  close(): Promise<void>;
}

/** Starts dynalite (in-memory DynamoDB) on 127.0.0.1 with an ephemeral port. */
export async function startLocalDynamo(): Promise<LocalDynamo> {
  const server: Server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    clientConfig: { endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections?.();
      }),
  };
}
