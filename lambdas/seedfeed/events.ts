import type { S3Event, S3EventRecord, SQSEvent } from 'aws-lambda';

/** One S3 notification about one seed key, with the SQS message that carried it (if any). */
export interface SeedEvent {
  bucket: string;
  key: string;
  kind: 'created' | 'removed';
  messageId?: string;
}

export interface DecodedBatch {
  events: SeedEvent[];
  /** SQS messages whose body is not an S3 notification: reported, never retried forever. */
  unreadable: { messageId: string; reason: string }[];
}

export type IncomingEvent = SQSEvent | S3Event;

/**
 * SQS-wrapped or direct S3 notifications → seed events. S3 URL-encodes keys in notifications with `+`
 * for a space; decoding here, once, is what lets a key with spaces or Unicode find its object.
 */
export function decodeEvent(event: IncomingEvent): DecodedBatch {
  const out: DecodedBatch = { events: [], unreadable: [] };
  for (const record of event.Records ?? []) {
    if ('s3' in record) {
      out.events.push(...fromS3([record]));
      continue;
    }
    let body: unknown;
    try {
      body = JSON.parse(record.body);
    } catch {
      out.unreadable.push({ messageId: record.messageId, reason: 'message body is not JSON' });
      continue;
    }
    const s3 = body as Partial<S3Event> & { Event?: string };
    // S3 sends one s3:TestEvent when a notification is configured; it names no object.
    if (s3.Event === 's3:TestEvent') continue;
    if (!Array.isArray(s3.Records)) {
      out.unreadable.push({ messageId: record.messageId, reason: 'message is not an S3 event notification' });
      continue;
    }
    for (const event of fromS3(s3.Records)) out.events.push({ ...event, messageId: record.messageId });
  }
  return out;
}

function fromS3(records: S3EventRecord[]): SeedEvent[] {
  return records
    .filter((record) => record.s3?.object?.key !== undefined)
    .map((record) => ({
      bucket: record.s3.bucket.name,
      key: decodeKey(record.s3.object.key),
      kind: record.eventName.startsWith('ObjectRemoved') ? 'removed' : 'created',
    }));
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
