import { createHash } from 'node:crypto';
import { type FeedSettings, type RenderedFile, renderFeeds } from '../render/index.js';
import type { Bucket, ListedObject } from '../storage/port.js';
import { articleOf, type StateKeys } from './keys.js';
import type { Entry } from './sync.js';

export interface RegenerateContext {
  seeds: Bucket;
  feeds: Bucket;
  keys: StateKeys;
  settings: FeedSettings;
  itemsPerFeed: number;
  cacheControl: string;
  cache: PublishCache;
}

/**
 * What one warm function instance remembers between invocations: entries by key and ETag (entries are
 * never rewritten with other content under the same ETag), and the MD5 of what it last wrote to each
 * public file. Memory only makes things cheaper; every decision is confirmed against S3.
 */
export class PublishCache {
  readonly entries = new Map<string, { etag: string; entry: Entry; bytes: number }>();
  readonly written = new Map<string, string>();
  private bytes = 0;

  /**
   * A batch of large seeds would otherwise keep every one of them in memory until the render; past
   * the budget the oldest are dropped, and cost one GET each if the render needs them.
   */
  constructor(readonly maxBytes = 8 * 1_048_576) {}

  remember(key: string, etag: string, entry: Entry, bytes: number): void {
    this.forget(key);
    if (bytes > this.maxBytes) return;
    this.entries.set(key, { etag: unquote(etag), entry, bytes });
    this.bytes += bytes;
    for (const [oldest] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.forget(oldest);
    }
  }

  forget(key: string): void {
    const cached = this.entries.get(key);
    if (!cached) return;
    this.entries.delete(key);
    this.bytes -= cached.bytes;
  }
}

export interface RegenerateResult {
  items: number;
  written: string[];
  attempts: number;
}

const ATTEMPTS = 5;

/**
 * Renders the newest items into the public files. Without conditional writes two instances can race,
 * so after writing we list the index again: if what we rendered is no longer the newest set, someone
 * changed it after we looked, and we render again. The last writer therefore always wrote the set as
 * it stands.
 */
export async function regenerate(ctx: RegenerateContext): Promise<RegenerateResult> {
  const written = new Set<string>();
  let listing = await newest(ctx);
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    const entries = await load(listing, ctx);
    const { files } = renderFeeds(
      entries.map((entry) => entry.item),
      ctx.settings,
    );
    for (const key of await writeChanged(files, ctx)) written.add(key);
    const again = await newest(ctx);
    if (sameListing(listing, again)) {
      forgetOthers(ctx.cache, listing);
      return { items: entries.length, written: [...written], attempts: attempt };
    }
    listing = again;
  }
  throw new Error(`the index kept changing during ${ATTEMPTS} renders; the batch will be retried`);
}

/** The newest entry of each article, newest first, at most K: one LIST unless seeds share links. */
async function newest(ctx: RegenerateContext): Promise<ListedObject[]> {
  const want = ctx.itemsPerFeed;
  let limit = want + 50;
  for (;;) {
    const listed = await ctx.seeds.list(ctx.keys.index, limit);
    const seen = new Set<string>();
    const chosen: ListedObject[] = [];
    for (const object of listed) {
      const article = articleOf(object.key.slice(ctx.keys.index.length));
      if (!article || seen.has(article)) continue;
      seen.add(article);
      chosen.push({ key: object.key, etag: unquote(object.etag) });
      if (chosen.length === want) return chosen;
    }
    if (listed.length < limit) return chosen;
    limit *= 4;
  }
}

async function load(listing: ListedObject[], ctx: RegenerateContext): Promise<Entry[]> {
  return Promise.all(
    listing.map(async ({ key, etag }) => {
      const cached = ctx.cache.entries.get(key);
      if (cached && cached.etag === etag) return cached.entry;
      const object = await ctx.seeds.get(key);
      if (!object) throw new Error(`index entry ${key} vanished while rendering`);
      const entry = JSON.parse(new TextDecoder().decode(object.body)) as Entry;
      ctx.cache.remember(key, object.etag, entry, object.body.length);
      return entry;
    }),
  );
}

/** Writes only files whose bytes differ from what is live, so ETags and reader caches stay valid. */
async function writeChanged(files: RenderedFile[], ctx: RegenerateContext): Promise<string[]> {
  const changed = await Promise.all(
    files.map(async (file) => {
      const md5 = createHash('md5').update(file.body).digest('hex');
      // Our memory can be stale when several instances publish, so "unchanged" is confirmed with a
      // HEAD; "changed" needs no confirmation because writing equal bytes again is harmless.
      if (ctx.cache.written.get(file.key) === md5 || !ctx.cache.written.has(file.key)) {
        const live = await ctx.feeds.head(file.key);
        if (live && unquote(live.etag) === md5) {
          ctx.cache.written.set(file.key, md5);
          return undefined;
        }
      }
      await ctx.feeds.put(file.key, file.body, {
        contentType: file.contentType,
        cacheControl: ctx.cacheControl,
      });
      ctx.cache.written.set(file.key, md5);
      return file.key;
    }),
  );
  return changed.filter((key): key is string => key !== undefined);
}

function sameListing(a: ListedObject[], b: ListedObject[]): boolean {
  return a.length === b.length && a.every((x, i) => x.key === b[i]?.key && x.etag === b[i]?.etag);
}

function forgetOthers(cache: PublishCache, listing: ListedObject[]): void {
  const keep = new Set(listing.map((object) => object.key));
  for (const key of [...cache.entries.keys()]) if (!keep.has(key)) cache.forget(key);
}

function unquote(etag: string): string {
  return etag.replace(/^W\//, '').replaceAll('"', '');
}
