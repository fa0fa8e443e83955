import { describe, expect, it } from 'vitest';
import { Capture, Match } from 'aws-cdk-lib/assertions';
import { ARCHIVE_PREFIX, GOLD_PREFIX, LAUNCH_TAGS } from '@retail-forecast/job-contract';
import {
  asArray,
  buildStack,
  flatten,
  IMPORTING_CONTEXT,
  iamStatements,
  testStacks,
} from './fixtures';

const stacks = testStacks();

const GOLD_KEY = 'arn:aws:kms:eu-west-1:123456789012:key/0a1b2c3d-1111-2222-3333-444455556666';
const BOOTSTRAP_KEY = 'arn:aws:kms:eu-west-1:123456789012:key/mrk-0123456789abcdef0123456789abcdef';
const EBS_KEY = 'arn:aws:kms:eu-west-1:123456789012:key/9f8e7d6c-1111-2222-3333-444455556666';
const ENDPOINT = 'arn:aws:sagemaker:eu-west-1:123456789012:endpoint/chronos-bolt-base';

const regional = (service: string) => ({
  'Fn::Join': ['', [`${service}.`, { Ref: 'AWS::Region' }, '.amazonaws.com']],
});

describe('Chronos on a Bedrock Marketplace endpoint', () => {
  it('may invoke the endpoint through Bedrock only (aws:CalledViaLast)', () => {
    const { template } = buildStack(stacks.dirs, { forecastModel: `chronos:${ENDPOINT}` });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyName: Match.stringLikeRegexp('^JobInstanceRole'),
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
            Sid: 'InvokeConfiguredModels',
            Effect: 'Allow',
            Action: 'bedrock:InvokeModel',
            Resource: ENDPOINT,
          },
          {
            Sid: 'InvokeMarketplaceEndpointsThroughBedrock',
            Effect: 'Allow',
            Action: 'sagemaker:InvokeEndpoint',
            Resource: ENDPOINT,
            Condition: { StringEquals: { 'aws:CalledViaLast': 'bedrock.amazonaws.com' } },
          },
        ]),
      },
    });
  });

  it('grants no SageMaker action without an endpoint', () => {
    for (const { template } of [stacks.created, stacks.imported]) {
      const actions = iamStatements(template).flatMap((s) => asArray(s.Action));
      expect(actions.filter((a) => a.startsWith('sagemaker:'))).toEqual([]);
    }
  });
});

describe('customer-managed KMS keys', () => {
  const keyed = () =>
    buildStack(stacks.dirs, {
      ...IMPORTING_CONTEXT,
      goldBucketKmsKeyArn: GOLD_KEY,
      bootstrapBucketKmsKeyArn: BOOTSTRAP_KEY,
      ebsKmsKeyArn: EBS_KEY,
    }).template;

  /** The encryption-context ARNs of the through-S3 statement `sid` on `key` (`action`s only). */
  function decryptThroughS3(
    sid: string,
    key: string,
    action: string | string[] = 'kms:Decrypt',
  ): string[] {
    const context = new Capture();
    keyed().hasResourceProperties('AWS::IAM::Policy', {
      PolicyName: Match.stringLikeRegexp('^JobInstanceRole'),
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
            Sid: sid,
            Effect: 'Allow',
            Action: action,
            Resource: key,
            Condition: {
              StringEquals: { 'kms:ViaService': regional('s3') },
              StringLike: { 'kms:EncryptionContext:aws:s3:arn': context },
            },
          },
        ]),
      },
    });
    return context.asArray().map(flatten);
  }

  it('lets the instance decrypt the Gold input only through S3, only for forecast_ready/', () => {
    expect(decryptThroughS3('DecryptForecastInput', GOLD_KEY)).toEqual([
      'arn:<AWS::Partition>:s3:::acme-gold',
      `arn:<AWS::Partition>:s3:::acme-gold/${GOLD_PREFIX}*`,
    ]);
  });

  it('lets the instance write and read the forecast archive under the Gold key, only through S3, only for forecast_archive/', () => {
    expect(
      decryptThroughS3('EncryptForecastArchive', GOLD_KEY, ['kms:Decrypt', 'kms:GenerateDataKey']),
    ).toEqual([
      'arn:<AWS::Partition>:s3:::acme-gold',
      `arn:<AWS::Partition>:s3:::acme-gold/${ARCHIVE_PREFIX}*`,
    ]);
  });

  it('lets the instance decrypt the job bundle in the bootstrap bucket only through S3', () => {
    const [bucket, object] = decryptThroughS3('DecryptJobBundle', BOOTSTRAP_KEY);
    expect(bucket).toMatch(
      /^arn:<AWS::Partition>:s3:::cdk-\w+-assets-<AWS::AccountId>-<AWS::Region>$/,
    );
    expect(object).toMatch(new RegExp(`^${bucket.replace(/[<>:]/g, '.')}/\\w+\\.zip$`));
  });

  it('names the EBS key in the launch template and lets the launcher use it through EC2', () => {
    const template = keyed();
    template.hasResourceProperties('AWS::EC2::LaunchTemplate', {
      LaunchTemplateData: Match.objectLike({
        BlockDeviceMappings: [
          Match.objectLike({ Ebs: Match.objectLike({ Encrypted: true, KmsKeyId: EBS_KEY }) }),
        ],
      }),
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyName: Match.stringLikeRegexp('^LauncherRole'),
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
            Sid: 'EncryptRootVolumeThroughEc2',
            Effect: 'Allow',
            Action: ['kms:GenerateDataKeyWithoutPlaintext', 'kms:Decrypt', 'kms:DescribeKey'],
            Resource: EBS_KEY,
            Condition: { StringEquals: { 'kms:ViaService': regional('ec2') } },
          },
          {
            Sid: 'GrantRootVolumeKeyToEbs',
            Effect: 'Allow',
            Action: 'kms:CreateGrant',
            Resource: EBS_KEY,
            Condition: { Bool: { 'kms:GrantIsForAWSResource': true } },
          },
        ]),
      },
    });
  });

  it('grants no KMS action on any key without the context keys', () => {
    for (const { template } of [stacks.created, stacks.imported]) {
      const kms = iamStatements(template).filter((s) =>
        asArray(s.Action).some((a) => a.startsWith('kms:')),
      );
      expect(kms).toEqual([]);
      template.hasResourceProperties('AWS::EC2::LaunchTemplate', {
        LaunchTemplateData: Match.objectLike({
          BlockDeviceMappings: [
            Match.objectLike({ Ebs: Match.objectLike({ KmsKeyId: Match.absent() }) }),
          ],
        }),
      });
    }
  });

  it('gives every KMS statement a condition', () => {
    const kms = iamStatements(keyed()).filter((s) =>
      asArray(s.Action).some((a) => a.startsWith('kms:')),
    );
    expect(kms.map((s) => s.Sid).sort()).toEqual([
      'DecryptForecastInput',
      'DecryptJobBundle',
      'EncryptForecastArchive',
      'EncryptRootVolumeThroughEc2',
      'GrantRootVolumeKeyToEbs',
    ]);
    for (const s of kms) expect(s.Condition).toBeDefined();
  });
});

describe('fallback run metric', () => {
  it('lets the instance put metrics only in the job namespace', () => {
    stacks.created.template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyName: Match.stringLikeRegexp('^JobInstanceRole'),
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
            Sid: 'ReportRunWithoutAgent',
            Effect: 'Allow',
            Action: 'cloudwatch:PutMetricData',
            Resource: '*',
            Condition: { StringEquals: { 'cloudwatch:namespace': 'RetailDemandForecast' } },
          },
        ]),
      },
    });
  });
});

describe('stale runs', () => {
  it('lets the launcher terminate only instances tagged with this job', () => {
    const { template } = buildStack(stacks.dirs, { jobName: 'nightly-eu' });
    const resource = new Capture();
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyName: Match.stringLikeRegexp('^LauncherRole'),
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
            Sid: 'TerminateStaleRunsOfThisJob',
            Effect: 'Allow',
            Action: 'ec2:TerminateInstances',
            Resource: resource,
            Condition: { StringEquals: { [`aws:ResourceTag/${LAUNCH_TAGS.job}`]: 'nightly-eu' } },
          },
        ]),
      },
    });
    expect(flatten(resource.asObject())).toBe(
      'arn:<AWS::Partition>:ec2:<AWS::Region>:<AWS::AccountId>:instance/*',
    );
  });

  it('tells the launcher the maximum run time and the metrics Service', () => {
    const env = new Capture();
    buildStack(
      stacks.dirs,
      { maxRunMinutes: 45 },
      { metricsService: 'nightly-eu' },
    ).template.hasResourceProperties('AWS::Lambda::Function', { Environment: { Variables: env } });
    expect(env.asObject()).toMatchObject({ MAX_RUN_MINUTES: '45', METRICS_SERVICE: 'nightly-eu' });
  });
});
