import { setTimeout as sleep } from 'node:timers/promises';
import { AttemptTimeoutError, RetryError } from './errors.js';

export interface RetryOptions {
  /** Attempts after the first; 0 tries once. */
  retries: number;
  /** The first wait; each later one doubles, with jitter so parallel uploads do not retry in step. */
  baseDelayMs: number;
  isRetryable(error: unknown): boolean;
}

/** Resolves with fn's value, or rejects with a RetryError holding the last error as its cause. */
export async function retry<T>(fn: (attempt: number) => Promise<T>, options: RetryOptions): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (error) {
      if (attempt > options.retries || !options.isRetryable(error))
        throw new RetryError(attempt, { cause: error });
      const delay = options.baseDelayMs * 2 ** (attempt - 1);
      await sleep(delay / 2 + Math.random() * (delay / 2));
    }
  }
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_SOCKET',
]);

/**
 * Worth another try: the network failed, the attempt timed out, or S3 said it was busy or broken.
 * A 4xx answer (no such bucket, access denied) and missing credentials fail the same way every time.
 */
export function isTransient(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  if (status !== undefined) return status >= 500 || status === 429;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && NETWORK_CODES.has(code)) return true;
  if (error instanceof AttemptTimeoutError || error.name === 'TimeoutError') return true;
  return error instanceof AggregateError && error.errors.some(isTransient);
}
