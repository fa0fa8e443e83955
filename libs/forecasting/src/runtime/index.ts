/**
 * `@retail-forecast/forecasting/runtime`: the parts of the engine that start threads. The main
 * entry stays pure (no `node:worker_threads`); apps that forecast a catalogue in parallel, and
 * app bundles that double as the worker script, import from here.
 */
export { forecastMany, IN_PROCESS_THRESHOLD } from './forecastMany';
export type { ForecastManyOptions } from './forecastMany';
export { runForecastWorkerIfChild } from './forecastWorker';
