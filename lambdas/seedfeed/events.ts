import type { S3Event, S3EventRecord, SQSEvent } from 'aws-lambda';
import { versionOf } from './publish/keys.js';

/** One S3 notification about one seed key, with the SQS message that carried it. */
export interface SeedEvent {
  bucket: string;
  key: string;
  kind: 'created' | 'removed';
  /** The event's sequencer as a fixed-width version: it orders the events of one key. */
  version: string;
  /** When S3 made the change (its eventTime, to the millisecond), if the record says. */
  time?: Date;
  messageId: string;
}

/** A periodic wake-up (an EventBridge scheduled event sent into the queue): render, due embargoes too. */
export interface SweepEvent {
  /** The time the schedule fired for; a redelivery says the same. */
  time: Date;
  messageId: string;
}

export interface DecodedBatch {
  events: SeedEvent[];
  sweeps: SweepEvent[];
  /** SQS messages whose body is not a usable S3 notification: reported, never retried forever. */
  unreadable: { messageId: string; reason: string }[];
}

/**
 * SQS-wrapped S3 notifications → seed events (the stack and the local queue both deliver through SQS).
 * S3 URL-encodes keys in notifications with `+` for a space; decoding here, once, is what lets a key
 * with spaces or Unicode find its object.
 */
export function decodeEvent(event: SQSEvent): DecodedBatch {
  const out: DecodedBatch = { events: [], sweeps: [], unreadable: [] };
  for (const { messageId, body: text } of event.Records ?? []) {
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      out.unreadable.push({ messageId, reason: 'message body is not JSON' });
      continue;
    }
    const sweep = sweepOf(body, messageId);
    if (sweep) {
      out.sweeps.push(sweep);
      continue;
    }
    const s3 = body as Partial<S3Event> & { Event?: string };
    // S3 sends one s3:TestEvent when a notification is configured; it names no object.
    if (s3.Event === 's3:TestEvent') continue;
    if (!Array.isArray(s3.Records)) {
      out.unreadable.push({ messageId, reason: 'message is not an S3 event notification' });
      continue;
    }
    const events = s3.Records.filter((record) => record.s3?.object?.key !== undefined).map((record) =>
      fromS3(record, messageId),
    );
    if (events.some((event) => event === undefined)) {
      // Without a sequencer a run could not tell its version from a newer one: reported, not guessed.
      out.unreadable.push({ messageId, reason: 'an S3 record in the message has no valid sequencer' });
      continue;
    }
    out.events.push(...(events as SeedEvent[]));
  }
  return out;
}

/** EventBridge's scheduled event, as a rule with an SQS target delivers it (the whole event as the body). */
function sweepOf(body: unknown, messageId: string): SweepEvent | undefined {
  const event = body as { source?: unknown; 'detail-type'?: unknown; time?: unknown };
  if (event?.source !== 'aws.events' || event['detail-type'] !== 'Scheduled Event') return undefined;
  const time = new Date(typeof event.time === 'string' ? event.time : '');
  return Number.isNaN(time.getTime()) ? undefined : { time, messageId };
}

function fromS3(record: S3EventRecord, messageId: string): SeedEvent | undefined {
  const version = versionOf(String(record.s3.object.sequencer ?? ''));
  if (version === undefined) return undefined;
  const time = new Date(record.eventTime ?? '');
  return {
    bucket: record.s3.bucket.name,
    key: decodeKey(record.s3.object.key),
    kind: record.eventName.startsWith('ObjectRemoved') ? 'removed' : 'created',
    version,
    ...(Number.isNaN(time.getTime()) ? {} : { time }),
    messageId,
  };
}

export function decodeKey(encoded: string): string {
  const spaced = encoded.replace(/\+/g, ' ');
  try {
    return decodeURIComponent(spaced);
  } catch {
    return spaced;
  }
}

/** The inverse, as S3 writes keys into notifications. */
export function encodeKey(key: string): string {
  return encodeURIComponent(key).replace(/%20/g, '+').replace(/%2F/g, '/');
}
