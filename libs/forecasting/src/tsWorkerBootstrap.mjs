// Starts a TypeScript forecast worker (the lib's own src/worker.ts, under tsx or vitest).
// Node 20 does not apply `--import tsx` to worker threads, so tsx is registered here, scoped
// to this worker's imports. Bundled apps never come here: they pass a .js `workerUrl`.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

const api = register({ namespace: 'retail-forecast-worker' });
await api.import(workerData.entry, import.meta.url);
