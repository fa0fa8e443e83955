export { startBedrockStandin } from './startBedrockStandin';
export { startBatchStandin } from './batchStandin';
export type {
  BatchJobFault,
  BatchRecordFault,
  BatchStandin,
  BatchStandinJob,
  BatchStandinOptions,
} from './batchStandin';
export { ANSWER_SHAPE_MODES, faultFromModelId, FAULT_MODES, MARKED_PRODUCT } from './route';
export { standinForecast } from './forecastMethod';
export { MISSING_ENDPOINT_PREFIX, chronos2RequestProblem } from './sagemaker';
export { DEFAULT_CACHE_TTL_MS, PromptCacheEmulator } from './promptCache';
export type { CacheUse } from './promptCache';
export type { StandinForecast } from './forecastMethod';
export { BedrockStandinError, StandinOptionsError } from './errors';
export type {
  BedrockStandin,
  BedrockStandinOptions,
  BedrockStandinStats,
  FaultMode,
  FaultSelector,
  StandinRequestInfo,
} from './types';
