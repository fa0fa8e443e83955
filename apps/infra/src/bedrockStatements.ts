import { Aws } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { ENDPOINT_ARN, PROFILE_PREFIX } from './parseInfraConfig';

/**
 * IAM statements allowing `bedrock:InvokeModel` (which also covers Converse) on exactly the
 * configured models:
 * - a foundation-model id → that model's ARN in the stack's region;
 * - an inference-profile id → the profile's ARN in this account and region, plus the
 *   foundation model in whichever region the profile routes to, but only when the call goes
 *   through that profile (condition `bedrock:InferenceProfileArn`), so the model cannot be
 *   called directly in another region;
 * - a SageMaker endpoint ARN (Bedrock Marketplace models such as Chronos) → that ARN, plus
 *   `sagemaker:InvokeEndpoint` on it only when Bedrock makes the call on the role's behalf
 *   (condition `aws:CalledViaLast` = `bedrock.amazonaws.com`, as in the AWS-managed
 *   AmazonBedrockMarketplaceAccess policy): Bedrock forwards InvokeModel to the endpoint with
 *   the caller's credentials, so without it the call is denied.
 */
export function bedrockStatements(modelIds: string[]): iam.PolicyStatement[] {
  const direct: string[] = [];
  const endpoints: string[] = [];
  const viaProfile: iam.PolicyStatement[] = [];
  for (const id of modelIds) {
    if (ENDPOINT_ARN.test(id)) {
      direct.push(id);
      endpoints.push(id);
      continue;
    }
    const prefix = PROFILE_PREFIX.exec(id);
    if (!prefix) {
      direct.push(`arn:${Aws.PARTITION}:bedrock:${Aws.REGION}::foundation-model/${id}`);
      continue;
    }
    const profileArn = `arn:${Aws.PARTITION}:bedrock:${Aws.REGION}:${Aws.ACCOUNT_ID}:inference-profile/${id}`;
    direct.push(profileArn);
    const base = id.slice(prefix[0].length);
    const models = [`arn:${Aws.PARTITION}:bedrock:*::foundation-model/${base}`];
    // Global profiles authorise the model with an empty region segment.
    if (prefix[1] === 'global')
      models.push(`arn:${Aws.PARTITION}:bedrock:::foundation-model/${base}`);
    viaProfile.push(
      new iam.PolicyStatement({
        sid: `InvokeViaProfile${viaProfile.length}`,
        actions: ['bedrock:InvokeModel'],
        resources: models,
        conditions: { StringEquals: { 'bedrock:InferenceProfileArn': profileArn } },
      }),
    );
  }
  const throughBedrock =
    endpoints.length === 0
      ? []
      : [
          new iam.PolicyStatement({
            sid: 'InvokeMarketplaceEndpointsThroughBedrock',
            actions: ['sagemaker:InvokeEndpoint'],
            resources: endpoints,
            conditions: { StringEquals: { 'aws:CalledViaLast': 'bedrock.amazonaws.com' } },
          }),
        ];
  if (direct.length === 0) return viaProfile;
  return [
    new iam.PolicyStatement({
      sid: 'InvokeConfiguredModels',
      actions: ['bedrock:InvokeModel'],
      resources: direct,
    }),
    ...throughBedrock,
    ...viaProfile,
  ];
}
