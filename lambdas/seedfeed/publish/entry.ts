import type { Item } from '../core/item.js';

/** What the index holds for one seed: the item plus what decides between seeds of the same article. */
export interface Entry {
  seedKey: string;
  uploaded: string;
  item: Item;
}

const ITEM_TEXTS = ['id', 'link', 'title', 'published', 'summary', 'contentHtml', 'language'] as const;

/**
 * An index entry read back from storage, or what is wrong with it. Records are data: anyone who can
 * write the bucket can write one, so only the shape is taken on trust here; the renderer checks the
 * values and cleans the HTML again (render/feeds.ts), as it does for every item.
 */
export function readEntry(body: Uint8Array | string): Entry | string {
  let value: unknown;
  try {
    value = JSON.parse(typeof body === 'string' ? body : new TextDecoder().decode(body));
  } catch {
    return 'it is not JSON';
  }
  if (!isObject(value)) return 'it is not a JSON object';
  if (typeof value.seedKey !== 'string' || typeof value.uploaded !== 'string') {
    return 'it has no seedKey or uploaded string';
  }
  const item = value.item;
  if (!isObject(item)) return 'it has no item';
  const missing = ITEM_TEXTS.find((field) => typeof item[field] !== 'string');
  if (missing) return `its item has no ${missing} string`;
  if (item.image !== undefined && typeof item.image !== 'string') return 'its item image is not a string';
  if (item.cleanSeal !== undefined && typeof item.cleanSeal !== 'string') {
    return 'its item cleanSeal is not a string';
  }
  if (item.corrected !== undefined && item.corrected !== true) return 'its item corrected mark is not true';
  const categories = item.categories;
  if (!Array.isArray(categories) || !categories.every((c) => typeof c === 'string')) {
    return 'its item categories are not a list of strings';
  }
  if (item.authors !== undefined && !(Array.isArray(item.authors) && item.authors.every(isAuthor))) {
    return 'its item authors are not a list of { name, url?, email? } strings';
  }
  return value as unknown as Entry;
}

function isAuthor(value: unknown): boolean {
  if (!isObject(value) || typeof value.name !== 'string') return false;
  return (
    (value.url === undefined || typeof value.url === 'string') &&
    (value.email === undefined || typeof value.email === 'string')
  );
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
