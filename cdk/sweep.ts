import { Duration } from 'aws-cdk-lib';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { SqsQueue } from 'aws-cdk-lib/aws-events-targets';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface SweepProps {
  /** The seed events' queue: a sweep is one more message for the same function, batched and retried alike. */
  queue: IQueue;
  /** SEEDFEED_SWEEP_MINUTES: the function reads the same setting to know how far back a sweep looks. */
  minutes: number;
}

/**
 * The periodic wake-up: an EventBridge rule sends its scheduled event into the queue every few minutes,
 * and the function renders the main feeds at that time (the news sitemap's window moves on) and the
 * collections of seeds whose embargo lifted. One rule for every seed, not a schedule per seed: nothing
 * to create, move or delete when an embargoed seed is corrected or removed, and the sitemap needs the
 * periodic render anyway (README, "Embargoes").
 */
export class Sweep extends Construct {
  readonly rule: Rule;

  constructor(scope: Construct, id: string, props: SweepProps) {
    super(scope, id);
    this.rule = new Rule(this, 'Rule', {
      description: 'seedfeed: publish embargoed seeds when due and move the news sitemap on',
      schedule: Schedule.rate(Duration.minutes(props.minutes)),
      // The queue's resource policy lets this rule alone send (aws:SourceArn); SSE-SQS needs no key grant.
      targets: [new SqsQueue(props.queue)],
    });
  }
}
