import { describe, expect, it } from 'vitest';
import { App } from 'aws-cdk-lib';
import { exitKindOf } from '@retail-forecast/util';
import { InfraConfigError, parseInfraConfig, readInfraContext } from '../src/index';

function issuesOf(context: Record<string, unknown>): string[] {
  try {
    parseInfraConfig(context);
  } catch (err) {
    expect(err).toBeInstanceOf(InfraConfigError);
    expect(exitKindOf(err)).toBe('config');
    return (err as InfraConfigError).issues;
  }
  throw new Error('expected parseInfraConfig to throw');
}

describe('parseInfraConfig', () => {
  it('applies the documented defaults to an empty context', () => {
    expect(parseInfraConfig({})).toEqual({
      stackName: 'RetailDemandForecast',
      existingGoldBucketName: undefined,
      existingInventoryTableName: undefined,
      forecastModel: 'statistical',
      modelIds: [],
      sagemakerEndpoints: [],
      forecastGuardrail: undefined,
      forecastModelMode: 'sync',
      batchThreshold: undefined,
      schedule: 'cron(0 1 * * ? *)',
      instanceTypes: ['t4g.small', 't4g.medium', 'm7g.medium'],
      architecture: 'arm64',
      maxRunMinutes: 60,
      alarmEmail: undefined,
      vpcId: undefined,
      subnetIds: undefined,
      logRetentionDays: 30,
      jobName: 'demand-forecast',
      accuracyAlarmFactor: 1.5,
      shards: 1,
    });
  });

  it('takes forecastHolidays as a country[-region] code and rejects anything else', () => {
    expect(parseInfraConfig({ forecastHolidays: 'us-ca' }).forecastHolidays).toBe('US-CA');
    expect(issuesOf({ forecastHolidays: 'United States' }).join('\n')).toMatch(
      /forecastHolidays "United States" is not valid \(expected a country or country-region code/,
    );
  });

  it('accepts -c strings and cdk.json values alike', () => {
    const fromCli = parseInfraConfig({
      instanceTypes: 'c7g.large, c7gd.large',
      maxRunMinutes: '90',
    });
    const fromJson = parseInfraConfig({
      instanceTypes: ['c7g.large', 'c7gd.large'],
      maxRunMinutes: 90,
    });
    expect(fromCli).toEqual(fromJson);
    expect(fromCli.instanceTypes).toEqual(['c7g.large', 'c7gd.large']);
    expect(fromCli.maxRunMinutes).toBe(90);
  });

  it('adds the selected Bedrock model to the IAM model list once', () => {
    const config = parseInfraConfig({
      forecastModel: 'bedrock:eu.amazon.nova-lite-v1:0',
      modelIds: 'anthropic.claude-3-haiku-20240307-v1:0,eu.amazon.nova-lite-v1:0',
    });
    expect(config.modelIds).toEqual([
      'anthropic.claude-3-haiku-20240307-v1:0',
      'eu.amazon.nova-lite-v1:0',
    ]);
    expect(parseInfraConfig({ forecastModel: 'bedrock:amazon.nova-micro-v1:0' }).modelIds).toEqual([
      'amazon.nova-micro-v1:0',
    ]);
  });

  it('detects the x86_64 architecture', () => {
    expect(parseInfraConfig({ instanceTypes: 't3.small,m7i-flex.large' }).architecture).toBe(
      'x86_64',
    );
  });

  it('names a bad schedule, its value and what is allowed', () => {
    expect(issuesOf({ schedule: 'every day at 1am' })).toEqual([
      'schedule "every day at 1am" is not valid (expected an EventBridge expression such as "cron(0 1 * * ? *)" or "rate(1 day)")',
    ]);
    expect(issuesOf({ schedule: 'cron(0 1 * * *)' })[0]).toMatch(
      /^schedule "cron\(0 1 \* \* \*\)" is not valid/,
    );
  });

  it('reads accuracyAlarmFactor from -c or cdk.json and rejects a factor of 1 or less', () => {
    expect(parseInfraConfig({ accuracyAlarmFactor: '2' }).accuracyAlarmFactor).toBe(2);
    expect(parseInfraConfig({ accuracyAlarmFactor: 1.25 }).accuracyAlarmFactor).toBe(1.25);
    expect(issuesOf({ accuracyAlarmFactor: '1' })).toEqual([
      'accuracyAlarmFactor 1 is not allowed (expected a factor above 1 and at most 100)',
    ]);
    expect(issuesOf({ accuracyAlarmFactor: 'high' })[0]).toMatch(
      /^accuracyAlarmFactor "high" is not a number/,
    );
  });

  it('names a bad number with its range', () => {
    expect(issuesOf({ maxRunMinutes: '2' })).toEqual([
      'maxRunMinutes 2 is below 5 (expected 5-720)',
    ]);
    expect(issuesOf({ maxRunMinutes: 'an hour' })).toEqual([
      'maxRunMinutes "an hour" is not a whole number (expected 5-720)',
    ]);
    expect(issuesOf({ logRetentionDays: 10 })[0]).toMatch(
      /^logRetentionDays 10 is not a CloudWatch Logs retention \(expected one of 1, 3, 5, 7, 14, 30/,
    );
  });

  it('rejects a malformed model, model id, e-mail and guardrail together', () => {
    const issues = issuesOf({
      forecastModel: 'claude',
      modelIds: 'Anthropic Claude',
      alarmEmail: 'ops-at-example',
      forecastGuardrail: 'strict',
    });
    expect(issues).toHaveLength(4);
    expect(issues).toContainEqual(
      expect.stringMatching(
        /^forecastModel "claude" is not valid \(expected "statistical", "bedrock:/,
      ),
    );
    expect(issues).toContainEqual(
      expect.stringMatching(/^modelIds entry "Anthropic Claude" is not valid/),
    );
    expect(issues).toContain('alarmEmail "ops-at-example" is not an e-mail address');
    expect(issues).toContain(
      'forecastGuardrail "strict" is not valid (expected enforce, warn or off)',
    );
  });

  it('rejects instance types of two architectures', () => {
    expect(issuesOf({ instanceTypes: 't4g.small,t3.small' })).toEqual([
      'instanceTypes ["t4g.small","t3.small"] mix arm64 and x86_64 (expected one architecture: they share one AMI)',
    ]);
  });

  it('requires vpcId and subnetIds together', () => {
    expect(issuesOf({ subnetIds: 'subnet-0123456789abcdef0' })).toEqual([
      'vpcId null and subnetIds ["subnet-0123456789abcdef0"] must be given together (expected both or neither)',
    ]);
    expect(issuesOf({ vpcId: 'vpc-0123456789abcdef0', subnetIds: 'subnet-1' })[0]).toMatch(
      /^subnetIds entry "subnet-1" is not valid/,
    );
  });

  it('requires subnetEgress with imported subnets, and only with them', () => {
    const imported = { vpcId: 'vpc-0123456789abcdef0', subnetIds: 'subnet-0123456789abcdef0' };
    expect(issuesOf(imported)).toEqual([
      expect.stringMatching(
        /^subnetIds \["subnet-0123456789abcdef0"\] are imported, so synth cannot see their routes/,
      ),
    ]);
    expect(parseInfraConfig({ ...imported, subnetEgress: 'nat' }).subnetEgress).toBe('nat');
    expect(issuesOf({ ...imported, subnetEgress: 'direct' })).toEqual([
      'subnetEgress "direct" is not valid (expected internet-gateway, nat, vpc-endpoints)',
    ]);
    expect(issuesOf({ subnetEgress: 'nat' })).toEqual([
      'subnetEgress "nat" is set without subnetIds (expected only with imported subnets: the created VPC has public subnets)',
    ]);
  });

  it('takes KMS key ARNs, not aliases, and a Gold key only for an imported bucket', () => {
    const key = 'arn:aws:kms:eu-west-1:123456789012:key/0a1b2c3d-1111-2222-3333-444455556666';
    const config = parseInfraConfig({
      existingGoldBucketName: 'acme-gold',
      goldBucketKmsKeyArn: key,
      bootstrapBucketKmsKeyArn: key,
      ebsKmsKeyArn: key,
    });
    expect(config).toMatchObject({
      goldBucketKmsKeyArn: key,
      bootstrapBucketKmsKeyArn: key,
      ebsKmsKeyArn: key,
    });
    expect(issuesOf({ ebsKmsKeyArn: 'alias/aws/ebs' })).toEqual([
      'ebsKmsKeyArn "alias/aws/ebs" is not valid (expected a KMS key ARN)',
    ]);
    expect(issuesOf({ goldBucketKmsKeyArn: key })).toEqual([
      'goldBucketKmsKeyArn is set without existingGoldBucketName (expected only for an imported bucket: the created one uses SSE-S3)',
    ]);
  });

  it('treats empty context values as unset', () => {
    expect(
      parseInfraConfig({ alarmEmail: '', existingGoldBucketName: '' }).alarmEmail,
    ).toBeUndefined();
  });

  it('reads the known keys from app context', () => {
    const app = new App({
      context: { schedule: 'rate(1 day)', maxRunMinutes: '30', unrelated: 'x' },
    });
    const raw = readInfraContext(app.node);
    expect(raw.schedule).toBe('rate(1 day)');
    expect(raw).not.toHaveProperty('unrelated');
    expect(parseInfraConfig(raw).maxRunMinutes).toBe(30);
  });
});
