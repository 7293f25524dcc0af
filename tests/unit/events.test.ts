import type { SQSEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { decodeEvent, decodeKey, encodeKey } from '../../lambdas/seedfeed/events.js';

function sqs(...bodies: string[]): SQSEvent {
  return {
    Records: bodies.map((body, i) => ({
      messageId: `m${i}`,
      receiptHandle: 'r',
      body,
      attributes: {
        ApproximateReceiveCount: '1',
        SentTimestamp: '0',
        SenderId: 's',
        ApproximateFirstReceiveTimestamp: '0',
      },
      messageAttributes: {},
      md5OfBody: '',
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn',
      awsRegion: 'us-east-1',
    })),
  };
}

const notification = (eventName: string, key: string) =>
  JSON.stringify({ Records: [{ eventName, s3: { bucket: { name: 'b' }, object: { key } } }] });

describe('decodeEvent', () => {
  it('reads S3 notifications inside SQS messages, decoding keys as S3 encodes them', () => {
    // Act
    const batch = decodeEvent(
      sqs(
        notification('ObjectCreated:Put', 'seeds/a+b%2Bc%E4%B8%AD.txt'),
        notification('ObjectRemoved:Delete', 'seeds/x'),
      ),
    );

    // Assess
    expect(batch.events).toEqual([
      { bucket: 'b', key: 'seeds/a b+c中.txt', kind: 'created', messageId: 'm0' },
      { bucket: 'b', key: 'seeds/x', kind: 'removed', messageId: 'm1' },
    ]);
  });

  it('skips the S3 test event and reports bodies that are not notifications', () => {
    // Act
    const batch = decodeEvent(sqs('{"Event":"s3:TestEvent"}', 'not json', '{"hello":1}'));

    // Assess
    expect(batch.events).toEqual([]);
    expect(batch.unreadable.map((u) => u.messageId)).toEqual(['m1', 'm2']);
  });

  it('encodes and decodes keys symmetrically', () => {
    for (const key of ['seeds/a b.txt', 'seeds/100% (x)+y.txt', 'seeds/中文/ü.txt']) {
      expect(decodeKey(encodeKey(key))).toBe(key);
    }
  });
});
