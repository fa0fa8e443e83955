export {
  ForecastStack,
  DEFAULT_JOB_BUNDLE_PATH,
  DEFAULT_LAUNCHER_CODE_PATH,
} from './ForecastStack';
export { ForecastNetwork } from './ForecastNetwork';
export type { ForecastNetworkProps } from './ForecastNetwork';
export { ForecastJob } from './ForecastJob';
export type { ForecastJobProps } from './ForecastJob';
export { ForecastLauncher } from './ForecastLauncher';
export type { ForecastLauncherProps } from './ForecastLauncher';
export { ForecastAlarms } from './ForecastAlarms';
export { BedrockBatchRole } from './BedrockBatchRole';
export type { BedrockBatchRoleProps } from './BedrockBatchRole';
export type { ForecastAlarmsProps } from './ForecastAlarms';
export {
  parseInfraConfig,
  readInfraContext,
  CONTEXT_KEYS,
  SUBNET_EGRESS,
} from './parseInfraConfig';
export { bedrockStatements } from './bedrockStatements';
export { renderUserData } from './renderUserData';
export { jobEnvironment } from './jobEnvironment';
export type { JobEnvironmentOptions } from './jobEnvironment';
export type { UserDataOptions } from './renderUserData';
export { InfraError, InfraConfigError } from './errors';
export type { ForecastStackProps, Guardrail, InfraConfig, SubnetEgress } from './types';
