export { createBedrockRuntimeClient } from './createBedrockRuntimeClient';
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
export { BATCH_PRICE_FACTOR, DEFAULT_PRICES, findModelPrice, costOf, priceOn } from './pricing';
export type { PricedTransport } from './pricing';
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
  StructuredOutput,
} from './types';
