import { fork } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

export interface FastDynamoProcess {
  /** e.g. http://127.0.0.1:41235 */
  endpoint: string;
  /** The child's process id. */
  pid: number;
  /** Stops the child and waits for it to exit. */
  close(): Promise<void>;
}

/**
 * Runs fast-dynamo in a child Node process, so a benchmark's `process.cpuUsage()` counts the
 * client's CPU only. The child runs the TypeScript entry through tsx's loader.
 */
export async function spawnFastDynamo(): Promise<FastDynamoProcess> {
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  const entry = fileURLToPath(new URL('./main.ts', import.meta.url));
  const child = fork(entry, [], {
    execArgv: ['--import', tsx],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const endpoint = await new Promise<string>((resolve, reject) => {
    child.once('message', (m: { endpoint?: string }) =>
      m.endpoint ? resolve(m.endpoint) : reject(new Error(`fast-dynamo sent ${JSON.stringify(m)}`)),
    );
    child.once('error', reject);
    child.once('exit', (code) =>
      reject(new Error(`fast-dynamo exited with code ${code} before listening`)),
    );
  });
  return {
    endpoint,
    pid: child.pid as number,
    close: async () => {
      if (child.connected) child.disconnect();
      await exited;
    },
  };
}
