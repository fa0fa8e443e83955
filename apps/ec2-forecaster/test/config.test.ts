import { describe, expect, it, vi } from 'vitest';
import { resolveRunConfig } from '../src/config';
import { batchOptionsFor, parseModelSpec, usesBatch } from '../src/forecastStep';
import { exitCodeOf } from '@retail-forecast/util';
import { ConfigError } from '../src/errors';
import { runDeadline } from '../src/runDeadline';

const awsEnv = {
  AWS_REGION: 'eu-west-1',
  GOLD_BUCKET: 'gold',
  FORECAST_TABLE: 'RetailInventoryTable',
};

describe('resolveRunConfig --shard', () => {
  it('reads i/N from the flag or FORECAST_SHARD, and needs an as-of', () => {
    expect(resolveRunConfig({ shard: '2/4', asOf: '2025-04-28' }, awsEnv).shard).toEqual({
      index: 2,
      count: 4,
    });
    const env = { ...awsEnv, FORECAST_SHARD: '0/3', FORECAST_AS_OF: '2025-04-28' };
    expect(resolveRunConfig({}, env).shard).toEqual({ index: 0, count: 3 });
    // 0/1 is the whole catalog: no shard.
    expect(resolveRunConfig({ shard: '0/1' }, awsEnv).shard).toBeUndefined();
    expect(() => resolveRunConfig({ shard: '1/4' }, awsEnv)).toThrow(
      '--shard "1/4" needs --as-of (or FORECAST_AS_OF): every shard of a run must forecast from the same day',
    );
  });

  it.each([
    ['4/4', '--shard "4/4" is not a shard (expected a shard index i from 0 to 3 (0 ≤ i < N))'],
    ['x', '--shard "x" is not a shard (expected i/N, e.g. 0/4 for the first of 4 shards)'],
  ])('rejects --shard %s with exit 2, saying what is allowed', (shard, message) => {
    const run = () => resolveRunConfig({ shard, asOf: '2025-04-28' }, awsEnv);
    expect(run).toThrow(ConfigError);
    expect(run).toThrow(message);
  });
});

describe('resolveRunConfig --global-model', () => {
  it('refuses to run with a shard, whose global model would differ from the unsharded run', () => {
    const run = () =>
      resolveRunConfig({ globalModel: 'on', shard: '1/4', asOf: '2025-04-28' }, awsEnv);
    expect(run).toThrow(ConfigError);
    expect(run).toThrow('--global-model on cannot be combined with --shard "1/4"');
    expect(
      resolveRunConfig({ globalModel: 'on', shard: '0/1', asOf: '2025-04-28' }, awsEnv).globalModel,
    ).toBe(true);
  });

  it('is off by default and on from the flag or FORECAST_GLOBAL_MODEL', () => {
    expect(resolveRunConfig({}, awsEnv).globalModel).toBe(false);
    expect(resolveRunConfig({ globalModel: 'on' }, awsEnv).globalModel).toBe(true);
    const env = { ...awsEnv, FORECAST_GLOBAL_MODEL: 'on' };
    expect(resolveRunConfig({}, env).globalModel).toBe(true);
    expect(resolveRunConfig({ globalModel: 'off' }, env).globalModel).toBe(false);
  });

  it('rejects a setting other than on or off with exit 2, naming it', () => {
    const run = () => resolveRunConfig({ globalModel: 'yes' }, awsEnv);
    expect(run).toThrow(ConfigError);
    expect(run).toThrow(/--global-model.*expected on or off/);
  });
});

describe('resolveRunConfig --outliers', () => {
  it('cleans by default, and keeps or cleans from the flag or FORECAST_OUTLIERS', () => {
    expect(resolveRunConfig({}, awsEnv).cleanOutliers).toBe(true);
    expect(resolveRunConfig({ outliers: 'keep' }, awsEnv).cleanOutliers).toBe(false);
    const env = { ...awsEnv, FORECAST_OUTLIERS: 'keep' };
    expect(resolveRunConfig({}, env).cleanOutliers).toBe(false);
    expect(resolveRunConfig({ outliers: 'clean' }, env).cleanOutliers).toBe(true);
    // Each shard cleans its own products' histories, as the unsharded run does.
    expect(
      resolveRunConfig({ outliers: 'keep', shard: '1/4', asOf: '2025-04-28' }, awsEnv)
        .cleanOutliers,
    ).toBe(false);
  });

  it('names the flag or variable, the value and the settings allowed', () => {
    const run = () => resolveRunConfig({ outliers: 'drop' }, awsEnv);
    expect(run).toThrow(ConfigError);
    expect(run).toThrow('--outliers "drop" is not valid (expected clean or keep)');
    const env = () => resolveRunConfig({}, { ...awsEnv, FORECAST_OUTLIERS: 'none' });
    expect(env).toThrow('FORECAST_OUTLIERS "none" is not valid (expected clean or keep)');
  });
});

describe('resolveRunConfig --level-shifts', () => {
  it('follows by default, and ignores or follows from the flag or FORECAST_LEVEL_SHIFTS', () => {
    expect(resolveRunConfig({}, awsEnv).followLevelShifts).toBe(true);
    expect(resolveRunConfig({ levelShifts: 'ignore' }, awsEnv).followLevelShifts).toBe(false);
    const env = { ...awsEnv, FORECAST_LEVEL_SHIFTS: 'ignore' };
    expect(resolveRunConfig({}, env).followLevelShifts).toBe(false);
    expect(resolveRunConfig({ levelShifts: 'follow' }, env).followLevelShifts).toBe(true);
    // Each shard looks for shifts in its own products' histories, as the unsharded run does.
    expect(
      resolveRunConfig({ levelShifts: 'ignore', shard: '1/4', asOf: '2025-04-28' }, awsEnv)
        .followLevelShifts,
    ).toBe(false);
  });

  it('names the flag or variable, the value and the settings allowed', () => {
    const run = () => resolveRunConfig({ levelShifts: 'maybe' }, awsEnv);
    expect(run).toThrow(ConfigError);
    expect(run).toThrow('--level-shifts "maybe" is not valid (expected follow or ignore)');
    const env = () => resolveRunConfig({}, { ...awsEnv, FORECAST_LEVEL_SHIFTS: 'never' });
    expect(env).toThrow('FORECAST_LEVEL_SHIFTS "never" is not valid (expected follow or ignore)');
  });
});

describe('resolveRunConfig --weekday-profile', () => {
  it('spreads by the catalogue by default, and keeps or spreads from the flag or FORECAST_WEEKDAY_PROFILE', () => {
    expect(resolveRunConfig({}, awsEnv).catalogueProfile).toBe(true);
    expect(resolveRunConfig({ weekdayProfile: 'own' }, awsEnv).catalogueProfile).toBe(false);
    const env = { ...awsEnv, FORECAST_WEEKDAY_PROFILE: 'own' };
    expect(resolveRunConfig({}, env).catalogueProfile).toBe(false);
    expect(resolveRunConfig({ weekdayProfile: 'catalogue' }, env).catalogueProfile).toBe(true);
    expect(
      resolveRunConfig({ weekdayProfile: 'own', shard: '1/4', asOf: '2025-04-28' }, awsEnv)
        .catalogueProfile,
    ).toBe(false);
  });

  it("keeps each product's own week in a shard's run, and refuses catalogue with a shard", () => {
    // Each shard would read its own products' profile: the shards would not equal the whole run.
    const sharded = { shard: '1/4', asOf: '2025-04-28' };
    expect(resolveRunConfig(sharded, awsEnv).catalogueProfile).toBe(false);
    const run = () => resolveRunConfig({ ...sharded, weekdayProfile: 'catalogue' }, awsEnv);
    expect(run).toThrow(ConfigError);
    expect(run).toThrow('--weekday-profile catalogue cannot be combined with --shard "1/4"');
    const env = { ...awsEnv, FORECAST_WEEKDAY_PROFILE: 'catalogue' };
    expect(() => resolveRunConfig(sharded, env)).toThrow(
      'FORECAST_WEEKDAY_PROFILE catalogue cannot be combined with --shard "1/4"',
    );
    // 0/1 is the whole catalogue.
    expect(resolveRunConfig({ shard: '0/1' }, awsEnv).catalogueProfile).toBe(true);
  });

  it('names the flag or variable, the value and the settings allowed', () => {
    const run = () => resolveRunConfig({ weekdayProfile: 'maybe' }, awsEnv);
    expect(run).toThrow(ConfigError);
    expect(run).toThrow('--weekday-profile "maybe" is not valid (expected catalogue or own)');
    const env = () => resolveRunConfig({}, { ...awsEnv, FORECAST_WEEKDAY_PROFILE: 'never' });
    expect(env).toThrow(
      'FORECAST_WEEKDAY_PROFILE "never" is not valid (expected catalogue or own)',
    );
  });
});

describe('resolveRunConfig --combination', () => {
  it('is top3 by default, and any rule from the flag or FORECAST_COMBINATION', () => {
    expect(resolveRunConfig({}, awsEnv).combination).toBe('top3');
    expect(resolveRunConfig({ combination: 'select' }, awsEnv).combination).toBe('select');
    const env = { ...awsEnv, FORECAST_COMBINATION: 'class' };
    expect(resolveRunConfig({}, env).combination).toBe('class');
    expect(resolveRunConfig({ combination: 'mean4' }, env).combination).toBe('mean4');
  });

  it('refuses class with a shard, whose class rule could differ from the unsharded run', () => {
    const run = () =>
      resolveRunConfig({ combination: 'class', shard: '1/4', asOf: '2025-04-28' }, awsEnv);
    expect(run).toThrow(ConfigError);
    expect(run).toThrow('--combination class cannot be combined with --shard "1/4"');
    expect(
      resolveRunConfig({ combination: 'select', shard: '1/4', asOf: '2025-04-28' }, awsEnv)
        .combination,
    ).toBe('select');
  });

  it('rejects an unknown rule with exit 2, naming it and what is allowed', () => {
    const run = () => resolveRunConfig({ combination: 'best' }, awsEnv);
    expect(run).toThrow(ConfigError);
    expect(run).toThrow(/--combination.*"best".*expected top3 \(the default\)/);
    // N is a number to choose, not a literal name: say which.
    expect(() => resolveRunConfig({ combination: 'top0' }, awsEnv)).toThrow(
      'top<N> or mean<N> (the median or mean of the N best, N = 1, 2, 3, …; all of them when there are fewer)',
    );
  });
});

describe('resolveRunConfig', () => {
  it('defaults the source to s3://$GOLD_BUCKET/forecast_ready/ and the table to $FORECAST_TABLE', () => {
    const c = resolveRunConfig({}, awsEnv);
    expect(c.source).toBe('s3://gold/forecast_ready/');
    expect(c.table).toBe('RetailInventoryTable');
    expect(c.horizon).toBe(7);
    expect(c.model).toEqual({ kind: 'statistical', id: 'statistical' });
    expect(c.guardrail).toBe('enforce');
    expect(c.dryRun).toBe(false);
  });

  it('lets flags override the environment', () => {
    const c = resolveRunConfig(
      {
        source: './data',
        table: 'Other',
        horizon: '14',
        model: 'bedrock:us.anthropic.claude-3-7-sonnet-20250219-v1:0',
      },
      awsEnv,
    );
    expect(c.source).toBe('./data');
    expect(c.table).toBe('Other');
    expect(c.horizon).toBe(14);
    expect(c.model).toEqual({
      kind: 'bedrock',
      id: 'us.anthropic.claude-3-7-sonnet-20250219-v1:0',
    });
  });

  it('resolves the loader settings: defaults, environment, flags winning', () => {
    expect(resolveRunConfig({}, awsEnv)).toMatchObject({
      timezone: 'UTC',
      onDuplicate: 'max',
      maxBadRows: { kind: 'percent', percent: 1 },
    });
    const env = {
      ...awsEnv,
      FORECAST_TIMEZONE: 'Europe/Berlin',
      FORECAST_ON_DUPLICATE: 'sum',
      FORECAST_MAX_BAD_ROWS: '25',
    };
    expect(resolveRunConfig({}, env)).toMatchObject({
      timezone: 'Europe/Berlin',
      onDuplicate: 'sum',
      maxBadRows: { kind: 'rows', rows: 25 },
    });
    expect(
      resolveRunConfig({ timezone: 'UTC', onDuplicate: 'error', maxBadRows: '0.5%' }, env),
    ).toMatchObject({
      timezone: 'UTC',
      onDuplicate: 'error',
      maxBadRows: { kind: 'percent', percent: 0.5 },
    });
  });

  it('names a bad time zone, policy or budget by its flag or variable', () => {
    expect(() => resolveRunConfig({ timezone: 'Mars/Olympus' }, awsEnv)).toThrow(
      '--timezone "Mars/Olympus" is not a time zone (expected an IANA time zone such as Europe/Berlin, or UTC)',
    );
    expect(() => resolveRunConfig({}, { ...awsEnv, FORECAST_MAX_BAD_ROWS: 'lots' })).toThrow(
      'FORECAST_MAX_BAD_ROWS "lots" is not valid (expected a number of rows, e.g. 25, or a percentage of the rows read, e.g. 1%)',
    );
    expect(() => resolveRunConfig({}, { ...awsEnv, FORECAST_ON_DUPLICATE: 'first' })).toThrow(
      'FORECAST_ON_DUPLICATE "first" is not valid (expected max, sum, last or error)',
    );
  });

  it('names every missing value at once (EC2 entry point fails fast)', () => {
    expect(() => resolveRunConfig({}, {})).toThrow(ConfigError);
    try {
      resolveRunConfig({}, {});
    } catch (err) {
      expect((err as Error).message).toMatch(/GOLD_BUCKET/);
      expect((err as Error).message).toMatch(/FORECAST_TABLE/);
      expect(exitCodeOf(err)).toBe(2);
    }
  });

  it('takes the report location from --report or FORECAST_REPORT', () => {
    expect(resolveRunConfig({ report: 'out/r.html' }, awsEnv).report).toBe('out/r.html');
    expect(resolveRunConfig({}, { ...awsEnv, FORECAST_REPORT: 's3://bkt/site/' }).report).toBe(
      's3://bkt/site/',
    );
    expect(resolveRunConfig({}, awsEnv).report).toBeUndefined();
    expect(() => resolveRunConfig({}, { ...awsEnv, FORECAST_REPORT: 'out/' })).toThrow(
      'FORECAST_REPORT "out/" is not a report location (expected a file ending in .html or s3://bucket/prefix/)',
    );
    expect(() =>
      resolveRunConfig({ source: './local.csv', dryRun: true, report: 's3://bkt/r/' }, {}),
    ).toThrow(/AWS_REGION/);
  });

  it('asks for AWS_REGION only when AWS is used', () => {
    expect(() => resolveRunConfig({ source: 's3://b/p/', dryRun: true }, {})).toThrow(/AWS_REGION/);
    expect(resolveRunConfig({ source: './local.csv', dryRun: true }, {}).region).toBeUndefined();
  });

  it.each([
    ['--as-of', { asOf: '2025-13-40' }, /--as-of "2025-13-40" is not a date/],
    ['--as-of', { asOf: '2025-02-30' }, /--as-of "2025-02-30" is not a date/],
    ['--horizon', { horizon: '0' }, /--horizon "0" is not valid/],
    ['--horizon', { horizon: 'seven' }, /--horizon "seven" is not valid/],
    ['--guardrail', { guardrail: 'maybe' }, /--guardrail "maybe" is not valid/],
    ['--model', { model: 'gpt' }, /--model "gpt" is not a model/],
  ])('rejects a bad %s', (_name, flags, message) => {
    expect(() => resolveRunConfig(flags, awsEnv)).toThrow(message);
  });
});

describe('run deadline setting', () => {
  it('defaults to 45 minutes and takes FORECAST_DEADLINE_MINUTES or --deadline-minutes', () => {
    expect(resolveRunConfig({}, awsEnv).deadlineMinutes).toBe(45);
    const fromEnv = { ...awsEnv, FORECAST_DEADLINE_MINUTES: '30' };
    expect(resolveRunConfig({}, fromEnv).deadlineMinutes).toBe(30);
    expect(resolveRunConfig({ deadlineMinutes: '20' }, fromEnv).deadlineMinutes).toBe(20);
  });

  it('names a bad deadline by the setting it came from', () => {
    expect(() => resolveRunConfig({ deadlineMinutes: '0' }, awsEnv)).toThrow(
      /--deadline-minutes "0" is not valid \(expected a whole number from 1 to 1440\)/,
    );
    expect(() => resolveRunConfig({}, { ...awsEnv, FORECAST_DEADLINE_MINUTES: 'soon' })).toThrow(
      /FORECAST_DEADLINE_MINUTES "soon" is not valid/,
    );
  });
});

describe('model limits at start', () => {
  const chronos = 'chronos:arn:aws:sagemaker:us-east-1:123456789012:endpoint/chronos-bolt';

  describe('model mode', () => {
    const HAIKU = 'bedrock:anthropic.claude-3-5-haiku-20241022-v1:0';
    const batchEnv = {
      ...awsEnv,
      FORECAST_BATCH_ROLE_ARN: 'arn:aws:iam::123456789012:role/forecast-batch',
      FORECAST_BATCH_S3: 's3://gold/bedrock_batch',
    };

    it('defaults to sync without batch settings', () => {
      const c = resolveRunConfig({ model: HAIKU }, awsEnv);
      expect(c.modelMode).toBe('sync');
      expect(c.batch).toBeUndefined();
    });

    it('takes auto with its threshold, role and S3 location for a Converse model', () => {
      const c = resolveRunConfig(
        { model: HAIKU, modelMode: 'auto', batchThreshold: '250' },
        batchEnv,
      );
      expect(c.modelMode).toBe('auto');
      expect(c.batch).toEqual({
        roleArn: 'arn:aws:iam::123456789012:role/forecast-batch',
        s3: 's3://gold/bedrock_batch/',
        threshold: 250,
        pollSeconds: 60,
      });
    });

    it('names the missing role and S3 location of batch mode', () => {
      expect(() => resolveRunConfig({ model: HAIKU, modelMode: 'batch' }, awsEnv)).toThrow(
        /missing configuration: FORECAST_BATCH_ROLE_ARN \(for --model-mode batch\), FORECAST_BATCH_S3/,
      );
    });

    it('refuses batch for Chronos (exit 2) and an unknown mode by its flag', () => {
      const chronos = () =>
        resolveRunConfig(
          { model: 'chronos:amazon.chronos-bolt-base', modelMode: 'batch' },
          batchEnv,
        );
      expect(chronos).toThrow(/"batch" is for Converse models/);
      expect(chronos).toThrow(ConfigError);
      expect(() => resolveRunConfig({ model: HAIKU, modelMode: 'async' }, batchEnv)).toThrow(
        /--model-mode "async" is not valid \(expected sync, batch or auto\)/,
      );
    });

    it('refuses batch for a chronos2 endpoint at start (exit 2), as for Chronos-Bolt', () => {
      const chronos2 = () =>
        resolveRunConfig({ model: 'chronos2:chronos-2-demo', modelMode: 'batch' }, batchEnv);
      expect(chronos2).toThrow(ConfigError);
      expect(chronos2).toThrow(
        /--model-mode "batch" is for Converse models \(bedrock:<id>\); chronos2:chronos-2-demo is Chronos-2 on a SageMaker real-time endpoint, which has no batch inference/,
      );
      // `auto` keeps chronos2 on demand: no batch settings needed, none set.
      const auto = resolveRunConfig(
        { model: 'chronos2:chronos-2-demo', modelMode: 'auto' },
        awsEnv,
      );
      expect(auto.batch).toBeUndefined();
      expect(usesBatch(auto.model, 'auto', 50_000, 1000)).toBe(false);
    });

    it('sends a batch job for batch, or for auto from the threshold on, and never for Chronos', () => {
      const bedrock = { kind: 'bedrock' as const, id: 'm' };
      expect(usesBatch(bedrock, 'batch', 1, 1000)).toBe(true);
      expect(usesBatch(bedrock, 'auto', 999, 1000)).toBe(false);
      expect(usesBatch(bedrock, 'auto', 1000, 1000)).toBe(true);
      expect(usesBatch(bedrock, 'sync', 5000, 1000)).toBe(false);
      expect(usesBatch({ kind: 'chronos', id: 'c' }, 'auto', 5000, 1000)).toBe(false);
    });

    it('names the job and its idempotency token after the as-of and run id', () => {
      const c = resolveRunConfig(
        { model: HAIKU, modelMode: 'batch' },
        {
          ...batchEnv,
          FORECAST_RUN_ID: '0b6f3c1e-5d2a-4c1b-9e55-1f2a3b4c5d6e',
        },
      );
      const o = batchOptionsFor(
        { settings: c.batch!, control: {} as never, s3: {} as never, runId: c.runId },
        '2025-03-31',
      );
      expect(o).toMatchObject({
        inputUri: 's3://gold/bedrock_batch/input/',
        outputUri: 's3://gold/bedrock_batch/output/',
        jobName: 'forecast-2025-03-31-0b6f3c1e-5d2a-4c1b-9e55-1f2a3b4c5d6e',
        clientRequestToken: '2025-03-31-0b6f3c1e-5d2a-4c1b-9e55-1f2a3b4c5d6e',
        pollIntervalMs: 60_000,
      });
    });
  });

  it('refuses a Chronos horizon over 64 days, naming the setting, the horizon and the limit', () => {
    let err: unknown;
    try {
      resolveRunConfig({ model: chronos, horizon: '90' }, awsEnv);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toMatch(/^--horizon: horizon 90 is over the maximum of 64 days/);
    expect(exitCodeOf(err)).toBe(2);
  });

  it('allows 64 days for Chronos and 90 for a Converse model', () => {
    expect(resolveRunConfig({ model: chronos, horizon: '64' }, awsEnv).horizon).toBe(64);
    expect(resolveRunConfig({ model: 'bedrock:m', horizon: '90' }, awsEnv).horizon).toBe(90);
  });
});

describe('runDeadline', () => {
  it('stops model requests a write reserve before the deadline and the writes at it', async () => {
    const started = Date.now();
    // 0.01 minutes = 600 ms; the reserve is a fifth of it.
    const d = runDeadline(0.01, started);
    try {
      expect(d.at.getTime()).toBe(started + 600);
      expect(d.models.aborted).toBe(false);
      await new Promise((r) => setTimeout(r, 520));
      expect(d.models.aborted).toBe(true);
      expect(d.writes.aborted).toBe(false);
      expect(String(d.models.reason)).toMatch(/model requests stop .* before the 0.01-minute/);
      await new Promise((r) => setTimeout(r, 150));
      expect(d.writes.aborted).toBe(true);
    } finally {
      d.dispose();
    }
  });

  it('keeps at most five minutes for the writes', () => {
    vi.useFakeTimers();
    try {
      const d = runDeadline(45);
      vi.advanceTimersByTime(40 * 60_000 - 1);
      expect(d.models.aborted).toBe(false);
      vi.advanceTimersByTime(1);
      expect(d.models.aborted).toBe(true);
      vi.advanceTimersByTime(5 * 60_000 - 1);
      expect(d.writes.aborted).toBe(false);
      vi.advanceTimersByTime(1);
      expect(d.writes.aborted).toBe(true);
      d.dispose();
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('parseModelSpec', () => {
  it('parses chronos endpoint ARNs with colons intact', () => {
    const arn = 'arn:aws:sagemaker:us-east-1:123456789012:endpoint/chronos-bolt';
    expect(parseModelSpec(`chronos:${arn}`)).toEqual({ kind: 'chronos', id: arn });
  });
});

describe('resolveRunConfig: replenishment and archive', () => {
  it('defaults the reorder policy and takes flags over the environment', () => {
    expect(resolveRunConfig({}, awsEnv).reorder).toEqual({
      leadTimeDays: 7,
      reviewPeriodDays: 7,
      serviceLevel: 0.95,
    });
    const c = resolveRunConfig(
      { leadTimeDays: '3', serviceLevel: '0.99', archive: './archive' },
      { ...awsEnv, FORECAST_LEAD_TIME_DAYS: '10', FORECAST_REVIEW_PERIOD_DAYS: '14' },
    );
    expect(c.reorder).toEqual({ leadTimeDays: 3, reviewPeriodDays: 14, serviceLevel: 0.99 });
    expect(c.archive).toBe('./archive');
    expect(c.accuracyAlarmFactor).toBe(1.5);
  });

  it('names a bad service level by its flag', () => {
    expect(() => resolveRunConfig({ serviceLevel: '95' }, awsEnv)).toThrow(
      /--service-level "95" is not valid \(expected a probability above 0 and below 1\)/,
    );
  });
});

describe('quantile levels setting', () => {
  it('is absent by default and read from FORECAST_QUANTILES or --quantiles, sorted', () => {
    expect(resolveRunConfig({}, awsEnv).quantiles).toBeUndefined();
    const fromEnv = { ...awsEnv, FORECAST_QUANTILES: '0.95, 0.05,0.5' };
    expect(resolveRunConfig({}, fromEnv).quantiles).toEqual([0.05, 0.5, 0.95]);
    expect(resolveRunConfig({ quantiles: '0.1,0.25,0.5,0.75,0.9' }, fromEnv).quantiles).toEqual([
      0.1, 0.25, 0.5, 0.75, 0.9,
    ]);
  });

  it.each([
    ['0.05,1.5', 'level "1.5" is not a quantile level'],
    ['0,0.5', 'level "0" is not a quantile level'],
    ['0.05,,0.95', 'level "" is not a quantile level'],
    ['0.123456', 'level "0.123456" is not a quantile level'],
    ['0.9,0.9', 'level "0.9" is listed twice'],
  ])('rejects --quantiles %s, naming the bad level', (quantiles, message) => {
    const run = () => resolveRunConfig({ quantiles }, awsEnv);
    expect(run).toThrow(ConfigError);
    expect(run).toThrow(`--quantiles "${quantiles}" is not a list of quantile levels (${message}`);
    const env = { ...awsEnv, FORECAST_QUANTILES: quantiles };
    expect(() => resolveRunConfig({}, env)).toThrow(`FORECAST_QUANTILES "${quantiles}"`);
  });
});
