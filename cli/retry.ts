import { AttemptTimeoutError } from './errors.js';

// What the CLI's uploads retry (with lambdas/seedfeed/retry.ts): failures that may pass.

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
