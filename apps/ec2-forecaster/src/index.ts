export { runForecastJob } from './job';
export type { JobDeps, RunSummary, StockRiskRow } from './job';
export { resolveRunConfig, parseModelSpec } from './config';
export type { RunConfig, RunFlags, ModelSpec, GuardrailMode } from './config';
export { runCli } from './cli';
export type { CliIo } from './cli';
export { ForecastJobError, ConfigError, InputError } from './errors';
export { emfRecord } from './metrics';
export { formatSummary } from './summary';
