import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { idOf, list, type Statement, synth } from './synth.js';

interface QueuePolicy {
  Properties: { Queues: unknown[]; PolicyDocument: { Statement: Statement[] } };
}

function sweep(template: Template): { id: string; properties: Record<string, unknown> } {
  const rules = template.findResources('AWS::Events::Rule');
  const id = idOf(template, 'AWS::Events::Rule', 'SweepRule');
  return { id, properties: rules[id]?.Properties as Record<string, unknown> };
}

describe('the sweep that publishes embargoed seeds', () => {
  let template: Template;
  let events: string;

  beforeAll(() => {
    template = synth().template;
    events = idOf(template, 'AWS::SQS::Queue', 'IntakeEvents');
  });

  it('sends a scheduled event into the seed events queue every 5 minutes by default', () => {
    // Act
    const { properties } = sweep(template);

    // Assess
    expect(properties.ScheduleExpression).toBe('rate(5 minutes)');
    expect(properties.State).toBe('ENABLED');
    const targets = properties.Targets as { Arn: unknown }[];
    expect(targets).toHaveLength(1);
    expect(JSON.stringify(targets[0]?.Arn)).toBe(JSON.stringify({ 'Fn::GetAtt': [events, 'Arn'] }));
  });

  it('lets only that rule send to the queue', () => {
    // Prepare
    const { id } = sweep(template);
    const policies = Object.values(template.findResources('AWS::SQS::QueuePolicy')) as QueuePolicy[];

    // Act
    const sends = policies
      .filter((policy) => JSON.stringify(policy.Properties.Queues).includes(events))
      .flatMap((policy) => policy.Properties.PolicyDocument.Statement)
      .filter((s) => s.Effect === 'Allow' && JSON.stringify(s.Principal).includes('events.amazonaws.com'));

    // Assess
    expect(sends).toHaveLength(1);
    expect(list(sends[0]?.Action).sort()).toEqual([
      'sqs:GetQueueAttributes',
      'sqs:GetQueueUrl',
      'sqs:SendMessage',
    ]);
    expect(JSON.stringify(sends[0]?.Condition)).toBe(
      JSON.stringify({ ArnEquals: { 'aws:SourceArn': { 'Fn::GetAtt': [id, 'Arn'] } } }),
    );
  });

  it('follows the sweepMinutes context key, and tells the function the same period', () => {
    // Act
    const minutely = synth({ sweepMinutes: '1' }).template;
    const hourly = sweep(synth({ sweepMinutes: 60 }).template).properties;
    const variables = Object.values(minutely.findResources('AWS::Lambda::Function')).map(
      (f) => (f.Properties.Environment?.Variables ?? {}) as Record<string, unknown>,
    );

    // Assess
    expect(sweep(minutely).properties.ScheduleExpression).toBe('rate(1 minute)');
    expect(hourly.ScheduleExpression).toBe('rate(1 hour)');
    expect(variables.map((v) => v.SEEDFEED_SWEEP_MINUTES).filter(Boolean)).toEqual(['1']);
  });
});
