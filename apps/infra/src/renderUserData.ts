import {
  DEFAULT_METRICS_SERVICE,
  emfLineTemplate,
  JOB_ENV,
  JOB_LOG_DIR,
  JOB_LOG_FILE,
  JOB_LOG_STREAM,
  JOB_METRICS,
  JOB_METRICS_FILE,
  JOB_METRICS_STREAM,
  METRICS_DIMENSION,
  METRICS_NAMESPACE,
  type JobMetricName,
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
   * service is also the `Service` of the RunSuccess = 0 record written when the job did not
   * record the run itself.
   */
  jobEnvironment: Record<string, string>;
}

const AGENT_CONFIG = '/opt/aws/amazon-cloudwatch-agent/etc/forecast-agent.json';
const AGENT_CTL = '/opt/aws/amazon-cloudwatch-agent/bin/amazon-cloudwatch-agent-ctl';
/** The serial console: `aws ec2 get-console-output` shows it when nothing reached CloudWatch. */
const CONSOLE = '/dev/console';
/** Amazon Linux 2023 package of Node.js 22 and the versioned binary it installs. */
const NODE_PACKAGE = 'nodejs22';
const NODE_BINARY = 'node-22';

const quote = (v: string) => `'${v.replace(/'/g, `'\\''`)}'`;

/**
 * The instance's whole life as a bash script. It always ends by powering off, which the launch
 * template turns into terminate, so a run costs only its own minutes:
 * - the EXIT trap is installed before anything else, and SIGTERM/SIGINT/SIGHUP exit through it;
 * - the watchdog has fallbacks (`shutdown -h +N`, else a `systemd-run` timer, else a background
 *   `sleep; poweroff -f`), and the trap powers off with `poweroff -f` if `shutdown` fails;
 * - every line also goes to the serial console;
 * - dnf and the bundle download are retried;
 * - a run that failed before the job recorded it gets a `RunSuccess` = 0 EMF line, and when the
 *   CloudWatch agent is not there to ship it (or the instance is being shut down) the same
 *   metric is sent with the preinstalled AWS CLI.
 */
export function renderUserData(o: UserDataOptions): string {
  const service = o.jobEnvironment[JOB_ENV.metricsService] ?? DEFAULT_METRICS_SERVICE;
  // The record the job itself would write for a failed run, with the timestamp taken in bash.
  const failure = emfLineTemplate({ service, values: { RunSuccess: 0 } });
  const runSuccess: JobMetricName = 'RunSuccess';
  const failureMetricData = JSON.stringify([
    {
      MetricName: runSuccess,
      Dimensions: [{ Name: METRICS_DIMENSION, Value: service }],
      Value: 0,
      Unit: JOB_METRICS[runSuccess],
    },
  ]);
  const watchdogSeconds = o.maxRunMinutes * 60;
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
    'JOB_EXIT=""',
    'JOB_PID=""',
    'AGENT_STARTED=""',
    'INTERRUPTED=""',
    'METRIC_LINES_BEFORE=0',
    'needs_failure_record() {',
    '  # The job records its own run, failed or not, unless it never ran or died before writing.',
    '  if [ "$JOB_EXIT" = 0 ]; then return 1; fi',
    `  if [ -n "$JOB_EXIT" ] && [ "$(wc -l < ${JOB_METRICS_FILE})" -gt "$METRIC_LINES_BEFORE" ]; then return 1; fi`,
    '  return 0',
    '}',
    'on_exit() {',
    '  rc=$?',
    '  set +eu',
    '  trap "" TERM INT HUP',
    '  echo "forecast bootstrap finished: job exit code ${JOB_EXIT:-not run}, script exit code $rc${INTERRUPTED:+, interrupted by SIG$INTERRUPTED}"',
    '  if needs_failure_record; then',
    '    echo "forecast run failed before the job recorded it: recording RunSuccess=0"',
    `    mkdir -p ${JOB_LOG_DIR}`,
    `    printf '%s%s%s\\n' ${quote(failure.before)} "$(date +%s%3N)" ${quote(failure.after)} >> ${JOB_METRICS_FILE} || true`,
    '    if [ -z "$AGENT_STARTED" ] || [ -n "$INTERRUPTED" ]; then',
    '      # No agent to ship that line, or the shutdown is stopping it: send the metric itself.',
    `      timeout 60 aws cloudwatch put-metric-data --region ${quote(o.region)} --namespace ${quote(METRICS_NAMESPACE)} --metric-data ${quote(failureMetricData)} \\`,
    '        || echo "forecast bootstrap: could not send RunSuccess=0 with the AWS CLI"',
    '    fi',
    '  fi',
    '  if [ -n "$AGENT_STARTED" ] && [ -z "$INTERRUPTED" ]; then',
    '    # Give the agent time to ship the last lines; systemd stops it (flushing) on poweroff.',
    '    sleep 20',
    '  fi',
    '  echo "forecast bootstrap: powering off"',
    "  shutdown -h now 'forecast run finished' || poweroff -f",
    '}',
    "trap 'on_exit' EXIT",
    'on_signal() {',
    '  INTERRUPTED=$1',
    '  echo "forecast bootstrap: received SIG$1"',
    '  if [ -n "$JOB_PID" ]; then kill -TERM "$JOB_PID" 2>/dev/null || true; fi',
    '  exit $((128 + $2))',
    '}',
    "trap 'on_signal TERM 15' TERM",
    "trap 'on_signal INT 2' INT",
    "trap 'on_signal HUP 1' HUP",
    `mkdir -p ${JOB_LOG_DIR} /opt/forecast`,
    `touch ${JOB_METRICS_FILE}`,
    // tee ignores SIGTERM so that, when a shutdown stops this script, the trap's lines still
    // get out; it ends when the script closes its output.
    `exec > >(trap '' TERM HUP; exec tee -a ${JOB_LOG_FILE} ${CONSOLE} >/dev/null) 2>&1`,
    'echo "forecast bootstrap started at $(date -u +%FT%TZ)"',
    'watchdog() {',
    `  if shutdown -h +${o.maxRunMinutes} 'forecast watchdog: max run time reached'; then`,
    `    echo "forecast watchdog: shutdown scheduled in ${o.maxRunMinutes} minutes"`,
    `  elif systemd-run --unit=forecast-watchdog --on-active=${watchdogSeconds} /usr/sbin/poweroff -f; then`,
    '    echo "forecast watchdog: shutdown could not be scheduled; a systemd timer will force the poweroff"',
    '  else',
    '    echo "forecast watchdog: shutdown and systemd-run failed; a background timer will force the poweroff"',
    `    ( sleep ${watchdogSeconds}; poweroff -f ) </dev/null >/dev/null 2>&1 &`,
    '  fi',
    '}',
    // Before anything that can hang (dnf, S3, the job): the hard stop for this run.
    'watchdog',
    'retry() {',
    '  local attempts=$1 delay=$2 n=1',
    '  shift 2',
    '  until "$@"; do',
    '    if [ "$n" -ge "$attempts" ]; then',
    '      echo "forecast bootstrap: gave up after $attempts attempts: $*"',
    '      return 1',
    '    fi',
    '    echo "forecast bootstrap: attempt $n of $attempts failed: $*; retrying in $((delay * n)) s"',
    '    sleep $((delay * n))',
    '    n=$((n + 1))',
    '  done',
    '}',
    // The agent first, on its own: a failure of anything later is then still shipped.
    'retry 5 10 dnf install -y amazon-cloudwatch-agent',
    `cat > ${AGENT_CONFIG} <<'AGENT_JSON'`,
    JSON.stringify(agentConfig, null, 2),
    'AGENT_JSON',
    `${AGENT_CTL} -a fetch-config -m ec2 -s -c file:${AGENT_CONFIG}`,
    'AGENT_STARTED=1',
    `retry 5 10 dnf install -y ${NODE_PACKAGE} unzip`,
    `retry 3 10 aws s3 cp --region ${quote(o.region)} ${quote(o.bundleS3Url)} /opt/forecast/bundle.zip`,
    'unzip -o -q /opt/forecast/bundle.zip -d /opt/forecast',
    // AL2023 installs versioned binaries (node-22) next to any default node (which may be older).
    `NODE_BIN="$(command -v ${NODE_BINARY})" || { echo "forecast bootstrap: ${NODE_BINARY} not found after installing ${NODE_PACKAGE}"; exit 1; }`,
    'echo "forecast bootstrap: Node.js $("$NODE_BIN" --version)"',
    ...exports,
    `export ${JOB_ENV.metricsFile}=${JOB_METRICS_FILE}`,
    'cd /opt/forecast',
    `METRIC_LINES_BEFORE="$(wc -l < ${JOB_METRICS_FILE})"`,
    // In the background so a signal reaches the trap at once (bash defers traps while it waits
    // for a foreground command); the trap passes SIGTERM on to the job.
    '"$NODE_BIN" /opt/forecast/main.mjs run &',
    'JOB_PID=$!',
    'set +e',
    'wait "$JOB_PID"',
    'JOB_EXIT=$?',
    'set -e',
    'echo "forecast job exit code: $JOB_EXIT"',
  ].join('\n');
}
