import type { S3EventRecord, SQSEvent, SQSRecord } from 'aws-lambda';
import { encodeKey } from '../lambdas/seedfeed/events.js';
import type { HandlerResult } from '../lambdas/seedfeed/handler.js';
import { sqsMessage, sweepMessage } from './events.js';
import { latestSequencer, timeOfSequencer } from './sequencer.js';

export interface QueueOptions {
  /** Largest batch handed to the handler, as the SQS event source's BatchSize. */
  batchSize: number;
  /** How long the first message waits for others, as MaximumBatchingWindowInSeconds. */
  batchWindowMs: number;
  /** Deliveries before a message is dead-lettered, as the redrive policy's maxReceiveCount. */
  maxReceives: number;
  retryDelayMs: number;
}

interface Message {
  record: SQSRecord;
  receives: number;
}

type Handler = (event: SQSEvent) => Promise<HandlerResult>;

/**
 * The local stand-in for S3 → SQS → Lambda: it wraps s3rver's notifications in SQS records exactly as
 * AWS does (keys URL-encoded, one notification per message, sequencers that order each key's changes), hands batches to the same handler, and
 * redelivers what the handler reports as failed. One batch at a time, like a function with a reserved
 * concurrency of one.
 */
export class LocalQueue {
  readonly deadLetters: SQSRecord[] = [];
  readonly results: HandlerResult[] = [];
  private readonly waiting: Message[] = [];
  private delayed = 0;
  private running = false;
  private idleWaiters: (() => void)[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly handler: Handler,
    private readonly options: QueueOptions,
    private readonly onError: (error: unknown) => void,
    /** Told of each message given up on, as the dead-letter queue's alarm tells on AWS. */
    private readonly onDeadLetter: (record: SQSRecord, receives: number) => void = () => {},
  ) {}

  send(records: S3EventRecord[]): void {
    for (const record of records) {
      const { key } = record.s3.object;
      // s3rver's own sequencer is Date.now(), shared by changes within a millisecond; its eventTime is
      // taken apart from the change. Both come from the change itself here, as on S3.
      const sequencer = latestSequencer(record.s3.bucket.name, key);
      const encoded = {
        ...record,
        eventTime: timeOfSequencer(sequencer).toISOString(),
        s3: { ...record.s3, object: { ...record.s3.object, key: encodeKey(key), sequencer } },
      };
      this.waiting.push({ record: sqsMessage(encoded), receives: 0 });
    }
    this.schedule();
  }

  /** The stack's scheduled wake-up, for the time it fires for (see sweeper.ts). */
  sweep(time: Date): void {
    this.waiting.push({ record: sweepMessage(time), receives: 0 });
    this.schedule();
  }

  /** Resolves once every message sent so far has been handled or dead-lettered. */
  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private isIdle(): boolean {
    return !this.running && this.waiting.length === 0 && this.delayed === 0;
  }

  private schedule(): void {
    if (this.running || this.timer || this.waiting.length === 0) return;
    const wait = this.waiting.length >= this.options.batchSize ? 0 : this.options.batchWindowMs;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.deliver();
    }, wait);
  }

  private async deliver(): Promise<void> {
    this.running = true;
    const batch = this.waiting.splice(0, this.options.batchSize);
    for (const message of batch) message.receives++;
    let failed: Set<string>;
    try {
      const result = await this.handler({ Records: batch.map((m) => m.record) });
      this.results.push(result);
      failed = new Set(result.batchItemFailures.map((f) => f.itemIdentifier));
    } catch (error) {
      // A thrown handler fails the whole batch, as on Lambda.
      this.onError(error);
      failed = new Set(batch.map((m) => m.record.messageId));
    }
    for (const message of batch) {
      if (!failed.has(message.record.messageId)) continue;
      if (message.receives >= this.options.maxReceives) {
        this.deadLetters.push(message.record);
        this.onDeadLetter(message.record, message.receives);
      } else this.retryLater(message);
    }
    this.running = false;
    this.schedule();
    if (this.isIdle()) for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  private retryLater(message: Message): void {
    this.delayed++;
    setTimeout(() => {
      this.delayed--;
      this.waiting.push(message);
      this.schedule();
    }, this.options.retryDelayMs * message.receives);
  }
}
