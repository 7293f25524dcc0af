/** Arguments or settings the CLI cannot run with: exit code 2, like commander's own usage errors. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** One attempt ran past --timeout; unlike a user's Ctrl-C, worth retrying. */
export class AttemptTimeoutError extends Error {
  override readonly name = 'AttemptTimeoutError';
  constructor(ms: number, options?: ErrorOptions) {
    super(`timed out after ${ms} ms`, options);
  }
}

/** A seed that could not be uploaded, after every retry; `cause` is the last attempt's error. */
export class UploadError extends Error {
  override readonly name = 'UploadError';
  constructor(
    readonly key: string,
    readonly attempts: number,
    reason: string,
    options?: ErrorOptions,
  ) {
    super(reason, options);
  }
}

/** One line for a person: Node's network errors can carry an empty message and only a code. */
export function describeError(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0 && !error.message)
    return describeError(error.errors[0]);
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return error.message || (typeof code === 'string' ? code : error.name);
  }
  return String(error);
}
