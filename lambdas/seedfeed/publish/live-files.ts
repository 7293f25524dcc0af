import type { RenderedFile } from '../render/feeds.js';
import { type Bucket, ConditionFailedError } from '../storage/port.js';
import type { PublishCache } from './cache.js';
import { writeStep } from './render-plan.js';

// The public files as a render finds and leaves them: what is live, and writing over it only where
// the bytes changed and nobody wrote since. regenerate.ts decides what to render.

/** The feeds bucket, and this instance's memory of what it wrote there. */
export interface LiveFiles {
  feeds: Bucket;
  cache: PublishCache;
}

/** ETag of each live file (null where there is none): remembered from this instance's last write, or asked. */
export async function liveVersions(
  keys: readonly string[],
  ctx: LiveFiles,
): Promise<Map<string, string | null>> {
  const versions = await Promise.all(
    keys.map(async (key) => {
      const remembered = ctx.cache.written.get(key)?.etag;
      if (remembered !== undefined) return [key, remembered] as const;
      return [key, (await ctx.feeds.head(key))?.etag ?? null] as const;
    }),
  );
  return new Map(versions);
}

/**
 * Writes only files whose bytes differ from what is live, so ETags and reader caches stay valid. Each
 * write is conditional on the ETag that was live before the listing it renders: a write that finds
 * another ETag (someone rendered meanwhile, from a listing at least as new as ours) is not made, and
 * reported as a conflict. So a feed never goes back to an older listing than one already shown, nor
 * to an older time (renderSet reads the clock after the live versions). A file this instance wrote
 * last may still have been rewritten by a slower render since (tests/records/late-renders.test.ts):
 * that is why no render takes its memory of a file on trust.
 */
export async function writeChanged(
  files: RenderedFile[],
  live: Map<string, string | null>,
  ctx: LiveFiles,
  cacheControl: string,
): Promise<{ changed: string[]; conflicts: string[] }> {
  const changed: string[] = [];
  const conflicts: string[] = [];
  const conflict = (key: string) => {
    ctx.cache.written.forget(key);
    conflicts.push(key);
  };
  await Promise.all(
    files.map(async ({ key, bytes, contentType }) => {
      const etag = live.get(key) ?? null;
      const step = writeStep(bytes, etag, ctx.cache.written.get(key));
      if (step.kind === 'confirm') {
        if ((await ctx.feeds.head(key))?.etag !== etag) conflict(key);
        return;
      }
      if (step.kind === 'adopt') {
        if (etag !== null) ctx.cache.written.set(key, etag, bytes);
        return;
      }
      try {
        const written = await ctx.feeds.put(key, bytes, { contentType, cacheControl, ...step.condition });
        ctx.cache.written.set(key, written, bytes);
        live.set(key, written);
        changed.push(key);
      } catch (error) {
        if (!(error instanceof ConditionFailedError)) throw error;
        conflict(key);
      }
    }),
  );
  return { changed, conflicts };
}
