export { startFaultProxy } from './startFaultProxy';
export type {
  FaultProxy,
  FaultProxyOptions,
  FaultRule,
  Fault,
  DynamoDbErrorName,
  ProxyCounts,
} from './types';
