import { Aws, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3assets from 'aws-cdk-lib/aws-s3-assets';
import { Construct } from 'constructs';
import {
  ARCHIVE_PREFIX,
  BATCH_INPUT_PREFIX,
  BATCH_OUTPUT_PREFIX,
  BATCH_PREFIX,
  GOLD_PREFIX,
  METRICS_NAMESPACE,
} from '@retail-forecast/job-contract';
import { BedrockBatchRole, batchJobArnPattern } from './BedrockBatchRole';
import { acknowledgeWildcards } from './acknowledgeWildcards';
import { bedrockStatements } from './bedrockStatements';
import { sagemakerStatements } from './sagemakerStatements';
import { jobEnvironment } from './jobEnvironment';
import { renderUserData } from './renderUserData';
import type { InfraConfig } from './types';

export interface ForecastJobProps {
  config: InfraConfig;
  vpc: ec2.IVpc;
  goldBucket: s3.IBucket;
  table: dynamodb.ITable;
  /** Directory of the ec2-forecaster bundle; zipped into an S3 asset. */
  bundlePath: string;
  metricsService: string;
}

/** The launch template and everything the daily instance needs: role, log group, bundle. */
export class ForecastJob extends Construct {
  readonly launchTemplate: ec2.LaunchTemplate;
  readonly role: iam.Role;
  readonly securityGroup: ec2.SecurityGroup;
  readonly logGroup: logs.LogGroup;
  /** The AMI id the template resolves (from the public SSM parameter, at deploy time). */
  readonly imageId: string;
  /** The Bedrock batch service role; only when `forecastModelMode` is not `sync`. */
  readonly batchRole?: iam.Role;
  /** The job bundle (`main.mjs` zipped) as an S3 asset. */
  readonly bundle: s3assets.Asset;
  /** The job's environment, checked against the job contract's schema. */
  readonly environment: Record<string, string>;

  constructor(scope: Construct, id: string, props: ForecastJobProps) {
    super(scope, id);
    const { config } = props;

    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: config.logRetentionDays as logs.RetentionDays,
      removalPolicy: RemovalPolicy.DESTROY,
    });

    const bundle = new s3assets.Asset(this, 'Bundle', { path: props.bundlePath });

    this.role = new iam.Role(this, 'InstanceRole', {
      assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com'),
      description: 'Daily demand-forecast instance',
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('AmazonSSMManagedInstanceCore')],
    });
    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonSSMManagedInstanceCore]',
      reason:
        'Session Manager access for debugging a run; AmazonSSMManagedInstanceCore is the AWS-maintained minimal policy for the SSM agent (no FullAccess).',
    });
    this.bundle = bundle;
    grantJobAccess(this.role, this.logGroup, props, bundle);
    if (config.forecastModelMode !== 'sync') {
      this.batchRole = new BedrockBatchRole(this, 'BatchInference', {
        goldBucket: props.goldBucket,
        modelIds: config.modelIds,
        goldBucketKmsKeyArn: config.goldBucketKmsKeyArn,
      }).role;
      grantBatchInference(this.role, props, this.batchRole);
    }

    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: 'Forecast instance: no inbound, HTTPS out to AWS APIs',
      allowAllOutbound: false,
    });
    // Every dependency (S3, DynamoDB, Bedrock, CloudWatch, SSM, dnf mirrors on S3) is HTTPS.
    this.securityGroup.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'HTTPS to AWS APIs');

    const machineImage = ec2.MachineImage.latestAmazonLinux2023({
      cpuType:
        config.architecture === 'arm64'
          ? ec2.AmazonLinuxCpuType.ARM_64
          : ec2.AmazonLinuxCpuType.X86_64,
    });
    this.imageId = machineImage.getImage(this).imageId;

    // Before any resource of the template: a value the job would reject stops synth here.
    const environment = (this.environment = jobEnvironment({
      goldBucketName: props.goldBucket.bucketName,
      tableName: props.table.tableName,
      region: Aws.REGION,
      forecastModel: config.forecastModel,
      forecastGuardrail: config.forecastGuardrail,
      metricsService: props.metricsService,
      archiveUri: `s3://${props.goldBucket.bucketName}/${ARCHIVE_PREFIX}`,
      accuracyAlarmFactor: config.accuracyAlarmFactor,
      // Reports go under the archive prefix (`forecast_archive/reports/as_of=…/index.html` and
      // `reports/latest/`), which the role may already write and nothing else in the bucket.
      reportUri: `s3://${props.goldBucket.bucketName}/${ARCHIVE_PREFIX}`,
      deadlineMinutes: jobDeadlineMinutes(config.maxRunMinutes),
      modelMode: config.forecastModelMode,
      holidays: config.forecastHolidays,
      ...(this.batchRole
        ? {
            batchRoleArn: this.batchRole.roleArn,
            batchS3Uri: `s3://${props.goldBucket.bucketName}/${BATCH_PREFIX}`,
            batchThreshold: config.batchThreshold,
          }
        : {}),
    }));

    this.launchTemplate = new ec2.LaunchTemplate(this, 'LaunchTemplate', {
      machineImage,
      instanceType: new ec2.InstanceType(config.instanceTypes[0]),
      role: this.role,
      securityGroup: this.securityGroup,
      userData: ec2.UserData.custom(
        renderUserData({
          maxRunMinutes: config.maxRunMinutes,
          region: Aws.REGION,
          bundleS3Url: bundle.s3ObjectUrl,
          logGroupName: this.logGroup.logGroupName,
          jobEnvironment: environment,
        }),
      ),
      requireImdsv2: true,
      // The job runs on the host, not in a container, so one hop is enough.
      httpPutResponseHopLimit: 1,
      instanceInitiatedShutdownBehavior: ec2.InstanceInitiatedShutdownBehavior.TERMINATE,
      blockDevices: [
        {
          deviceName: '/dev/xvda',
          volume: ec2.BlockDeviceVolume.ebs(10, {
            encrypted: true,
            // Unset: the account's default EBS key. A customer key here (or as that default)
            // needs the launcher's KMS statements (see ForecastLauncher).
            kmsKey: config.ebsKmsKeyArn
              ? kms.Key.fromKeyArn(this, 'RootVolumeKey', config.ebsKmsKeyArn)
              : undefined,
            volumeType: ec2.EbsDeviceVolumeType.GP3,
            deleteOnTermination: true,
          }),
        },
      ],
    });
  }
}

/**
 * The job's own deadline inside the instance watchdog: boot, installing Node and fetching the
 * bundle come before the job and shipping its logs and metrics after it, so the job is given the
 * watchdog's minutes less 15 (at least half of them), and finishes its writes and summary before
 * the instance is powered off.
 */
export function jobDeadlineMinutes(maxRunMinutes: number): number {
  return Math.max(Math.ceil(maxRunMinutes / 2), maxRunMinutes - 15);
}

/**
 * What the job may do, on the role it runs as (the instance's, or a Batch shard container's):
 * fetch its bundle, read the Gold data, write the archive, update the table, call the configured
 * models, write its logs and the fallback metric.
 */
export function grantJobAccess(
  role: iam.Role,
  logGroup: logs.ILogGroup,
  props: Pick<ForecastJobProps, 'config' | 'goldBucket' | 'table'>,
  bundle: s3assets.Asset,
): void {
  role.addToPolicy(
    new iam.PolicyStatement({
      sid: 'ReadJobBundle',
      actions: ['s3:GetObject'],
      resources: [bundle.bucket.arnForObjects(bundle.s3ObjectKey)],
    }),
  );
  role.addToPolicy(
    new iam.PolicyStatement({
      sid: 'ListForecastInput',
      actions: ['s3:ListBucket'],
      resources: [props.goldBucket.bucketArn],
      conditions: { StringLike: { 's3:prefix': [GOLD_PREFIX, `${GOLD_PREFIX}*`] } },
    }),
  );
  role.addToPolicy(
    new iam.PolicyStatement({
      sid: 'ReadForecastInput',
      actions: ['s3:GetObject'],
      resources: [props.goldBucket.arnForObjects(`${GOLD_PREFIX}*`)],
    }),
  );
  // The forecast archive: each run replaces its own as_of= partitions and reads earlier ones.
  role.addToPolicy(
    new iam.PolicyStatement({
      sid: 'ListForecastArchive',
      actions: ['s3:ListBucket'],
      resources: [props.goldBucket.bucketArn],
      conditions: { StringLike: { 's3:prefix': [ARCHIVE_PREFIX, `${ARCHIVE_PREFIX}*`] } },
    }),
  );
  role.addToPolicy(
    new iam.PolicyStatement({
      sid: 'WriteForecastArchive',
      actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
      resources: [props.goldBucket.arnForObjects(`${ARCHIVE_PREFIX}*`)],
    }),
  );
  role.addToPolicy(
    new iam.PolicyStatement({
      sid: 'UpdateInventory',
      actions: [
        'dynamodb:GetItem',
        'dynamodb:BatchGetItem',
        'dynamodb:UpdateItem',
        'dynamodb:DescribeTable',
      ],
      resources: [props.table.tableArn],
    }),
  );
  // A table encrypted with a customer key also needs kms:Decrypt/Encrypt on it.
  props.table.encryptionKey?.grantEncryptDecrypt(role);
  // Objects under a customer key (SSE-KMS) are decrypted by S3 with the caller's rights: allow
  // kms:Decrypt only through S3 in this region, and only for these objects (S3 passes the
  // object ARN, or the bucket ARN with an S3 Bucket Key, as encryption context).
  const viaS3 = (
    sid: string,
    keyArn: string | undefined,
    arns: string[],
    actions = ['kms:Decrypt'],
  ) => {
    if (!keyArn) return;
    role.addToPolicy(
      new iam.PolicyStatement({
        sid,
        actions,
        resources: [keyArn],
        conditions: {
          StringEquals: { 'kms:ViaService': `s3.${Aws.REGION}.amazonaws.com` },
          StringLike: { 'kms:EncryptionContext:aws:s3:arn': arns },
        },
      }),
    );
  };
  viaS3('DecryptForecastInput', props.config.goldBucketKmsKeyArn, [
    props.goldBucket.bucketArn,
    props.goldBucket.arnForObjects(`${GOLD_PREFIX}*`),
  ]);
  // The forecast archive lives in the same bucket: its objects are written (a data key) and
  // read back (decrypt) under the bucket's key, only under the archive prefix.
  viaS3(
    'EncryptForecastArchive',
    props.config.goldBucketKmsKeyArn,
    [props.goldBucket.bucketArn, props.goldBucket.arnForObjects(`${ARCHIVE_PREFIX}*`)],
    ['kms:Decrypt', 'kms:GenerateDataKey'],
  );
  viaS3('DecryptJobBundle', props.config.bootstrapBucketKmsKeyArn, [
    bundle.bucket.bucketArn,
    bundle.bucket.arnForObjects(bundle.s3ObjectKey),
  ]);

  for (const statement of bedrockStatements(props.config.modelIds)) {
    role.addToPolicy(statement);
    const anyRegion = statement.resources.filter((r) => r.includes(':bedrock:*:'));
    acknowledgeWildcards(
      role,
      anyRegion,
      'A cross-region inference profile may route to its model in any of its regions; the bedrock:InferenceProfileArn condition allows the model only through the configured profile.',
    );
  }
  for (const statement of sagemakerStatements(props.config.sagemakerEndpoints)) {
    role.addToPolicy(statement);
  }
  logGroup.grantWrite(role);

  // When the CloudWatch agent is missing (dnf failed) the user data reports the failed run
  // with the AWS CLI; the agent ships everything else as log events (EMF).
  role.addToPolicy(
    new iam.PolicyStatement({
      sid: 'ReportRunWithoutAgent',
      actions: ['cloudwatch:PutMetricData'],
      resources: ['*'],
      conditions: { StringEquals: { 'cloudwatch:namespace': METRICS_NAMESPACE } },
    }),
  );
  acknowledgeWildcards(
    role,
    ['*'],
    'cloudwatch:PutMetricData supports no resource-level permissions; the cloudwatch:namespace condition limits it to the job namespace.',
  );

  acknowledgeWildcards(
    role,
    [props.goldBucket.arnForObjects(`${GOLD_PREFIX}*`)],
    'The job reads every daily file under forecast_ready/ and nothing else in the bucket.',
  );
  acknowledgeWildcards(
    role,
    [props.goldBucket.arnForObjects(`${ARCHIVE_PREFIX}*`)],
    'The job writes and replaces its own date partitions under forecast_archive/ and nothing else in the bucket.',
  );
}

/**
 * Batch inference: start jobs on the configured models, poll and stop them, pass exactly the
 * batch service role (to Bedrock only), write the records and read the answers.
 */
export function grantBatchInference(
  role: iam.Role,
  props: Pick<ForecastJobProps, 'config' | 'goldBucket'>,
  batchRole: iam.IRole,
): void {
  const jobs = batchJobArnPattern();
  const models = bedrockStatements(props.config.modelIds)
    .filter((s) => s.sid === 'InvokeConfiguredModels')
    .flatMap((s) => s.resources);
  role.addToPolicy(
    new iam.PolicyStatement({
      sid: 'StartBatchInferenceJobs',
      actions: ['bedrock:CreateModelInvocationJob'],
      resources: [jobs, ...models],
    }),
  );
  role.addToPolicy(
    new iam.PolicyStatement({
      sid: 'WatchBatchInferenceJobs',
      actions: ['bedrock:GetModelInvocationJob', 'bedrock:StopModelInvocationJob'],
      resources: [jobs],
    }),
  );
  role.addToPolicy(
    new iam.PolicyStatement({
      sid: 'PassBatchServiceRole',
      actions: ['iam:PassRole'],
      resources: [batchRole.roleArn],
      conditions: { StringEquals: { 'iam:PassedToService': 'bedrock.amazonaws.com' } },
    }),
  );
  const bucket = props.goldBucket;
  const input = bucket.arnForObjects(`${BATCH_INPUT_PREFIX}*`);
  const output = bucket.arnForObjects(`${BATCH_OUTPUT_PREFIX}*`);
  role.addToPolicy(
    new iam.PolicyStatement({
      sid: 'WriteBatchInput',
      actions: ['s3:PutObject'],
      resources: [input],
    }),
  );
  role.addToPolicy(
    new iam.PolicyStatement({
      sid: 'ListBatchOutput',
      actions: ['s3:ListBucket'],
      resources: [bucket.bucketArn],
      conditions: {
        StringLike: { 's3:prefix': [BATCH_OUTPUT_PREFIX, `${BATCH_OUTPUT_PREFIX}*`] },
      },
    }),
  );
  role.addToPolicy(
    new iam.PolicyStatement({
      sid: 'ReadBatchOutput',
      actions: ['s3:GetObject'],
      resources: [output],
    }),
  );
  if (props.config.goldBucketKmsKeyArn) {
    role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'EncryptBatchObjects',
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: [props.config.goldBucketKmsKeyArn],
        conditions: {
          StringEquals: { 'kms:ViaService': `s3.${Aws.REGION}.amazonaws.com` },
          StringLike: { 'kms:EncryptionContext:aws:s3:arn': [bucket.bucketArn, input, output] },
        },
      }),
    );
  }
  acknowledgeWildcards(
    role,
    [jobs],
    'Batch inference job ARNs carry an id Bedrock assigns at creation; the job polls and stops only jobs of this account and region.',
  );
  acknowledgeWildcards(
    role,
    [input, output],
    "The job writes each run's records under bedrock_batch/input/<job name>/ and reads the answers Bedrock writes under bedrock_batch/output/<job id>/; nothing else in the bucket.",
  );
}
