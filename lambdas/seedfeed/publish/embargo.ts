import type { Bucket, ListedObject } from '../storage/port.js';
import {
  type Collection,
  type CollectionSettings,
  collectionsOf,
  keepsCollections,
  type SiteMap,
} from './collections.js';
import { type Entry, readEntry } from './entry.js';
import { dueFrom, publishedOf, type StateKeys } from './keys.js';

/**
 * Embargoes without a second store: an entry's name starts with its newest-first publish time, so the
 * entries published after `now` are exactly the names that sort before `dueFrom(prefix, now)`. A render
 * lists from there (render-plan.ts), and an embargoed entry costs it nothing; the record phase is the
 * same for every entry. What is here answers the three questions that need the embargoed ones: which
 * are scheduled (for people), which became due since a time (for a sweep), and which collections have
 * no member due yet (their names must not appear before their stories do).
 */

// Embargoed entries are few; a page this size is one request for all of them.
const PAGE = 100;

/** The embargoed entries under `prefix` (published after `now`), soonest due last, as listed. */
export async function embargoedEntries(seeds: Bucket, prefix: string, now: Date): Promise<ListedObject[]> {
  const start = dueFrom(prefix, now);
  const out: ListedObject[] = [];
  let after: string | undefined;
  for (;;) {
    const page = await seeds.list(prefix, PAGE, after);
    for (const object of page) {
      if (object.key > start) return out;
      out.push(object);
    }
    const last = page.at(-1);
    if (page.length < PAGE || !last) return out;
    after = last.key;
  }
}

/** Index entries published in (`since`, `now`]: what a sweep at `now` makes due, newest first. */
export async function dueSince(
  seeds: Bucket,
  keys: StateKeys,
  since: Date,
  now: Date,
): Promise<ListedObject[]> {
  const out: ListedObject[] = [];
  let after = dueFrom(keys.index, now);
  for (;;) {
    const page = await seeds.list(keys.index, PAGE, after);
    for (const object of page) {
      const published = publishedOf(object.key.slice(keys.index.length));
      if (published === undefined) continue;
      if (published <= since.getTime()) return out;
      out.push(object);
    }
    const last = page.at(-1);
    if (page.length < PAGE || !last) return out;
    after = last.key;
  }
}

/** The collections the entries joined, as the record phase named them (collectionsOf). */
export function collectionsOfEntries(entries: readonly Entry[], settings: CollectionSettings): Collection[] {
  return [...new Set(entries.flatMap((entry) => collectionsOf(entry.item, settings)))].sort();
}

/** What the render lends these questions: the records, and its reader of entries (with its cache). */
export interface EmbargoRecords {
  seeds: Bucket;
  keys: StateKeys;
  collections: CollectionSettings;
  entries: (listed: ListedObject[]) => Promise<Entry[]>;
}

/**
 * Collections that have embargoed members and none due: their names stay unpublished until their first
 * story is. One LIST of the embargoed range while collections are kept (it is empty but for embargoes),
 * then one short LIST per collection of an embargoed entry.
 */
export async function withheldCollections(records: EmbargoRecords, now: Date): Promise<Set<Collection>> {
  if (!keepsCollections(records.collections)) return new Set();
  const listed = await embargoedEntries(records.seeds, records.keys.index, now);
  if (listed.length === 0) return new Set();
  return stillWithheld(
    records,
    collectionsOfEntries(await records.entries(listed), records.collections),
    now,
  );
}

/**
 * Of `candidates`, the collections with no member due at `now`: one short LIST each. A set withheld at
 * one time only shrinks later, so a render that began earlier asks this of what it withheld then.
 */
export async function stillWithheld(
  records: Pick<EmbargoRecords, 'seeds' | 'keys'>,
  candidates: Iterable<Collection>,
  now: Date,
): Promise<Set<Collection>> {
  const listed = [...candidates];
  const anyDue = await Promise.all(
    listed.map(async (collection) => {
      const prefix = records.keys.collection(collection);
      return (await records.seeds.list(prefix, 1, dueFrom(prefix, now))).length > 0;
    }),
  );
  return new Set(listed.filter((_, i) => !anyDue[i]));
}

/** The collections of the entries a sweep at `now` makes due (published after `after`). */
export async function dueCollections(records: EmbargoRecords, after: Date, now: Date): Promise<Collection[]> {
  if (!keepsCollections(records.collections)) return [];
  const listed = await dueSince(records.seeds, records.keys, after, now);
  return collectionsOfEntries(await records.entries(listed), records.collections);
}

/**
 * The site map as readers may see it at `now`: without the months after now's month (all their
 * members are embargoed) and without the collections in `withheld` (every member embargoed), so no
 * category, author or month of an embargoed story is named before the story is published.
 */
export function visibleSiteMap(map: SiteMap, now: Date, withheld: ReadonlySet<Collection>): SiteMap {
  const visible = (collection: Collection) => !isHidden(collection, now, withheld);
  return {
    categories: map.categories.filter(({ collection }) => visible(collection)),
    authors: map.authors.filter(({ collection }) => visible(collection)),
    months: map.months.filter((month) => visible(`month/${month}`)),
  };
}

/** Whether readers may not yet see a collection at `now`: a month after now's, or one in `withheld`. */
export function isHidden(collection: Collection, now: Date, withheld: ReadonlySet<Collection>): boolean {
  if (withheld.has(collection)) return true;
  return collection.startsWith('month/') && collection.slice('month/'.length) > now.toISOString().slice(0, 7);
}

export interface Scheduled {
  seedKey: string;
  link: string;
  /** When it will be published (its publish date), ISO 8601. */
  due: string;
}

/** The seeds recorded but embargoed at `now`, soonest due first: what `npm start -- --once` reports. */
export async function scheduledSeeds(seeds: Bucket, keys: StateKeys, now: Date): Promise<Scheduled[]> {
  const listed = await embargoedEntries(seeds, keys.index, now);
  const read = await Promise.all(listed.map(async ({ key }) => seeds.get(key)));
  const out: Scheduled[] = [];
  for (const object of read) {
    const entry = object && readEntry(object.body);
    if (!entry || typeof entry === 'string') continue;
    out.push({ seedKey: entry.seedKey, link: entry.item.link, due: entry.item.published });
  }
  return out.sort((a, b) => a.due.localeCompare(b.due) || a.seedKey.localeCompare(b.seedKey));
}

/** When the soonest embargo at `now` lifts (ms), read from the index names alone; none: undefined. */
export async function nextDue(seeds: Bucket, keys: StateKeys, now: Date): Promise<number | undefined> {
  const last = (await embargoedEntries(seeds, keys.index, now)).at(-1);
  return last && publishedOf(last.key.slice(keys.index.length));
}
