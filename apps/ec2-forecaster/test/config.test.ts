import { describe, expect, it } from 'vitest';
import { resolveRunConfig } from '../src/config';
import { parseModelSpec } from '../src/forecastStep';
import { jobExitCode } from '../src/exitCodes';
import { ConfigError } from '../src/errors';

const awsEnv = {
  AWS_REGION: 'eu-west-1',
  GOLD_BUCKET: 'gold',
  FORECAST_TABLE: 'RetailInventoryTable',
};

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

  it('names every missing value at once (EC2 entry point fails fast)', () => {
    expect(() => resolveRunConfig({}, {})).toThrow(ConfigError);
    try {
      resolveRunConfig({}, {});
    } catch (err) {
      expect((err as Error).message).toMatch(/GOLD_BUCKET/);
      expect((err as Error).message).toMatch(/FORECAST_TABLE/);
      expect(jobExitCode(err)).toBe(2);
    }
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
