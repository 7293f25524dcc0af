import { nextDue } from '../lambdas/seedfeed/publish/embargo.js';
import type { StateKeys } from '../lambdas/seedfeed/publish/keys.js';
import type { Bucket } from '../lambdas/seedfeed/storage/port.js';
import type { LocalQueue } from './queue.js';

export interface SweeperOptions {
  queue: LocalQueue;
  seeds: Bucket;
  keys: StateKeys;
  /** The stack's sweep period (SEEDFEED_SWEEP_MINUTES), in ms. */
  periodMs: number;
  clock: () => Date;
  onError: (error: unknown) => void;
}

/**
 * The stack's periodic sweep, locally: a scheduled event into the local queue, handled by the same
 * handler. Besides the period, it wakes when the soonest embargo lifts, since a laptop can afford to
 * look (one LIST after each batch) and a person trying an embargo should not wait minutes for it.
 */
export class Sweeper {
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(private readonly options: SweeperOptions) {}

  /** Sets the timer from what is embargoed now; called after every batch, the sweeps' own included. */
  async arm(): Promise<void> {
    const { seeds, keys, periodMs, clock, queue } = this.options;
    const now = clock();
    let wait = periodMs;
    try {
      const due = await nextDue(seeds, keys, now);
      if (due !== undefined) wait = Math.min(wait, Math.max(0, due - now.getTime()));
    } catch (error) {
      this.options.onError(error);
    }
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => queue.sweep(clock()), wait);
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }
}
