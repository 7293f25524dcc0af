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

const notification = (eventName: string, key: string, sequencer?: string) =>
  JSON.stringify({ Records: [{ eventName, s3: { bucket: { name: 'b' }, object: { key, sequencer } } }] });

describe('decodeEvent', () => {
  it('reads S3 notifications inside SQS messages, decoding keys as S3 encodes them', () => {
    // Act
    const batch = decodeEvent(
      sqs(
        notification('ObjectCreated:Put', 'seeds/a+b%2Bc%E4%B8%AD.txt', '0055AED6DCD90281E5'),
        notification('ObjectRemoved:Delete', 'seeds/x', '0055aed6dcd90281e6'),
      ),
    );

    // Assess: sequencers become fixed-width versions that compare as S3 orders them.
    const version = (hex: string) => hex.padStart(40, '0');
    expect(batch.events).toEqual([
      {
        bucket: 'b',
        key: 'seeds/a b+c中.txt',
        kind: 'created',
        version: version('0055AED6DCD90281E5'),
        messageId: 'm0',
      },
      {
        bucket: 'b',
        key: 'seeds/x',
        kind: 'removed',
        version: version('0055AED6DCD90281E6'),
        messageId: 'm1',
      },
    ]);
    expect(batch.unreadable).toEqual([]);
  });

  it('orders versions by sequencer value, whatever their length or case', () => {
    // Act
    const batch = decodeEvent(
      sqs(
        ...['FF', '100', '0ab', 'AC'].map((sequencer) =>
          notification('ObjectCreated:Put', 'seeds/a', sequencer),
        ),
      ),
    );

    // Assess
    const sorted = [...batch.events].sort((a, b) => a.version.localeCompare(b.version));
    expect(sorted.map((event) => event.messageId)).toEqual(['m2', 'm3', 'm0', 'm1']);
  });

  it('reports a notification without a usable sequencer instead of guessing its order', () => {
    // Act
    const batch = decodeEvent(
      sqs(
        notification('ObjectCreated:Put', 'seeds/a'),
        notification('ObjectCreated:Put', 'seeds/b', 'not-hex'),
        notification('ObjectCreated:Put', 'seeds/c', '1'.repeat(41)),
      ),
    );

    // Assess
    expect(batch.events).toEqual([]);
    expect(batch.unreadable.map((u) => u.messageId)).toEqual(['m0', 'm1', 'm2']);
    expect(batch.unreadable[0]?.reason).toMatch(/sequencer/);
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
