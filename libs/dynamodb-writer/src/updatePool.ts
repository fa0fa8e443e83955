import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { DynamoDBClient, UpdateItemCommandInput } from '@aws-sdk/client-dynamodb';
import { CARRIED_CLASS } from './classifyError';
import { DynamoDbWriterError } from './errors';
import { WRITER_WORKER_MARK } from './updateProtocol';
import type { ToMain, ToWorker, WireCredentials, WorkerSetup } from './updateProtocol';

/** Sends one UpdateItem; resolves when written, rejects with the call's error. */
export type SendUpdate = (input: UpdateItemCommandInput) => Promise<void>;

export interface UpdatePool {
  send: SendUpdate;
  close(): Promise<void>;
}

/**
 * A TypeScript entry (the lib's own `worker.ts`, under tsx or vitest) needs a loader in the
 * thread: on Node 20 ESM loader hooks are not applied to a worker's modules, so such a thread
 * starts from a CommonJS stub with tsx's require hook (as `forecastMany` does). Bundled apps pass
 * their own `.mjs` as `workerUrl` and never come here.
 */
const TS_ENTRY = /\.[cm]?ts$/;
const TS_BOOTSTRAP =
  "require(require('node:url').fileURLToPath(require('node:worker_threads').workerData.entry));";

function spawn(url: URL, setup: WorkerSetup): Worker {
  if (!TS_ENTRY.test(url.pathname)) return new Worker(url, { workerData: setup });
  const tsxRequireHook = createRequire(import.meta.url).resolve('tsx/cjs');
  return new Worker(TS_BOOTSTRAP, {
    eval: true,
    workerData: setup,
    execArgv: ['--require', tsxRequireHook],
  });
}

async function credentialsOf(client: DynamoDBClient): Promise<WireCredentials> {
  const c = await client.config.credentials();
  return {
    accessKeyId: c.accessKeyId,
    secretAccessKey: c.secretAccessKey,
    ...(c.sessionToken ? { sessionToken: c.sessionToken } : {}),
    ...(c.expiration ? { expiration: c.expiration.getTime() } : {}),
  };
}

/** The client's custom endpoint as a URL, or undefined when it uses the SDK's own settings. */
async function customEndpointOf(client: DynamoDBClient): Promise<string | undefined> {
  const config = client.config as typeof client.config & { isCustomEndpoint?: boolean };
  if (!config.isCustomEndpoint || !config.endpoint) return undefined;
  const e = await config.endpoint();
  return `${e.protocol}//${e.hostname}${e.port ? `:${e.port}` : ''}${e.path ?? ''}`;
}

/**
 * Starts `workers` threads that send UpdateItem calls with their own clients, made like the
 * given client (its region, custom endpoint and credentials, refreshed through it when they near
 * expiry). `send` hands a call to the least busy thread. A failed call rejects with an Error of
 * the same name and message, carrying the class the worker's `classifyError` gave it, so the
 * caller treats it exactly as a failure on the main thread. A thread that crashes fails its
 * calls in flight and every later one with a DynamoDbWriterError.
 */
export async function startUpdatePool(
  client: DynamoDBClient,
  workers: number,
  concurrency: number,
  workerUrl?: URL,
): Promise<UpdatePool> {
  const url = workerUrl ?? new URL('./worker.ts', import.meta.url);
  const region = await client.config.region();
  const setupBase = {
    [WRITER_WORKER_MARK]: true as const,
    entry: url.href,
    region,
    endpoint: await customEndpointOf(client),
    credentials: await credentialsOf(client),
    sockets: Math.max(1, Math.ceil(concurrency / workers)),
  };
  let seq = 0;
  const pending = new Map<
    number,
    { resolve: () => void; reject: (err: Error) => void; worker: number }
  >();
  const load: number[] = new Array(workers).fill(0);
  const broken: (Error | undefined)[] = new Array(workers).fill(undefined);

  const threads = Array.from({ length: workers }, (_, index) => {
    const worker = spawn(url, setupBase);
    const name = `writer worker ${index + 1} of ${workers} (${url.href})`;
    const breakWith = (err: Error) => {
      broken[index] ??= err;
      for (const [s, p] of pending) {
        if (p.worker !== index) continue;
        pending.delete(s);
        load[index]--;
        p.reject(broken[index] as Error);
      }
    };
    worker.on('message', (m: ToMain) => {
      if (m.type === 'credentials') {
        void credentialsOf(client).then((credentials) =>
          worker.postMessage({ type: 'credentials', id: m.id, credentials } satisfies ToWorker),
        );
        return;
      }
      const p = pending.get(m.seq);
      if (!p) return;
      pending.delete(m.seq);
      load[index]--;
      if (m.type === 'done') p.resolve();
      else {
        const err = new Error(m.message);
        err.name = m.name;
        Object.defineProperty(err, CARRIED_CLASS, { value: m.errorClass });
        p.reject(err);
      }
    });
    worker.on('error', (err) =>
      breakWith(new DynamoDbWriterError(`${name} crashed: ${err.message}`, { cause: err })),
    );
    worker.on('exit', (code) =>
      breakWith(new DynamoDbWriterError(`${name} exited with code ${code}`)),
    );
    return worker;
  });

  return {
    send(input) {
      let best = -1;
      for (let i = 0; i < workers; i++) {
        if (broken[i] === undefined && (best < 0 || load[i] < load[best])) best = i;
      }
      if (best < 0) return Promise.reject(broken[0] as Error);
      const s = seq++;
      load[best]++;
      return new Promise<void>((resolve, reject) => {
        pending.set(s, { resolve, reject, worker: best });
        threads[best].postMessage({ type: 'update', seq: s, input } satisfies ToWorker);
      });
    },
    async close() {
      threads.forEach(
        (_, i) => (broken[i] ??= new DynamoDbWriterError('the writer pool was closed')),
      );
      await Promise.all(threads.map((w) => w.terminate()));
    },
  };
}
