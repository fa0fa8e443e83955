// The single list of test projects. Vitest 4 no longer reads this file by itself:
// the root vitest.config.ts passes it as `test.projects`.
export default [
  'libs/util',
  'libs/job-contract',
  'libs/sales-data',
  'libs/forecasting',
  'libs/prompt',
  'libs/bedrock-client',
  'libs/response-parser',
  'libs/dynamodb-writer',
  'libs/inventory-planning',
  'apps/ec2-forecaster',
  'apps/launcher-lambda',
  'apps/infra',
  'tools/local-aws',
  'tools/bedrock-standin',
  'tools/fault-proxy',
];
