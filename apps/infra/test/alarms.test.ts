import { describe, expect, it } from 'vitest';
import { Match } from 'aws-cdk-lib/assertions';
import {
  DEFAULT_METRICS_SERVICE,
  METRICS_DIMENSION,
  METRICS_NAMESPACE,
  type JobMetricName,
  type LauncherMetricName,
} from '@retail-forecast/job-contract';
import { testStacks } from './fixtures';

const runSuccess: JobMetricName = 'RunSuccess';
const productsFailed: JobMetricName = 'ProductsFailed';
const staleTerminated: LauncherMetricName = 'StaleInstancesTerminated';
const accuracyDegraded: JobMetricName = 'AccuracyDegraded';

const stacks = testStacks();

describe('alarms', () => {
  it('alarms when a day passes without a successful run', () => {
    stacks.created.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: METRICS_NAMESPACE,
      MetricName: runSuccess,
      Dimensions: [{ Name: METRICS_DIMENSION, Value: DEFAULT_METRICS_SERVICE }],
      Statistic: 'Sum',
      Period: 86400,
      ComparisonOperator: 'LessThanThreshold',
      Threshold: 1,
      TreatMissingData: 'breaching',
      AlarmActions: [{ Ref: Match.stringLikeRegexp('^AlarmsTopic') }],
    });
  });

  it('alarms on a failed run, failed products, a stale run, degraded accuracy, launcher errors and dead letters', () => {
    const alarms = Object.values(
      stacks.created.template.findResources('AWS::CloudWatch::Alarm'),
    ).map((a) => a.Properties);
    expect(alarms).toHaveLength(7);
    const byMetric = Object.fromEntries(alarms.map((a) => [`${a.MetricName}/${a.Statistic}`, a]));
    const jobDimensions = [{ Name: METRICS_DIMENSION, Value: DEFAULT_METRICS_SERVICE }];
    expect(byMetric[`${runSuccess}/Minimum`]).toMatchObject({
      Namespace: METRICS_NAMESPACE,
      Dimensions: jobDimensions,
      ComparisonOperator: 'LessThanThreshold',
      Threshold: 1,
    });
    expect(byMetric[`${productsFailed}/Sum`]).toMatchObject({
      Namespace: METRICS_NAMESPACE,
      Dimensions: jobDimensions,
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: 0,
    });
    expect(byMetric[`${staleTerminated}/Sum`]).toMatchObject({
      Namespace: METRICS_NAMESPACE,
      Dimensions: jobDimensions,
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: 0,
      TreatMissingData: 'notBreaching',
    });
    expect(byMetric['Errors/Sum']).toMatchObject({ Namespace: 'AWS/Lambda', Threshold: 0 });
    expect(byMetric['ApproximateNumberOfMessagesVisible/Maximum']).toMatchObject({
      Namespace: 'AWS/SQS',
      Threshold: 0,
    });
    for (const a of alarms) expect(a.AlarmActions).toHaveLength(1);
  });

  it('alarms on the job’s AccuracyDegraded verdict, not on missing data', () => {
    stacks.created.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: METRICS_NAMESPACE,
      MetricName: accuracyDegraded,
      Dimensions: [{ Name: METRICS_DIMENSION, Value: DEFAULT_METRICS_SERVICE }],
      Statistic: 'Maximum',
      Period: 86400,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      Threshold: 1,
      TreatMissingData: 'notBreaching',
      AlarmActions: [{ Ref: Match.stringLikeRegexp('^AlarmsTopic') }],
    });
  });

  it('encrypts the topic with a rotating key CloudWatch may use, and the DLQ', () => {
    const { template } = stacks.created;
    template.hasResourceProperties('AWS::SNS::Topic', {
      KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^AlarmsTopicKey'), 'Arn'] },
    });
    template.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({ Principal: { Service: 'cloudwatch.amazonaws.com' } }),
        ]),
      },
    });
    template.hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true });
    const denyInsecure = Match.objectLike({
      Effect: 'Deny',
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([denyInsecure]) },
    });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: { Statement: Match.arrayWith([denyInsecure]) },
    });
  });

  it('subscribes the alarm e-mail only when configured', () => {
    stacks.created.template.resourceCountIs('AWS::SNS::Subscription', 0);
    stacks.imported.template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@example.com',
    });
  });
});
