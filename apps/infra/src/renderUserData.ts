import {
  DEFAULT_METRICS_SERVICE,
  emfLineTemplate,
  JOB_ENV,
  JOB_LOG_DIR,
  JOB_LOG_FILE,
  JOB_LOG_STREAM,
  JOB_METRICS_FILE,
  JOB_METRICS_STREAM,
} from '@retail-forecast/job-contract';

export interface UserDataOptions {
  /** The watchdog powers the instance off after this many minutes whatever happens. */
  maxRunMinutes: number;
  region: string;
  /** `s3://bucket/key.zip` of the job bundle asset. */
  bundleS3Url: string;
  logGroupName: string;
  /**
   * Environment of the job (GOLD_BUCKET, FORECAST_TABLE, ...), quoted for bash. Its metrics
   * service is also the `Service` of the RunSuccess = 0 record written when the job never ran.
   */
  jobEnvironment: Record<string, string>;
}

const AGENT_CONFIG = '/opt/aws/amazon-cloudwatch-agent/etc/forecast-agent.json';

const quote = (v: string) => `'${v.replace(/'/g, `'\\''`)}'`;

/**
 * The instance's whole life as a bash script: it always ends by powering off, which the launch
 * template turns into terminate, so a run costs only its own minutes.
 */
export function renderUserData(o: UserDataOptions): string {
  // The record the job itself would write for a failed run, with the timestamp taken in bash.
  const failure = emfLineTemplate({
    service: o.jobEnvironment[JOB_ENV.metricsService] ?? DEFAULT_METRICS_SERVICE,
    values: { RunSuccess: 0 },
  });
  const agentConfig = {
    agent: { run_as_user: 'root' },
    logs: {
      force_flush_interval: 5,
      logs_collected: {
        files: {
          collect_list: [
            {
              file_path: JOB_LOG_FILE,
              log_group_name: o.logGroupName,
              log_stream_name: JOB_LOG_STREAM,
            },
            // CloudWatch Logs extracts metrics from any event in embedded metric format, so
            // shipping the job's EMF file as plain log lines is enough to get the metrics.
            {
              file_path: JOB_METRICS_FILE,
              log_group_name: o.logGroupName,
              log_stream_name: JOB_METRICS_STREAM,
            },
          ],
        },
      },
    },
  };
  const exports = Object.entries(o.jobEnvironment).map(([k, v]) => `export ${k}=${quote(v)}`);
  return [
    '#!/bin/bash',
    'set -euo pipefail',
    // Scheduled before anything else can hang (dnf, S3, the job): the hard stop for this run.
    `shutdown -h +${o.maxRunMinutes} 'forecast watchdog: max run time reached'`,
    'JOB_EXIT=""',
    'on_exit() {',
    '  rc=$?',
    '  echo "forecast bootstrap finished: job exit code ${JOB_EXIT:-not run}, script exit code $rc"',
    '  if [ -z "$JOB_EXIT" ]; then',
    '    # The job never ran, so it wrote no RunSuccess; record the failure for the alarm.',
    `    printf '%s%s%s\\n' ${quote(failure.before)} "$(date +%s%3N)" ${quote(failure.after)} >> ${JOB_METRICS_FILE} || true`,
    '  fi',
    '  # Give the agent time to ship the last lines; systemd stops it (flushing) on poweroff.',
    '  sleep 20',
    '  shutdown -h now',
    '}',
    "trap 'on_exit' EXIT",
    `mkdir -p ${JOB_LOG_DIR} /opt/forecast`,
    `touch ${JOB_METRICS_FILE}`,
    `exec >> ${JOB_LOG_FILE} 2>&1`,
    'echo "forecast bootstrap started at $(date -u +%FT%TZ)"',
    'dnf install -y nodejs20 amazon-cloudwatch-agent unzip',
    `cat > ${AGENT_CONFIG} <<'AGENT_JSON'`,
    JSON.stringify(agentConfig, null, 2),
    'AGENT_JSON',
    `/opt/aws/amazon-cloudwatch-agent/bin/amazon-cloudwatch-agent-ctl -a fetch-config -m ec2 -s -c file:${AGENT_CONFIG}`,
    `aws s3 cp --region ${quote(o.region)} ${quote(o.bundleS3Url)} /opt/forecast/bundle.zip`,
    'unzip -o -q /opt/forecast/bundle.zip -d /opt/forecast',
    // AL2023 installs versioned binaries (node-20) next to any default node.
    'NODE_BIN="$(command -v node-20 || command -v node)"',
    ...exports,
    `export ${JOB_ENV.metricsFile}=${JOB_METRICS_FILE}`,
    'cd /opt/forecast',
    'set +e',
    '"$NODE_BIN" /opt/forecast/main.mjs run',
    'JOB_EXIT=$?',
    'set -e',
    'echo "forecast job exit code: $JOB_EXIT"',
  ].join('\n');
}
