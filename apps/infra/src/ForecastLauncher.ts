import { Aws, Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { LAUNCH_TAGS } from '@retail-forecast/job-contract';
import { acknowledgeWildcards } from './acknowledgeWildcards';
import type { InfraConfig } from './types';

export interface ForecastLauncherProps {
  config: InfraConfig;
  launchTemplate: ec2.LaunchTemplate;
  instanceRole: iam.IRole;
  securityGroup: ec2.ISecurityGroup;
  subnetIds: string[];
  imageId: string;
  /** Directory of the built launcher (`index.mjs`). */
  codePath: string;
  /** `Service` dimension of the launcher's metrics: the job's, so the alarms watch both. */
  metricsService: string;
}

/** The schedule and the Lambda that starts one instance from the launch template per run. */
export class ForecastLauncher extends Construct {
  readonly function: lambda.Function;
  readonly rule: events.Rule;
  readonly deadLetterQueue: sqs.Queue;

  constructor(scope: Construct, id: string, props: ForecastLauncherProps) {
    super(scope, id);
    const { config, launchTemplate } = props;
    const ec2Arn = (resource: string) =>
      `arn:${Aws.PARTITION}:ec2:${Aws.REGION}:${Aws.ACCOUNT_ID}:${resource}`;
    const launchTemplateArn = ec2Arn(`launch-template/${launchTemplate.launchTemplateId}`);

    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is itself the dead-letter queue of the schedule and the launcher; its messages raise an alarm.',
    });

    const logGroup = new logs.LogGroup(this, 'Logs', {
      retention: config.logRetentionDays as logs.RetentionDays,
      removalPolicy: RemovalPolicy.DESTROY,
    });

    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Launches the daily forecast instance',
    });
    logGroup.grantWrite(role);
    const newResources = [ec2Arn('instance/*'), ec2Arn('volume/*'), ec2Arn('network-interface/*')];
    role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'RunFromLaunchTemplateOnly',
        actions: ['ec2:RunInstances'],
        resources: newResources,
        conditions: { ArnLike: { 'ec2:LaunchTemplate': launchTemplateArn } },
      }),
    );
    role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'RunWithTheseResources',
        actions: ['ec2:RunInstances'],
        resources: [
          launchTemplateArn,
          ec2Arn(`security-group/${props.securityGroup.securityGroupId}`),
          ...props.subnetIds.map((s) => ec2Arn(`subnet/${s}`)),
          `arn:${Aws.PARTITION}:ec2:${Aws.REGION}::image/${props.imageId}`,
        ],
      }),
    );
    role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'TagAtLaunchOnly',
        actions: ['ec2:CreateTags'],
        resources: [ec2Arn('instance/*'), ec2Arn('volume/*')],
        conditions: { StringEquals: { 'ec2:CreateAction': 'RunInstances' } },
      }),
    );
    role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'FindActiveRun',
        actions: ['ec2:DescribeInstances'],
        resources: ['*'],
      }),
    );
    // An instance of this job still active past the maximum run time blocks every later day:
    // the launcher terminates it, and only instances carrying this job's tag.
    role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'TerminateStaleRunsOfThisJob',
        actions: ['ec2:TerminateInstances'],
        resources: [ec2Arn('instance/*')],
        conditions: { StringEquals: { [`aws:ResourceTag/${LAUNCH_TAGS.job}`]: config.jobName } },
      }),
    );
    if (config.ebsKmsKeyArn) {
      // RunInstances with a root volume under a customer key: EC2 asks KMS for a data key and
      // a grant with the caller's rights (Amazon EBS "Permissions for users").
      role.addToPolicy(
        new iam.PolicyStatement({
          sid: 'EncryptRootVolumeThroughEc2',
          actions: ['kms:GenerateDataKeyWithoutPlaintext', 'kms:Decrypt', 'kms:DescribeKey'],
          resources: [config.ebsKmsKeyArn],
          conditions: { StringEquals: { 'kms:ViaService': `ec2.${Aws.REGION}.amazonaws.com` } },
        }),
      );
      role.addToPolicy(
        new iam.PolicyStatement({
          sid: 'GrantRootVolumeKeyToEbs',
          actions: ['kms:CreateGrant'],
          resources: [config.ebsKmsKeyArn],
          conditions: { Bool: { 'kms:GrantIsForAWSResource': true } },
        }),
      );
    }
    acknowledgeWildcards(
      role,
      newResources,
      'RunInstances creates these resources, so their ids are unknown beforehand; the ec2:LaunchTemplate condition (ec2:CreateAction for tags, the forecast:job resource tag for TerminateInstances) limits them to this job.',
    );
    acknowledgeWildcards(
      role,
      ['*'],
      'ec2:DescribeInstances supports no resource-level permissions; it is read-only and used to find an active run.',
    );
    role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'PassInstanceRole',
        actions: ['iam:PassRole'],
        resources: [props.instanceRole.roleArn],
        conditions: { StringEquals: { 'iam:PassedToService': 'ec2.amazonaws.com' } },
      }),
    );

    this.function = new lambda.Function(this, 'Function', {
      description: 'Starts the daily demand-forecast EC2 instance',
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      handler: 'index.handler',
      code: lambda.Code.fromAsset(props.codePath),
      memorySize: 256,
      timeout: Duration.minutes(1),
      role,
      logGroup,
      environment: {
        LAUNCH_TEMPLATE_ID: launchTemplate.launchTemplateId ?? '',
        // Pinned so a launch always uses the template this deployment created.
        LAUNCH_TEMPLATE_VERSION: launchTemplate.latestVersionNumber,
        INSTANCE_TYPES: config.instanceTypes.join(','),
        SUBNET_IDS: props.subnetIds.join(','),
        JOB_NAME: config.jobName,
        // An active instance older than this (plus a grace) is stale and gets terminated.
        MAX_RUN_MINUTES: String(config.maxRunMinutes),
        METRICS_SERVICE: props.metricsService,
        POWERTOOLS_SERVICE_NAME: 'forecast-launcher',
      },
      // Lambda's own async retries cover function errors (e.g. no capacity anywhere);
      // what still fails lands in the same queue as undeliverable events.
      retryAttempts: 2,
      maxEventAge: Duration.hours(1),
      deadLetterQueue: this.deadLetterQueue,
    });

    this.rule = new events.Rule(this, 'Schedule', {
      description: 'Daily demand forecast',
      schedule: events.Schedule.expression(config.schedule),
      // A sharded stack runs on schedule through AWS Batch; the launcher stays for one-off runs.
      enabled: config.shards <= 1,
      targets: [
        new targets.LambdaFunction(this.function, {
          deadLetterQueue: this.deadLetterQueue,
          maxEventAge: Duration.hours(2),
          retryAttempts: 4,
        }),
      ],
    });
  }
}
