import { setTimeout as sleep } from 'node:timers/promises';

// The one retry loop: the function's record writes, the CLI's uploads and the tests' patient clients
// all wait and try again the same way, each with its own waits and its own idea of what is worth it.

export interface RetryOptions {
  /** The wait before each further try: as many further tries as there are waits. */
  delaysMs: readonly number[];
  /** Whether an error is worth another try; every error is, unless this says otherwise. */
  isRetryable?(error: unknown): boolean;
  /** Each wait drawn from its second half, so callers that failed together do not retry in step. */
  jitter?: boolean;
}

/** The last of `attempts` tries failed, or its error was not worth another; `cause` is that error. */
export class RetryError extends Error {
  override readonly name = 'RetryError';
  constructor(
    readonly attempts: number,
    options: ErrorOptions & { cause: unknown },
  ) {
    const reason = options.cause instanceof Error ? options.cause.message : String(options.cause);
    super(`failed after ${attempts} attempt${attempts === 1 ? '' : 's'}: ${reason}`, options);
  }
}

/** Resolves with fn's value, or rejects with a RetryError holding the last error as its cause. */
export async function retry<T>(fn: (attempt: number) => Promise<T>, options: RetryOptions): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (error) {
      const delay = options.delaysMs[attempt - 1];
      if (delay === undefined || options.isRetryable?.(error) === false) {
        throw new RetryError(attempt, { cause: error });
      }
      await sleep(options.jitter ? delay / 2 + Math.random() * (delay / 2) : delay);
    }
  }
}

/** `retries` waits, the first `firstMs`, each later one twice the one before. */
export function doubling(firstMs: number, retries: number): number[] {
  return Array.from({ length: retries }, (_, i) => firstMs * 2 ** i);
}
