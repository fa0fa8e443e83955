import { describe, expect, it } from 'vitest';
import {
  DEFAULT_METRICS_SERVICE,
  JOB_METRICS,
  METRICS_DIMENSION,
  METRICS_NAMESPACE,
} from '@retail-forecast/job-contract';
import { testStacks, userDataOf } from './fixtures';
import { runUserData, type SandboxRun, type SandboxScenario } from './userDataSandbox';

const stacks = testStacks();
// The created stack: its job's Service is the default, its watchdog 60 minutes.
const script = () => userDataOf(stacks.created.template);

const failureRecords = (run: SandboxRun) => run.metrics.filter((m) => m.RunSuccess === 0);
const metricCalls = (run: SandboxRun) =>
  run.callsOf('aws').filter((args) => args[0] === 'cloudwatch' && args[1] === 'put-metric-data');
const poweredOff = (run: SandboxRun) =>
  run.callsOf('shutdown').some((args) => args[0] === '-h' && args[1] === 'now') ||
  run.callsOf('poweroff').some((args) => args[0] === '-f');

/** The CLI call of the fallback metric, checked against the contract. */
function expectFallbackMetricCall(run: SandboxRun): void {
  const calls = metricCalls(run);
  expect(calls).toHaveLength(1);
  const args = calls[0];
  const option = (name: string) => args[args.indexOf(name) + 1];
  expect(option('--namespace')).toBe(METRICS_NAMESPACE);
  expect(JSON.parse(option('--metric-data'))).toEqual([
    {
      MetricName: 'RunSuccess',
      Dimensions: [{ Name: METRICS_DIMENSION, Value: DEFAULT_METRICS_SERVICE }],
      Value: 0,
      Unit: JOB_METRICS.RunSuccess,
    },
  ]);
  expect(option('--region')).toBe('<AWS::Region>');
}

async function run(scenario: SandboxScenario): Promise<SandboxRun> {
  return runUserData(script(), scenario);
}

describe('user data in a sandbox of stub commands', { timeout: 30_000 }, () => {
  it('success: runs the job on node-22, reports no failure and powers off', async () => {
    const r = await run({ job: 'succeed' });

    expect(r.callsOf('shutdown')[0]).toEqual([
      '-h',
      '+60',
      'forecast watchdog: max run time reached',
    ]);
    expect(r.callsOf('dnf')).toEqual([
      ['install', '-y', 'amazon-cloudwatch-agent'],
      ['install', '-y', 'nodejs22', 'unzip'],
    ]);
    expect(r.callsOf('amazon-cloudwatch-agent-ctl')[0].slice(0, 2)).toEqual(['-a', 'fetch-config']);
    expect(r.callsOf('node-22').at(-1)).toEqual([
      expect.stringMatching(/\/opt\/forecast\/main\.mjs$/),
      'run',
    ]);
    expect(r.metrics.map((m) => m.RunSuccess)).toEqual([1]);
    expect(failureRecords(r)).toEqual([]);
    expect(metricCalls(r)).toEqual([]);
    expect(poweredOff(r)).toBe(true);
    expect(r.callsOf('systemd-run')).toEqual([]);
    expect(r.console).toContain('job: running with FORECAST_MODEL=statistical');
    expect(r.console).toContain('forecast job exit code: 0');
    expect(r.jobLog).toContain('forecast job exit code: 0');
  });

  it('job exits 1: the job recorded the failure, the user data adds none and powers off', async () => {
    const r = await run({ job: 'fail' });

    expect(failureRecords(r)).toHaveLength(1);
    expect(failureRecords(r)[0]).toMatchObject({ Service: DEFAULT_METRICS_SERVICE });
    expect(metricCalls(r)).toEqual([]);
    expect(r.console).toContain('forecast job exit code: 1');
    expect(poweredOff(r)).toBe(true);
  });

  it('job killed before writing its record: the user data records RunSuccess = 0', async () => {
    const r = await run({ job: 'crash' });

    expect(failureRecords(r)).toHaveLength(1);
    expect(failureRecords(r)[0]).toMatchObject({ [METRICS_DIMENSION]: DEFAULT_METRICS_SERVICE });
    // The agent is running and ships the line: no CLI call.
    expect(metricCalls(r)).toEqual([]);
    expect(poweredOff(r)).toBe(true);
  });

  it('dnf fails: retried, then RunSuccess = 0 in the file and through the AWS CLI, and powers off', async () => {
    const r = await run({ dnfFails: true });

    expect(r.callsOf('dnf')).toHaveLength(5);
    expect(r.callsOf('amazon-cloudwatch-agent-ctl')).toEqual([]);
    expect(r.callsOf('node-22')).toEqual([]);
    expect(failureRecords(r)).toHaveLength(1);
    expectFallbackMetricCall(r);
    expect(r.console).toContain('gave up after 5 attempts: dnf install -y amazon-cloudwatch-agent');
    expect(r.console).toContain('job exit code not run');
    expect(poweredOff(r)).toBe(true);
  });

  it('bundle download fails: retried, RunSuccess = 0 shipped by the agent, powers off', async () => {
    const r = await run({ bundleDownloadFails: true });

    const copies = r.callsOf('aws').filter((a) => a[0] === 's3' && a[1] === 'cp');
    expect(copies).toHaveLength(3);
    expect(r.callsOf('node-22')).toEqual([]);
    expect(failureRecords(r)).toHaveLength(1);
    expect(metricCalls(r)).toEqual([]);
    expect(poweredOff(r)).toBe(true);
  });

  it('watchdog scheduling fails: falls back to a forced poweroff timer, still runs and powers off', async () => {
    const r = await run({ schedulingFails: true, job: 'succeed' });

    expect(r.callsOf('systemd-run')).toEqual([
      ['--unit=forecast-watchdog', '--on-active=3600', '/usr/sbin/poweroff', '-f'],
    ]);
    // Both failed, so the background timer sleeps the maximum run time.
    expect(r.callsOf('sleep')).toContainEqual(['3600']);
    expect(r.console).toContain(
      'shutdown and systemd-run failed; a background timer will force the poweroff',
    );
    expect(r.metrics.map((m) => m.RunSuccess)).toEqual([1]);
    expect(metricCalls(r)).toEqual([]);
    // `shutdown -h now` fails too: the trap forces the poweroff.
    expect(r.callsOf('poweroff')).toContainEqual(['-f']);
  });

  it('SIGTERM during the job: stops the job, reports RunSuccess = 0 with the CLI too, powers off', async () => {
    const r = await run({ job: 'hang', sigtermDuringJob: true });

    expect(r.console).toContain('received SIGTERM');
    expect(r.console).toContain('job: terminated');
    expect(r.console).toContain('interrupted by SIGTERM');
    expect(failureRecords(r)).toHaveLength(1);
    expectFallbackMetricCall(r);
    expect(poweredOff(r)).toBe(true);
    // No wait for the agent: the shutdown is already stopping it.
    expect(r.callsOf('sleep')).not.toContainEqual(['20']);
  });
});
