import { Aws, Duration, Size, Token, Validations } from 'aws-cdk-lib';
import * as batch from 'aws-cdk-lib/aws-batch';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as s3assets from 'aws-cdk-lib/aws-s3-assets';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { JOB_ENV, SUMMARIES_PREFIX, parseJobEnv } from '@retail-forecast/job-contract';
import { acknowledgeWildcards } from './acknowledgeWildcards';
import { InfraConfigError } from './errors';
import { grantBatchInference, grantJobAccess } from './ForecastJob';
import type { InfraConfig } from './types';

/** Public Amazon Linux 2023 image; the job installs Node 22 from AL2023's own packages. */
export const SHARD_IMAGE = 'public.ecr.aws/amazonlinux/amazonlinux:2023';

export interface ForecastFanOutProps {
  config: InfraConfig;
  vpc: ec2.IVpc;
  subnetIds: string[];
  securityGroup: ec2.ISecurityGroup;
  goldBucket: s3.IBucket;
  table: dynamodb.ITable;
  /** The same bundle the EC2 path runs. */
  bundle: s3assets.Asset;
  /** The job environment of the EC2 path (validated with the job contract's schema). */
  environment: Record<string, string>;
  logGroup: logs.ILogGroup;
  /** The Bedrock batch service role, when the model mode may start batch inference jobs. */
  batchRole?: iam.IRole;
}

const quote = (v: string) => `'${v.replace(/'/g, `'\\''`)}'`;

/**
 * The container's script: install Node 22 and the AWS CLI from the AL2023 repositories (retried),
 * fetch the job bundle, run `forecast <args>`. Mirrors the EC2 user data's download and run; the
 * EXIT trap, watchdog and metric fallback are Batch's (job time-out, retries, the merge step).
 */
export function renderContainerScript(bundleS3Url: string, args: string): string {
  return [
    'set -euo pipefail',
    'retry() { local n=1; until "$@"; do [ "$n" -ge 5 ] && return 1; sleep $((10 * n)); n=$((n + 1)); done; }',
    'retry dnf install -y nodejs22 unzip awscli-2',
    `retry aws s3 cp ${quote(bundleS3Url)} /tmp/bundle.zip`,
    'mkdir -p /opt/forecast && unzip -o -q /tmp/bundle.zip -d /opt/forecast && cd /opt/forecast',
    `exec node-22 /opt/forecast/main.mjs ${args}`,
  ].join('\n');
}

/**
 * The sharded daily run (`shards > 1`): an EventBridge schedule starts a Step Functions state
 * machine that submits an AWS Batch array job of `shards` children (child i runs
 * `forecast run --shard i/N`) on managed Spot capacity in the job's subnets, waits for it
 * (`.sync`), then — whether it succeeded or not — runs `forecast merge-shards`, which adds up the
 * shard summaries and emits the run's RunSuccess. Step Functions rather than a Batch `dependsOn`:
 * a dependent Batch job never runs once its parent array fails, and the merge must run to report
 * a failed run truthfully.
 */
export class ForecastFanOut extends Construct {
  readonly computeEnvironment: batch.ManagedEc2EcsComputeEnvironment;
  readonly jobQueue: batch.JobQueue;
  readonly shardJob: batch.EcsJobDefinition;
  readonly mergeJob: batch.EcsJobDefinition;
  readonly stateMachine: sfn.StateMachine;
  readonly rule: events.Rule;
  readonly jobRole: iam.Role;
  /** The environment of every shard and the merge, before the per-run overrides. */
  readonly environment: Record<string, string>;

  constructor(scope: Construct, id: string, props: ForecastFanOutProps) {
    super(scope, id);
    const { config } = props;
    const plan = config.shardPlan;
    if (config.shards < 2 || !plan) {
      throw new InfraConfigError([
        `ForecastFanOut needs shards above 1 and a sizing plan (got shards ${config.shards}${plan ? '' : ', no catalogProducts'})`,
      ]);
    }
    const summaries = `s3://${props.goldBucket.bucketName}/${SUMMARIES_PREFIX}`;
    // Metrics go to stdout, which the awslogs driver ships to the job log group, where
    // CloudWatch extracts every EMF record, as the agent's file does on EC2.
    this.environment = {
      ...props.environment,
      [JOB_ENV.summaries]: summaries,
      [JOB_ENV.metricsFile]: '/dev/stdout',
    };
    checkEnvironment({ ...this.environment, [JOB_ENV.shard]: `0/${config.shards}` });

    this.jobRole = new iam.Role(this, 'JobRole', {
      assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com'),
      description: 'Shard and merge containers of the sharded daily forecast',
    });
    grantJobAccess(this.jobRole, props.logGroup, props, props.bundle);
    if (props.batchRole) grantBatchInference(this.jobRole, props, props.batchRole);
    this.jobRole.addToPolicy(
      new iam.PolicyStatement({
        sid: 'WriteRunSummaries',
        actions: ['s3:GetObject', 's3:PutObject'],
        resources: [props.goldBucket.arnForObjects(`${SUMMARIES_PREFIX}*`)],
      }),
    );
    acknowledgeWildcards(
      this.jobRole,
      [props.goldBucket.arnForObjects(`${SUMMARIES_PREFIX}*`)],
      'Each shard writes its run summary under forecast_runs/run_id=<id>/ and the merge reads them; nothing else in the bucket.',
    );

    const subnets = props.subnetIds.map((subnetId, i) =>
      ec2.Subnet.fromSubnetId(this, `Subnet${i}`, subnetId),
    );
    this.computeEnvironment = new batch.ManagedEc2EcsComputeEnvironment(this, 'Compute', {
      vpc: props.vpc,
      vpcSubnets: { subnets },
      securityGroups: [props.securityGroup],
      spot: true,
      allocationStrategy: batch.AllocationStrategy.SPOT_PRICE_CAPACITY_OPTIMIZED,
      instanceTypes: config.instanceTypes.map((t) => new ec2.InstanceType(t)),
      useOptimalInstanceClasses: false,
      images: [{ imageType: batch.EcsMachineImageType.ECS_AL2023 }],
      minvCpus: 0,
      // Every shard at once, plus the merge.
      maxvCpus: (config.shards + 1) * Math.max(2, cpusOf(plan.instanceType)),
    });
    acknowledgeBatchRoles(this.computeEnvironment);

    this.jobQueue = new batch.JobQueue(this, 'Queue', {
      computeEnvironments: [{ computeEnvironment: this.computeEnvironment, order: 1 }],
    });

    const memory = Size.mebibytes(Math.ceil(plan.memoryBytes / 1024 ** 2));
    const logging = ecs.LogDrivers.awsLogs({
      logGroup: props.logGroup,
      streamPrefix: 'batch',
    });
    const container = (name: string, args: string, cpu: number, mem: Size) =>
      new batch.EcsEc2ContainerDefinition(this, name, {
        image: ecs.ContainerImage.fromRegistry(SHARD_IMAGE),
        cpu,
        memory: mem,
        command: ['bash', '-c', renderContainerScript(props.bundle.s3ObjectUrl, args)],
        environment: this.environment,
        jobRole: this.jobRole,
        logging,
      });
    // Spot reclaims are retried; a job that failed on its own merits is not (its exit code
    // stands, the merge reports it).
    const retryStrategies = [
      batch.RetryStrategy.of(batch.Action.RETRY, batch.Reason.SPOT_INSTANCE_RECLAIMED),
      batch.RetryStrategy.of(batch.Action.EXIT, batch.Reason.custom({ onExitCode: '*' })),
    ];
    this.shardJob = new batch.EcsJobDefinition(this, 'ShardJob', {
      container: container(
        'ShardContainer',
        // The array index is Batch's; the count is fixed by this stack.
        `run --shard "$AWS_BATCH_JOB_ARRAY_INDEX/${config.shards}"`,
        cpusOf(plan.instanceType),
        memory,
      ),
      retryAttempts: 3,
      retryStrategies,
      // The watchdog of the EC2 path: the sizing table's minutes for one shard.
      timeout: Duration.minutes(config.maxRunMinutes),
    });
    this.mergeJob = new batch.EcsJobDefinition(this, 'MergeJob', {
      container: container(
        'MergeContainer',
        `merge-shards --shards ${config.shards}`,
        1,
        Size.mebibytes(1024),
      ),
      retryAttempts: 3,
      retryStrategies,
      timeout: Duration.minutes(15),
    });
    for (const job of [this.shardJob, this.mergeJob])
      Validations.of(job).acknowledge({
        id: 'AwsSolutions-IAM5',
        reason:
          'The execution role CDK creates for the awslogs driver writes to the job log group only.',
      });

    // Every shard must forecast from the same day, and the merge must find their summaries: the
    // run id is the execution's name, the as-of the input's `asOf` or the day before the start.
    const runEnv = {
      [JOB_ENV.runId]: '{% $states.context.Execution.Name %}',
      [JOB_ENV.asOf]:
        "{% $exists($states.input.asOf) ? $states.input.asOf : $fromMillis($toMillis($states.context.Execution.StartTime) - 86400000, '[Y0001]-[M01]-[D01]') %}",
    };
    const shards = tasks.BatchSubmitJob.jsonata(this, 'RunShards', {
      jobName: `${config.jobName}-shards`,
      jobQueueArn: this.jobQueue.jobQueueArn,
      jobDefinitionArn: this.shardJob.jobDefinitionArn,
      arraySize: config.shards,
      containerOverrides: { environment: runEnv },
      // Each child's time-out is the job definition's (the watchdog); the state machine bounds
      // the whole run, retries included.
      integrationPattern: sfn.IntegrationPattern.RUN_JOB,
    });
    const merge = tasks.BatchSubmitJob.jsonata(this, 'MergeShards', {
      jobName: `${config.jobName}-merge`,
      jobQueueArn: this.jobQueue.jobQueueArn,
      jobDefinitionArn: this.mergeJob.jobDefinitionArn,
      containerOverrides: {
        environment: { [JOB_ENV.runId]: '{% $states.context.Execution.Name %}' },
      },
      integrationPattern: sfn.IntegrationPattern.RUN_JOB,
    });
    const failed = new sfn.Fail(this, 'RunFailed', {
      error: 'ForecastRunFailed',
      cause: 'A shard or the merge failed; the merge summary and the job log group say which.',
    });
    // A failed array still goes to the merge, which reports the missing shards (RunSuccess 0).
    shards.addCatch(merge, { errors: ['States.ALL'] });
    merge.addCatch(failed, { errors: ['States.ALL'] });
    const stateLogs = new logs.LogGroup(this, 'StateMachineLogs', {
      retention: config.logRetentionDays as logs.RetentionDays,
    });
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      queryLanguage: sfn.QueryLanguage.JSONATA,
      definitionBody: sfn.DefinitionBody.fromChainable(shards.next(merge)),
      timeout: Duration.minutes(config.maxRunMinutes * 3 + 60),
      tracingEnabled: true,
      logs: { destination: stateLogs, level: sfn.LogLevel.ALL },
    });
    acknowledgeWildcards(
      this.stateMachine.role,
      ['*'],
      'X-Ray tracing and CloudWatch Logs delivery take no resource; batch:DescribeJobs and batch:TerminateJob of the .sync integration take none either.',
    );
    acknowledgeWildcards(
      this.stateMachine.role,
      [`arn:${Aws.PARTITION}:batch:${Aws.REGION}:${Aws.ACCOUNT_ID}:job-definition/*`],
      'Step Functions grants batch:SubmitJob on every revision of the job definitions it submits (their revision numbers change on each deploy); the job queue is named exactly.',
    );

    this.rule = new events.Rule(this, 'Schedule', {
      description: `Daily demand forecast in ${config.shards} shards`,
      schedule: events.Schedule.expression(config.schedule),
      targets: [new targets.SfnStateMachine(this.stateMachine)],
    });
  }
}

/** vCPUs of the sizing table's instance types (2 for anything not in it). */
function cpusOf(instanceType: string): number {
  const size = instanceType.split('.')[1] ?? '';
  const m = /^(\d*)xlarge$/.exec(size);
  if (m) return 4 * (m[1] === '' ? 1 : Number(m[1]));
  return 2;
}

function checkEnvironment(env: Record<string, string>): void {
  const known = Object.fromEntries(Object.entries(env).filter(([, v]) => !Token.isUnresolved(v)));
  const parsed = parseJobEnv(known);
  if (!parsed.ok)
    throw new InfraConfigError(
      parsed.issues.map(
        (i) => `shard environment ${i.name} ${JSON.stringify(i.value)} is not valid (${i.message})`,
      ),
    );
}

function acknowledgeBatchRoles(compute: Construct): void {
  Validations.of(compute).acknowledge(
    {
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role]',
      reason:
        'The ECS container instance role AWS Batch requires; AWS maintains it for the ECS agent.',
    },
    {
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSBatchServiceRole]',
      reason: 'The AWS Batch service role, maintained by AWS.',
    },
  );
}
