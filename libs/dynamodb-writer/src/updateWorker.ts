import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { classifyError, errorText } from './classifyError';
import { createWriterClient } from './createWriterClient';
import { WRITER_WORKER_MARK } from './updateProtocol';
import type { ToMain, ToWorker, WorkerSetup, WireCredentials } from './updateProtocol';

/** Ask the main thread for fresh credentials this long before the current ones expire. */
const REFRESH_BEFORE_MS = 5 * 60_000;

/**
 * To be called first thing in a script that may run as a writer worker (the lib's own worker
 * entry, or an app bundle passed as `workerUrl`). In such a worker it starts sending the
 * UpdateItem calls it is handed, through its own client (`createWriterClient`, SigV4 with the
 * main thread's credentials, refreshed through it), and returns true; elsewhere it returns false.
 */
export function runWriterWorkerIfChild(): boolean {
  const setup = workerData as Partial<WorkerSetup> | null;
  if (isMainThread || !parentPort || setup?.[WRITER_WORKER_MARK] !== true) return false;
  const port = parentPort;
  const { region, endpoint, sockets } = setup as WorkerSetup;
  let credentials = setup.credentials as WireCredentials;
  let refreshing: Promise<WireCredentials> | undefined;
  const waiting = new Map<number, (c: WireCredentials) => void>();
  let nextRequest = 0;

  const toIdentity = (c: WireCredentials) => ({
    accessKeyId: c.accessKeyId,
    secretAccessKey: c.secretAccessKey,
    ...(c.sessionToken ? { sessionToken: c.sessionToken } : {}),
    ...(c.expiration !== undefined ? { expiration: new Date(c.expiration) } : {}),
  });
  const client = createWriterClient(
    {
      region,
      ...(endpoint ? { endpoint } : {}),
      credentials: async () => {
        const expiring =
          credentials.expiration !== undefined &&
          credentials.expiration - Date.now() < REFRESH_BEFORE_MS;
        if (expiring) {
          refreshing ??= new Promise<WireCredentials>((resolve) => {
            const id = nextRequest++;
            waiting.set(id, resolve);
            port.postMessage({ type: 'credentials', id } satisfies ToMain);
          }).finally(() => (refreshing = undefined));
          credentials = await refreshing;
        }
        return toIdentity(credentials);
      },
    },
    { concurrency: sockets },
  );

  port.on('message', (message: ToWorker) => {
    if (message.type === 'credentials') {
      waiting.get(message.id)?.(message.credentials);
      waiting.delete(message.id);
      return;
    }
    const { seq, input } = message;
    client.send(new UpdateItemCommand(input)).then(
      () => port.postMessage({ type: 'done', seq } satisfies ToMain),
      (err: unknown) =>
        port.postMessage({
          type: 'failed',
          seq,
          errorClass: classifyError(err),
          name: err instanceof Error ? err.name : 'Error',
          message: err instanceof Error ? err.message : errorText(err),
        } satisfies ToMain),
    );
  });
  return true;
}
