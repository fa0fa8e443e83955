export { startBedrockStandin, faultFromModelId, FAULT_MODES } from './startBedrockStandin';
export { standinForecast } from './forecastMethod';
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
