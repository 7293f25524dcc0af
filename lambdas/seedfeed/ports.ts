/**
 * What the handler needs from the world besides storage (storage/port.ts), as small interfaces: the
 * Lambda entry fills them with Powertools and the WebSub notifier, the local runner and the tests with
 * their own. Both sides import them from here, so neither imports the other.
 */

/** The few log calls the handler makes; Powertools' Logger fits it, and so does a test's array. */
export interface Log {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export interface Metrics {
  count(
    name: 'published' | 'rejected' | 'removed' | 'failed' | 'left-out' | 'invalidation-failed',
    value: number,
  ): void;
  milliseconds(name: 'regeneration', value: number): void;
}

/** Tells a WebSub hub which feeds changed; never throws (see websub.ts). */
export type Notify = (feedUrls: readonly string[]) => Promise<void>;

/**
 * Tells the CDN that these public files changed (keys as written to the feeds bucket): resolves once
 * the invalidation is created, with the URL paths it names, and rejects if it could not be (see cdn.ts).
 * Absent where no CDN serves the files (`npm start`).
 */
export type Invalidate = (
  changedKeys: readonly string[],
) => Promise<{ paths: string[]; id?: string | undefined }>;
