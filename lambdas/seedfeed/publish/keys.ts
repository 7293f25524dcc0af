import { sha256Hex } from '../core/item.js';

/**
 * Key layout of the private records, all under the state prefix of the seeds bucket:
 *
 *   index/<newest-first publish time>_<article>_<newest-first upload time>_<seed>_<newest-first version>_<run>.json
 *       one entry per seed that yields an item; a plain LIST returns them newest first, so the
 *       newest K items cost one request however many are published.
 *   seeds/<seed>/<version>_<run>_entry_<entry file name>   (body: the collections the entry joined)
 *   seeds/<seed>/<version>_<run>_rejected                  (body: the reason; report rejected/<seed>-<version>-<run>.json)
 *   seeds/<seed>/<version>_<run>_deleted                   (empty: a tombstone)
 *       markers: what each version of a seed left behind, so a newer version (or a deletion) finds and
 *       removes the older ones with one LIST, without scanning the index.
 *   by/<collection>/<entry file name>
 *       membership of an entry in a category or an archive month: listed like the index, newest first.
 *   warm-start.json
 *       the main feeds' newest entries and files as one instance last rendered them (see warm-start.ts).
 *
 * A version is the S3 event's `sequencer`, which orders the events of one key; a run is one handling of
 * one event (a redelivery is another run), so no two runs ever write the same record key and no run can
 * remove another's record by removing its own. Keys are hashes, never the seed's own key, so no seed name
 * can reach or collide with another record.
 */
const MAX_MS = 9_999_999_999_999;

/** Sequencers are hex of varying length, comparable once left-padded; S3's are well under this. */
export const VERSION_DIGITS = 40;

export function newestFirst(ms: number): string {
  return String(MAX_MS - Math.max(0, Math.min(MAX_MS, ms))).padStart(13, '0');
}

/**
 * Where a listing of entries (or memberships) due at `now` starts: the names that sort before this
 * string under `prefix` are exactly those published after `now` (embargoed), and a LIST that starts
 * after it skips them without reading one. A name published at `now` itself starts with this string and
 * is longer, so it sorts after it and is due.
 */
export function dueFrom(prefix: string, now: Date): string {
  return `${prefix}${newestFirst(now.getTime())}`;
}

/** The publish time an entry name starts with (ms), or undefined for a name that is not an entry. */
export function publishedOf(name: string): number | undefined {
  const digits = /^(\d{13})_/.exec(name)?.[1];
  return digits === undefined ? undefined : MAX_MS - Number(digits);
}

export function seedId(seedKey: string): string {
  return sha256Hex(`seedfeed:seed:${seedKey}`).slice(0, 24);
}

export function articleId(link: string): string {
  return sha256Hex(`seedfeed:link:${link}`).slice(0, 16);
}

/** An S3 event sequencer as a fixed-width version, or undefined for one that is not a sequencer. */
export function versionOf(sequencer: string): string | undefined {
  if (!/^[0-9a-fA-F]{1,40}$/.test(sequencer)) return undefined;
  return sequencer.toUpperCase().padStart(VERSION_DIGITS, '0');
}

/** Each hex digit complemented, so that a newer version sorts first in a LIST. */
function newestFirstVersion(version: string): string {
  let out = '';
  for (let at = 0; at < version.length; at++) out += COMPLEMENT[version[at] as string] ?? '';
  return out;
}

const HEX = '0123456789ABCDEF';
const COMPLEMENT: Record<string, string> = Object.fromEntries(
  [...HEX].map((digit, value) => [digit, HEX[15 - value] as string]),
);

export interface EntryName {
  name: string;
  article: string;
}

export function entryName(
  published: Date,
  link: string,
  uploaded: Date,
  seedKey: string,
  version: string,
  run: string,
): EntryName {
  const article = articleId(link);
  const parts = [
    newestFirst(published.getTime()),
    article,
    newestFirst(uploaded.getTime()),
    seedId(seedKey),
    newestFirstVersion(version),
    run,
  ];
  return { article, name: `${parts.join('_')}.json` };
}

// The version part is optional: entries written before versions existed are still read.
const ENTRY = /^\d{13}_([0-9a-f]{16})_\d{13}_[0-9a-f]{24}(?:_[0-9A-F]{40}_[0-9a-z]{8})?\.json$/;

/** A run's name: eight characters of [0-9a-z]. */
export const RUN = /^[0-9a-z]{8}$/;

/** When the seed of an entry file name was uploaded (ms), or undefined for a name that is not an entry. */
export function uploadedOf(name: string): number | undefined {
  const part = articleOf(name) === undefined ? undefined : name.split('_')[2];
  return part === undefined ? undefined : MAX_MS - Number(part);
}

/** The article part of an entry file name, or undefined for a key that is not an entry. */
export function articleOf(name: string): string | undefined {
  return ENTRY.exec(name)?.[1];
}

export type MarkerKind = 'entry' | 'rejected' | 'deleted';

/** One marker as its name tells it: the version, what it marks, and for an entry the entry's name. */
export interface Marker {
  version: string;
  run: string;
  kind: MarkerKind;
  entry?: string;
}

export function markerName(marker: Marker): string {
  const head = `${marker.version}_${marker.run}_${marker.kind}`;
  return marker.kind === 'entry' ? `${head}_${marker.entry}` : head;
}

/** The marker a name stands for, or undefined for a name this scheme never writes. */
export function parseMarker(name: string): Marker | undefined {
  const match = /^([0-9A-F]{40})_([0-9a-z]{8})_(entry|rejected|deleted)(?:_(.+))?$/.exec(name);
  const [, version, run, kind, entry] = match ?? [];
  if (!version || !run || !kind) return undefined;
  if (kind === 'entry')
    return entry !== undefined && articleOf(entry) ? { version, run, kind, entry } : undefined;
  return entry === undefined ? { version, run, kind: kind as MarkerKind } : undefined;
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
  /** What a fresh instance reads instead of every entry of the main feeds (warm-start.ts). */
  get warmStart(): string {
    return `${this.state}warm-start.json`;
  }
  /** Members of one collection (`category/…`, `month/…`, `author/…`). */
  collection(collection: string): string {
    return `${this.state}by/${collection}/`;
  }
  /** Folders of one kind of collection, listed with a delimiter to learn which exist. */
  collections(kind: 'category' | 'month' | 'author'): string {
    return `${this.state}by/${kind}/`;
  }
  markers(seedKey: string): string {
    return `${this.state}seeds/${seedId(seedKey)}/`;
  }
  marker(seedKey: string, marker: Marker): string {
    return `${this.markers(seedKey)}${markerName(marker)}`;
  }
  /** Every rejecting run has its own report, so removing one never removes another's. */
  report(seedKey: string, version: string, run: string): string {
    // The report of a rejection recorded before versions existed has no version in its name.
    const suffix = /^0+$/.test(version) ? '' : `-${version}-${run}`;
    return `${this.rejected}${seedId(seedKey)}${suffix}.json`;
  }
}
