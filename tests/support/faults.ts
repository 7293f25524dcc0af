import { Readable } from 'node:stream';
import type { S3Client } from '@aws-sdk/client-s3';
import type { Random } from './random.js';

export type FaultKind = 'InternalError' | 'SlowDown' | 'ECONNRESET' | 'TimeoutError' | 'lostResponse';

const KINDS: readonly FaultKind[] = [
  'InternalError',
  'SlowDown',
  'ECONNRESET',
  'TimeoutError',
  'lostResponse',
];

export interface Faults {
  /** Faults injected so far, by kind. */
  readonly injected: Map<FaultKind, number>;
  /** Requests that passed untouched. */
  passed: number;
}

/**
 * Makes a fraction of one client's HTTP attempts fail (the rate may change over time, as in an S3 storm), inside the SDK's retry loop so that its
 * retries are exercised too: S3 errors (500 InternalError, 503 SlowDown) as S3 would send them,
 * connection resets and timeouts before the request leaves, and "lost responses" after S3 has
 * already applied it (a PUT or DELETE that happened although the caller saw an error).
 */
export function injectFaults(client: S3Client, rate: (attempt: number) => number, random: Random): Faults {
  const faults: Faults = { injected: new Map(), passed: 0 };
  let attempts = 0;
  client.middlewareStack.add(
    (next) => async (args) => {
      if (!random.chance(rate(attempts++))) {
        faults.passed++;
        return next(args);
      }
      const kind = random.pick(KINDS);
      faults.injected.set(kind, (faults.injected.get(kind) ?? 0) + 1);
      switch (kind) {
        case 'InternalError':
          return s3Error(500, 'InternalError', 'We encountered an internal error.') as Awaited<
            ReturnType<typeof next>
          >;
        case 'SlowDown':
          return s3Error(503, 'SlowDown', 'Please reduce your request rate.') as Awaited<
            ReturnType<typeof next>
          >;
        case 'ECONNRESET':
          throw networkError('socket hang up', 'ECONNRESET');
        case 'TimeoutError':
          throw Object.assign(new Error('Connection timed out after 5 ms'), { name: 'TimeoutError' });
        case 'lostResponse':
          await next(args);
          throw networkError('socket hang up after the request was sent', 'ECONNRESET');
      }
    },
    // Below the deserializer, so a fake error response is parsed like a real one, and below the
    // retry middleware, so each attempt rolls the dice again.
    { step: 'deserialize', priority: 'low', name: 'injectFaults' },
  );
  return faults;
}

function s3Error(statusCode: number, code: string, message: string) {
  const body = `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message><RequestId>fault</RequestId></Error>`;
  // The deserializer sees only the response; the output is never read for an error status.
  return {
    output: {},
    response: {
      statusCode,
      reason: code,
      headers: { 'content-type': 'application/xml', 'x-amz-request-id': 'fault' },
      body: Readable.from([Buffer.from(body)]),
    },
  } as unknown;
}

function networkError(message: string, code: string): Error {
  return Object.assign(new Error(message), { code, $metadata: {} });
}
