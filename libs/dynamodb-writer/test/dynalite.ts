import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import type { AddressInfo } from 'node:net';

/** A DynamoDB-compatible server on 127.0.0.1 with an ephemeral port, in memory. */
export interface LocalDynamo {
  endpoint: string;
  /** Client config pointing at the server (region us-east-1, dummy credentials). */
  clientConfig: DynamoDBClientConfig;
  /** A fresh client; destroyed by close(). */
  newClient(extra?: DynamoDBClientConfig): DynamoDBClient;
  close(): Promise<void>;
}

export async function startDynalite(): Promise<LocalDynamo> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  const clientConfig: DynamoDBClientConfig = {
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  };
  const clients: DynamoDBClient[] = [];
  return {
    endpoint,
    clientConfig,
    newClient(extra = {}) {
      const client = new DynamoDBClient({ ...clientConfig, ...extra });
      clients.push(client);
      return client;
    },
    async close() {
      for (const c of clients) c.destroy();
      // Keep-alive sockets would otherwise hold close() open until they time out.
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) =>
        server.close((err) => (err ? reject(err) : resolve())),
      );
    },
  };
}
