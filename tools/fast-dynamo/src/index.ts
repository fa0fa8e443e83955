export { startFastDynamo } from './startFastDynamo';
export type { FastDynamo, FastDynamoOptions } from './startFastDynamo';
export { spawnFastDynamo } from './spawnFastDynamo';
export type { FastDynamoProcess } from './spawnFastDynamo';
