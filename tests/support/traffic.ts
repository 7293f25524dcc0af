import type { S3EventRecord, SQSRecord } from 'aws-lambda';
import { sqsEvent, sqsMessage } from '../../local/events.js';
import type { Instance } from './cluster.js';
import type { Random } from './random.js';

export interface DeliveryOptions {
  maxBatch: number;
  /** Chance that a delivered message is also queued again: SQS and S3 both deliver at least once. */
  duplicate: number;
  /** Chance that a message is held back until the uploads are over: a late, stale notification. */
  late: number;
}

export interface DeliveryStats {
  invocations: number;
  messages: number;
  duplicates: number;
  late: number;
  redelivered: number;
}

/**
 * The S3 → SQS → Lambda path under the test's control: notifications pile up in a pool, and each
 * function instance (one batch at a time, like a Lambda container) takes random messages from it, so
 * batches overlap across instances and arrive out of order, duplicated and late. Messages a handler
 * reports as failed go back to the pool, as SQS redelivers them.
 */
export class Traffic {
  readonly stats: DeliveryStats = { invocations: 0, messages: 0, duplicates: 0, late: 0, redelivered: 0 };
  private readonly pool: { message: SQSRecord; copied: boolean }[] = [];
  private readonly held: { message: SQSRecord; copied: boolean }[] = [];
  private producing = 0;

  constructor(
    private readonly random: Random,
    private readonly options: DeliveryOptions,
  ) {}

  notify(record: S3EventRecord): void {
    const entry = { message: sqsMessage(record), copied: false };
    if (this.random.chance(this.options.late)) {
      this.stats.late++;
      this.held.push(entry);
    } else this.pool.push(entry);
  }

  /** Runs the uploads while every instance consumes; resolves when nothing is left to deliver. */
  async run(instances: Instance[], uploads: () => Promise<void>): Promise<void> {
    this.producing++;
    const produced = uploads().finally(() => {
      this.producing--;
      this.pool.push(...this.held.splice(0));
    });
    let busy = 0;
    const consume = async (instance: Instance): Promise<void> => {
      for (;;) {
        if (this.pool.length === 0) {
          if (this.producing === 0 && busy === 0 && this.held.length === 0) return;
          await new Promise((resolve) => setTimeout(resolve, 1 + this.random.int(4)));
          continue;
        }
        busy++;
        try {
          await this.deliver(instance);
        } finally {
          busy--;
        }
      }
    };
    await Promise.all([produced, ...instances.map(consume)]);
  }

  private async deliver(instance: Instance): Promise<void> {
    const size = 1 + this.random.int(this.options.maxBatch);
    const batch: { message: SQSRecord; copied: boolean }[] = [];
    while (batch.length < size && this.pool.length > 0) batch.push(this.random.take(this.pool));
    for (const entry of batch) {
      if (!entry.copied && this.random.chance(this.options.duplicate)) {
        entry.copied = true;
        this.stats.duplicates++;
        this.pool.push({
          message: { ...entry.message, messageId: `${entry.message.messageId}+` },
          copied: true,
        });
      }
    }
    this.stats.invocations++;
    this.stats.messages += batch.length;
    const result = await instance(sqsEvent(batch.map((entry) => entry.message)));
    const failed = new Set(result.batchItemFailures.map((failure) => failure.itemIdentifier));
    for (const entry of batch) {
      if (!failed.has(entry.message.messageId)) continue;
      this.stats.redelivered++;
      this.pool.push(entry);
    }
  }
}
