import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { JOB_ENV, METRICS_NAMESPACE } from '@retail-forecast/job-contract';
import pkg from '../package.json';
import { runLocalCli, useTempDir } from './harness';

/**
 * The CLI on a small local CSV with --dry-run: no AWS, no emulators. The environment is passed
 * only as `io.env` (process.env is not touched), which is what the demo and the tests rely on.
 */
describe('forecast CLI settings', () => {
  const tmp = useTempDir('forecast-cli-');
  let csv: string;

  beforeAll(async () => {
    csv = join(tmp.path, 'gold.csv');
    const rows = ['product_id,event_date,daily_sales'];
    for (let d = 1; d <= 28; d++) rows.push(`P1,2025-02-${String(d).padStart(2, '0')},${d % 7}`);
    await writeFile(csv, `${rows.join('\n')}\n`);
  });

  const cli = runLocalCli;

  const dryRun = ['run', '--dry-run', '--json'];

  it('treats an empty value as not given, flag and environment variable alike', async () => {
    const engine = async (args: string[], env: NodeJS.ProcessEnv = {}) => {
      const r = await cli([...dryRun, '--source', csv, ...args], env);
      expect(r.stderr).not.toMatch(/ERROR|invalid/);
      expect(r.code).toBe(0);
      const s = JSON.parse(r.stdout);
      return { horizon: s.horizon, globalModel: s.engine.globalModel, holidays: s.engine.holidays };
    };
    const defaults = { horizon: 7, globalModel: false, holidays: null };
    expect(await engine(['--global-model', '', '--horizon', ' ', '--holidays', ''])).toEqual(
      defaults,
    );
    expect(
      await engine([], { FORECAST_GLOBAL_MODEL: '', FORECAST_HORIZON: '', FORECAST_HOLIDAYS: '' }),
    ).toEqual(defaults);
    // An empty flag leaves the decision to the environment variable, then the default.
    expect(await engine(['--holidays', ''], { FORECAST_HOLIDAYS: 'US' })).toMatchObject({
      holidays: 'US',
    });
    // Commander reads process.env itself: an empty variable there is not set either.
    process.env.FORECAST_GLOBAL_MODEL = '';
    try {
      expect(await engine([])).toEqual(defaults);
    } finally {
      delete process.env.FORECAST_GLOBAL_MODEL;
    }
  });

  it('refuses a value-taking flag given twice instead of keeping the last one', async () => {
    const { code, stdout, stderr } = await cli([
      ...dryRun,
      '--source',
      csv,
      '--as-of',
      '2025-02-28',
      '--shard',
      '0/4',
      '--shard',
      '1/4',
    ]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe(
      `error: option '--shard <i/N>' is given 2 times ("0/4", "1/4"); give it once\n`,
    );
    // A flag without a value may be repeated: it says the same thing twice.
    expect((await cli([...dryRun, '--dry-run', '--source', csv])).code).toBe(0);
  });

  it('rejects an unknown FORECAST_LOG_LEVEL instead of switching filtering off', async () => {
    const { code, stderr } = await cli([...dryRun, '--source', csv], {
      FORECAST_LOG_LEVEL: 'verbose',
    });
    expect(code).toBe(2);
    expect(stderr).toContain('FORECAST_LOG_LEVEL "verbose" is not valid');
  });

  it('filters logs below FORECAST_LOG_LEVEL', async () => {
    const info = await cli([...dryRun, '--source', csv]);
    const warn = await cli([...dryRun, '--source', csv], { FORECAST_LOG_LEVEL: 'warn' });
    expect(info.stderr).toMatch(/sales data loaded/);
    expect(warn.code).toBe(0);
    expect(warn.stderr).not.toMatch(/sales data loaded/);
  });

  it('writes the metrics record under the configured FORECAST_METRICS_SERVICE', async () => {
    const metricsFile = join(tmp.path, 'metrics.emf');
    const { code } = await cli([...dryRun, '--source', csv, '--metrics-file', metricsFile], {
      FORECAST_METRICS_SERVICE: 'nightly-eu',
    });
    expect(code).toBe(0);
    const records = (await readFile(metricsFile, 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(records).toHaveLength(1);
    expect(records[0].Service).toBe('nightly-eu');
    expect(records[0]._aws.CloudWatchMetrics[0].Namespace).toBe(METRICS_NAMESPACE);
    expect(records[0].RunSuccess).toBe(1);
    expect(records[0].ProductsForecast).toBe(1);
  });

  it('records a failed run in the metrics file when the settings are bad', async () => {
    const metricsFile = join(tmp.path, 'bad.emf');
    const { code } = await cli([...dryRun, '--source', csv], {
      FORECAST_METRICS_FILE: metricsFile,
      FORECAST_HORIZON: '0',
    });
    expect(code).toBe(2);
    const record = JSON.parse(await readFile(metricsFile, 'utf8'));
    expect(record.Service).toBe('demand-forecast');
    expect(record.RunSuccess).toBe(0);
  });

  it('takes settings from io.env, and flags win over them', async () => {
    const fromEnv = await cli([...dryRun, '--source', csv], { FORECAST_HORIZON: '14' });
    expect(JSON.parse(fromEnv.stdout).horizon).toBe(14);
    const fromFlag = await cli([...dryRun, '--source', csv, '--horizon', '3'], {
      FORECAST_HORIZON: '14',
    });
    expect(JSON.parse(fromFlag.stdout).horizon).toBe(3);
  });

  it('names each invalid setting by the variable or flag it came from (exit 2)', async () => {
    const env = await cli([...dryRun, '--source', csv], {
      FORECAST_WORKERS: 'lots',
      FORECAST_GUARDRAIL: 'maybe',
    });
    expect(env.code).toBe(2);
    expect(env.stderr).toContain('FORECAST_WORKERS "lots" is not valid');
    expect(env.stderr).toContain('FORECAST_GUARDRAIL "maybe" is not valid');
    const flag = await cli([...dryRun, '--source', csv, '--horizon', '91']);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain('--horizon "91" is not valid');
    const choice = await cli([...dryRun, '--source', csv, '--guardrail', 'maybe']);
    expect(choice.code).toBe(2);
  });

  it('names every missing setting in one message (exit 2)', async () => {
    const { code, stderr } = await cli(['run']);
    expect(code).toBe(2);
    expect(stderr).toMatch(
      /missing configuration: --source \(or GOLD_BUCKET \/ FORECAST_SOURCE\), --table \(or FORECAST_TABLE\)/,
    );
  });

  it('prints the package version', async () => {
    const { code, stdout } = await cli(['--version']);
    expect(code).toBe(0);
    expect(stdout.trim()).toBe(pkg.version);
  });

  it('names every environment variable of the job in run --help', async () => {
    const { code, stdout } = await cli(['run', '--help']);
    expect(code).toBe(0);
    for (const name of Object.values(JOB_ENV)) expect(stdout).toContain(name);
    expect(stdout).toContain('default: 7');
  });

  it('documents --level-shifts on run and backtest, with its settings, default and variable', async () => {
    for (const command of ['run', 'backtest']) {
      const { code, stdout } = await cli([command, '--help']);
      expect(code).toBe(0);
      const help = stdout.replace(/\s+/g, ' ');
      expect(help).toContain(
        '--level-shifts <setting> demand that moved 2× or more 3–13 weeks ago: fit on the days since the shift (follow, default) or on the whole history (ignore) (choices: "follow", "ignore", default: "follow", env: FORECAST_LEVEL_SHIFTS)',
      );
    }
  });

  it('documents --weekday-profile on run and backtest, with its settings, default and variable', async () => {
    for (const command of ['run', 'backtest']) {
      const { code, stdout } = await cli([command, '--help']);
      expect(code).toBe(0);
      const help = stdout.replace(/\s+/g, ' ');
      expect(help).toContain(
        `--weekday-profile <setting> young products (under 26 weeks) whose models leave the week flat: spread it by the category's or catalogue's weekday profile (catalogue, default) or keep the models' week (own) (choices: "catalogue", "own", default: "catalogue", env: FORECAST_WEEKDAY_PROFILE)`,
      );
    }
  });
});
