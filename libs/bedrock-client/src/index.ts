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
export { assertHorizonSupported } from './validateOptions';
export { DEFAULT_REQUEST_TIMEOUT, requestTimeoutMs } from './requestTimeout';
export type { RequestTimeoutPolicy } from './requestTimeout';
export { estimateBedrockCost } from './estimateBedrockCost';
export { DEFAULT_PRICES, findModelPrice, costOf } from './pricing';
export {
  BedrockClientError,
  BedrockOptionsError,
  BedrockRequestError,
  InvalidModelError,
  ModelAccessDeniedError,
  UnsupportedHorizonError,
} from './errors';
export type { BedrockFailureKind } from './errors';
export type {
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
