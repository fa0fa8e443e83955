import type { StackProps } from 'aws-cdk-lib';
import type { GUARDRAIL_MODES, MODEL_MODES, SizingPlan } from '@retail-forecast/job-contract';
import type { SUBNET_EGRESS } from './parseInfraConfig';

export type Guardrail = (typeof GUARDRAIL_MODES)[number];
export type SubnetEgress = (typeof SUBNET_EGRESS)[number];

/** Deployment settings, parsed from CDK context by `parseInfraConfig`. */
export interface InfraConfig {
  stackName: string;
  /** Import this existing bucket by name; when absent the stack creates the Gold bucket. */
  existingGoldBucketName?: string;
  /** Import this existing table by name; when absent the stack creates the inventory table. */
  existingInventoryTableName?: string;
  /**
   * Passed to the job as FORECAST_MODEL: `statistical`, `bedrock:<id>`, `chronos:<endpoint ARN>`
   * or `chronos2:<SageMaker endpoint name or ARN>`.
   */
  forecastModel: string;
  /**
   * Every model the instance may invoke: foundation-model ids, inference-profile ids and
   * SageMaker endpoint ARNs. Always includes the one named by `forecastModel`.
   */
  modelIds: string[];
  /**
   * Chronos-2 SageMaker endpoints (names or ARNs) the instance may call with
   * `sagemaker:InvokeEndpoint`: the `chronos2:` forecastModel's and context `chronos2Endpoints`.
   */
  sagemakerEndpoints: string[];
  forecastGuardrail?: Guardrail;
  /**
   * `FORECAST_MODEL_MODE`: `sync` (default), `batch` or `auto`. Other than `sync`, the stack adds
   * the Bedrock batch service role and the job's permission to start, poll and stop batch jobs.
   */
  forecastModelMode: (typeof MODEL_MODES)[number];
  /** `FORECAST_BATCH_THRESHOLD` for `auto` (the job's default when unset). */
  batchThreshold?: number;
  /** `FORECAST_HOLIDAYS`: public holidays as calendar regressors (`US`, `US-CA`); unset = none. */
  forecastHolidays?: string;
  /** EventBridge schedule expression, e.g. `cron(0 1 * * ? *)` (UTC). */
  schedule: string;
  /** Instance types in order of preference; the first is the launch template's default. */
  instanceTypes: string[];
  /** CPU architecture shared by every instance type; picks the AMI. */
  architecture: 'arm64' | 'x86_64';
  /** The watchdog powers the instance off (and so terminates it) after this long. */
  maxRunMinutes: number;
  alarmEmail?: string;
  /** Use these subnets of an existing VPC instead of creating one; needs `vpcId`. */
  vpcId?: string;
  subnetIds?: string[];
  logRetentionDays: number;
  /** The `forecast:job` tag and the prefix of instance names. */
  jobName: string;
  /** Customer-managed key of the imported Gold bucket: the instance may decrypt through S3. */
  goldBucketKmsKeyArn?: string;
  /** Customer-managed key of the CDK bootstrap (asset) bucket holding the job bundle. */
  bootstrapBucketKmsKeyArn?: string;
  /**
   * Customer-managed key for the root volume (e.g. the account's default EBS key): named in the
   * launch template, and the launcher may have EC2 use it.
   */
  ebsKmsKeyArn?: string;
  /** How imported subnets reach AWS; required with `subnetIds`. */
  subnetEgress?: SubnetEgress;
  /**
   * The job reports `AccuracyDegraded` = 1 (and the alarm fires) when the last week's
   * horizon-total WAPE exceeds this factor × its 28-day median. Default 1.5.
   */
  accuracyAlarmFactor: number;
  /**
   * Runs the catalog is split into. 1 (default): one EC2 instance per day as before; above 1: an
   * AWS Batch array job of that many shards on Spot capacity, then a merge step (Step Functions).
   */
  shards: number;
  /** The catalog's product count: picks instance types and the watchdog from the sizing table. */
  catalogProducts?: number;
  /** The sizing table's answer for one run (one shard) when `catalogProducts` is set. */
  shardPlan?: SizingPlan;
}

export interface ForecastStackProps extends StackProps {
  config: InfraConfig;
  /**
   * Directory holding the ec2-forecaster bundle (`main.mjs`), shipped as an S3 asset.
   * @default dist/apps/ec2-forecaster under the repository root
   */
  jobBundlePath?: string;
  /**
   * Directory holding the built launcher Lambda (`index.mjs`).
   * @default dist/apps/launcher-lambda under the repository root
   */
  launcherCodePath?: string;
  /**
   * Value of the `Service` dimension the job puts on its EMF metrics.
   * @default DEFAULT_METRICS_SERVICE of the job contract ('demand-forecast')
   */
  metricsService?: string;
}
