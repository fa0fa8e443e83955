import { describe, expect, it } from 'vitest';
import { Capture, Match, type Template } from 'aws-cdk-lib/assertions';
import { ARCHIVE_PREFIX, GOLD_PREFIX, METRICS_NAMESPACE } from '@retail-forecast/job-contract';
import { asArray, buildStack, flatten, iamStatements, testStacks } from './fixtures';

const stacks = testStacks();

describe('launcher permissions', () => {
  const launcherStatements = (template: Template) =>
    iamStatements(template).filter((s) => s.policy.startsWith('LauncherRole'));

  it('may run instances only from this launch template', () => {
    const run = launcherStatements(stacks.imported.template).filter((s) =>
      asArray(s.Action).includes('ec2:RunInstances'),
    );
    expect(run).toHaveLength(2);
    const wildcard = run.find((s) => s.Sid === 'RunFromLaunchTemplateOnly');
    expect(asArray(wildcard?.Resource).map(flatten)).toEqual([
      'arn:<AWS::Partition>:ec2:<AWS::Region>:<AWS::AccountId>:instance/*',
      'arn:<AWS::Partition>:ec2:<AWS::Region>:<AWS::AccountId>:volume/*',
      'arn:<AWS::Partition>:ec2:<AWS::Region>:<AWS::AccountId>:network-interface/*',
    ]);
    expect(flatten(wildcard?.Condition?.ArnLike['ec2:LaunchTemplate'])).toMatch(
      /^arn:<AWS::Partition>:ec2:<AWS::Region>:<AWS::AccountId>:launch-template\/<JobLaunchTemplate\w+>$/,
    );
    const named = run.find((s) => s.Sid === 'RunWithTheseResources');
    const resources = asArray(named?.Resource).map(flatten);
    expect(resources).toContain(
      'arn:<AWS::Partition>:ec2:<AWS::Region>:<AWS::AccountId>:subnet/subnet-0aaaaaaaaaaaaaaa1',
    );
    expect(resources).toContain(
      'arn:<AWS::Partition>:ec2:<AWS::Region>:<AWS::AccountId>:subnet/subnet-0bbbbbbbbbbbbbbb2',
    );
    expect(resources.some((r) => /:security-group\/<JobSecurityGroup\w+\.GroupId>$/.test(r))).toBe(
      true,
    );
    expect(resources.some((r) => /::image\/<SsmParameterValue\S+>$/.test(r))).toBe(true);
    expect(resources.every((r) => !r.endsWith('*'))).toBe(true);
  });

  it('may tag only at launch, pass only the instance role and describe instances', () => {
    const statements = launcherStatements(stacks.created.template);
    const tags = statements.find((s) => asArray(s.Action).includes('ec2:CreateTags'));
    expect(tags?.Condition).toEqual({ StringEquals: { 'ec2:CreateAction': 'RunInstances' } });
    const pass = statements.find((s) => asArray(s.Action).includes('iam:PassRole'));
    expect(pass?.Resource).toEqual({
      'Fn::GetAtt': [expect.stringMatching(/^JobInstanceRole/), 'Arn'],
    });
    expect(pass?.Condition).toEqual({
      StringEquals: { 'iam:PassedToService': 'ec2.amazonaws.com' },
    });
    const describe = statements.find((s) => asArray(s.Action).includes('ec2:DescribeInstances'));
    expect(describe?.Resource).toBe('*');
  });

  it('writes its logs to its own log group and attaches no managed policy', () => {
    stacks.created.template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: Match.objectLike({
        Statement: [Match.objectLike({ Principal: { Service: 'lambda.amazonaws.com' } })],
      }),
      ManagedPolicyArns: Match.absent(),
    });
    stacks.created.template.hasResourceProperties('AWS::Lambda::Function', {
      LoggingConfig: { LogGroup: { Ref: Match.stringLikeRegexp('^LauncherLogs') } },
    });
  });
});

describe('instance permissions', () => {
  const jobStatements = (template: Template) =>
    iamStatements(template).filter((s) => s.policy.startsWith('JobInstanceRole'));

  it('reads only the Gold prefix (forecast_ready/) of the bucket and only the bundle object', () => {
    const statements = jobStatements(stacks.imported.template);
    const list = statements.find((s) => s.Sid === 'ListForecastInput');
    expect(flatten(list?.Resource)).toBe('arn:<AWS::Partition>:s3:::acme-gold');
    expect(list?.Condition).toEqual({
      StringLike: { 's3:prefix': [GOLD_PREFIX, `${GOLD_PREFIX}*`] },
    });
    const read = statements.find((s) => s.Sid === 'ReadForecastInput');
    expect(GOLD_PREFIX).toBe('forecast_ready/');
    expect(flatten(read?.Resource)).toBe(`arn:<AWS::Partition>:s3:::acme-gold/${GOLD_PREFIX}*`);
    const bundle = statements.find((s) => s.Sid === 'ReadJobBundle');
    expect(bundle?.Action).toBe('s3:GetObject');
    expect(flatten(bundle?.Resource)).toMatch(
      /^arn:<AWS::Partition>:s3:::cdk-\S+-assets-<AWS::AccountId>-<AWS::Region>\/\w+\.zip$/,
    );
    const s3Actions = statements
      .flatMap((s) => asArray(s.Action))
      .filter((a) => a.startsWith('s3:'));
    expect(new Set(s3Actions)).toEqual(
      new Set(['s3:GetObject', 's3:ListBucket', 's3:PutObject', 's3:DeleteObject']),
    );
    // Writes and deletes are confined to the archive prefix.
    const writers = statements.filter((s) =>
      asArray(s.Action).some((a) => a === 's3:PutObject' || a === 's3:DeleteObject'),
    );
    expect(writers.map((s) => s.Sid)).toEqual(['WriteForecastArchive']);
    expect(flatten(writers[0].Resource)).toBe(
      `arn:<AWS::Partition>:s3:::acme-gold/${ARCHIVE_PREFIX}*`,
    );
    const listArchive = statements.find((s) => s.Sid === 'ListForecastArchive');
    expect(listArchive?.Condition).toEqual({
      StringLike: { 's3:prefix': [ARCHIVE_PREFIX, `${ARCHIVE_PREFIX}*`] },
    });
  });

  it('reads and updates the inventory table but cannot scan or delete', () => {
    const statements = jobStatements(stacks.imported.template);
    const ddb = statements.filter((s) => asArray(s.Action).some((a) => a.startsWith('dynamodb:')));
    expect(ddb).toHaveLength(1);
    expect(asArray(ddb[0].Action).sort()).toEqual([
      'dynamodb:BatchGetItem',
      'dynamodb:DescribeTable',
      'dynamodb:GetItem',
      'dynamodb:UpdateItem',
    ]);
    expect(flatten(ddb[0].Resource)).toBe(
      'arn:<AWS::Partition>:dynamodb:<AWS::Region>:<AWS::AccountId>:table/RetailInventoryTable',
    );
  });

  it('invokes only the configured models, cross-region only through their profiles', () => {
    const statements = jobStatements(stacks.imported.template).filter((s) =>
      asArray(s.Action).includes('bedrock:InvokeModel'),
    );
    const direct = statements.find((s) => s.Sid === 'InvokeConfiguredModels');
    expect(asArray(direct?.Resource).map(flatten)).toEqual([
      'arn:<AWS::Partition>:bedrock:<AWS::Region>:<AWS::AccountId>:inference-profile/us.anthropic.claude-3-5-haiku-20241022-v1:0',
      'arn:<AWS::Partition>:bedrock:<AWS::Region>::foundation-model/amazon.nova-lite-v1:0',
      'arn:<AWS::Partition>:bedrock:<AWS::Region>:<AWS::AccountId>:inference-profile/global.anthropic.claude-sonnet-4-20250514-v1:0',
    ]);
    const viaProfile = statements.filter((s) => s.Sid?.startsWith('InvokeViaProfile'));
    expect(viaProfile).toHaveLength(2);
    expect(asArray(viaProfile[0].Resource).map(flatten)).toEqual([
      'arn:<AWS::Partition>:bedrock:*::foundation-model/anthropic.claude-3-5-haiku-20241022-v1:0',
    ]);
    expect(flatten(viaProfile[0].Condition?.StringEquals['bedrock:InferenceProfileArn'])).toBe(
      'arn:<AWS::Partition>:bedrock:<AWS::Region>:<AWS::AccountId>:inference-profile/us.anthropic.claude-3-5-haiku-20241022-v1:0',
    );
    expect(asArray(viaProfile[1].Resource).map(flatten)).toEqual([
      'arn:<AWS::Partition>:bedrock:*::foundation-model/anthropic.claude-sonnet-4-20250514-v1:0',
      'arn:<AWS::Partition>:bedrock:::foundation-model/anthropic.claude-sonnet-4-20250514-v1:0',
    ]);
  });

  it('grants no Bedrock access for the statistical engine', () => {
    const actions = jobStatements(stacks.created.template).flatMap((s) => asArray(s.Action));
    expect(actions.filter((a) => a.startsWith('bedrock:'))).toEqual([]);
  });

  it('grants the chronos endpoint by ARN', () => {
    const arn = 'arn:aws:sagemaker:us-east-1:123456789012:endpoint/chronos-bolt';
    const { template } = buildStack(stacks.dirs, { forecastModel: `chronos:${arn}` });
    const invoke = jobStatements(template).find((s) =>
      asArray(s.Action).includes('bedrock:InvokeModel'),
    );
    expect(invoke?.Resource).toBe(arn);
  });

  it('grants sagemaker:InvokeEndpoint on exactly the chronos2 endpoints, by name or ARN', () => {
    const { template } = buildStack(stacks.dirs, {
      forecastModel: 'chronos2:Chronos-2-Demand',
      chronos2Endpoints: 'arn:aws:sagemaker:eu-west-1:123456789012:endpoint/chronos-2-backup',
    });
    const statements = jobStatements(template);
    const invoke = statements.filter((s) => asArray(s.Action).includes('sagemaker:InvokeEndpoint'));
    expect(invoke).toHaveLength(1);
    expect(invoke[0].Sid).toBe('InvokeChronos2Endpoints');
    expect(invoke[0].Condition).toBeUndefined();
    expect(asArray(invoke[0].Action)).toEqual(['sagemaker:InvokeEndpoint']);
    expect(asArray(invoke[0].Resource).map(flatten)).toEqual([
      'arn:<AWS::Partition>:sagemaker:<AWS::Region>:<AWS::AccountId>:endpoint/chronos-2-demand',
      'arn:aws:sagemaker:eu-west-1:123456789012:endpoint/chronos-2-backup',
    ]);
    // A chronos2 model needs no Bedrock access.
    expect(
      statements.flatMap((s) => asArray(s.Action)).filter((a) => a.startsWith('bedrock:')),
    ).toEqual([]);
  });

  it('grants no sagemaker:InvokeEndpoint without a chronos2 model', () => {
    const actions = jobStatements(stacks.imported.template).flatMap((s) => asArray(s.Action));
    expect(actions).not.toContain('sagemaker:InvokeEndpoint');
  });

  it('writes only to its own log group and uses only the SSM core managed policy', () => {
    const statements = jobStatements(stacks.created.template);
    const logStatements = statements.filter((s) =>
      asArray(s.Action).some((a) => a.startsWith('logs:')),
    );
    expect(logStatements).toHaveLength(1);
    expect(logStatements[0].Resource).toEqual({
      'Fn::GetAtt': [expect.stringMatching(/^JobLogs/), 'Arn'],
    });
    const role = new Capture();
    stacks.created.template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: Match.objectLike({
        Statement: [Match.objectLike({ Principal: { Service: 'ec2.amazonaws.com' } })],
      }),
      ManagedPolicyArns: role,
    });
    expect(role.asArray().map(flatten)).toEqual([
      'arn:<AWS::Partition>:iam::aws:policy/AmazonSSMManagedInstanceCore',
    ]);
  });

  it.each([
    ['created resources', () => stacks.created.template],
    ['imported resources', () => stacks.imported.template],
  ])(
    'never allows Resource "*" except DescribeInstances and PutMetricData in the job namespace (%s)',
    (_name, get) => {
      const template = get();
      const star = iamStatements(template).filter((s) => asArray(s.Resource).includes('*'));
      expect(star.map((s) => s.Action).sort()).toEqual([
        'cloudwatch:PutMetricData',
        'ec2:DescribeInstances',
      ]);
      const put = star.find((s) => s.Action === 'cloudwatch:PutMetricData');
      expect(put?.Condition).toEqual({
        StringEquals: { 'cloudwatch:namespace': METRICS_NAMESPACE },
      });
      expect(put?.policy).toMatch(/^JobInstanceRole/);
      const actions = iamStatements(template).flatMap((s) => asArray(s.Action));
      expect(actions.filter((a) => a.includes('*'))).toEqual([]);
    },
  );
});
