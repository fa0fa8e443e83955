export { startBedrockStandin } from './startBedrockStandin';
export { ANSWER_SHAPE_MODES, faultFromModelId, FAULT_MODES, MARKED_PRODUCT } from './route';
export { standinForecast } from './forecastMethod';
export { MISSING_ENDPOINT_PREFIX, chronos2RequestProblem } from './sagemaker';
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
