import { BoundedMap, type Limits } from '../bounded-map.js';
import type { SeedError } from '../core/errors.js';
import type { Item } from '../core/item.js';
import { RenderCache } from '../render/feeds.js';
import { RENDER_MEMO } from '../render/memo.js';
import type { Entry } from './entry.js';

/**
 * Work that depends on nothing but its input and the config: each seed version as parsed (by key,
 * ETag and upload time), and what was rendered of each item (render/memo.ts). An instance keeps its
 * own; handlers built with one config may share one, since no value in it can differ between them.
 */
export class PureMemo {
  readonly render: RenderCache;
  /**
   * A redelivered event (SQS delivers at least once) or a retried batch parses its seed again; a
   * hostile seed at the size limit costs a third of a second. A rejection is kept as well.
   */
  readonly parsed: BoundedMap<Item | SeedError>;

  constructor(seedVersions = 256, renders: Limits = RENDER_MEMO) {
    this.render = new RenderCache(renders);
    this.parsed = new BoundedMap(
      { entries: seedVersions, bytes: 4 * 1_048_576 },
      (value) => ('contentHtml' in value ? 2 * (value.contentHtml.length + value.summary.length) : 0) + 1_024,
    );
  }
}

/**
 * The render memo's bounds for a function of `memoryMb` (Lambda's AWS_LAMBDA_FUNCTION_MEMORY_SIZE): a
 * sixth of it. A render whose items' values do not all fit finds none of them on the next render
 * (least recently used goes first, and every render reads them in the same order), so an archive
 * month of 2,000 real-sized articles (59 MiB) under the fixed 24 MiB was rendered cold on every
 * upload. The count grows with the bytes, or tiny items would hit it first.
 */
export function renderMemoLimits(memoryMb: number | undefined): Limits {
  if (memoryMb === undefined || !(memoryMb > 0)) return RENDER_MEMO;
  const bytes = Math.max(RENDER_MEMO.bytes, Math.floor((memoryMb * 1_048_576) / 6));
  return { bytes, entries: Math.floor((bytes / RENDER_MEMO.bytes) * RENDER_MEMO.entries) };
}

/**
 * What one warm function instance remembers between invocations: entries by key and ETag (entries are
 * never rewritten with other content under the same ETag), and what it last wrote to each public file
 * (its ETag, and its bytes while they fit). Memory only makes things cheaper; every decision is
 * confirmed against S3.
 */
export class PublishCache {
  readonly entries: BoundedMap<CachedEntry>;
  readonly written: WrittenFiles;
  /** What was rendered of each item, reused while it stays among the newest (see render/memo.ts). */
  readonly render: RenderCache;
  readonly parsed: PureMemo['parsed'];
  /** Whether this instance has rendered before; a fresh one reads the warm start (warm-start.ts). */
  started = false;

  /**
   * A batch of large seeds would otherwise keep every one of them in memory until the render; past
   * the budget the oldest are dropped, and cost one GET each if the render needs them. The same budget
   * bounds the bytes of the files written last.
   */
  constructor(maxBytes = 8 * 1_048_576, memo = new PureMemo()) {
    this.render = memo.render;
    this.parsed = memo.parsed;
    this.entries = new BoundedMap({ entries: Number.POSITIVE_INFINITY, bytes: maxBytes }, (c) => c.bytes);
    this.written = new WrittenFiles(maxBytes);
  }

  remember(key: string, etag: string, entry: Entry, bytes: number): void {
    this.entries.set(key, { etag, entry, bytes });
  }

  forget(key: string): void {
    this.entries.delete(key);
  }

  /** Entries not rendered in the last regeneration are no longer among the newest anywhere. */
  keepOnly(keep: ReadonlySet<string>): void {
    for (const key of this.entries.keys()) if (!keep.has(key)) this.forget(key);
  }
}

export interface CachedEntry {
  etag: string;
  entry: Entry;
  bytes: number;
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

  /** An ETag without its bytes, as another instance left the file (see warm-start.ts). */
  remember(key: string, etag: string): void {
    this.etags.set(key, etag);
    this.bodies.delete(key);
  }

  forget(key: string): void {
    this.etags.delete(key);
    this.bodies.delete(key);
  }
}
