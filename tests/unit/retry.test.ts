import { describe, expect, it } from 'vitest';
import { doubling, RetryError, retry } from '../../lambdas/seedfeed/retry.js';

/** A call that fails its first `failures` attempts with `error`, counting them. */
function flaky(failures: number, error: Error = new Error('busy')) {
  const calls: number[] = [];
  return {
    calls,
    fn: async (attempt: number) => {
      calls.push(attempt);
      if (calls.length <= failures) throw error;
      return 'done';
    },
  };
}

describe('retry', () => {
  it('tries again after each wait until the call succeeds', async () => {
    const call = flaky(2);

    const value = await retry(call.fn, { delaysMs: [1, 1, 1] });

    expect(value).toBe('done');
    expect(call.calls).toEqual([1, 2, 3]);
  });

  it('gives up after one try per wait plus the first, naming the attempts and the last error', async () => {
    const cause = new Error('still busy');
    const call = flaky(10, cause);

    const failed = await retry(call.fn, { delaysMs: [1, 1] }).catch((error: unknown) => error);

    expect(failed).toBeInstanceOf(RetryError);
    expect((failed as RetryError).attempts).toBe(3);
    expect((failed as RetryError).cause).toBe(cause);
    expect((failed as RetryError).message).toBe('failed after 3 attempts: still busy');
  });

  it('stops at once on an error not worth another try', async () => {
    const call = flaky(10, new Error('access denied'));

    const failed = await retry(call.fn, { delaysMs: [1, 1], isRetryable: () => false }).catch((e) => e);

    expect(call.calls).toEqual([1]);
    expect((failed as RetryError).attempts).toBe(1);
  });
});

describe('doubling', () => {
  it('doubles each wait', () => {
    expect(doubling(50, 4)).toEqual([50, 100, 200, 400]);
    expect(doubling(50, 0)).toEqual([]);
  });
});
