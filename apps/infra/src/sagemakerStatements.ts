import { Aws } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { ENDPOINT_ARN } from './parseInfraConfig';

/**
 * The ARN IAM matches for an endpoint: an ARN as given, a bare name in the stack's account and
 * region. SageMaker lowercases endpoint names in its ARNs (endpoint names are case-insensitive),
 * so the name part is lowercased.
 */
export function sagemakerEndpointArn(endpoint: string): string {
  if (ENDPOINT_ARN.test(endpoint)) {
    const at = endpoint.indexOf(':endpoint/') + ':endpoint/'.length;
    return endpoint.slice(0, at) + endpoint.slice(at).toLowerCase();
  }
  return `arn:${Aws.PARTITION}:sagemaker:${Aws.REGION}:${Aws.ACCOUNT_ID}:endpoint/${endpoint.toLowerCase()}`;
}

/**
 * `sagemaker:InvokeEndpoint` on exactly the configured Chronos-2 endpoints (`chronos2:` models:
 * the job calls SageMaker Runtime itself, not through Bedrock, so no `aws:CalledViaLast`
 * condition); none when no chronos2 model is configured.
 */
export function sagemakerStatements(endpoints: string[]): iam.PolicyStatement[] {
  if (endpoints.length === 0) return [];
  return [
    new iam.PolicyStatement({
      sid: 'InvokeChronos2Endpoints',
      actions: ['sagemaker:InvokeEndpoint'],
      resources: [...new Set(endpoints.map(sagemakerEndpointArn))],
    }),
  ];
}
