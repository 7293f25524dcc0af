import { hash } from 'node:crypto';
import type { Bucket } from '../storage/port.js';
import { type Entry, readEntry } from './entry.js';

/**
 * What a fresh instance reads instead of every entry of the main feeds: one private object with the
 * newest entries' bytes and the ETags the main files had when the instance that wrote it finished.
 * Without it a fresh instance on a full feed makes one GET per item (50 by default) and a HEAD per
 * file. It is a cache, never a record: an entry is taken from it only when the MD5 of its bytes is the
 * ETag the index lists for that key (so it is byte for byte the record itself, and a forged warm start
 * can say nothing the index does not), and a file's ETag only as the condition of a write, which
 * fails if anyone has written the file since.
 */
export interface WarmStart {
  /** Entry bytes (JSON text) by index key. */
  entries: Map<string, string>;
  /** ETag of each main public file, by key. */
  files: Map<string, string>;
}

/** Beyond this the warm start holds fewer entries: GETs of the rest cost less than a huge object. */
const MAX_BYTES = 4 * 1_048_576;

/** The warm start in storage, or undefined for none, or for one that is not what writeWarmStart writes. */
export async function readWarmStart(bucket: Bucket, key: string): Promise<WarmStart | undefined> {
  const object = await bucket.get(key);
  if (!object) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder().decode(object.body));
  } catch {
    return undefined;
  }
  const { entries, files } = (value ?? {}) as { entries?: unknown; files?: unknown };
  if (!isStringRecord(entries) || !isStringRecord(files)) return undefined;
  return { entries: new Map(Object.entries(entries)), files: new Map(Object.entries(files)) };
}

/** The entry the warm start holds for an index key, if its bytes are exactly the listed object's. */
export function warmEntry(start: WarmStart, key: string, etag: string): Entry | undefined {
  const json = start.entries.get(key);
  if (json === undefined || etag === '' || md5(json) !== etag) return undefined;
  const entry = readEntry(json);
  return typeof entry === 'string' ? undefined : entry;
}

/**
 * The warm start's bytes: the entries in listing order while they fit, and the files' ETags. An entry
 * is serialized as the sync wrote it (JSON.stringify of the same object), so its MD5 is its ETag.
 */
export function warmStartBody(
  entries: readonly [string, Entry][],
  files: ReadonlyMap<string, string>,
): string {
  const held: Record<string, string> = {};
  let bytes = 0;
  for (const [key, entry] of entries) {
    const json = JSON.stringify(entry);
    bytes += json.length;
    if (bytes > MAX_BYTES) break;
    held[key] = json;
  }
  return JSON.stringify({ entries: held, files: Object.fromEntries(files) });
}

function md5(text: string): string {
  return hash('md5', text, 'hex');
}

function isStringRecord(value: unknown): value is Record<string, string> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.values(value).every((v) => typeof v === 'string')
  );
}
