import { Token } from 'aws-cdk-lib';
import { GOLD_PREFIX, JOB_ENV, parseJobEnv } from '@retail-forecast/job-contract';
import { InfraConfigError } from './errors';
import type { Guardrail } from './types';

export interface JobEnvironmentOptions {
  goldBucketName: string;
  tableName: string;
  region: string;
  forecastModel: string;
  forecastGuardrail?: Guardrail;
  /** `Service` dimension of the job's metrics: the alarms watch the same value. */
  metricsService: string;
  /** `FORECAST_ARCHIVE`: where the job archives its forecasts and accuracy. */
  archiveUri?: string;
  /** `FORECAST_ACCURACY_ALARM_FACTOR`. */
  accuracyAlarmFactor?: number;
  /** `FORECAST_REPORT`: `s3://bucket/prefix/` under which each run's HTML report is written. */
  reportUri?: string;
  /** `FORECAST_DEADLINE_MINUTES`: minutes after its start by which the job must be done. */
  deadlineMinutes?: number;
  /** `FORECAST_MODEL_MODE` and, unless `sync`, the batch service role and S3 location. */
  modelMode?: string;
  batchRoleArn?: string;
  batchS3Uri?: string;
  batchThreshold?: number;
  /** `FORECAST_HOLIDAYS`: public holidays of this country or region as calendar regressors. */
  holidays?: string;
}

/**
 * The job's environment on the instance, named by the job contract and checked against the
 * job's own schema, so a value the job would reject fails synth instead of the 01:00 run.
 * Values that are CloudFormation tokens (a created bucket's name) are known only at deploy time
 * and are not checked.
 * @throws InfraConfigError naming every variable the job would reject, with its value
 */
export function jobEnvironment(o: JobEnvironmentOptions): Record<string, string> {
  const env: Record<string, string> = {
    [JOB_ENV.goldBucket]: o.goldBucketName,
    [JOB_ENV.table]: o.tableName,
    // The SDK's own setting, not part of the job contract.
    AWS_REGION: o.region,
    [JOB_ENV.source]: `s3://${o.goldBucketName}/${GOLD_PREFIX}`,
    [JOB_ENV.model]: o.forecastModel,
    // One JSON object per line, so CloudWatch Logs Insights can query the job's fields.
    [JOB_ENV.logFormat]: 'json',
    [JOB_ENV.metricsService]: o.metricsService,
  };
  if (o.forecastGuardrail) env[JOB_ENV.guardrail] = o.forecastGuardrail;
  if (o.archiveUri !== undefined) env[JOB_ENV.archive] = o.archiveUri;
  if (o.accuracyAlarmFactor !== undefined)
    env[JOB_ENV.accuracyAlarmFactor] = String(o.accuracyAlarmFactor);
  if (o.reportUri !== undefined) env[JOB_ENV.report] = o.reportUri;
  if (o.deadlineMinutes !== undefined) env[JOB_ENV.deadlineMinutes] = String(o.deadlineMinutes);
  if (o.modelMode !== undefined) env[JOB_ENV.modelMode] = o.modelMode;
  if (o.batchRoleArn !== undefined) env[JOB_ENV.batchRoleArn] = o.batchRoleArn;
  if (o.batchS3Uri !== undefined) env[JOB_ENV.batchS3] = o.batchS3Uri;
  if (o.batchThreshold !== undefined) env[JOB_ENV.batchThreshold] = String(o.batchThreshold);
  if (o.holidays !== undefined) env[JOB_ENV.holidays] = o.holidays;

  const known = Object.entries(env).filter(([, v]) => !Token.isUnresolved(v));
  // The job reads an empty variable as unset, which would silently drop the setting.
  const issues = known
    .filter(([, v]) => v === '')
    .map(([name]) => `job environment ${name} is empty (expected a value)`);
  const parsed = parseJobEnv(Object.fromEntries(known));
  if (!parsed.ok) {
    issues.push(
      ...parsed.issues.map(
        (i) => `job environment ${i.name} ${JSON.stringify(i.value)} is not valid (${i.message})`,
      ),
    );
  }
  if (issues.length > 0) throw new InfraConfigError(issues);
  return env;
}
