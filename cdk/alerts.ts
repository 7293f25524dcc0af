import { Duration, Stack } from 'aws-cdk-lib';
import {
  Alarm,
  AlarmStatusWidget,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  type IMetric,
  Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { METRICS_NAMESPACE, SERVICE_NAME } from './publisher.js';

/**
 * The Powertools counts alarmed on, as the handler names them. Powertools adds the `service`
 * dimension to every metric, so an alarm without it would watch a metric nobody writes.
 */
export const SEED_METRICS = { rejected: 'rejected', leftOut: 'left-out' } as const;
/** Shown beside them on the dashboard, not alarmed: failures are retried and end in the DLQ alarm. */
const CONTEXT_METRICS = ['published', 'failed'] as const;
export const SERVICE_DIMENSION = { service: SERVICE_NAME };

/** Duration alarm: a run at 80 % of the timeout is one slow S3 call away from being killed. */
export const DURATION_SHARE = 0.8;
/**
 * Oldest-message alarm, in visibility timeouts. A healthy seed waits a batching window and one run
 * (seconds); a seed whose run failed comes back after one visibility timeout. Two mean it failed at
 * least twice, or the queue is that far behind: worth a look well before the fifth receive parks it.
 * Partial batch failures never raise Lambda's Errors metric, so this is what sees them early.
 */
export const OLDEST_MESSAGE_VISIBILITIES = 2;
const PERIOD = Duration.minutes(5);

export interface AlertsProps {
  function: IFunction;
  queue: IQueue;
  deadLetters: IQueue;
  timeout: Duration;
  visibilityTimeout: Duration;
  alertEmail?: string;
}

/** Alarms that reach a person through one SNS topic, and a dashboard of the same figures. */
export class Alerts extends Construct {
  readonly topic: Topic;
  readonly alarms: Alarm[];
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: AlertsProps) {
    super(scope, id);
    this.topic = new Topic(this, 'Topic', { displayName: 'seedfeed alerts', enforceSSL: true });
    // The TLS statement replaces SNS's default topic policy, so CloudWatch needs its own allowance.
    const { account, region, partition } = Stack.of(this);
    this.topic.addToResourcePolicy(
      new PolicyStatement({
        sid: 'AlarmsPublish',
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: {
          StringEquals: { 'aws:SourceAccount': account },
          ArnLike: { 'aws:SourceArn': `arn:${partition}:cloudwatch:${region}:${account}:alarm:*` },
        },
      }),
    );
    if (props.alertEmail !== undefined) this.topic.addSubscription(new EmailSubscription(props.alertEmail));

    const fn = props.function;
    const seeds = (name: string) =>
      new Metric({ namespace: METRICS_NAMESPACE, metricName: name, dimensionsMap: SERVICE_DIMENSION });
    const figures = {
      // Any visible message is a seed that will not appear in the feeds until someone looks.
      parked: props.deadLetters.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(1),
        statistic: 'Maximum',
      }),
      errors: fn.metricErrors({ period: PERIOD, statistic: 'Sum' }),
      throttles: fn.metricThrottles({ period: PERIOD, statistic: 'Sum' }),
      duration: fn.metricDuration({ period: PERIOD, statistic: 'Maximum' }),
      oldest: props.queue.metricApproximateAgeOfOldestMessage({ period: PERIOD, statistic: 'Maximum' }),
      rejected: seeds(SEED_METRICS.rejected).with({ period: PERIOD, statistic: 'Sum' }),
      leftOut: seeds(SEED_METRICS.leftOut).with({ period: PERIOD, statistic: 'Sum' }),
    };
    const durationLimit = props.timeout.toMilliseconds() * DURATION_SHARE;
    const ageLimit = props.visibilityTimeout.toSeconds() * OLDEST_MESSAGE_VISIBILITIES;
    const above = (name: string, metric: IMetric, threshold: number, description: string) =>
      new Alarm(this, name, {
        alarmDescription: `seedfeed: ${description}`,
        metric,
        threshold,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });

    this.alarms = [
      above(
        'DeadLettersAlarm',
        figures.parked,
        0,
        'seed events failed repeatedly and were parked in the dead-letter queue',
      ),
      above('ErrorsAlarm', figures.errors, 0, 'the function failed a whole invocation (crash or timeout)'),
      above(
        'ThrottlesAlarm',
        figures.throttles,
        0,
        'Lambda throttled the function: account concurrency ran out',
      ),
      above('DurationAlarm', figures.duration, durationLimit, 'a run took over 80 % of the function timeout'),
      above('OldestSeedAlarm', figures.oldest, ageLimit, 'a seed event waited over two visibility timeouts'),
      above('RejectedAlarm', figures.rejected, 0, 'seeds were rejected: see rejected/ in the seeds bucket'),
      above(
        'LeftOutAlarm',
        figures.leftOut,
        0,
        'items failed their own checks and were left out of the feeds',
      ),
    ];
    const action = new SnsAction(this.topic);
    for (const alarm of this.alarms) {
      alarm.addAlarmAction(action);
      alarm.addOkAction(action);
    }

    this.dashboard = new Dashboard(this, 'Dashboard', {
      defaultInterval: Duration.days(1),
      widgets: [
        [new AlarmStatusWidget({ title: 'Alarms', alarms: this.alarms, width: 24 })],
        [
          new GraphWidget({
            title: 'Seeds per 5 minutes',
            width: 12,
            left: [figures.rejected, figures.leftOut, ...CONTEXT_METRICS.map((name) => seeds(name))],
            statistic: 'Sum',
            period: PERIOD,
          }),
          new GraphWidget({
            title: 'Oldest queued seed (s), dead letters',
            width: 12,
            left: [figures.oldest],
            leftAnnotations: [{ value: ageLimit, label: 'alarm' }],
            right: [figures.parked],
          }),
        ],
        [
          new GraphWidget({
            title: 'Errors and throttles',
            width: 12,
            left: [figures.errors, figures.throttles],
          }),
          new GraphWidget({
            title: 'Longest run (ms)',
            width: 12,
            left: [figures.duration],
            leftAnnotations: [{ value: durationLimit, label: '80 % of timeout' }],
          }),
        ],
      ],
    });
  }
}
