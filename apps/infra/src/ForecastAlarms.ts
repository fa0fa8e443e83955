import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subs from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import {
  METRICS_DIMENSION,
  METRICS_NAMESPACE,
  type JobMetricName,
  type LauncherMetricName,
} from '@retail-forecast/job-contract';

export interface ForecastAlarmsProps {
  /** Value of the job's `Service` metric dimension. */
  metricsService: string;
  launcher: lambda.IFunction;
  deadLetterQueue: sqs.IQueue;
  alarmEmail?: string;
}

/**
 * Alarms for a missed day, a failed run and degraded forecast accuracy, sent to one encrypted
 * SNS topic.
 */
export class ForecastAlarms extends Construct {
  readonly topic: sns.Topic;
  readonly noSuccessfulRun: cloudwatch.Alarm;
  readonly accuracyDegraded: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: ForecastAlarmsProps) {
    super(scope, id);

    // A customer key because CloudWatch cannot publish to a topic under the AWS-managed SNS key.
    const key = new kms.Key(this, 'TopicKey', {
      description: 'Encrypts the demand-forecast alarm topic',
      enableKeyRotation: true,
    });
    key.grant(
      new iam.ServicePrincipal('cloudwatch.amazonaws.com'),
      'kms:Decrypt',
      'kms:GenerateDataKey*',
    );
    this.topic = new sns.Topic(this, 'Topic', {
      displayName: 'Demand forecast alarms',
      masterKey: key,
      enforceSSL: true,
    });
    if (props.alarmEmail) this.topic.addSubscription(new subs.EmailSubscription(props.alarmEmail));
    const notify = new actions.SnsAction(this.topic);

    const jobMetric = (
      metricName: JobMetricName | LauncherMetricName,
      statistic: string,
      period: Duration,
    ) =>
      new cloudwatch.Metric({
        namespace: METRICS_NAMESPACE,
        metricName,
        dimensionsMap: { [METRICS_DIMENSION]: props.metricsService },
        statistic,
        period,
      });

    this.noSuccessfulRun = new cloudwatch.Alarm(this, 'NoSuccessfulRun', {
      alarmDescription: 'No forecast run succeeded in the last 24 hours',
      metric: jobMetric('RunSuccess', 'Sum', Duration.days(1)),
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      threshold: 1,
      evaluationPeriods: 1,
      // No data at all means the instance never reported: that is the failure we look for.
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
    });

    // The job compares the last week's horizon-total WAPE with its own 28-day median (it has the
    // archive; CloudWatch math could not see the per-forecast history) and reports the verdict.
    this.accuracyDegraded = new cloudwatch.Alarm(this, 'AccuracyDegraded', {
      alarmDescription:
        "Forecast accuracy degraded: last week's horizon-total WAPE exceeds the configured factor (accuracyAlarmFactor) × its 28-day median",
      metric: jobMetric('AccuracyDegraded', 'Maximum', Duration.days(1)),
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      threshold: 1,
      evaluationPeriods: 1,
      // Absent until the archive holds enough history to compare; a missed run has its own alarm.
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });

    const failureAlarms = [
      new cloudwatch.Alarm(this, 'RunFailed', {
        alarmDescription: 'A forecast run ended without success (RunSuccess = 0)',
        metric: jobMetric('RunSuccess', 'Minimum', Duration.hours(1)),
        comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
        threshold: 1,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
      new cloudwatch.Alarm(this, 'ProductsFailed', {
        alarmDescription: 'Some products could not be forecast or written',
        metric: jobMetric('ProductsFailed', 'Sum', Duration.hours(1)),
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        threshold: 0,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
      new cloudwatch.Alarm(this, 'StaleRunTerminated', {
        alarmDescription:
          'The launcher terminated an instance still running past the maximum run time (it never powered off)',
        metric: jobMetric('StaleInstancesTerminated', 'Sum', Duration.hours(1)),
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        threshold: 0,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
      new cloudwatch.Alarm(this, 'LauncherErrors', {
        alarmDescription: 'The launcher Lambda failed (e.g. no capacity, missing launch template)',
        metric: props.launcher.metricErrors({ period: Duration.hours(1), statistic: 'Sum' }),
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        threshold: 0,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
      new cloudwatch.Alarm(this, 'LaunchDeadLetters', {
        alarmDescription: 'A scheduled launch could not be delivered or kept failing',
        metric: props.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
          period: Duration.minutes(5),
          statistic: 'Maximum',
        }),
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        threshold: 0,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
    ];
    for (const alarm of [this.noSuccessfulRun, this.accuracyDegraded, ...failureAlarms])
      alarm.addAlarmAction(notify);
  }
}
