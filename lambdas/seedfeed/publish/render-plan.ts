import { hash } from 'node:crypto';
import { publicKeysOf, type View } from '../render/feeds.js';
import type { ListedObject, ObjectHeaders } from '../storage/port.js';
import {
  authorLabel,
  type Collection,
  collectionView,
  labelOf,
  mainView,
  type SiteMap,
} from './collections.js';
import type { Entry } from './entry.js';
import { articleOf, dueFrom } from './keys.js';

// What a regeneration decides, without storage: listings and live versions in, sets to render and
// writes to make out. regenerate.ts asks storage and carries the decisions out.

/** One set of public files and where its members are listed. */
export interface FeedSet {
  /** Where the members are listed: the index itself, or a collection's folder of memberships. */
  prefix: string;
  limit: number;
  view: (entries: Entry[]) => View;
  cacheControl: string;
  /** Where the listing starts: members before it are embargoed at the render's `now` (keys.ts `dueFrom`). */
  startAfter?: string;
  /**
   * A collection readers may not see yet (every member embargoed): rendered only over files that are
   * live already (a story taken down from it), never created, so its name appears with its first story.
   */
  onlyIfLive?: boolean;
}

export interface SetPlan {
  indexPrefix: string;
  collectionPrefix: (collection: Collection) => string;
  itemsPerFeed: number;
  cacheControl: string;
  /** The render's time: members published after it are left out (embargoed). */
  now?: Date;
  /** Collections readers may not see yet (see embargo.ts `isHidden`). */
  hidden?: (collection: Collection) => boolean;
}

// An archive month holds every article of the month (up to the byte budget), not just the newest K.
const ARCHIVE_LIMIT = 2_000;
/**
 * A past month changes only when one of its old articles is corrected, so caches may keep it for a
 * week without asking (`immutable`); a correction reaches every reader within that week. The newest
 * month still grows and keeps the feeds' own max-age.
 */
const ARCHIVE_CACHE_CONTROL = 'public, max-age=604800, immutable';

/** The main feeds first, then the feeds of every collection the batch touched and of their neighbours. */
export function feedSets(touched: readonly Collection[], map: SiteMap, plan: SetPlan): FeedSet[] {
  const from = (prefix: string) => (plan.now ? { startAfter: dueFrom(prefix, plan.now) } : {});
  return [
    {
      prefix: plan.indexPrefix,
      limit: plan.itemsPerFeed,
      view: () => mainView(map),
      cacheControl: plan.cacheControl,
      ...from(plan.indexPrefix),
    },
    ...withNeighbours(touched, map).map((collection) => ({
      ...from(plan.collectionPrefix(collection)),
      ...(plan.hidden?.(collection) ? { onlyIfLive: true } : {}),
      prefix: plan.collectionPrefix(collection),
      limit: collection.startsWith('month/') ? ARCHIVE_LIMIT : plan.itemsPerFeed,
      // An author's segment has lost the byline's capitals; the entries still have them.
      view: (entries: Entry[]) =>
        collectionView(
          collection,
          collection.startsWith('author/')
            ? authorLabel(
                collection,
                entries.map((entry) => entry.item),
              )
            : labelOf(collection),
          map,
        ),
      cacheControl: archived(collection, map) ? ARCHIVE_CACHE_CONTROL : plan.cacheControl,
    })),
  ];
}

function archived(collection: Collection, map: SiteMap): boolean {
  const newest = map.months.at(-1);
  return (
    collection.startsWith('month/') && newest !== undefined && collection.slice('month/'.length) < newest
  );
}

/**
 * A month that appears or disappears changes its neighbours' prev/next-archive links, so they are
 * rendered again too.
 */
export function withNeighbours(touched: readonly Collection[], map: SiteMap): Collection[] {
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

/** The public files of a view, whatever its items. */
export function filesOf(view: View): string[] {
  return publicKeysOf(view);
}

export interface Newest {
  chosen: ListedObject[];
  /** How many keys a LIST must return to reproduce `chosen` (one more when the listing ran out). */
  size: number;
}

/**
 * From a LIST of at most `asked` keys under the set's prefix: the newest entry of each article, newest
 * first, at most the set's limit; undefined when the listing was cut short before the limit was
 * reached, so a longer one is needed. Memberships are empty objects: the entry they name is what gets
 * read, and its ETag is known only from the index.
 */
export function chooseNewest(
  listed: readonly ListedObject[],
  asked: number,
  set: FeedSet,
  entryKey: (name: string) => string,
  fromIndex: boolean,
): Newest | undefined {
  const seen = new Set<string>();
  const chosen: ListedObject[] = [];
  for (const [position, object] of listed.entries()) {
    // A store that ignored StartAfter still gives no embargoed member.
    if (set.startAfter !== undefined && object.key <= set.startAfter) continue;
    const name = object.key.slice(set.prefix.length);
    const article = articleOf(name);
    if (!article || seen.has(article)) continue;
    seen.add(article);
    // An entry's name holds its seed's version, so it is never reused.
    chosen.push({ key: entryKey(name), etag: fromIndex ? object.etag : '' });
    if (chosen.length === set.limit) return { chosen, size: position + 1 };
  }
  // Ran out: one key more than there were shows whether anything was added behind them.
  return listed.length < asked ? { chosen, size: listed.length + 1 } : undefined;
}

export function sameListing(a: readonly ListedObject[], b: readonly ListedObject[]): boolean {
  return a.length === b.length && a.every((x, i) => x.key === b[i]?.key && x.etag === b[i]?.etag);
}

/**
 * Whether a confirming LIST (`listed`, raw keys under the set's prefix) still holds every entry that
 * was rendered, unchanged: then the set only grew since the render's listing. Whoever added to it
 * lists after adding and writes only over a version at least as new as this render's, so that render
 * shows what this one showed and more; this one need not be done again. A removal or a rewrite is
 * redone here: its maker may have found its own render equal to the live bytes and written nothing.
 */
export function onlyAdded(
  rendered: readonly ListedObject[],
  listed: readonly ListedObject[],
  set: FeedSet,
  entryKey: (name: string) => string,
  fromIndex: boolean,
): boolean {
  const present = new Set(
    listed.map(({ key, etag }) => `${entryKey(key.slice(set.prefix.length))} ${fromIndex ? etag : ''}`),
  );
  return rendered.every(({ key, etag }) => present.has(`${key} ${etag}`));
}

/** What to do with one rendered file, given what is live and what this instance wrote there last. */
export type WriteStep =
  /** The same bytes as this instance wrote last: unchanged, if a HEAD still finds that ETag. */
  | { kind: 'confirm' }
  /** The live file already has these bytes (its ETag is their MD5): nothing to write. */
  | { kind: 'adopt' }
  /** Different bytes: written only over the version seen before the listing. */
  | { kind: 'put'; condition: Pick<ObjectHeaders, 'ifMatch' | 'ifNoneMatch'> };

/**
 * Only a render that changes nothing pays a HEAD or a hash; an upload changes every file it renders.
 * Live bytes this instance does not hold are compared by hash with the live ETag: the MD5 of the body
 * for the single-part, SSE-S3 objects written here. An ETag this instance only remembers (its bytes
 * dropped from memory) is what it wrote once, not necessarily what is live now: a match with it is
 * confirmed by a HEAD like remembered bytes, or a file another instance rewrote since (with an item
 * this render has just taken down) would be left as it is.
 */
export function writeStep(
  bytes: Buffer,
  live: string | null,
  last: { etag: string; bytes: Buffer | undefined } | undefined,
): WriteStep {
  if (live === null) return { kind: 'put', condition: { ifNoneMatch: '*' } };
  const remembered = last?.etag === live;
  const known = remembered ? last?.bytes : undefined;
  if (known?.equals(bytes)) return { kind: 'confirm' };
  if (known === undefined && hash('md5', bytes, 'hex') === live)
    return remembered ? { kind: 'confirm' } : { kind: 'adopt' };
  return { kind: 'put', condition: { ifMatch: live } };
}
