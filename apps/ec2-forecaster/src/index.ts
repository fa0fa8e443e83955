export { runForecastJob } from './job';
export type { JobDeps } from './job';
export { resolveRunConfig } from './config';
export { parseModelSpec, forecastStep } from './forecastStep';
export type { ForecastStepOptions, StepForecast, StepResult } from './forecastStep';
export type {
  CliIo,
  GuardrailMode,
  ModelSpec,
  RemoteModelSpec,
  RunConfig,
  RunFlags,
  RunSummary,
  StockRiskRow,
} from './types';
export { runCli } from './cli';
export { ForecastJobError, ConfigError } from './errors';
export { emfRecord } from './metrics';
export { formatSummary } from './summary';
