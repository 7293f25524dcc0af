import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { SEED_METRICS } from '../../cdk/alerts.js';
import { idOf, synth } from './synth.js';

interface AlarmProperties {
  Namespace: string;
  MetricName: string;
  Dimensions: { Name: string; Value: unknown }[];
  Statistic: string;
  Period: number;
  Threshold: number;
  ComparisonOperator: string;
  AlarmActions: unknown[];
  OKActions: unknown[];
  TreatMissingData: string;
}

function alarms(template: Template): AlarmProperties[] {
  return Object.values(template.findResources('AWS::CloudWatch::Alarm')).map(
    (alarm) => alarm.Properties as AlarmProperties,
  );
}

/** What an alarm watches, as one line: namespace, metric, statistic, threshold. */
const watched = (alarm: AlarmProperties) =>
  `${alarm.Namespace} ${alarm.MetricName} ${alarm.Statistic}/${alarm.Period}s > ${alarm.Threshold}`;

describe('alerts: alarms that reach a person, and their dashboard', () => {
  let template: Template;
  let topic: string;
  let publisher: string;

  beforeAll(() => {
    template = synth({ alertEmail: 'ops@example.com', timeoutSeconds: '100' }).template;
    topic = idOf(template, 'AWS::SNS::Topic', 'AlertsTopic');
    publisher = idOf(template, 'AWS::Lambda::Function', 'PublisherFunction');
  });

  it('alarms on parked seeds, errors, throttles, slow runs, old messages, rejected and left-out seeds', () => {
    // Act
    const lines = alarms(template).map(watched).sort();

    // Assess: 80 % of a 100 s timeout; two visibility timeouts of 6 x 100 s.
    expect(lines).toEqual(
      [
        'AWS/Lambda Duration Maximum/300s > 80000',
        'AWS/Lambda Errors Sum/300s > 0',
        'AWS/Lambda Throttles Sum/300s > 0',
        'AWS/SQS ApproximateAgeOfOldestMessage Maximum/300s > 1200',
        'AWS/SQS ApproximateNumberOfMessagesVisible Maximum/60s > 0',
        'seedfeed left-out Sum/300s > 0',
        'seedfeed rejected Sum/300s > 0',
      ].sort(),
    );
    for (const alarm of alarms(template)) {
      expect(alarm.ComparisonOperator, watched(alarm)).toBe('GreaterThanThreshold');
      expect(alarm.TreatMissingData, watched(alarm)).toBe('notBreaching');
    }
  });

  it('notifies the one topic of every alarm and of its recovery', () => {
    // Act
    const silent = alarms(template).filter(
      (alarm) =>
        JSON.stringify(alarm.AlarmActions) !== JSON.stringify([{ Ref: topic }]) ||
        JSON.stringify(alarm.OKActions) !== JSON.stringify([{ Ref: topic }]),
    );

    // Assess
    expect(alarms(template)).toHaveLength(7);
    expect(silent.map(watched)).toEqual([]);
  });

  it('watches the metrics the function emits: its namespace, names and service dimension', () => {
    // Act
    const custom = alarms(template).filter((alarm) => alarm.Namespace === 'seedfeed');
    const lambda = alarms(template).filter((alarm) => alarm.Namespace === 'AWS/Lambda');

    // Assess
    expect(custom.map((alarm) => alarm.MetricName).sort()).toEqual(
      [SEED_METRICS.leftOut, SEED_METRICS.rejected].sort(),
    );
    for (const alarm of custom) expect(alarm.Dimensions).toEqual([{ Name: 'service', Value: 'seedfeed' }]);
    for (const alarm of lambda) {
      expect(alarm.Dimensions).toEqual([{ Name: 'FunctionName', Value: { Ref: publisher } }]);
    }
  });

  it('subscribes alertEmail, and lets only CloudWatch alarms of this account publish, over TLS', () => {
    // Assess
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@example.com',
      TopicArn: { Ref: topic },
    });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [{ Ref: topic }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Action: 'sns:Publish',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
          Match.objectLike({
            Effect: 'Allow',
            Action: 'sns:Publish',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Condition: {
              StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
              ArnLike: { 'aws:SourceArn': Match.anyValue() },
            },
          }),
        ]),
      },
    });
    template.hasOutput('AlertTopicArn', { Value: { Ref: topic } });
  });

  it('subscribes nobody without alertEmail, and refuses an address that is not one', () => {
    // Act
    const plain = synth().template;

    // Assess
    plain.resourceCountIs('AWS::SNS::Subscription', 0);
    plain.resourceCountIs('AWS::SNS::Topic', 1);
    expect(() => synth({ alertEmail: 'ops at example' })).toThrow(
      'context "alertEmail" must be an e-mail address (got "ops at example")',
    );
  });

  it('draws every alarm and every alarmed figure on one dashboard', () => {
    // Prepare
    const [dashboard] = Object.values(template.findResources('AWS::CloudWatch::Dashboard'));
    const body = JSON.stringify(dashboard?.Properties.DashboardBody);
    const alarmIds = Object.keys(template.findResources('AWS::CloudWatch::Alarm'));

    // Assess
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    for (const id of alarmIds) expect(body, id).toContain(`"Fn::GetAtt":["${id}","Arn"]`);
    for (const alarm of alarms(template)) expect(body, watched(alarm)).toContain(`\\"${alarm.MetricName}\\"`);
  });
});
