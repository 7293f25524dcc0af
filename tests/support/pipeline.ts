import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Embedded, type EmbeddedOptions, startEmbedded } from '../../local/embedded.js';
import type { QueueOptions } from '../../local/queue.js';

export interface TestPipeline extends Embedded {
  /** Upload (or delete, for undefined) seeds and wait until the feeds reflect them. */
  publish(seeds: Record<string, string | Uint8Array | undefined>): Promise<void>;
  fetch(
    file: string,
  ): Promise<{ status: number; type: string | null; cacheControl: string | null; body: string }>;
  dispose(): Promise<void>;
}

/** A real s3rver on a free port, in its own temporary folder, wired to the real handler. */
export async function startPipeline(
  env: Record<string, string> = {},
  queue: Partial<QueueOptions> = {},
  /** The handler's clock, for tests of time (embargoes, the sitemap's window). */
  clock?: EmbeddedOptions['clock'],
): Promise<TestPipeline> {
  const directory = await mkdtemp(join(tmpdir(), 'seedfeed-test-'));
  const embedded = await startEmbedded({
    directory,
    port: 0,
    env,
    queue: { retryDelayMs: 20, ...queue },
    ...(clock ? { clock } : {}),
  });
  return {
    ...embedded,
    async publish(seeds) {
      for (const [name, body] of Object.entries(seeds)) {
        const key = `${embedded.config.seedsPrefix}${name}`;
        if (body === undefined) await embedded.seeds.delete(key);
        else await embedded.seeds.put(key, body, { contentType: 'text/plain; charset=utf-8' });
      }
      await embedded.queue.idle();
    },
    async fetch(file) {
      const response = await fetch(new URL(file, embedded.config.publicUrl));
      return {
        status: response.status,
        type: response.headers.get('content-type'),
        cacheControl: response.headers.get('cache-control'),
        body: await response.text(),
      };
    },
    async dispose() {
      await embedded.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
