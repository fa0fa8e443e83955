import { describe, expect, it } from 'vitest';
import { Capture, Match } from 'aws-cdk-lib/assertions';
import { buildStack, flatten, testStacks } from './fixtures';

const stacks = testStacks();

describe('schedule and launcher', () => {
  it('runs on the default daily cron and targets the launcher with retries and a DLQ', () => {
    const { template } = stacks.created;
    const target = new Capture();
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'cron(0 1 * * ? *)',
      State: 'ENABLED',
      Targets: [target],
    });
    const t = target.asObject();
    expect(t.Arn).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^LauncherFunction/), 'Arn'] });
    expect(t.RetryPolicy).toEqual({ MaximumEventAgeInSeconds: 7200, MaximumRetryAttempts: 4 });
    expect(t.DeadLetterConfig.Arn).toEqual({
      'Fn::GetAtt': [expect.stringMatching(/^LauncherDeadLetterQueue/), 'Arn'],
    });
  });

  it('takes the schedule from context', () => {
    const { template } = buildStack(stacks.dirs, { schedule: 'cron(30 4 ? * MON-FRI *)' });
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'cron(30 4 ? * MON-FRI *)',
    });
  });

  it('runs the launcher on Node.js 24 with its settings in the environment', () => {
    const { template } = stacks.created;
    const env = new Capture();
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Handler: 'index.handler',
      Architectures: ['arm64'],
      Environment: { Variables: env },
      DeadLetterConfig: { TargetArn: Match.anyValue() },
    });
    const vars = env.asObject();
    expect(vars.LAUNCH_TEMPLATE_ID).toEqual({ Ref: expect.stringMatching(/^JobLaunchTemplate/) });
    expect(vars.LAUNCH_TEMPLATE_VERSION).toEqual({
      'Fn::GetAtt': [expect.stringMatching(/^JobLaunchTemplate/), 'LatestVersionNumber'],
    });
    expect(vars.INSTANCE_TYPES).toBe('t4g.small,t4g.medium,m7g.medium');
    expect(vars.JOB_NAME).toBe('demand-forecast');
    expect(flatten(vars.SUBNET_IDS)).toMatch(
      /^<NetworkVpcpublicSubnet1Subnet\w+>,<NetworkVpcpublicSubnet2Subnet\w+>$/,
    );
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      MaximumRetryAttempts: 2,
      MaximumEventAgeInSeconds: 3600,
    });
  });

  it('passes existing subnets to the launcher', () => {
    const env = new Capture();
    stacks.imported.template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: env },
    });
    expect(env.asObject().SUBNET_IDS).toBe('subnet-0aaaaaaaaaaaaaaa1,subnet-0bbbbbbbbbbbbbbb2');
    stacks.imported.template.resourceCountIs('AWS::EC2::VPC', 0);
  });
});
