/** Files on the job's instance that the CloudWatch agent ships to the job's log group. */
export const JOB_LOG_DIR = '/var/log/forecast';
/** Everything the user data and the job print. */
export const JOB_LOG_FILE = `${JOB_LOG_DIR}/job.log`;
/** The job's EMF records (`FORECAST_METRICS_FILE` on the instance). */
export const JOB_METRICS_FILE = `${JOB_LOG_DIR}/metrics.emf`;
/** Log stream names in the job's log group (`{instance_id}` is filled in by the agent). */
export const JOB_LOG_STREAM = '{instance_id}/job';
export const JOB_METRICS_STREAM = '{instance_id}/metrics';

/**
 * Tags the launcher puts on each instance (and volume) it starts. The stack's IAM conditions
 * (terminate only this job's instances) use the same keys.
 */
export const LAUNCH_TAGS = {
  /** The job name; finds the job's active instances. */
  job: 'forecast:job',
  /** The UTC date of the scheduled run, YYYY-MM-DD. */
  runDate: 'forecast:run-date',
} as const;
