import { afterAll, describe, expect, it } from 'vitest';
import { Stack, Token } from 'aws-cdk-lib';
import { JOB_ENV, parseJobEnv } from '@retail-forecast/job-contract';
import { InfraConfigError, jobEnvironment, type JobEnvironmentOptions } from '../src/index';
import { jobDeadlineMinutes } from '../src/ForecastJob';
import { buildStack, makeBuildDirs, userDataOf } from './fixtures';

const options: JobEnvironmentOptions = {
  goldBucketName: 'acme-gold',
  tableName: 'RetailInventoryTable',
  region: 'eu-west-1',
  forecastModel: 'statistical',
  metricsService: 'demand-forecast',
};

function thrown(fn: () => unknown): InfraConfigError {
  try {
    fn();
  } catch (e) {
    if (e instanceof InfraConfigError) return e;
    throw e;
  }
  throw new Error('expected an InfraConfigError');
}

describe('jobEnvironment', () => {
  it('passes the holiday region as FORECAST_HOLIDAYS, which the job accepts', () => {
    const env = jobEnvironment({ ...options, holidays: 'US-CA' });
    expect(env[JOB_ENV.holidays]).toBe('US-CA');
    expect(parseJobEnv(env).ok).toBe(true);
    expect(jobEnvironment(options)).not.toHaveProperty(JOB_ENV.holidays);
  });

  it('names every variable as the job contract does, and the job accepts them', () => {
    const env = jobEnvironment({ ...options, forecastGuardrail: 'off' });
    expect(env).toEqual({
      [JOB_ENV.goldBucket]: 'acme-gold',
      [JOB_ENV.table]: 'RetailInventoryTable',
      AWS_REGION: 'eu-west-1',
      [JOB_ENV.source]: 's3://acme-gold/forecast_ready/',
      [JOB_ENV.model]: 'statistical',
      [JOB_ENV.logFormat]: 'json',
      [JOB_ENV.metricsService]: 'demand-forecast',
      [JOB_ENV.guardrail]: 'off',
    });
    expect(parseJobEnv(env).ok).toBe(true);
  });

  it('passes the archive and the accuracy alarm factor when given', () => {
    const env = jobEnvironment({
      ...options,
      archiveUri: 's3://acme-gold/forecast_archive/',
      accuracyAlarmFactor: 1.5,
    });
    expect(env).toMatchObject({
      [JOB_ENV.archive]: 's3://acme-gold/forecast_archive/',
      [JOB_ENV.accuracyAlarmFactor]: '1.5',
    });
    expect(parseJobEnv(env).ok).toBe(true);
  });

  it('passes the report location and the run deadline when given', () => {
    const env = jobEnvironment({
      ...options,
      reportUri: 's3://acme-gold/forecast_archive/',
      deadlineMinutes: 45,
    });
    expect(env).toMatchObject({
      [JOB_ENV.report]: 's3://acme-gold/forecast_archive/',
      [JOB_ENV.deadlineMinutes]: '45',
    });
    expect(parseJobEnv(env).ok).toBe(true);
    expect(() => jobEnvironment({ ...options, reportUri: 'reports/' })).toThrow(
      `job environment ${JOB_ENV.report} "reports/" is not valid`,
    );
  });

  it('throws naming a value the job would reject, with the value', () => {
    const err = thrown(() => jobEnvironment({ ...options, forecastModel: 'gpt-4' }));
    expect(err.issues).toEqual([
      expect.stringMatching(/^job environment FORECAST_MODEL "gpt-4" is not valid \(expected /),
    ]);
  });

  it('throws on an empty value, which the job would take as unset', () => {
    const err = thrown(() => jobEnvironment({ ...options, tableName: '' }));
    expect(err.message).toContain('job environment FORECAST_TABLE is empty');
  });

  it('leaves values known only at deploy time to CloudFormation', () => {
    const stack = new Stack();
    // A token's placeholder text would fail the model pattern if it were checked.
    const model = Token.asString({ Ref: 'ModelParameter' });
    const bucket = Token.asString({ Ref: 'GoldBucket' });
    const env = jobEnvironment({ ...options, goldBucketName: bucket, forecastModel: model });
    expect(stack.resolve(env[JOB_ENV.model])).toEqual({ Ref: 'ModelParameter' });
    expect(stack.resolve(env[JOB_ENV.source])).toEqual({
      'Fn::Join': ['', ['s3://', { Ref: 'GoldBucket' }, '/forecast_ready/']],
    });
  });
});

describe('the stack’s job environment', () => {
  const dirs = makeBuildDirs();
  afterAll(() => dirs.cleanup());

  it('writes reports under the archive prefix and ends the job 15 minutes inside the watchdog', () => {
    const script = userDataOf(buildStack(dirs, { maxRunMinutes: '90' }).template);
    expect(script).toMatch(new RegExp(`^export ${JOB_ENV.report}=.*/forecast_archive/'$`, 'm'));
    expect(script).toContain(`export ${JOB_ENV.deadlineMinutes}='75'`);
  });

  it.each([
    [60, 45],
    [90, 75],
    [20, 10],
    [5, 3],
  ])('gives a %d-minute watchdog a %d-minute job deadline', (watchdog, deadline) => {
    expect(jobDeadlineMinutes(watchdog)).toBe(deadline);
  });
});
