import { describe, expect, it } from 'vitest';
import {
  buildEmfRecord,
  buildLauncherEmfRecord,
  DEFAULT_METRICS_SERVICE,
  JOB_DEFAULTS,
  JOB_ENV,
  JOB_METRICS,
  LAUNCHER_METRICS,
  METRICS_NAMESPACE,
  OUTLIER_SETTINGS,
  LEVEL_SHIFT_SETTINGS,
  WEEKDAY_PROFILE_SETTINGS,
  parseJobEnv,
} from '../src/index';

describe('parseJobEnv', () => {
  it('counts an empty or blank value as unset, for every variable', () => {
    expect(
      parseJobEnv({ FORECAST_GLOBAL_MODEL: '', FORECAST_HOLIDAYS: '  ', FORECAST_HORIZON: ' ' }),
    ).toEqual({ ok: true, value: {} });
  });

  it('types the job variables and ignores everything else', () => {
    const r = parseJobEnv({
      FORECAST_HORIZON: '14',
      FORECAST_WORKERS: '0',
      FORECAST_MODEL: 'bedrock:anthropic.claude',
      FORECAST_LOG_LEVEL: 'debug',
      FORECAST_DEADLINE_MINUTES: '30',
      FORECAST_TABLE: '',
      PATH: '/usr/bin',
    });
    expect(r).toEqual({
      ok: true,
      value: {
        FORECAST_HORIZON: 14,
        FORECAST_WORKERS: 0,
        FORECAST_MODEL: 'bedrock:anthropic.claude',
        FORECAST_LOG_LEVEL: 'debug',
        FORECAST_DEADLINE_MINUTES: 30,
      },
    });
  });

  it('names every invalid variable with its value', () => {
    const r = parseJobEnv({
      FORECAST_LOG_LEVEL: 'verbose',
      FORECAST_HORIZON: '7.5',
      FORECAST_CONCURRENCY: '0',
      FORECAST_GUARDRAIL: 'strict',
      FORECAST_MODEL: 'gpt',
      FORECAST_DEADLINE_MINUTES: '0',
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues.map((i) => [i.name, i.value])).toEqual(
      expect.arrayContaining([
        ['FORECAST_LOG_LEVEL', 'verbose'],
        ['FORECAST_HORIZON', '7.5'],
        ['FORECAST_CONCURRENCY', '0'],
        ['FORECAST_GUARDRAIL', 'strict'],
        ['FORECAST_MODEL', 'gpt'],
        ['FORECAST_DEADLINE_MINUTES', '0'],
      ]),
    );
    expect(r.issues.find((i) => i.name === 'FORECAST_HORIZON')?.message).toMatch(/1 to 90/);
  });

  it('types the loader settings: time zone, duplicate policy and bad-row budget', () => {
    expect(
      parseJobEnv({
        FORECAST_TIMEZONE: 'Europe/Berlin',
        FORECAST_ON_DUPLICATE: 'sum',
        FORECAST_MAX_BAD_ROWS: '0.5%',
      }),
    ).toEqual({
      ok: true,
      value: {
        FORECAST_TIMEZONE: 'Europe/Berlin',
        FORECAST_ON_DUPLICATE: 'sum',
        FORECAST_MAX_BAD_ROWS: '0.5%',
      },
    });
    expect(parseJobEnv({ FORECAST_MAX_BAD_ROWS: '25' })).toMatchObject({ ok: true });
  });

  it('rejects an unknown time zone, policy or budget, naming each', () => {
    const r = parseJobEnv({
      FORECAST_TIMEZONE: 'Europe/Berlln',
      FORECAST_ON_DUPLICATE: 'first',
      FORECAST_MAX_BAD_ROWS: '150%',
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues.map((i) => [i.name, i.value])).toEqual(
      expect.arrayContaining([
        ['FORECAST_TIMEZONE', 'Europe/Berlln'],
        ['FORECAST_ON_DUPLICATE', 'first'],
        ['FORECAST_MAX_BAD_ROWS', '150%'],
      ]),
    );
  });

  it('types the outlier setting, clean or keep, and names any other value', () => {
    for (const setting of OUTLIER_SETTINGS)
      expect(parseJobEnv({ FORECAST_OUTLIERS: setting })).toEqual({
        ok: true,
        value: { FORECAST_OUTLIERS: setting },
      });
    expect(JOB_DEFAULTS.outliers).toBe('clean');
    const r = parseJobEnv({ FORECAST_OUTLIERS: 'remove' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues).toEqual([
      { name: 'FORECAST_OUTLIERS', value: 'remove', message: expect.stringMatching(/clean.*keep/) },
    ]);
  });

  it('types the level-shift setting, follow or ignore, and names any other value', () => {
    for (const setting of LEVEL_SHIFT_SETTINGS)
      expect(parseJobEnv({ FORECAST_LEVEL_SHIFTS: setting })).toEqual({
        ok: true,
        value: { FORECAST_LEVEL_SHIFTS: setting },
      });
    expect(JOB_DEFAULTS.levelShifts).toBe('follow');
    const r = parseJobEnv({ FORECAST_LEVEL_SHIFTS: 'maybe' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues).toEqual([
      {
        name: 'FORECAST_LEVEL_SHIFTS',
        value: 'maybe',
        message: expect.stringMatching(/follow.*ignore/),
      },
    ]);
  });

  it('types the weekday-profile setting, catalogue or own, and names any other value', () => {
    for (const setting of WEEKDAY_PROFILE_SETTINGS)
      expect(parseJobEnv({ FORECAST_WEEKDAY_PROFILE: setting })).toEqual({
        ok: true,
        value: { FORECAST_WEEKDAY_PROFILE: setting },
      });
    expect(JOB_DEFAULTS.weekdayProfile).toBe('catalogue');
    const r = parseJobEnv({ FORECAST_WEEKDAY_PROFILE: 'maybe' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues).toEqual([
      {
        name: 'FORECAST_WEEKDAY_PROFILE',
        value: 'maybe',
        message: expect.stringMatching(/catalogue.*own/),
      },
    ]);
  });

  it('has one distinct variable name per setting', () => {
    const names = Object.values(JOB_ENV);
    expect(new Set(names).size).toBe(names.length);
  });
});

describe('buildEmfRecord', () => {
  it('declares each given metric once under the namespace and the Service dimension', () => {
    const r = buildEmfRecord({
      service: 'nightly',
      values: { RunSuccess: 0, DurationSeconds: 12.5 },
      properties: { runId: 'r1', asOf: undefined },
      timestamp: 1_700_000_000_000,
    });
    expect(r._aws.CloudWatchMetrics).toEqual([
      {
        Namespace: METRICS_NAMESPACE,
        Dimensions: [['Service']],
        Metrics: [
          { Name: 'DurationSeconds', Unit: 'Seconds' },
          { Name: 'RunSuccess', Unit: 'Count' },
        ],
      },
    ]);
    expect(r).toMatchObject({
      Service: 'nightly',
      RunSuccess: 0,
      DurationSeconds: 12.5,
      runId: 'r1',
    });
    expect(r._aws.Timestamp).toBe(1_700_000_000_000);
    expect(JSON.parse(JSON.stringify(r))).not.toHaveProperty('asOf');
  });

  it('knows every metric the alarms may watch', () => {
    expect(Object.keys(JOB_METRICS)).toContain('RunSuccess');
    expect(DEFAULT_METRICS_SERVICE).toBe('demand-forecast');
  });
});

describe('buildLauncherEmfRecord', () => {
  it('declares launcher metrics under the job namespace and Service dimension', () => {
    const r = buildLauncherEmfRecord({
      service: 'nightly',
      values: { StaleInstancesTerminated: 2 },
      properties: { instanceIds: 'i-1,i-2' },
      timestamp: 1_700_000_000_000,
    });
    expect(r._aws.CloudWatchMetrics).toEqual([
      {
        Namespace: METRICS_NAMESPACE,
        Dimensions: [['Service']],
        Metrics: [{ Name: 'StaleInstancesTerminated', Unit: 'Count' }],
      },
    ]);
    expect(r).toMatchObject({
      Service: 'nightly',
      StaleInstancesTerminated: 2,
      instanceIds: 'i-1,i-2',
    });
  });

  it('keeps launcher and job metric names apart', () => {
    const shared = Object.keys(LAUNCHER_METRICS).filter((n) => n in JOB_METRICS);
    expect(shared).toEqual([]);
  });
});

describe('planning and archive settings', () => {
  it('types lead time, review period, service level, archive and alarm factor', () => {
    const r = parseJobEnv({
      FORECAST_ARCHIVE: 's3://b/archive/',
      FORECAST_LEAD_TIME_DAYS: '0',
      FORECAST_REVIEW_PERIOD_DAYS: '14',
      FORECAST_SERVICE_LEVEL: '0.99',
      FORECAST_ACCURACY_ALARM_FACTOR: '1.5',
    });
    expect(r).toEqual({
      ok: true,
      value: {
        FORECAST_ARCHIVE: 's3://b/archive/',
        FORECAST_LEAD_TIME_DAYS: 0,
        FORECAST_REVIEW_PERIOD_DAYS: 14,
        FORECAST_SERVICE_LEVEL: 0.99,
        FORECAST_ACCURACY_ALARM_FACTOR: 1.5,
      },
    });
  });

  it('rejects a service level of 1 or 95 and an alarm factor of 1', () => {
    for (const [name, value] of [
      ['FORECAST_SERVICE_LEVEL', '1'],
      ['FORECAST_SERVICE_LEVEL', '95'],
      ['FORECAST_ACCURACY_ALARM_FACTOR', '1'],
      ['FORECAST_LEAD_TIME_DAYS', '-1'],
    ]) {
      const r = parseJobEnv({ [name]: value });
      expect(r.ok, `${name}=${value}`).toBe(false);
    }
  });

  it('types the model mode and the batch inference settings', () => {
    const r = parseJobEnv({
      FORECAST_MODEL_MODE: 'auto',
      FORECAST_BATCH_THRESHOLD: '2500',
      FORECAST_BATCH_ROLE_ARN: 'arn:aws:iam::123456789012:role/forecast-batch',
      FORECAST_BATCH_S3: 's3://gold-bucket/bedrock_batch/',
    });
    expect(r).toEqual({
      ok: true,
      value: {
        FORECAST_MODEL_MODE: 'auto',
        FORECAST_BATCH_THRESHOLD: 2500,
        FORECAST_BATCH_ROLE_ARN: 'arn:aws:iam::123456789012:role/forecast-batch',
        FORECAST_BATCH_S3: 's3://gold-bucket/bedrock_batch/',
      },
    });
  });

  it('rejects an unknown model mode, a zero threshold, a role name and a local batch path', () => {
    const r = parseJobEnv({
      FORECAST_MODEL_MODE: 'async',
      FORECAST_BATCH_THRESHOLD: '0',
      FORECAST_BATCH_ROLE_ARN: 'forecast-batch',
      FORECAST_BATCH_S3: '/tmp/batch',
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues.map((i) => i.name).sort()).toEqual([
      'FORECAST_BATCH_ROLE_ARN',
      'FORECAST_BATCH_S3',
      'FORECAST_BATCH_THRESHOLD',
      'FORECAST_MODEL_MODE',
    ]);
  });

  it('names accuracy metrics without a horizon length', () => {
    const accuracy = Object.keys(JOB_METRICS).filter((n) => /^(Wape|Mase|Bias|Coverage)/.test(n));
    expect(accuracy.length).toBeGreaterThan(0);
    for (const n of accuracy) expect(n).not.toMatch(/\d/);
  });
});
