// The local S3/DynamoDB test doubles, for every project's tests: `@retail-forecast/local-aws/testing`.
export { startLocalS3 } from './localS3';
export type { LocalS3 } from './localS3';
export { startLocalDynamo } from './localDynamo';
export type { LocalDynamo } from './localDynamo';
export { startLocalAws } from './localAws';
export type { LocalAws } from './localAws';
export { LOCAL_CREDENTIALS, LOCAL_REGION } from './localConfig';
