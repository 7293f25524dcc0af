import { type CfnResource, RemovalPolicy, type Stack } from 'aws-cdk-lib';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IConstruct } from 'constructs';

/** Every log group of the stack keeps a month: long enough to look back at an incident, then gone. */
export const LOG_RETENTION = RetentionDays.ONE_MONTH;

/** CDK's singleton function that writes the seeds bucket's notification configuration, if any. */
export function notificationsHandler(stack: Stack): IConstruct | undefined {
  return stack.node.children.find((child) => child.node.id.startsWith('BucketNotificationsHandler'));
}

/**
 * That function is a bare CfnResource without a log group, so Lambda would create one on its first
 * run and keep it forever. It logs to one of ours instead, with the stack's retention.
 */
export function keepNotificationLogs(stack: Stack): LogGroup | undefined {
  const fn = notificationsHandler(stack)?.node.tryFindChild('Resource') as CfnResource | undefined;
  if (fn === undefined) return undefined;
  const logs = new LogGroup(stack, 'BucketNotificationsLogs', {
    retention: LOG_RETENTION,
    removalPolicy: RemovalPolicy.DESTROY,
  });
  fn.addPropertyOverride('LoggingConfig', { LogGroup: logs.logGroupName });
  return logs;
}
