import { describe, expect, it } from 'vitest';
import * as iam from 'aws-cdk-lib/aws-iam';
import { AwsSolutionsChecks } from 'cdk-nag';
import { buildStack, IMPORTING_CONTEXT, testStacks } from './fixtures';

const stacks = testStacks();

describe('cdk-nag AwsSolutions', () => {
  it.each([
    ['created resources', () => stacks.created.stack],
    ['imported resources', () => stacks.imported.stack],
  ])('reports no unacknowledged finding (%s)', (_name, get) => {
    const report = new AwsSolutionsChecks().validateScope(get());
    expect(report.violations.map((v) => `${v.ruleName}: ${v.description}`)).toEqual([]);
  });

  it('reports no unacknowledged finding with Chronos, customer keys and VPC endpoints', () => {
    const key = 'arn:aws:kms:eu-west-1:123456789012:key/0a1b2c3d-1111-2222-3333-444455556666';
    const { stack } = buildStack(stacks.dirs, {
      ...IMPORTING_CONTEXT,
      subnetEgress: 'vpc-endpoints',
      forecastModel: 'chronos:arn:aws:sagemaker:eu-west-1:123456789012:endpoint/chronos-bolt',
      goldBucketKmsKeyArn: key,
      bootstrapBucketKmsKeyArn: key,
      ebsKmsKeyArn: key,
    });
    const report = new AwsSolutionsChecks().validateScope(stack);
    expect(report.violations.map((v) => `${v.ruleName}: ${v.description}`)).toEqual([]);
  });

  it('reports no unacknowledged finding with a chronos2 endpoint behind VPC endpoints', () => {
    const { stack, template } = buildStack(stacks.dirs, {
      ...IMPORTING_CONTEXT,
      subnetEgress: 'vpc-endpoints',
      forecastModel: 'chronos2:chronos-2-demand',
    });
    const report = new AwsSolutionsChecks().validateScope(stack);
    expect(report.violations.map((v) => `${v.ruleName}: ${v.description}`)).toEqual([]);
    // The job reaches SageMaker Runtime through its interface endpoint.
    template.hasResourceProperties('AWS::EC2::VPCEndpoint', {
      ServiceName: {
        'Fn::Join': ['', ['com.amazonaws.', { Ref: 'AWS::Region' }, '.sagemaker.runtime']],
      },
    });
  });

  it('still catches a finding that nobody acknowledged', () => {
    const { stack } = buildStack(stacks.dirs, { modelIds: 'eu.amazon.nova-lite-v1:0' });
    const role = stack.job.role;
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::other/*'] }),
    );
    const report = new AwsSolutionsChecks().validateScope(stack);
    expect(report.violations.map((v) => v.ruleName)).toEqual([
      'AwsSolutions-IAM5[Resource::arn:aws:s3:::other/*]',
    ]);
  });
});
