import { createHash } from 'node:crypto';
import { BoundedMap } from '../bounded-map.js';
import {
  FEED_FILES,
  type FeedSettings,
  RenderCache,
  type RenderedFile,
  renderFeeds,
  type View,
} from '../render/feeds.js';
import { PAGE_FILE } from '../render/page.js';
import { type Bucket, ConditionFailedError, type ListedObject } from '../storage/port.js';
import {
  type Collection,
  type CollectionSettings,
  collectionView,
  labelOf,
  mainView,
  type SiteMap,
} from './collections.js';
import { type Entry, readEntry } from './entry.js';
import { articleOf, type StateKeys } from './keys.js';

export interface RegenerateContext {
  seeds: Bucket;
  feeds: Bucket;
  keys: StateKeys;
  settings: FeedSettings;
  itemsPerFeed: number;
  cacheControl: string;
  cache: PublishCache;
  collections: CollectionSettings;
}

/**
 * What one warm function instance remembers between invocations: entries by key and ETag (entries are
 * never rewritten with other content under the same ETag), and what it last wrote to each public file
 * (its ETag, and its bytes while they fit). Memory only makes things cheaper; every decision is
 * confirmed against S3.
 */
export class PublishCache {
  readonly entries: BoundedMap<CachedEntry>;
  readonly written = new WrittenFiles();
  /** What was rendered of each item, reused while it stays among the newest (see render/memo.ts). */
  readonly render = new RenderCache();

  /**
   * A batch of large seeds would otherwise keep every one of them in memory until the render; past
   * the budget the oldest are dropped, and cost one GET each if the render needs them.
   */
  constructor(maxBytes = 8 * 1_048_576) {
    this.entries = new BoundedMap({ entries: Number.POSITIVE_INFINITY, bytes: maxBytes }, (c) => c.bytes);
  }

  remember(key: string, etag: string, entry: Entry, bytes: number): void {
    this.entries.set(key, { etag, entry, bytes });
  }

  forget(key: string): void {
    this.entries.delete(key);
  }
}

interface CachedEntry {
  etag: string;
  entry: Entry;
  bytes: number;
}

export interface RegenerateResult {
  items: number;
  written: string[];
  attempts: number;
  /** Items the renderers left out (they failed their checks), with the seeds that carry them. */
  excluded: { seedKey: string; reason: string }[];
}

const ATTEMPTS = 5;
// An archive month holds every article of the month (up to the byte budget), not just the newest K.
const ARCHIVE_LIMIT = 2_000;
/**
 * A past month changes only when one of its old articles is corrected, so caches may keep it for a
 * week without asking (`immutable`); a correction reaches every reader within that week. The newest
 * month still grows and keeps the feeds' own max-age.
 */
const ARCHIVE_CACHE_CONTROL = 'public, max-age=604800, immutable';

function archived(collection: Collection, map: SiteMap): boolean {
  const newest = map.months.at(-1);
  return (
    collection.startsWith('month/') && newest !== undefined && collection.slice('month/'.length) < newest
  );
}

interface Feeds {
  /** Where the members are listed: the index itself, or a collection's folder of memberships. */
  prefix: string;
  limit: number;
  view: (entries: Entry[]) => View;
  cacheControl: string;
}

/**
 * Renders the main feeds, then the feeds of every collection this batch touched. Each set is listed
 * again after writing: if what was rendered is no longer the newest set, someone changed it after we
 * looked, and it is rendered again, so the last writer always wrote the set as it stands. (Conditional
 * writes alone cannot promise that: an ETag is a hash of the bytes, so a file that went back to bytes
 * it had before matches an old ETag again.)
 */
export async function regenerate(
  ctx: RegenerateContext,
  touched: readonly Collection[] = [],
): Promise<RegenerateResult> {
  const map = await siteMap(ctx);
  const sets: Feeds[] = [
    {
      prefix: ctx.keys.index,
      limit: ctx.itemsPerFeed,
      view: () => mainView(map),
      cacheControl: ctx.cacheControl,
    },
    ...withNeighbours(touched, map).map((collection) => ({
      prefix: ctx.keys.collection(collection),
      limit: collection.startsWith('month/') ? ARCHIVE_LIMIT : ctx.itemsPerFeed,
      view: () => collectionView(collection, labelOf(collection), map),
      cacheControl: archived(collection, map) ? ARCHIVE_CACHE_CONTROL : ctx.cacheControl,
    })),
  ];
  const result: RegenerateResult = { items: 0, written: [], attempts: 0, excluded: [] };
  const rendered = new Set<string>();
  for (const [index, set] of sets.entries()) {
    const one = await renderSet(ctx, set, rendered);
    if (index === 0) result.items = one.items;
    result.written.push(...one.written);
    result.attempts = Math.max(result.attempts, one.attempts);
    result.excluded.push(...one.excluded);
  }
  forgetOthers(ctx.cache, rendered);
  return result;
}

/**
 * A month that appears or disappears changes its neighbours' prev/next-archive links, so they are
 * rendered again too.
 */
function withNeighbours(touched: readonly Collection[], map: SiteMap): Collection[] {
  const out = new Set<Collection>(touched);
  for (const collection of touched) {
    if (!collection.startsWith('month/')) continue;
    const month = collection.slice('month/'.length);
    const older = map.months.filter((m) => m < month).at(-1);
    const newer = map.months.find((m) => m > month);
    if (older) out.add(`month/${older}`);
    if (newer) out.add(`month/${newer}`);
  }
  return [...out].sort();
}

async function renderSet(
  ctx: RegenerateContext,
  set: Feeds,
  rendered: Set<string>,
): Promise<RegenerateResult> {
  const written = new Set<string>();
  // What is live must be known before the listing: a write over it then never replaces a render of a
  // newer listing (see writeChanged).
  const live = await liveVersions(filesOf(set.view([])), ctx);
  let listing = await newest(ctx, set);
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    const { entries, broken } = await load(listing.chosen, ctx);
    const result = renderFeeds(
      entries.map((entry) => entry.item),
      ctx.settings,
      set.view(entries),
      ctx.cache.render,
    );
    const { changed, conflicts } = await writeChanged(result.files, live, ctx, set.cacheControl);
    for (const key of changed) written.add(key);
    if (conflicts.length > 0) {
      // Another instance wrote since: learn what it wrote, then list again, newer than its listing.
      for (const [key, etag] of await liveVersions(conflicts, ctx)) live.set(key, etag);
      listing = await newest(ctx, set);
      continue;
    }
    const again = await newest(ctx, set, listing.size);
    if (sameListing(listing.chosen, again.chosen)) {
      for (const { key } of listing.chosen) rendered.add(key);
      const seedOf = new Map(entries.map((entry) => [entry.item.link, entry.seedKey]));
      return {
        items: result.included.length,
        written: [...written],
        attempts: attempt,
        excluded: [
          ...broken,
          ...result.excluded.map(({ item, reason }) => ({
            seedKey: seedOf.get(item.link) ?? item.link,
            reason,
          })),
        ],
      };
    }
    listing = again;
  }
  throw new Error(`${set.prefix} kept changing during ${ATTEMPTS} renders; the batch will be retried`);
}

/** The public files of a view, whatever its items. */
function filesOf(view: View): string[] {
  return [...Object.values(FEED_FILES), PAGE_FILE].map((file) => `${view.path}${file.key}`);
}

/** ETag of each live file (null where there is none): remembered from this instance's last write, or asked. */
async function liveVersions(
  keys: readonly string[],
  ctx: RegenerateContext,
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

/** Which categories and archive months exist: two LISTs of folders, whatever the number of items. */
async function siteMap(ctx: RegenerateContext): Promise<SiteMap> {
  const [categories, months] = await Promise.all([
    ctx.collections.categoryFeeds ? ctx.seeds.listFolders(ctx.keys.collections('category')) : [],
    ctx.collections.archives ? ctx.seeds.listFolders(ctx.keys.collections('month')) : [],
  ]);
  return {
    categories: categories
      .map((name) => ({ collection: `category/${name}` as const, label: labelOf(`category/${name}`) }))
      .sort((a, b) => a.label.localeCompare(b.label)),
    months: [...months].sort(),
  };
}

interface Newest {
  chosen: ListedObject[];
  /** How many keys a LIST must return to reproduce `chosen` (one more when the listing ran out). */
  size: number;
}

/**
 * The newest entry of each article, newest first, at most `limit`. The answer does not depend on
 * `first` (the listing grows until it is complete); `first` only saves work: a LIST costs CPU per key
 * returned, so the confirming listing asks for exactly as many keys as the first one used.
 */
async function newest(ctx: RegenerateContext, set: Feeds, first = set.limit + 10): Promise<Newest> {
  let size = first;
  for (;;) {
    const listed = await ctx.seeds.list(set.prefix, size);
    const seen = new Set<string>();
    const chosen: ListedObject[] = [];
    for (const [position, object] of listed.entries()) {
      const name = object.key.slice(set.prefix.length);
      const article = articleOf(name);
      if (!article || seen.has(article)) continue;
      seen.add(article);
      // Memberships are empty objects; the entry they name is what gets read, and its own ETag is
      // known only from the index. An entry's name holds its seed's version, so it is never reused.
      const key = ctx.keys.entry(name);
      chosen.push({ key, etag: set.prefix === ctx.keys.index ? object.etag : '' });
      if (chosen.length === set.limit) return { chosen, size: position + 1 };
    }
    // Ran out: one key more than there were shows whether anything was added behind them.
    if (listed.length < size) return { chosen, size: listed.length + 1 };
    size *= 4;
  }
}

interface Loaded {
  entries: Entry[];
  /** Entries that are not what seedfeed writes (see readEntry): left out and reported, never rendered. */
  broken: { seedKey: string; reason: string }[];
}

async function load(listing: ListedObject[], ctx: RegenerateContext): Promise<Loaded> {
  const loaded: Loaded = { entries: [], broken: [] };
  const read = await Promise.all(
    listing.map(async ({ key, etag }) => {
      const cached = ctx.cache.entries.get(key);
      if (cached && (cached.etag === etag || etag === '')) return cached.entry;
      const object = await ctx.seeds.get(key);
      if (!object) throw new Error(`index entry ${key} vanished while rendering`);
      const entry = readEntry(object.body);
      if (typeof entry === 'string') return { seedKey: key, reason: `index entry ${key}: ${entry}` };
      ctx.cache.remember(key, object.etag, entry, object.body.length);
      return entry;
    }),
  );
  for (const one of read) {
    if ('item' in one) loaded.entries.push(one);
    else loaded.broken.push(one);
  }
  return loaded;
}

/**
 * Writes only files whose bytes differ from what is live, so ETags and reader caches stay valid. Each
 * write is conditional on the ETag that was live before the listing it renders: a write that finds
 * another ETag (someone rendered meanwhile, from a listing at least as new as ours) is not made, and
 * reported as a conflict. So a feed never goes back to an older listing than one already shown, and a
 * reader never sees an item vanish that is still published.
 */
async function writeChanged(
  files: RenderedFile[],
  live: Map<string, string | null>,
  ctx: RegenerateContext,
  cacheControl: string,
): Promise<{ changed: string[]; conflicts: string[] }> {
  const changed: string[] = [];
  const conflicts: string[] = [];
  await Promise.all(
    files.map(async ({ key, bytes, contentType }) => {
      const etag = live.get(key) ?? null;
      const last = ctx.cache.written.get(key);
      // What is live, when this instance wrote it and still holds its bytes.
      const known = etag !== null && last?.etag === etag ? last.bytes : undefined;
      if (etag !== null && known?.equals(bytes)) {
        // The same bytes as this instance wrote last: unchanged, unless someone wrote since. Only a
        // render that changes nothing pays this HEAD; an upload changes every file it renders.
        if ((await ctx.feeds.head(key))?.etag === etag) return;
        ctx.cache.written.forget(key);
        conflicts.push(key);
        return;
      }
      // Live bytes this instance does not hold are compared by hash with the live ETag: the MD5 of
      // the body for the single-part, SSE-S3 objects written here.
      if (etag !== null && known === undefined && createHash('md5').update(bytes).digest('hex') === etag) {
        ctx.cache.written.set(key, etag, bytes);
        return;
      }
      try {
        const condition = etag === null ? { ifNoneMatch: '*' as const } : { ifMatch: etag };
        const written = await ctx.feeds.put(key, bytes, { contentType, cacheControl, ...condition });
        ctx.cache.written.set(key, written, bytes);
        live.set(key, written);
        changed.push(key);
      } catch (error) {
        if (!(error instanceof ConditionFailedError)) throw error;
        ctx.cache.written.forget(key);
        conflicts.push(key);
      }
    }),
  );
  return { changed, conflicts };
}

/**
 * The public files this instance wrote last. A new render is compared with the remembered bytes, which
 * is far cheaper than hashing it: an upload changes every feed, and only an unchanged file needs its
 * MD5 (to compare with the live ETag). Bytes are kept within a budget, oldest dropped first; a file
 * whose bytes were dropped is hashed like one never written.
 */
export class WrittenFiles {
  private readonly etags = new Map<string, string>();
  private readonly bodies: BoundedMap<Buffer>;

  constructor(maxBytes = 8 * 1_048_576) {
    this.bodies = new BoundedMap({ entries: Number.POSITIVE_INFINITY, bytes: maxBytes }, (b) => b.length);
  }

  get(key: string): { etag: string; bytes: Buffer | undefined } | undefined {
    const etag = this.etags.get(key);
    return etag === undefined ? undefined : { etag, bytes: this.bodies.get(key) };
  }

  set(key: string, etag: string, bytes: Buffer): void {
    this.etags.set(key, etag);
    this.bodies.set(key, bytes);
  }

  forget(key: string): void {
    this.etags.delete(key);
    this.bodies.delete(key);
  }
}

function sameListing(a: ListedObject[], b: ListedObject[]): boolean {
  return a.length === b.length && a.every((x, i) => x.key === b[i]?.key && x.etag === b[i]?.etag);
}

function forgetOthers(cache: PublishCache, keep: Set<string>): void {
  for (const key of cache.entries.keys()) if (!keep.has(key)) cache.forget(key);
}
