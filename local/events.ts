import { randomUUID } from 'node:crypto';
import type { S3EventRecord, SQSEvent, SQSRecord } from 'aws-lambda';
import { encodeKey } from '../lambdas/seedfeed/events.js';
import { latestSequencer, timeOfSequencer } from './sequencer.js';

/**
 * Events shaped as AWS delivers them, for everything that stands in for S3 → SQS → Lambda: the local
 * queue, the tests and the benchmark.
 */
export type SeedChange = 'created' | 'removed';

/**
 * An S3 notification record as S3 writes it: the key URL-encoded, `+` for a space. The sequencer is, as
 * on S3, that of the key's latest change on the embedded server (see sequencer.ts) unless one is given.
 */
export function s3Record(
  change: SeedChange,
  bucket: string,
  key: string,
  sequencer = latestSequencer(bucket, key),
  // As on S3, the time of the change itself, so an event sent again says the same.
  time = timeOfSequencer(sequencer),
): S3EventRecord {
  return {
    eventVersion: '2.1',
    eventSource: 'aws:s3',
    awsRegion: 'us-east-1',
    eventTime: time.toISOString(),
    eventName: change === 'created' ? 'ObjectCreated:Put' : 'ObjectRemoved:Delete',
    userIdentity: { principalId: 'local' },
    requestParameters: { sourceIPAddress: '127.0.0.1' },
    responseElements: { 'x-amz-request-id': 'local', 'x-amz-id-2': 'local' },
    s3: {
      s3SchemaVersion: '1.0',
      configurationId: 'seedfeed',
      bucket: { name: bucket, ownerIdentity: { principalId: 'local' }, arn: `arn:aws:s3:::${bucket}` },
      object: { key: encodeKey(key), size: 0, eTag: '', sequencer },
    },
  };
}

/** One SQS message carrying one S3 notification, as the S3 → SQS wiring delivers it. */
export function sqsMessage(record: S3EventRecord): SQSRecord {
  return message(JSON.stringify({ Records: [record] }));
}

/**
 * The stack's periodic wake-up as the queue delivers it: an EventBridge rule's scheduled event, the
 * whole event as the message body (cdk/sweep.ts).
 */
export function sweepMessage(time: Date): SQSRecord {
  return message(
    JSON.stringify({
      version: '0',
      id: randomUUID(),
      'detail-type': 'Scheduled Event',
      source: 'aws.events',
      account: '000000000000',
      // EventBridge gives the time the schedule fired for, to the second.
      time: `${time.toISOString().slice(0, 19)}Z`,
      region: 'local',
      resources: ['arn:aws:events:local:000000000000:rule/seedfeed-sweep'],
      detail: {},
    }),
  );
}

function message(body: string): SQSRecord {
  return {
    messageId: randomUUID(),
    receiptHandle: randomUUID(),
    body,
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: String(Date.now()),
      SenderId: 'local',
      ApproximateFirstReceiveTimestamp: String(Date.now()),
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:local:000000000000:seedfeed-local',
    awsRegion: 'local',
  };
}

export function sqsEvent(messages: SQSRecord[]): SQSEvent {
  return { Records: messages };
}
