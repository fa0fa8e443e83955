import { spawn } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { JOB_LOG_DIR, JOB_LOG_FILE, JOB_METRICS_FILE } from '@retail-forecast/job-contract';

/**
 * Runs the rendered user data under bash with every system command replaced by a stub: a temp
 * directory first on PATH holds `dnf`, `aws`, `shutdown`, `poweroff`, `systemctl`,
 * `systemd-run`, `curl`, `unzip` and `sleep` (dnf "installs" `node-22` and the agent's ctl the way
 * the packages would), each logging its argv and exiting as the scenario says. Absolute paths
 * of the script (`/var/log/forecast`, `/opt/...`, `/dev/console`) are moved under the sandbox.
 */
export interface SandboxScenario {
  /** `dnf` exits 1 on every call. */
  dnfFails?: boolean;
  /** `aws s3 cp` exits 1. */
  bundleDownloadFails?: boolean;
  /** `shutdown` (any call) and `systemd-run` exit 1. */
  schedulingFails?: boolean;
  /**
   * What the job (`node-22 main.mjs run`) does: `succeed` and `fail` append their RunSuccess
   * record like the real job and exit 0 / 1; `crash` exits 137 without a record; `hang` waits
   * until terminated.
   */
  job?: 'succeed' | 'fail' | 'crash' | 'hang';
  /** Send SIGTERM to the script once the job has started. */
  sigtermDuringJob?: boolean;
}

export interface SandboxRun {
  /** Every stub call, in order: the command name, then its arguments. */
  calls: string[][];
  /** Lines of the metrics file (EMF records), parsed. */
  metrics: Array<Record<string, unknown>>;
  /** What reached the (sandboxed) serial console. */
  console: string;
  jobLog: string;
  /** Calls of one command. */
  callsOf(command: string): string[][];
}

const STUB = `#!/bin/bash
# Logs its name and argv (NUL-separated, one record per call) and acts out the scenario.
name=$(basename "$0")
{ printf '%s\\0' "$name" "$@"; printf '\\x1e'; } >> "$SANDBOX/calls.log"
case "$name" in
  dnf)
    [ -n "\${STUB_DNF_FAILS:-}" ] && exit 1
    for pkg in "$@"; do
      case "$pkg" in
        amazon-cloudwatch-agent)
          mkdir -p "$SANDBOX/root/opt/aws/amazon-cloudwatch-agent/bin" "$SANDBOX/root/opt/aws/amazon-cloudwatch-agent/etc"
          cp "$0" "$SANDBOX/root/opt/aws/amazon-cloudwatch-agent/bin/amazon-cloudwatch-agent-ctl" ;;
        nodejs22) cp "$SANDBOX/node-22.stub" "$SANDBOX/bin/node-22" ;;
      esac
    done ;;
  aws)
    if [ "$1 $2" = "s3 cp" ]; then
      [ -n "\${STUB_S3_FAILS:-}" ] && exit 1
      : > "\${@: -1}"
    fi ;;
  shutdown|systemd-run)
    [ -n "\${STUB_SCHEDULING_FAILS:-}" ] && exit 1 ;;
  sleep)
    # The retry back-off and the trap's wait for the agent return at once; the watchdog's
    # background timer blocks (the test kills it).
    [ "$1" -gt 60 ] && exec /bin/sleep 600 ;;
esac
exit 0
`;

const NODE_STUB = `#!/bin/bash
{ printf '%s\\0' node-22 "$@"; printf '\\x1e'; } >> "$SANDBOX/calls.log"
[ "$1" = "--version" ] && { echo v22.0.0-stub; exit 0; }
record() {
  printf '{"_aws":{"Timestamp":1,"CloudWatchMetrics":[]},"Service":"%s","RunSuccess":%s}\\n' \\
    "$FORECAST_METRICS_SERVICE" "$1" >> "$FORECAST_METRICS_FILE"
}
echo "job: running with FORECAST_MODEL=$FORECAST_MODEL"
case "\${STUB_JOB:-succeed}" in
  succeed) record 1; exit 0 ;;
  fail) echo "job: 2 products failed"; record 0; exit 1 ;;
  crash) exit 137 ;;
  hang)
    trap 'echo "job: terminated"; echo terminated > "$SANDBOX/job-terminated"; exit 143' TERM
    touch "$SANDBOX/job-started"
    /bin/sleep 600 & wait ;;
esac
`;

const STUBBED = ['dnf', 'aws', 'shutdown', 'poweroff', 'systemctl', 'systemd-run', 'curl', 'unzip'];

/** The script with its absolute paths moved under `root`. */
export function sandboxPaths(script: string, root: string): string {
  return script
    .replaceAll(JOB_LOG_DIR, `${root}${JOB_LOG_DIR}`)
    .replaceAll('/opt/', `${root}/opt/`)
    .replaceAll('/dev/console', `${root}/console.log`);
}

const waitFor = async (check: () => boolean, what: string, ms = 10_000) => {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

export async function runUserData(script: string, scenario: SandboxScenario): Promise<SandboxRun> {
  const sandbox = mkdtempSync(path.join(tmpdir(), 'user-data-'));
  const bin = path.join(sandbox, 'bin');
  const root = path.join(sandbox, 'root');
  mkdirSync(bin);
  mkdirSync(root);
  for (const name of [...STUBBED, 'sleep']) {
    writeFileSync(path.join(bin, name), STUB);
    chmodSync(path.join(bin, name), 0o755);
  }
  writeFileSync(path.join(sandbox, 'node-22.stub'), NODE_STUB, { mode: 0o755 });
  writeFileSync(path.join(sandbox, 'calls.log'), '');
  const scriptPath = path.join(sandbox, 'user-data.sh');
  writeFileSync(scriptPath, sandboxPaths(script, root));

  const child = spawn('bash', [scriptPath], {
    cwd: sandbox,
    detached: true,
    stdio: 'ignore',
    env: {
      PATH: `${bin}:/usr/bin:/bin`,
      SANDBOX: sandbox,
      ...(scenario.dnfFails ? { STUB_DNF_FAILS: '1' } : {}),
      ...(scenario.bundleDownloadFails ? { STUB_S3_FAILS: '1' } : {}),
      ...(scenario.schedulingFails ? { STUB_SCHEDULING_FAILS: '1' } : {}),
      STUB_JOB: scenario.job ?? 'succeed',
    },
  });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  try {
    if (scenario.sigtermDuringJob) {
      await waitFor(() => existsSync(path.join(sandbox, 'job-started')), 'the job to start');
      process.kill(child.pid!, 'SIGTERM');
    }
    await Promise.race([
      exited,
      new Promise((_, reject) =>
        setTimeout(() => reject(new Error('user data did not finish in 20 s')), 20_000),
      ),
    ]);
    // tee writes the last lines once the script has closed its output.
    const consolePath = path.join(root, 'console.log');
    await waitFor(
      () =>
        existsSync(consolePath) &&
        readFileSync(consolePath, 'utf8').includes('forecast bootstrap: powering off'),
      'the last console line',
      2_000,
    ).catch(() => undefined);
  } finally {
    try {
      // The script's process group: the watchdog's background timer, a hung job, tee.
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
  }

  const read = (p: string) => (existsSync(p) ? readFileSync(p, 'utf8') : '');
  const calls = read(path.join(sandbox, 'calls.log'))
    .split('\x1e')
    .filter((r) => r.length > 0)
    .map((r) => r.split('\0').slice(0, -1));
  const metrics = read(path.join(root, JOB_METRICS_FILE))
    .split('\n')
    .filter((l) => l.trim().length > 0)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  const run: SandboxRun = {
    calls,
    metrics,
    console: read(path.join(root, 'console.log')),
    jobLog: read(path.join(root, JOB_LOG_FILE)),
    callsOf: (command) => calls.filter((c) => c[0] === command).map((c) => c.slice(1)),
  };
  rmSync(sandbox, { recursive: true, force: true });
  return run;
}
