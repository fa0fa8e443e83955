import type { UpdateItemCommandInput } from '@aws-sdk/client-dynamodb';
import type { ErrorClass } from './classifyError';

/** Marks a worker started by the writer, so an app bundle can tell it is one. */
export const WRITER_WORKER_MARK = 'retailForecastWriterWorker';

/** Credentials as they cross the thread boundary (expiration in epoch ms). */
export interface WireCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: number;
}

/** A writer worker's `workerData`. */
export interface WorkerSetup {
  [WRITER_WORKER_MARK]: true;
  /** The script the TypeScript bootstrap loads (see `spawnWorker`). */
  entry: string;
  region: string;
  /** A custom endpoint (local emulator); undefined: the SDK's own settings. */
  endpoint?: string;
  credentials: WireCredentials;
  /** Keep-alive sockets of this worker's client. */
  sockets: number;
}

export type ToWorker =
  | { type: 'update'; seq: number; input: UpdateItemCommandInput }
  | { type: 'credentials'; id: number; credentials: WireCredentials };

/** A failed call travels as the class the worker gave it and its name and message. */
export type ToMain =
  | { type: 'done'; seq: number }
  | { type: 'failed'; seq: number; errorClass: ErrorClass; name: string; message: string }
  | { type: 'credentials'; id: number };
