import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CfnOutput, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { DEFAULT_METRICS_SERVICE } from '@retail-forecast/job-contract';
import { InfraConfigError } from './errors';
import { ForecastAlarms } from './ForecastAlarms';
import { ForecastFanOut } from './ForecastFanOut';
import { ForecastJob } from './ForecastJob';
import { ForecastLauncher } from './ForecastLauncher';
import { ForecastNetwork } from './ForecastNetwork';
import type { ForecastStackProps } from './types';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const DEFAULT_JOB_BUNDLE_PATH = path.join(repoRoot, 'dist/apps/ec2-forecaster');
export const DEFAULT_LAUNCHER_CODE_PATH = path.join(repoRoot, 'dist/apps/launcher-lambda');

function requireBuilt(dir: string, file: string, what: string, target: string): string {
  if (!existsSync(path.join(dir, file))) {
    throw new InfraConfigError([
      `${what} "${path.join(dir, file)}" does not exist (expected the output of \`nx run ${target}\`)`,
    ]);
  }
  return dir;
}

/**
 * The daily forecast: EventBridge schedule → launcher Lambda → one EC2 instance from a launch
 * template that runs the job and terminates; alarms when a day passes without success.
 */
export class ForecastStack extends Stack {
  readonly goldBucket: s3.IBucket;
  readonly table: dynamodb.ITable;
  readonly job: ForecastJob;
  readonly launcher: ForecastLauncher;
  readonly alarms: ForecastAlarms;
  /** The AWS Batch fan-out, when the stack runs the catalog in shards. */
  readonly fanOut?: ForecastFanOut;

  constructor(scope: Construct, id: string, props: ForecastStackProps) {
    super(scope, id, props);
    const { config } = props;
    const metricsService = props.metricsService ?? DEFAULT_METRICS_SERVICE;
    const bundlePath = requireBuilt(
      props.jobBundlePath ?? DEFAULT_JOB_BUNDLE_PATH,
      'main.mjs',
      'job bundle',
      'ec2-forecaster:build',
    );
    const codePath = requireBuilt(
      props.launcherCodePath ?? DEFAULT_LAUNCHER_CODE_PATH,
      'index.mjs',
      'launcher code',
      'launcher-lambda:build',
    );

    if (config.existingGoldBucketName) {
      this.goldBucket = s3.Bucket.fromBucketName(this, 'GoldBucket', config.existingGoldBucketName);
    } else {
      const bucket = new s3.Bucket(this, 'GoldBucket', {
        encryption: s3.BucketEncryption.S3_MANAGED,
        enforceSSL: true,
        versioned: true,
        blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
        removalPolicy: RemovalPolicy.RETAIN,
      });
      Validations.of(bucket).acknowledge({
        id: 'AwsSolutions-S1',
        reason:
          'No server access logs: the bucket is private, SSL-only and versioned, and access is audited with CloudTrail; a log bucket would need its own exemption.',
      });
      this.goldBucket = bucket;
    }

    if (config.existingInventoryTableName) {
      this.table = dynamodb.Table.fromTableName(
        this,
        'InventoryTable',
        config.existingInventoryTableName,
      );
    } else {
      this.table = new dynamodb.Table(this, 'InventoryTable', {
        partitionKey: { name: 'product_id', type: dynamodb.AttributeType.STRING },
        billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
        pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
        removalPolicy: RemovalPolicy.RETAIN,
      });
    }

    const network = new ForecastNetwork(this, 'Network', {
      vpcId: config.vpcId,
      subnetIds: config.subnetIds,
      subnetEgress: config.subnetEgress,
    });

    this.job = new ForecastJob(this, 'Job', {
      config,
      vpc: network.vpc,
      goldBucket: this.goldBucket,
      table: this.table,
      bundlePath,
      metricsService,
    });

    if (network.egress === 'vpc-endpoints') {
      // No internet: CloudWatch Logs (the agent), CloudWatch (the fallback metric) and, when a
      // model is configured, Bedrock Runtime through interface endpoints; S3 (dnf repositories,
      // bundle, Gold data) and DynamoDB through the VPC's gateway endpoints.
      network.addInterfaceEndpoints(this.job.securityGroup, [
        'logs',
        'monitoring',
        ...(config.modelIds.length > 0 ? ['bedrock-runtime'] : []),
        ...(config.sagemakerEndpoints.length > 0 ? ['sagemaker.runtime'] : []),
      ]);
    }

    this.launcher = new ForecastLauncher(this, 'Launcher', {
      config,
      launchTemplate: this.job.launchTemplate,
      instanceRole: this.job.role,
      securityGroup: this.job.securityGroup,
      subnetIds: network.subnetIds,
      imageId: this.job.imageId,
      codePath,
      metricsService,
    });

    if (config.shards > 1) {
      this.fanOut = new ForecastFanOut(this, 'FanOut', {
        config,
        vpc: network.vpc,
        subnetIds: network.subnetIds,
        securityGroup: this.job.securityGroup,
        goldBucket: this.goldBucket,
        table: this.table,
        bundle: this.job.bundle,
        environment: this.job.environment,
        logGroup: this.job.logGroup,
        batchRole: this.job.batchRole,
      });
      new CfnOutput(this, 'StateMachineArn', { value: this.fanOut.stateMachine.stateMachineArn });
    }

    this.alarms = new ForecastAlarms(this, 'Alarms', {
      metricsService,
      launcher: this.launcher.function,
      deadLetterQueue: this.launcher.deadLetterQueue,
      alarmEmail: config.alarmEmail,
    });

    new CfnOutput(this, 'GoldBucketName', { value: this.goldBucket.bucketName });
    new CfnOutput(this, 'InventoryTableName', { value: this.table.tableName });
    new CfnOutput(this, 'LaunchTemplateId', {
      value: this.job.launchTemplate.launchTemplateId ?? '',
    });
    new CfnOutput(this, 'LauncherFunctionName', { value: this.launcher.function.functionName });
    new CfnOutput(this, 'JobLogGroupName', { value: this.job.logGroup.logGroupName });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.alarms.topic.topicArn });
  }
}
