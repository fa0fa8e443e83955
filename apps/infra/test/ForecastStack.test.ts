import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Capture, Match, type Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { AwsSolutionsChecks } from 'cdk-nag';
import { InfraConfigError, type ForecastStack } from '../src/index';
import { asArray, buildStack, flatten, iamStatements, makeBuildDirs } from './fixtures';

const dirs = makeBuildDirs();
afterAll(() => dirs.cleanup());

const importing = {
  existingGoldBucketName: 'acme-gold',
  existingInventoryTableName: 'RetailInventoryTable',
  vpcId: 'vpc-0123456789abcdef0',
  subnetIds: 'subnet-0aaaaaaaaaaaaaaa1,subnet-0bbbbbbbbbbbbbbb2',
  forecastModel: 'bedrock:us.anthropic.claude-3-5-haiku-20241022-v1:0',
  modelIds: ['amazon.nova-lite-v1:0', 'global.anthropic.claude-sonnet-4-20250514-v1:0'],
  alarmEmail: 'ops@example.com',
  maxRunMinutes: '45',
  forecastGuardrail: 'warn',
};

let created: { stack: ForecastStack; template: Template };
let imported: { stack: ForecastStack; template: Template };

beforeAll(() => {
  created = buildStack(dirs);
  imported = buildStack(dirs, importing);
});

function userDataOf(template: Template): string {
  const userData = new Capture();
  template.hasResourceProperties('AWS::EC2::LaunchTemplate', {
    LaunchTemplateData: Match.objectLike({ UserData: { 'Fn::Base64': userData } }),
  });
  return flatten(userData.asObject());
}

describe('schedule and launcher', () => {
  it('runs on the default daily cron and targets the launcher with retries and a DLQ', () => {
    const { template } = created;
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
    const { template } = buildStack(dirs, { schedule: 'cron(30 4 ? * MON-FRI *)' });
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'cron(30 4 ? * MON-FRI *)',
    });
  });

  it('runs the launcher on Node.js 24 with its settings in the environment', () => {
    const { template } = created;
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
    imported.template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: env },
    });
    expect(env.asObject().SUBNET_IDS).toBe('subnet-0aaaaaaaaaaaaaaa1,subnet-0bbbbbbbbbbbbbbb2');
    imported.template.resourceCountIs('AWS::EC2::VPC', 0);
  });
});

describe('launcher permissions', () => {
  const launcherStatements = (template: Template) =>
    iamStatements(template).filter((s) => s.policy.startsWith('LauncherRole'));

  it('may run instances only from this launch template', () => {
    const run = launcherStatements(imported.template).filter((s) =>
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
    const statements = launcherStatements(created.template);
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
    created.template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: Match.objectLike({
        Statement: [Match.objectLike({ Principal: { Service: 'lambda.amazonaws.com' } })],
      }),
      ManagedPolicyArns: Match.absent(),
    });
    created.template.hasResourceProperties('AWS::Lambda::Function', {
      LoggingConfig: { LogGroup: { Ref: Match.stringLikeRegexp('^LauncherLogs') } },
    });
  });
});

describe('launch template', () => {
  it('requires IMDSv2, terminates on shutdown, encrypts gp3 and has no key pair', () => {
    const data = new Capture();
    created.template.hasResourceProperties('AWS::EC2::LaunchTemplate', {
      LaunchTemplateData: data,
    });
    const d = data.asObject();
    expect(d.MetadataOptions).toMatchObject({ HttpTokens: 'required', HttpPutResponseHopLimit: 1 });
    expect(d.InstanceInitiatedShutdownBehavior).toBe('terminate');
    expect(d.KeyName).toBeUndefined();
    expect(d.BlockDeviceMappings).toEqual([
      {
        DeviceName: '/dev/xvda',
        Ebs: { Encrypted: true, VolumeType: 'gp3', VolumeSize: 10, DeleteOnTermination: true },
      },
    ]);
    expect(d.InstanceType).toBe('t4g.small');
    expect(d.SecurityGroupIds).toHaveLength(1);
    expect(d.IamInstanceProfile).toBeDefined();
  });

  it('boots the arm64 Amazon Linux 2023 image from the public SSM parameter at deploy time', () => {
    const params = created.template.toJSON().Parameters as Record<
      string,
      { Type: string; Default: string }
    >;
    const ami = Object.values(params).find((p) => p.Type.includes('AWS::EC2::Image::Id'));
    expect(ami?.Default).toBe('/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-6.1-arm64');
  });

  it('picks the x86_64 image for x86 instance types', () => {
    const { template } = buildStack(dirs, { instanceTypes: 'm7i.large,m6a.large' });
    const params = template.toJSON().Parameters as Record<
      string,
      { Type: string; Default: string }
    >;
    expect(Object.values(params).map((p) => p.Default)).toContain(
      '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-6.1-x86_64',
    );
  });

  it('allows no inbound traffic and only HTTPS out', () => {
    for (const { template } of [created, imported]) {
      template.resourceCountIs('AWS::EC2::SecurityGroupIngress', 0);
      const groups = template.findResources('AWS::EC2::SecurityGroup');
      for (const group of Object.values(groups)) {
        expect(group.Properties.SecurityGroupIngress).toBeUndefined();
        expect(group.Properties.SecurityGroupEgress).toEqual([
          expect.objectContaining({
            CidrIp: '0.0.0.0/0',
            IpProtocol: 'tcp',
            FromPort: 443,
            ToPort: 443,
          }),
        ]);
      }
    }
    imported.template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      VpcId: 'vpc-0123456789abcdef0',
    });
  });
});

describe('user data', () => {
  it('schedules the watchdog first, then the trap that always powers off', () => {
    const script = userDataOf(imported.template);
    const lines = script.split('\n');
    expect(lines[0]).toBe('#!/bin/bash');
    expect(lines[1]).toBe('set -euo pipefail');
    expect(lines[2]).toMatch(/^shutdown -h \+45 /);
    const trapAt = lines.indexOf("trap 'on_exit' EXIT");
    expect(trapAt).toBeGreaterThan(2);
    expect(lines.findIndex((l) => l.startsWith('dnf install'))).toBeGreaterThan(trapAt);
    expect(script).toMatch(/on_exit\(\) \{[\s\S]*shutdown -h now\n\}/);
  });

  it('installs Node and the agent, fetches the bundle and runs the job with its settings', () => {
    const script = userDataOf(imported.template);
    expect(script).toContain('dnf install -y nodejs20 amazon-cloudwatch-agent unzip');
    expect(script).toMatch(
      /aws s3 cp --region '<AWS::Region>' 's3:\/\/cdk-\S+-assets-<AWS::AccountId>-<AWS::Region>\/\w+\.zip'/,
    );
    expect(script).toContain("export GOLD_BUCKET='acme-gold'");
    expect(script).toContain("export FORECAST_TABLE='RetailInventoryTable'");
    expect(script).toContain("export FORECAST_SOURCE='s3://acme-gold/forecast_ready/'");
    expect(script).toContain(
      "export FORECAST_MODEL='bedrock:us.anthropic.claude-3-5-haiku-20241022-v1:0'",
    );
    expect(script).toContain("export FORECAST_GUARDRAIL='warn'");
    expect(script).toContain("export FORECAST_LOG_FORMAT='json'");
    expect(script).toContain('export FORECAST_METRICS_FILE=/var/log/forecast/metrics.emf');
    expect(script).toContain('"$NODE_BIN" /opt/forecast/main.mjs run');
    expect(script).toContain('echo "forecast job exit code: $JOB_EXIT"');
  });

  it('ships the job log and the EMF file to the stack log group', () => {
    const script = userDataOf(created.template);
    const json = /<<'AGENT_JSON'\n([\s\S]*?)\nAGENT_JSON/.exec(script)?.[1];
    const config = JSON.parse(json ?? 'null');
    const files = config.logs.logs_collected.files.collect_list;
    expect(files.map((f: { file_path: string }) => f.file_path)).toEqual([
      '/var/log/forecast/job.log',
      '/var/log/forecast/metrics.emf',
    ]);
    for (const f of files) expect(f.log_group_name).toMatch(/^<JobLogs\w+>$/);
  });

  it('is valid bash', () => {
    const script = userDataOf(imported.template);
    expect(() => execFileSync('bash', ['-n'], { input: script })).not.toThrow();
  });
});

describe('instance permissions', () => {
  const jobStatements = (template: Template) =>
    iamStatements(template).filter((s) => s.policy.startsWith('JobInstanceRole'));

  it('reads only forecast_ready/ of the Gold bucket and only the bundle object', () => {
    const statements = jobStatements(imported.template);
    const list = statements.find((s) => s.Sid === 'ListForecastInput');
    expect(flatten(list?.Resource)).toBe('arn:<AWS::Partition>:s3:::acme-gold');
    expect(list?.Condition).toEqual({
      StringLike: { 's3:prefix': ['forecast_ready/', 'forecast_ready/*'] },
    });
    const read = statements.find((s) => s.Sid === 'ReadForecastInput');
    expect(flatten(read?.Resource)).toBe('arn:<AWS::Partition>:s3:::acme-gold/forecast_ready/*');
    const bundle = statements.find((s) => s.Sid === 'ReadJobBundle');
    expect(bundle?.Action).toBe('s3:GetObject');
    expect(flatten(bundle?.Resource)).toMatch(
      /^arn:<AWS::Partition>:s3:::cdk-\S+-assets-<AWS::AccountId>-<AWS::Region>\/\w+\.zip$/,
    );
    const s3Actions = statements
      .flatMap((s) => asArray(s.Action))
      .filter((a) => a.startsWith('s3:'));
    expect(new Set(s3Actions)).toEqual(new Set(['s3:GetObject', 's3:ListBucket']));
  });

  it('reads and updates the inventory table but cannot scan or delete', () => {
    const statements = jobStatements(imported.template);
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
    const statements = jobStatements(imported.template).filter((s) =>
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
    const actions = jobStatements(created.template).flatMap((s) => asArray(s.Action));
    expect(actions.filter((a) => a.startsWith('bedrock:'))).toEqual([]);
  });

  it('grants the chronos endpoint by ARN', () => {
    const arn = 'arn:aws:sagemaker:us-east-1:123456789012:endpoint/chronos-bolt';
    const { template } = buildStack(dirs, { forecastModel: `chronos:${arn}` });
    const invoke = jobStatements(template).find((s) =>
      asArray(s.Action).includes('bedrock:InvokeModel'),
    );
    expect(invoke?.Resource).toBe(arn);
  });

  it('writes only to its own log group and uses only the SSM core managed policy', () => {
    const statements = jobStatements(created.template);
    const logStatements = statements.filter((s) =>
      asArray(s.Action).some((a) => a.startsWith('logs:')),
    );
    expect(logStatements).toHaveLength(1);
    expect(logStatements[0].Resource).toEqual({
      'Fn::GetAtt': [expect.stringMatching(/^JobLogs/), 'Arn'],
    });
    const role = new Capture();
    created.template.hasResourceProperties('AWS::IAM::Role', {
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
    ['created resources', () => created.template],
    ['imported resources', () => imported.template],
  ])('never allows Resource "*" except DescribeInstances (%s)', (_name, get) => {
    const template = get();
    const star = iamStatements(template).filter((s) => asArray(s.Resource).includes('*'));
    expect(star.map((s) => s.Action)).toEqual(['ec2:DescribeInstances']);
    const actions = iamStatements(template).flatMap((s) => asArray(s.Action));
    expect(actions.filter((a) => a.includes('*'))).toEqual([]);
  });
});

describe('data stores', () => {
  it('creates an SSL-only, encrypted, versioned, private Gold bucket when none is given', () => {
    const { template } = created;
    template.resourceCountIs('AWS::S3::Bucket', 1);
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          { ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } },
        ],
      },
      VersioningConfiguration: { Status: 'Enabled' },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
  });

  it('creates an on-demand inventory table keyed by product_id with point-in-time recovery', () => {
    created.template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [{ AttributeName: 'product_id', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'product_id', AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
    });
    created.template.hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Retain' });
  });

  it('imports an existing bucket and table by name instead of creating them', () => {
    imported.template.resourceCountIs('AWS::S3::Bucket', 0);
    imported.template.resourceCountIs('AWS::DynamoDB::Table', 0);
  });
});

describe('network', () => {
  it('creates public subnets only, no NAT, and gateway endpoints for S3 and DynamoDB', () => {
    const { template } = created;
    template.resourceCountIs('AWS::EC2::NatGateway', 0);
    template.resourceCountIs('AWS::EC2::Subnet', 2);
    template.allResourcesProperties('AWS::EC2::Subnet', { MapPublicIpOnLaunch: true });
    const endpoints = Object.values(template.findResources('AWS::EC2::VPCEndpoint'));
    expect(endpoints.map((e) => e.Properties.VpcEndpointType)).toEqual(['Gateway', 'Gateway']);
    expect(endpoints.map((e) => flatten(e.Properties.ServiceName)).sort()).toEqual([
      'com.amazonaws.<AWS::Region>.dynamodb',
      'com.amazonaws.<AWS::Region>.s3',
    ]);
  });
});

describe('alarms', () => {
  it('alarms when a day passes without a successful run', () => {
    created.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'RetailDemandForecast',
      MetricName: 'RunSuccess',
      Dimensions: [{ Name: 'Service', Value: 'demand-forecast' }],
      Statistic: 'Sum',
      Period: 86400,
      ComparisonOperator: 'LessThanThreshold',
      Threshold: 1,
      TreatMissingData: 'breaching',
      AlarmActions: [{ Ref: Match.stringLikeRegexp('^AlarmsTopic') }],
    });
  });

  it('alarms on a failed run, failed products, launcher errors and dead letters', () => {
    const alarms = Object.values(created.template.findResources('AWS::CloudWatch::Alarm')).map(
      (a) => a.Properties,
    );
    expect(alarms).toHaveLength(5);
    const byMetric = Object.fromEntries(alarms.map((a) => [`${a.MetricName}/${a.Statistic}`, a]));
    expect(byMetric['RunSuccess/Minimum']).toMatchObject({
      ComparisonOperator: 'LessThanThreshold',
      Threshold: 1,
    });
    expect(byMetric['ProductsFailed/Sum']).toMatchObject({
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: 0,
    });
    expect(byMetric['Errors/Sum']).toMatchObject({ Namespace: 'AWS/Lambda', Threshold: 0 });
    expect(byMetric['ApproximateNumberOfMessagesVisible/Maximum']).toMatchObject({
      Namespace: 'AWS/SQS',
      Threshold: 0,
    });
    for (const a of alarms) expect(a.AlarmActions).toHaveLength(1);
  });

  it('encrypts the topic with a rotating key CloudWatch may use, and the DLQ', () => {
    const { template } = created;
    template.hasResourceProperties('AWS::SNS::Topic', {
      KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^AlarmsTopicKey'), 'Arn'] },
    });
    template.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({ Principal: { Service: 'cloudwatch.amazonaws.com' } }),
        ]),
      },
    });
    template.hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true });
    const denyInsecure = Match.objectLike({
      Effect: 'Deny',
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([denyInsecure]) },
    });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: { Statement: Match.arrayWith([denyInsecure]) },
    });
  });

  it('subscribes the alarm e-mail only when configured', () => {
    created.template.resourceCountIs('AWS::SNS::Subscription', 0);
    imported.template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@example.com',
    });
  });
});

describe('cdk-nag AwsSolutions', () => {
  it.each([
    ['created resources', () => created.stack],
    ['imported resources', () => imported.stack],
  ])('reports no unacknowledged finding (%s)', (_name, get) => {
    const report = new AwsSolutionsChecks().validateScope(get());
    expect(report.violations.map((v) => `${v.ruleName}: ${v.description}`)).toEqual([]);
  });

  it('still catches a finding that nobody acknowledged', () => {
    const { stack } = buildStack(dirs, { modelIds: 'eu.amazon.nova-lite-v1:0' });
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

describe('stack props', () => {
  it('refuses a bundle directory without main.mjs, naming the build target', () => {
    expect(() => buildStack({ ...dirs, jobBundlePath: dirs.launcherCodePath })).toThrow(
      InfraConfigError,
    );
    expect(() => buildStack({ ...dirs, jobBundlePath: dirs.launcherCodePath })).toThrow(
      /job bundle ".*main\.mjs" does not exist \(expected the output of `nx run ec2-forecaster:build`\)/,
    );
  });
});
