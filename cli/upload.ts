import type { S3Client } from '@aws-sdk/client-s3';
import { doubling, RetryError, retry } from '../lambdas/seedfeed/retry.js';
import { putObject } from '../lambdas/seedfeed/storage/s3.js';
import { AttemptTimeoutError, describeError, UploadError } from './errors.js';
import { isTransient } from './retry.js';

export interface UploadOptions {
  /** Our retries, on top of the SDK's own attempts within each. */
  retries: number;
  retryDelayMs: number;
  /** Per attempt, SDK retries included: a black-holed endpoint must not hang the run. */
  timeoutMs: number;
}

export const CONTENT_TYPE = 'text/plain; charset=utf-8';

/** Throws UploadError naming the key and the last reason. */
export async function uploadSeed(
  client: S3Client,
  target: { bucket: string; key: string; body: Uint8Array },
  options: UploadOptions,
): Promise<void> {
  try {
    await retry(
      async () => {
        const signal = AbortSignal.timeout(options.timeoutMs);
        try {
          await client.send(
            putObject(target.bucket, target.key, target.body, { contentType: CONTENT_TYPE }),
            {
              abortSignal: signal,
            },
          );
        } catch (error) {
          if (signal.aborted) throw new AttemptTimeoutError(options.timeoutMs, { cause: error });
          throw error;
        }
      },
      { delaysMs: doubling(options.retryDelayMs, options.retries), isRetryable: isTransient, jitter: true },
    );
  } catch (error) {
    if (!(error instanceof RetryError)) throw error;
    const reason = describeError(error.cause);
    const tries = `${error.attempts} attempt${error.attempts === 1 ? '' : 's'}`;
    throw new UploadError(target.key, error.attempts, `${reason} (${tries})`, { cause: error.cause });
  }
}
