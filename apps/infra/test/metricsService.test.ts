import { afterAll, describe, expect, it } from 'vitest';
import { Capture, Match } from 'aws-cdk-lib/assertions';
import {
  JOB_ENV,
  JOB_METRICS,
  METRICS_DIMENSION,
  METRICS_NAMESPACE,
  type JobMetricName,
} from '@retail-forecast/job-contract';
import { InfraConfigError } from '../src/index';
import { buildStack, failureRecordOf, makeBuildDirs, userDataOf } from './fixtures';

const dirs = makeBuildDirs();
afterAll(() => dirs.cleanup());

const runSuccess: JobMetricName = 'RunSuccess';

describe('stack prop metricsService', () => {
  const service = 'nightly-eu';
  const { template } = buildStack(dirs, {}, { metricsService: service });

  it('reaches the job through the launch template environment', () => {
    const script = userDataOf(template);
    const exports = script
      .split('\n')
      .filter((l) => l.startsWith(`export ${JOB_ENV.metricsService}=`));
    expect(exports).toEqual([`export ${JOB_ENV.metricsService}='${service}'`]);
    // Exported before the job starts.
    expect(script.indexOf(exports[0])).toBeLessThan(script.indexOf('main.mjs run'));
  });

  it('is the Service of the failure record the user data writes when the job never ran', () => {
    const record = failureRecordOf(userDataOf(template));
    expect(record[METRICS_DIMENSION]).toBe(service);
    expect(record[runSuccess]).toBe(0);
    expect(record._aws.CloudWatchMetrics).toEqual([
      {
        Namespace: METRICS_NAMESPACE,
        Dimensions: [[METRICS_DIMENSION]],
        Metrics: [{ Name: runSuccess, Unit: JOB_METRICS[runSuccess] }],
      },
    ]);
  });

  it.each([
    ['NoSuccessfulRun', 'Sum'],
    ['RunFailed', 'Minimum'],
  ])('is the dimension the %s alarm watches', (alarm, statistic) => {
    const dimensions = new Capture();
    const alarms = template.findResources('AWS::CloudWatch::Alarm', {
      Properties: {
        Namespace: METRICS_NAMESPACE,
        MetricName: runSuccess,
        Statistic: statistic,
        Dimensions: dimensions,
        AlarmActions: [{ Ref: Match.stringLikeRegexp('^AlarmsTopic') }],
      },
    });
    expect(Object.keys(alarms)).toEqual([expect.stringMatching(new RegExp(`^Alarms${alarm}`))]);
    expect(dimensions.asArray()).toEqual([{ Name: METRICS_DIMENSION, Value: service }]);
  });

  it('is refused at synth, named, when the job would reject it', () => {
    const long = 'x'.repeat(256);
    expect(() => buildStack(dirs, {}, { metricsService: long })).toThrow(InfraConfigError);
    expect(() => buildStack(dirs, {}, { metricsService: long })).toThrow(
      `job environment ${JOB_ENV.metricsService} "${long}" is not valid`,
    );
    expect(() => buildStack(dirs, {}, { metricsService: '' })).toThrow(
      `job environment ${JOB_ENV.metricsService} is empty`,
    );
  });
});
