// Entry point of the forecast job: `npm run forecast -- run …` locally, `node main.mjs run` on EC2.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

import { runForecastWorkerIfChild } from '@retail-forecast/forecasting/runtime';
import { isParquetDecodeWorker } from '@retail-forecast/sales-data';
import { runCli } from './cli';

// In the single-file bundle this same file is also the forecasting worker and the Parquet decode
// worker, whose pool calls the exported task.
export { decodeParquetTask } from '@retail-forecast/sales-data';
if (!runForecastWorkerIfChild() && !isParquetDecodeWorker()) {
  const code = await runCli(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    workerUrl: import.meta.url.endsWith('.mjs') ? new URL(import.meta.url) : undefined,
  });
  process.exitCode = code;
}
