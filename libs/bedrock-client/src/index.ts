export { createBedrockRuntimeClient } from './createBedrockRuntimeClient';
export { createSageMakerRuntimeClient } from './createSageMakerRuntimeClient';
export type { CreateSageMakerRuntimeClientConfig } from './createSageMakerRuntimeClient';
export { parseSageMakerEndpoint } from './sagemakerEndpoint';
export type { SageMakerEndpoint } from './sagemakerEndpoint';
export { invokeChronos2 } from './invokeEndpoint';
export type { InvokeChronos2Request, InvokeChronos2Result } from './invokeEndpoint';
export {
  CHRONOS2_COVARIATES,
  CHRONOS2_LIMITS,
  DEFAULT_CHRONOS2_CONTEXT_LENGTH,
  DEFAULT_CHRONOS2_SERIES_PER_REQUEST,
  chronos2Groups,
  chronos2Input,
  chronos2Payload,
  chronos2PayloadProblem,
} from './chronos2Request';
export type { Chronos2Input, Chronos2Payload } from './chronos2Request';
export { mapSageMakerError } from './mapSageMakerError';
export { converse, invokeChronos } from './invoke';
export type {
  CallContext,
  ConverseRequest,
  ConverseResult,
  InvokeChronosRequest,
  InvokeChronosResult,
} from './invoke';
export { mapBedrockError } from './mapBedrockError';
export { forecastWithBedrock, DEFAULT_CONCURRENCY } from './forecastWithBedrock';
export { maxTokensFor } from './converseAdapter';
export { HELD_BACK_CODE } from './crossTalk';
export { answerWithFor, TOOL_CHOICE_MODELS } from './structuredOutput';
export {
  PROMPT_CACHE_MODELS,
  promptCacheSupportFor,
  refusesPromptCaching,
  usesPromptCache,
} from './promptCaching';
export type { PromptCacheSupport } from './promptCaching';
export {
  DEFAULT_CHRONOS_BATCH_SIZE,
  DEFAULT_CHRONOS_CONTEXT_LENGTH,
  DEFAULT_CHRONOS_MIN_HISTORY,
  DEFAULT_CHRONOS_MAX_HORIZON,
} from './chronosAdapter';
export { assertBatchSupported, assertHorizonSupported } from './validateOptions';
export {
  batchJobName,
  batchRequestToken,
  DEFAULT_BATCH_MIN_RECORDS,
  DEFAULT_BATCH_MAX_RECORDS,
  DEFAULT_BATCH_POLL_INTERVAL_MS,
} from './batchJob';
export { DEFAULT_REQUEST_TIMEOUT, requestTimeoutMs } from './requestTimeout';
export type { RequestTimeoutPolicy } from './requestTimeout';
export { estimateBedrockCost } from './estimateBedrockCost';
export {
  BATCH_PRICE_FACTOR,
  DEFAULT_PRICES,
  SAGEMAKER_COST_NOTE,
  findModelPrice,
  costOf,
  priceOn,
} from './pricing';
export type { CacheTokens, CostOptions, PricedTransport } from './pricing';
export {
  BedrockClientError,
  BedrockOptionsError,
  BedrockRequestError,
  InvalidModelError,
  ModelAccessDeniedError,
  BedrockCredentialsError,
  BatchJobConfigError,
  UnsupportedHorizonError,
} from './errors';
export type { BedrockFailureKind } from './errors';
export type {
  BatchInferenceOptions,
  BatchJobStats,
  BedrockCostEstimate,
  BedrockInput,
  BedrockKind,
  BedrockProductResult,
  BedrockRunResult,
  BedrockRunStats,
  CreateBedrockRuntimeClientConfig,
  EstimateBedrockCostOptions,
  ForecastWithBedrockOptions,
  ModelPrice,
  PriceTable,
  PromptCacheSetting,
  StructuredOutput,
} from './types';
