import { type Item, itemIdFor } from '../core/item.js';
import type { Entry } from './sync.js';

/**
 * An index entry as read back from storage: data, not code. Anyone who can write the bucket can write
 * an object under the index prefix, so an entry is rendered only if it has the shape the sync writes
 * and its markup passes `markupProblem` (the cleaner's own allowlist); otherwise it is left out and
 * reported like any item that fails its checks.
 */
export type ReadEntry = { entry: Entry } | { problem: string };

export function readEntry(bytes: Uint8Array, markupProblem: (html: string) => string | undefined): ReadEntry {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return { problem: 'the record is not JSON' };
  }
  const problem = shapeProblem(value);
  if (problem) return { problem };
  const entry = value as Entry;
  const markup = markupProblem(entry.item.contentHtml);
  return markup ? { problem: `its content is not clean markup: ${markup}` } : { entry };
}

const HTTP = /^https?:\/\/[^\s<>"']+$/;
const LANGUAGE = /^[a-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$/;

function shapeProblem(value: unknown): string | undefined {
  if (!isObject(value)) return 'the record is not an object';
  if (typeof value.seedKey !== 'string') return 'seedKey is not a string';
  if (!isDate(value.uploaded)) return 'uploaded is not a date';
  const item = value.item;
  if (!isObject(item)) return 'item is not an object';
  for (const field of ['title', 'summary', 'contentHtml', 'link', 'id', 'language', 'published'] as const) {
    if (typeof item[field] !== 'string') return `item.${field} is not a string`;
  }
  const { link, id, language, published, image, categories } = item as unknown as Item;
  if (!HTTP.test(link)) return 'item.link is not an http(s) URL';
  if (id !== itemIdFor(link)) return 'item.id is not the id of its link';
  if (!LANGUAGE.test(language)) return 'item.language is not a language tag';
  if (!isDate(published)) return 'item.published is not a date';
  if (image !== undefined && (typeof image !== 'string' || !HTTP.test(image)))
    return 'item.image is not an http(s) URL';
  if (!Array.isArray(categories) || !categories.every((c) => typeof c === 'string')) {
    return 'item.categories is not a list of names';
  }
  return undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isDate(value: unknown): boolean {
  return typeof value === 'string' && !Number.isNaN(Date.parse(value));
}
