import type { Config } from '../config.js';
import type { Item } from '../core/item.js';
import { MAIN_VIEW, type RelatedView, type View } from '../render/feeds.js';

/**
 * Besides the main feeds, every item belongs to collections that get feeds of their own: one per
 * category (`category/<name>`), one per month of publication (`month/<yyyy-mm>`, the RFC 5005
 * archives) and one per author (`author/<name>`). A collection's name is also its key segment under
 * the state prefix and, through `collectionPath`, its public folder.
 */
export type Collection = `category/${string}` | `month/${string}` | `author/${string}`;

export type CollectionKind = 'category' | 'month' | 'author';

export type CollectionSettings = Pick<Config, 'categoryFeeds' | 'archives' | 'authorFeeds'>;

/** The collections a deployment keeps, from its settings: each kind costs requests on every upload. */
export function collectionSettings(config: CollectionSettings): CollectionSettings {
  return { categoryFeeds: config.categoryFeeds, archives: config.archives, authorFeeds: config.authorFeeds };
}

/** Whether any kind of collection is kept: without one there is no site map to read or confirm. */
export function keepsCollections({ categoryFeeds, authorFeeds, archives }: CollectionSettings): boolean {
  return categoryFeeds || authorFeeds || archives;
}

export function collectionsOf(item: Item, settings: CollectionSettings): Collection[] {
  const out: Collection[] = [];
  if (settings.categoryFeeds)
    for (const name of item.categories) out.push(`category/${categorySegment(name)}`);
  if (settings.archives) out.push(`month/${item.published.slice(0, 7)}`);
  if (settings.authorFeeds)
    for (const author of item.authors ?? []) out.push(`author/${categorySegment(author.name)}`);
  return [...new Set(out)];
}

/**
 * A category name as one path segment: readable (Unicode stays Unicode; URLs percent-encode it),
 * stable (the same name always gives the same segment) and safe (no separators, dots or controls).
 */
export function categorySegment(name: string): string {
  const segment = name
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s/\\?#%&+"'<>|*:;,=@$^`{}[\]~]+/gu, '-')
    .replace(/^[-.]+|[-.]+$/g, '')
    .slice(0, 60);
  return segment || 'untitled';
}

/** What readers see for a collection: the category or author as its segment reads, or the month. */
export function labelOf(collection: Collection): string {
  const [kind, name] = splitCollection(collection);
  return kind === 'month' ? name : name.replace(/-/g, ' ');
}

/**
 * An author's collection read as their byline writes them, from the entries of the collection
 * (newest first): the segment keeps no capitals ("jane-doe"), the newest byline does ("Jane Doe").
 */
export function authorLabel(collection: Collection, items: readonly Item[]): string {
  const [, name] = splitCollection(collection);
  for (const item of items) {
    const author = item.authors?.find((a) => categorySegment(a.name) === name);
    if (author) return author.name;
  }
  return labelOf(collection);
}

const FOLDERS: Record<CollectionKind, string> = {
  category: 'categories',
  month: 'archive',
  author: 'authors',
};

export function collectionPath(collection: Collection): string {
  const [kind, name] = splitCollection(collection);
  return `${FOLDERS[kind]}/${name}/`;
}

function splitCollection(collection: Collection): [CollectionKind, string] {
  const slash = collection.indexOf('/');
  return [collection.slice(0, slash) as CollectionKind, collection.slice(slash + 1)];
}

export interface SiteMap {
  /** Category collections with the label readers see, sorted by label. */
  categories: { collection: Collection; label: string }[];
  /** Author collections, likewise. */
  authors: { collection: Collection; label: string }[];
  /** Archive months, oldest first. */
  months: string[];
}

/** Related views every page and main feed lists: the categories. */
export function relatedViews(map: SiteMap): RelatedView[] {
  return map.categories.map(({ collection, label }) => ({ path: collectionPath(collection), label }));
}

/** The main view: newest items, linking the newest archive and the categories. */
export function mainView(map: SiteMap): View {
  const newest = map.months.at(-1);
  return {
    ...MAIN_VIEW,
    ...(newest ? { prevArchive: collectionPath(`month/${newest}`) } : {}),
    related: relatedViews(map),
    authors: map.authors.map(({ collection, label }) => ({ path: collectionPath(collection), label })),
    archives: [...map.months]
      .reverse()
      .map((month) => ({ path: collectionPath(`month/${month}`), label: month })),
  };
}

/** The view of one collection, with its RFC 5005 neighbours for an archive month. */
export function collectionView(collection: Collection, label: string, map: SiteMap): View {
  const [kind, name] = splitCollection(collection);
  if (kind === 'category') return { kind: 'category', path: collectionPath(collection), label };
  if (kind === 'author') return { kind: 'author', path: collectionPath(collection), label };
  const index = map.months.indexOf(name);
  const prev = index > 0 ? map.months[index - 1] : undefined;
  const next = index >= 0 && index < map.months.length - 1 ? map.months[index + 1] : undefined;
  return {
    kind: 'archive',
    path: collectionPath(collection),
    label: name,
    ...(prev ? { prevArchive: collectionPath(`month/${prev}`) } : {}),
    ...(next ? { nextArchive: collectionPath(`month/${next}`) } : {}),
  };
}
