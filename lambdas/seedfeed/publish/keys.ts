import { sha256Hex } from '../core/item.js';

/**
 * Key layout of the private records, all under the state prefix of the seeds bucket:
 *
 *   index/<newest-first publish time>_<article>_<newest-first upload time>_<seed>.json
 *       one entry per seed that yields an item; a plain LIST returns them newest first, so the
 *       newest K items cost one request however many are published.
 *   seeds/<seed>/<entry file name>
 *       markers: which entries a seed has written, so an update or delete can find and remove
 *       the old ones without scanning the index.
 *       (the marker's body lists the collections the entry joined, so cleaning up needs no search)
 *   by/<collection>/<entry file name>
 *       membership of an entry in a category or an archive month: listed like the index, newest first.
 *   seeds/<seed>/rejected
 *       marks that a rejection report exists for the seed.
 *   seeds/<seed>/deleted-<uuid>
 *       a tombstone: the seed was found deleted; kept until a later version of it is published.
 *
 * Keys are hashes, never the seed's own key, so no seed name can reach or collide with another record.
 */
const MAX_MS = 9_999_999_999_999;

export function newestFirst(ms: number): string {
  return String(MAX_MS - Math.max(0, Math.min(MAX_MS, ms))).padStart(13, '0');
}

export function seedId(seedKey: string): string {
  return sha256Hex(`seedfeed:seed:${seedKey}`).slice(0, 24);
}

export function articleId(link: string): string {
  return sha256Hex(`seedfeed:link:${link}`).slice(0, 16);
}

export interface EntryName {
  name: string;
  article: string;
}

export function entryName(published: Date, link: string, uploaded: Date, seedKey: string): EntryName {
  const article = articleId(link);
  return {
    article,
    name: `${newestFirst(published.getTime())}_${article}_${newestFirst(uploaded.getTime())}_${seedId(seedKey)}.json`,
  };
}

/** When the seed behind an entry was uploaded (ms), or undefined for a key that is not an entry. */
export function uploadedOf(name: string): number | undefined {
  const newest = /^\d{13}_[0-9a-f]{16}_(\d{13})_[0-9a-f]{24}\.json$/.exec(name)?.[1];
  return newest === undefined ? undefined : MAX_MS - Number(newest);
}

/** The article part of an entry file name, or undefined for a key that is not an entry. */
export function articleOf(name: string): string | undefined {
  return /^\d{13}_([0-9a-f]{16})_\d{13}_[0-9a-f]{24}\.json$/.exec(name)?.[1];
}

export class StateKeys {
  constructor(
    private readonly state: string,
    private readonly rejected: string,
  ) {}
  get index(): string {
    return `${this.state}index/`;
  }
  entry(name: string): string {
    return `${this.index}${name}`;
  }
  /** Members of one collection (`category/…`, `month/…`). */
  collection(collection: string): string {
    return `${this.state}by/${collection}/`;
  }
  /** Folders of one kind of collection, listed with a delimiter to learn which exist. */
  collections(kind: 'category' | 'month'): string {
    return `${this.state}by/${kind}/`;
  }
  markers(seedKey: string): string {
    return `${this.state}seeds/${seedId(seedKey)}/`;
  }
  report(seedKey: string): string {
    return `${this.rejected}${seedId(seedKey)}.json`;
  }
}

export const REJECTED_MARKER = 'rejected';
export const DELETED_MARKER = 'deleted';
