import { type FeedSettings, renderFeeds } from '../render/feeds.js';
import type { Bucket, ListedObject } from '../storage/port.js';
import type { PublishCache } from './cache.js';
import {
  type Collection,
  type CollectionSettings,
  keepsCollections,
  labelOf,
  type SiteMap,
} from './collections.js';
import {
  dueCollections,
  type EmbargoRecords,
  isHidden,
  stillWithheld,
  visibleSiteMap,
  withheldCollections,
} from './embargo.js';
import { type Entry, readEntry } from './entry.js';
import type { StateKeys } from './keys.js';
import { liveVersions, writeChanged } from './live-files.js';
import {
  chooseNewest,
  type FeedSet,
  feedSets,
  filesOf,
  type Newest,
  onlyAdded,
  sameListing,
} from './render-plan.js';
import { type WarmStart, warmEntry, warmStartBody } from './warm-start.js';

export interface RegenerateContext {
  seeds: Bucket;
  feeds: Bucket;
  keys: StateKeys;
  /** What shapes the bytes; their time is the clock's, read for each set and after a conflict (renderSet). */
  settings: Omit<FeedSettings, 'now'>;
  clock: () => Date;
  itemsPerFeed: number;
  cacheControl: string;
  cache: PublishCache;
  collections: CollectionSettings;
  /**
   * A fresh instance's warm start, read by the handler beside the batch's records; only a cache:
   * without one (or with one that cannot be read) the render GETs and HEADs instead.
   */
  warmStart?: Promise<WarmStart | undefined>;
}

export interface RegenerateResult {
  items: number;
  written: string[];
  attempts: number;
  /** Items the renderers left out (they failed their checks), with the seeds that carry them. */
  excluded: { seedKey: string; reason: string }[];
}

const ATTEMPTS = 5;
/** Keys the confirming LIST reads beyond the first one's, to see rendered entries pushed down by new ones. */
const GROWTH_SEEN = 20;

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
  /** A sweep: the collections of the entries that became due after this time are rendered too. */
  dueAfter?: Date,
): Promise<RegenerateResult> {
  // Entries published after the render's time are embargoed (see embargo.ts).
  const now = ctx.clock();
  const rendered = new Set<string>();
  // Entries read for the embargo's questions stay cached like the rendered ones.
  const entries = async (listed: ListedObject[]) => {
    for (const { key } of listed) rendered.add(key);
    return (await load(listed, ctx)).entries;
  };
  const records = { seeds: ctx.seeds, keys: ctx.keys, collections: ctx.collections, entries };
  const fresh = !ctx.cache.started;
  ctx.cache.started = true;
  const [start, due] = await Promise.all([
    fresh ? ctx.warmStart : undefined,
    dueAfter ? dueCollections(records, dueAfter, now) : [],
  ]);
  for (const [key, etag] of start?.files ?? []) {
    if (!ctx.cache.written.get(key)) ctx.cache.written.remember(key, etag);
  }
  const result: RegenerateResult = { items: 0, written: [], attempts: 0, excluded: [] };
  const written = new Set<string>();
  let map = await siteMap(ctx);
  for (let round = 1; ; round++) {
    const setsAt = planSets(ctx, records, [...new Set([...touched, ...due])], map, {
      now,
      withheld: await withheldCollections(records, now),
    });
    const planned = await setsAt(now);
    // What is live must be known before a set is listed, and the time read after it (see renderSet):
    // every set's files are asked at once, then the clock is read once for all of them.
    const lives = await Promise.all(planned.map((set) => liveVersions(filesOf(set.view([])), ctx)));
    const begunAt = ctx.clock();
    const begun = await setsAt(begunAt);
    result.excluded = [];
    for (const [index, set] of planned.entries()) {
      const warm = index === 0 && round === 1 ? { ...(start ? { start } : {}), fresh } : undefined;
      const samePrefix = (sets: FeedSet[]) => sets.find((timed) => timed.prefix === set.prefix) ?? set;
      const timed: TimedSet = {
        set: samePrefix(begun),
        now: begunAt,
        live: lives[index] ?? new Map(),
        at: async (time) => samePrefix(await setsAt(time)),
      };
      const one = await renderSet(ctx, timed, rendered, warm);
      if (index === 0) result.items = one.items;
      for (const key of one.written) written.add(key);
      result.attempts = Math.max(result.attempts, one.attempts);
      result.excluded.push(...one.excluded);
    }
    // The links between feeds (categories, authors, archive months) come from the map read before the
    // renders: one that appeared or went meanwhile is rendered again with the map as it is now, or a
    // render that lost its conditional write to a newer one would write the old links back.
    if (!keepsCollections(ctx.collections)) break;
    const current = await siteMap(ctx);
    if (sameSiteMap(map, current)) break;
    if (round === MAP_ROUNDS)
      throw new Error(`the site map kept changing during ${MAP_ROUNDS} renders; the batch will be retried`);
    map = current;
  }
  result.written = [...written];
  ctx.cache.keepOnly(rendered);
  return result;
}

const MAP_ROUNDS = 3;

/**
 * The round's feed sets as they stand at a time from the round's on. A collection withheld at the
 * round's time whose first story has become due since is asked about again (one short LIST each;
 * there are seldom any), so a render that began before a story was due names its category once it is.
 */
function planSets(
  ctx: RegenerateContext,
  records: EmbargoRecords,
  collections: Collection[],
  map: SiteMap,
  round: { now: Date; withheld: Set<Collection> },
): (at: Date) => Promise<FeedSet[]> {
  return async (at) => {
    const { now, withheld } = round;
    const still = withheld.size === 0 || at <= now ? withheld : await stillWithheld(records, withheld, at);
    return feedSets(collections, visibleSiteMap(map, at, still), {
      indexPrefix: ctx.keys.index,
      collectionPrefix: (collection) => ctx.keys.collection(collection),
      itemsPerFeed: ctx.itemsPerFeed,
      cacheControl: ctx.cacheControl,
      now: at,
      hidden: (collection) => isHidden(collection, at, still),
    });
  };
}

function sameSiteMap(a: SiteMap, b: SiteMap): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The main set's part in the warm start: the one read, and whether this instance is fresh. */
interface Warm {
  start?: WarmStart;
  fresh: boolean;
}

/**
 * A render that GETs this many entries writes a new warm start, as does a fresh instance's first, so
 * that the next fresh instance finds the entries and ETags as they are now. A warm instance that GETs
 * an entry or two (another instance's uploads) writes none: one more PUT would cost more than it saves.
 */
const WARM_START_AFTER_GETS = 4;

/** A set at the time its render begins, what was live before that, and the set at a later time. */
interface TimedSet {
  set: FeedSet;
  now: Date;
  live: Map<string, string | null>;
  /** Its files are the same at any time; what they hold, and whether it is hidden, are not. */
  at: (time: Date) => Promise<FeedSet>;
}

/**
 * What is live must be known before the listing: a write over it then never replaces a render of a
 * newer listing (see live-files.ts writeChanged). And the time is read after it: whoever wrote a live
 * version read its clock before, so a write over it is never of an earlier time (an item due since
 * back in embargo, an old one back in the sitemap, a category named since unnamed again).
 */
async function renderSet(
  ctx: RegenerateContext,
  timed: TimedSet,
  rendered: Set<string>,
  warm?: Warm,
): Promise<RegenerateResult> {
  const written = new Set<string>();
  const { live } = timed;
  let { set, now } = timed;
  if (set.onlyIfLive && [...live.values()].every((etag) => etag === null)) {
    return { items: 0, written: [], attempts: 0, excluded: [] };
  }
  let listing = await newest(ctx, set);
  let fetched = 0;
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    const { entries, broken, gets } = await load(listing.chosen, ctx, warm?.start);
    fetched += gets;
    const result = renderFeeds(
      entries.map((entry) => entry.item),
      { ...ctx.settings, now: now.toISOString() },
      set.view(entries),
      ctx.cache.render,
    );
    const { changed, conflicts } = await writeChanged(result.files, live, ctx, set.cacheControl);
    for (const key of changed) written.add(key);
    if (conflicts.length > 0) {
      // Another instance wrote since: learn what it wrote, then list again, newer than its listing.
      for (const [key, etag] of await liveVersions(conflicts, ctx)) live.set(key, etag);
      now = ctx.clock();
      set = await timed.at(now);
      listing = await newest(ctx, set);
      continue;
    }
    const saving =
      warm && (warm.fresh || fetched >= WARM_START_AFTER_GETS)
        ? saveWarmStart(ctx, listing.chosen, live)
        : undefined;
    // The warm start goes beside the confirming LIST, not after it: one a little older than the feeds
    // only costs the next fresh instance a GET or a failed condition. The LIST reads a few keys more
    // than the first one used: entries added at the top push its last ones down, and onlyAdded needs
    // to see them still there.
    const [again] = await Promise.all([newest(ctx, set, listing.size + GROWTH_SEEN), saving]);
    if (saving && warm) warm.fresh = false;
    const fromIndex = set.prefix === ctx.keys.index;
    if (
      sameListing(listing.chosen, again.chosen) ||
      onlyAdded(listing.chosen, again.listed, set, (name) => ctx.keys.entry(name), fromIndex)
    ) {
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

/** Which categories and archive months exist: two LISTs of folders, whatever the number of items. */
async function siteMap(ctx: RegenerateContext): Promise<SiteMap> {
  const [categories, authors, months] = await Promise.all([
    ctx.collections.categoryFeeds ? ctx.seeds.listFolders(ctx.keys.collections('category')) : [],
    ctx.collections.authorFeeds ? ctx.seeds.listFolders(ctx.keys.collections('author')) : [],
    ctx.collections.archives ? ctx.seeds.listFolders(ctx.keys.collections('month')) : [],
  ]);
  const labelled = (collections: Collection[]) =>
    collections
      .map((collection) => ({ collection, label: labelOf(collection) }))
      .sort((a, b) => a.label.localeCompare(b.label));
  return {
    categories: labelled(categories.map((name) => `category/${name}` as const)),
    authors: labelled(authors.map((name) => `author/${name}` as const)),
    months: [...months].sort(),
  };
}

/**
 * The newest entry of each article, newest first, at most the set's limit. The answer does not depend
 * on `first` (the listing grows until it is complete); `first` only saves work: a LIST costs CPU per
 * key returned, so the confirming listing asks for exactly as many keys as the first one used.
 */
async function newest(
  ctx: RegenerateContext,
  set: FeedSet,
  first = set.limit + 10,
): Promise<Newest & { listed: ListedObject[] }> {
  const fromIndex = set.prefix === ctx.keys.index;
  for (let size = first; ; size *= 4) {
    const listed = await ctx.seeds.list(set.prefix, size, set.startAfter);
    const chosen = chooseNewest(listed, size, set, (name) => ctx.keys.entry(name), fromIndex);
    if (chosen) return { ...chosen, listed };
  }
}

interface Loaded {
  entries: Entry[];
  /** Entries that are not what seedfeed writes (see readEntry): left out and reported, never rendered. */
  broken: { seedKey: string; reason: string }[];
  /** How many entries had to be read from storage. */
  gets: number;
}

async function load(listing: ListedObject[], ctx: RegenerateContext, start?: WarmStart): Promise<Loaded> {
  const loaded: Loaded = { entries: [], broken: [], gets: 0 };
  const read = await Promise.all(
    listing.map(async ({ key, etag }) => {
      const cached = ctx.cache.entries.get(key);
      if (cached && (cached.etag === etag || etag === '')) return cached.entry;
      const warm = start && warmEntry(start, key, etag);
      if (warm) {
        ctx.cache.remember(key, etag, warm, start.entries.get(key)?.length ?? 0);
        return warm;
      }
      loaded.gets++;
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

/** The entries just rendered and the files' ETags now; a failed write is only a cache not refreshed. */
async function saveWarmStart(
  ctx: RegenerateContext,
  chosen: readonly ListedObject[],
  live: ReadonlyMap<string, string | null>,
): Promise<void> {
  const entries = chosen.flatMap(({ key }): [string, Entry][] => {
    const cached = ctx.cache.entries.get(key);
    return cached ? [[key, cached.entry]] : [];
  });
  const files = new Map([...live].flatMap(([key, etag]): [string, string][] => (etag ? [[key, etag]] : [])));
  await ctx.seeds
    .put(ctx.keys.warmStart, warmStartBody(entries, files), { contentType: 'application/json' })
    .catch(() => undefined);
}
