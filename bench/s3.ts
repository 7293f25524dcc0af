import type { S3Client } from '@aws-sdk/client-s3';
import type { SQSEvent } from 'aws-lambda';
import { s3Record, sqsEvent, sqsMessage } from '../local/events.js';

/** Request classes as S3 bills them; anything else is kept under its command name. */
const TYPES: Record<string, string> = {
  GetObjectCommand: 'GET',
  HeadObjectCommand: 'HEAD',
  PutObjectCommand: 'PUT',
  ListObjectsV2Command: 'LIST',
  ListObjectsCommand: 'LIST',
  DeleteObjectCommand: 'DELETE',
  DeleteObjectsCommand: 'DELETE',
};

export type Counts = Record<string, number>;

/** Every HTTP request a client sends, by type, with how long each took; reset between measurements. */
export class RequestCounter {
  counts: Counts = {};
  latencies: Record<string, number[]> = {};
  /** When each request started and ended (ms), for the number of sequential stages. */
  spans: [number, number][] = [];

  /**
   * In the deserialize step, inside the retry loop: a retried request is counted (and billed) twice.
   * Whatever new files the handler learns to write are counted without changes here.
   */
  attach(client: S3Client): void {
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const type = TYPES[context.commandName ?? ''] ?? context.commandName ?? 'unknown';
        this.counts[type] = (this.counts[type] ?? 0) + 1;
        const started = performance.now();
        try {
          return await next(args);
        } finally {
          const took = performance.now() - started;
          this.spans.push([started, started + took]);
          const list = this.latencies[type] ?? [];
          list.push(took);
          this.latencies[type] = list;
        }
      },
      { step: 'deserialize', name: 'benchRequestCounter' },
    );
  }

  take(): { counts: Counts; latencies: Record<string, number[]>; stages: number } {
    const taken = { counts: this.counts, latencies: this.latencies, stages: stagesOf(this.spans) };
    this.counts = {};
    this.latencies = {};
    this.spans = [];
    return taken;
  }
}

/**
 * Sequential stages: the most requests of one upload that ran one after another, each starting after
 * the one before it ended (requests sent together count once). Earliest end first finds that chain.
 */
export function stagesOf(spans: readonly [number, number][]): number {
  let stages = 0;
  let free = Number.NEGATIVE_INFINITY;
  for (const [start, end] of [...spans].sort((a, b) => a[1] - b[1])) {
    if (start < free) continue;
    stages++;
    free = end;
  }
  return stages;
}

export function total(counts: Counts): number {
  return Object.values(counts).reduce((sum, n) => sum + n, 0);
}

/** S3 → SQS → Lambda for these keys, one notification per message, as AWS delivers them. */
export function sqsEventFor(bucket: string, keys: readonly string[]): SQSEvent {
  return sqsEvent(keys.map((key) => sqsMessage(s3Record('created', bucket, key))));
}
