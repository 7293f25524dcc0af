import { SeedError } from '../core/errors.js';
import type { Item } from '../core/item.js';
import { parseSeed } from '../core/seed.js';
import { retry } from '../retry.js';
import type { Bucket, StoredObject } from '../storage/port.js';
import type { PureMemo } from './cache.js';
import { planCleanup, readMarkerName, sameMarker } from './cleanup.js';
import { type Collection, type CollectionSettings, collectionsOf } from './collections.js';
import type { Entry } from './entry.js';
import { entryName, type Marker, type StateKeys, uploadedOf } from './keys.js';

/** What became of one seed: small on purpose, since the handler returns it (Lambda caps a response at 6 MB). */
export type SeedOutcome =
  | { seedKey: string; status: 'published'; entryKey: string; link: string }
  | { seedKey: string; status: 'rejected'; reason: string }
  | { seedKey: string; status: 'removed' }
  /** A newer version of the seed was recorded meanwhile; its own run reports it. */
  | { seedKey: string; status: 'superseded' };

export interface Synced {
  outcome: SeedOutcome;
  /** Collections whose members changed: the new entry's and those of the entries removed. */
  touched: Collection[];
  /** The entry just written, so that the render needs no GET for it. */
  written?: Written;
}

interface Written {
  key: string;
  etag: string;
  entry: Entry;
  bytes: number;
}

export interface SyncContext {
  seeds: Bucket;
  keys: StateKeys;
  defaultLanguage: string;
  maxSeedBytes: number;
  /** Furthest publish date after an upload, in days (see core/seed.ts); none: no limit. */
  embargoHorizonDays?: number;
  collections: CollectionSettings;
  /** A new name for each run (see keys.ts): eight characters of [0-9a-z]. */
  runId: () => string;
  /** The reason an item cannot be rendered, checked before it is recorded (a failed render is a rejection). */
  checkItem?: (item: Item) => string | undefined;
  /** Seed versions parsed before (publish/cache.ts PureMemo). */
  parsed?: PureMemo['parsed'];
}

/**
 * Makes the records of one seed match the version of it that this run read, unless a newer version has
 * been recorded (see cleanup.ts for the rule). `version` is the event's sequencer: the run reads the seed
 * after that event, so what it reads is that version or a newer one, and the newest event's run reads the
 * newest. The order of writes is what makes it safe without locks: an entry, then its marker, then one
 * LIST of the seed's markers; removal in the reverse order (the entry, then its marker), so a marker
 * always leads to an entry in place or to nothing.
 */
export async function syncSeed(
  seedKey: string,
  version: string,
  ctx: SyncContext,
  /** When the version's change happened (the event's time); the seed's Last-Modified if unknown. */
  changedAt?: Date,
): Promise<Synced> {
  const seed = await ctx.seeds.get(seedKey);
  const run = ctx.runId();
  const mine = seed
    ? await record(seedKey, { version, run }, seed, ctx, changedAt)
    : await entomb(seedKey, { version, run }, ctx);
  const prefix = ctx.keys.markers(seedKey);
  const listed = await ctx.seeds.list(prefix, Number.MAX_SAFE_INTEGER);
  const markers = new Map<Marker, string>();
  for (const { key } of listed) {
    const marker = readMarkerName(key.slice(prefix.length));
    if (marker) markers.set(marker, key);
  }
  // Our own marker is in the listing (strong read-after-write); adding it again covers a marker whose
  // PUT answer was lost, so that the plan always weighs it.
  if (![...markers.keys()].some((m) => sameMarker(m, mine.marker))) {
    markers.set(mine.marker, ctx.keys.marker(seedKey, mine.marker));
  }
  const plan = planCleanup([...markers.keys()], mine.marker);
  const written = mine.synced.written;
  const correction =
    written && plan.newer.length === 0 && plan.older.some((older) => corrects(mine.marker, older));
  // Beside the removals, not before them: other keys, so no extra round trip for a correction.
  const [marked, removedLists] = await Promise.all([
    correction ? markCorrected(written, ctx) : written,
    Promise.all(plan.older.map((marker) => remove(seedKey, marker, markers, ctx))),
  ]);
  if (marked) mine.synced.written = marked;
  const removed = removedLists.flat();
  const touched = () => [...new Set([...mine.synced.touched, ...removed])];
  if (plan.newer.length === 0 && plan.stale.length === 0) return { ...mine.synced, touched: touched() };
  // Whether each superseding marker's record is in place: asked once, for ours and for stale ones alike
  // (what supersedes a stale marker but not ours is a rejection, in place by being listed).
  const placed = await inPlace(plan.newer, ctx);
  const isPlaced = (marker: Marker) => placed.get(marker) ?? marker.kind === 'rejected';
  const stale = plan.stale.filter(({ by }) => by.some(isPlaced));
  removed.push(
    ...(await Promise.all(stale.map(({ marker }) => remove(seedKey, marker, markers, ctx)))).flat(),
  );
  if (plan.newer.length === 0) return { ...mine.synced, touched: touched() };
  // Ours goes only once what supersedes it is in place, so the article never leaves the index between
  // two versions; if it is not yet, its own run lists after writing it and removes ours.
  if (plan.newer.some(isPlaced)) removed.push(...(await remove(seedKey, mine.marker, markers, ctx)));
  return { outcome: { seedKey, status: 'superseded' }, touched: touched() };
}

/**
 * Versions uploaded within one second are one burst of saves (S3's Last-Modified cannot even order
 * them); a version uploaded in a later second than the one it replaces is a correction.
 */
const CORRECTION_AFTER_MS = 1_000;

function corrects(mine: Marker, older: Marker): boolean {
  const ours = uploadedOf(mine.entry ?? '');
  const theirs = older.kind === 'entry' ? uploadedOf(older.entry ?? '') : undefined;
  return ours !== undefined && theirs !== undefined && ours - theirs >= CORRECTION_AFTER_MS;
}

/**
 * An older version of the seed had an entry, so ours is a correction: its entry says so. Written only
 * over the exact entry this run wrote (If-Match), so it can never bring back an entry a newer version
 * has removed meanwhile; it changes nothing else, so a failure leaves a correct, unmarked entry.
 */
async function markCorrected(written: Written, ctx: SyncContext): Promise<Written> {
  if (!written.etag || written.entry.item.corrected) return written;
  const entry: Entry = { ...written.entry, item: { ...written.entry.item, corrected: true } };
  const json = JSON.stringify(entry);
  try {
    const etag = await ctx.seeds.put(written.key, json, {
      contentType: 'application/json',
      ifMatch: written.etag,
    });
    return { key: written.key, etag, entry, bytes: json.length };
  } catch {
    return written;
  }
}

/** Which markers stand for a record in place: a tombstone or rejection is its own record; an entry is asked. */
async function inPlace(markers: Marker[], ctx: SyncContext): Promise<Map<Marker, boolean>> {
  const answers = await Promise.all(
    markers.map(async (marker): Promise<[Marker, boolean]> => {
      if (marker.kind !== 'entry') return [marker, true];
      return [marker, (await ctx.seeds.head(ctx.keys.entry(marker.entry ?? ''))) !== undefined];
    }),
  );
  return new Map(answers);
}

interface Recorded {
  marker: Marker;
  synced: Synced;
}

type RunName = Pick<Marker, 'version' | 'run'>;

async function entomb(seedKey: string, name: RunName, ctx: SyncContext): Promise<Recorded> {
  const marker: Marker = { ...name, kind: 'deleted' };
  // Empty on purpose: the stack expires empty markers once no event could still refer to the seed.
  await ctx.seeds.put(ctx.keys.marker(seedKey, marker), '');
  return { marker, synced: { outcome: { seedKey, status: 'removed' }, touched: [] } };
}

async function record(
  seedKey: string,
  runName: RunName,
  seed: StoredObject,
  ctx: SyncContext,
  changedAt: Date | undefined,
): Promise<Recorded> {
  let item: Item;
  try {
    const parsed = parseVersion(seedKey, seed, ctx);
    item = { ...parsed, updated: updatedAt(parsed.published, changedAt, seed.lastModified) };
    const unrenderable = ctx.checkItem?.(item);
    if (unrenderable) throw new SeedError(seedKey, `it cannot be published: ${unrenderable}`);
  } catch (error) {
    if (!(error instanceof SeedError)) throw error;
    return reject(seedKey, runName, seed, error, ctx);
  }
  const entry: Entry = { seedKey, uploaded: seed.lastModified.toISOString(), item };
  const published = new Date(item.published);
  const { name } = entryName(published, item.link, seed.lastModified, seedKey, runName.version, runName.run);
  const marker: Marker = { ...runName, kind: 'entry', entry: name };
  const collections = collectionsOf(item, ctx.collections);
  const entryKey = ctx.keys.entry(name);
  const json = JSON.stringify(entry);
  // Entry (and memberships) before the marker: a marker always stands for an entry in place, so a newer
  // version never removes an older entry before its own is there.
  const [etag] = await Promise.all([
    ctx.seeds.put(entryKey, json, { contentType: 'application/json' }),
    ...collections.map((c) => ctx.seeds.put(`${ctx.keys.collection(c)}${name}`, '')),
  ]).catch((error: unknown) => takeBack(name, collections, ctx, error));
  // The marker names the collections, so removing the entry later needs no search for where it was listed.
  await ctx.seeds
    .put(ctx.keys.marker(seedKey, marker), JSON.stringify(collections), { contentType: 'application/json' })
    .catch(async (error: unknown) => {
      // A marker PUT whose answer was lost may have happened: then the entry must stay.
      const written = await retry(() => ctx.seeds.head(ctx.keys.marker(seedKey, marker)), PERSISTENTLY).catch(
        () => undefined,
      );
      if (!written) await takeBack(name, collections, ctx, error);
    });
  return {
    marker,
    synced: {
      outcome: { seedKey, status: 'published', entryKey, link: item.link },
      touched: collections,
      written: { key: entryKey, etag: etag ?? '', entry, bytes: json.length },
    },
  };
}

/** The seed as parsed, from the memo when this version was parsed before; throws its SeedError. */
function parseVersion(seedKey: string, seed: StoredObject, ctx: SyncContext): Item {
  // The ETag names the bytes; the upload time is part of the input (a seed without a date takes it).
  const id = `${seed.etag} ${seed.lastModified.getTime()} ${seedKey}`;
  let result = ctx.parsed?.get(id);
  if (result === undefined) {
    try {
      result = parseSeed(
        { file: seedKey, bytes: seed.body, uploadedAt: seed.lastModified },
        {
          defaultLanguage: ctx.defaultLanguage,
          maxBytes: ctx.maxSeedBytes,
          ...(ctx.embargoHorizonDays === undefined ? {} : { horizonDays: ctx.embargoHorizonDays }),
        },
      );
    } catch (error) {
      if (!(error instanceof SeedError)) throw error;
      result = error;
    }
    ctx.parsed?.set(id, result);
  }
  if (result instanceof SeedError) throw result;
  return result;
}

async function reject(
  seedKey: string,
  { version, run }: RunName,
  seed: StoredObject,
  error: SeedError,
  ctx: SyncContext,
): Promise<Recorded> {
  const marker: Marker = { version, run, kind: 'rejected' };
  const report = {
    seedKey,
    reason: error.problem,
    etag: seed.etag,
    uploaded: seed.lastModified.toISOString(),
    version,
  };
  // Report before marker, as an entry before its marker: a marker always leads to what it stands for.
  await ctx.seeds.put(ctx.keys.report(seedKey, version, run), JSON.stringify(report, null, 2), {
    contentType: 'application/json',
  });
  // Not empty: only tombstones are empty.
  await ctx.seeds.put(ctx.keys.marker(seedKey, marker), JSON.stringify(error.problem), {
    contentType: 'application/json',
  });
  return { marker, synced: { outcome: { seedKey, status: 'rejected', reason: error.message }, touched: [] } };
}

/**
 * When this version arrived, to the millisecond where the event says (Last-Modified has whole seconds),
 * and never before the article's own date: a correction's time, or the first upload's.
 */
function updatedAt(published: string, changedAt: Date | undefined, lastModified: Date): string {
  const arrived = Math.max(changedAt?.getTime() ?? 0, lastModified.getTime());
  return new Date(Math.max(arrived, Date.parse(published))).toISOString();
}

/**
 * An entry without a marker is found by nobody: taken back before the error is passed on, so that the
 * retry (which may read a newer version under another name) leaves nothing behind, and tried for some
 * seconds. If even that fails, the error says so and is logged: the entry then stays in the index beside
 * the seed's later ones (the feeds show one item per link) until it is removed by hand — a known limit.
 */
async function takeBack(
  name: string,
  collections: Collection[],
  ctx: SyncContext,
  error: unknown,
): Promise<never> {
  await Promise.all(
    [ctx.keys.entry(name), ...collections.map((c) => `${ctx.keys.collection(c)}${name}`)].map((key) =>
      retry(() => ctx.seeds.delete(key), PERSISTENTLY),
    ),
  ).catch((cleanup: unknown) => {
    throw new SeedRecordError('its entry was written without its marker and could not be taken back', {
      cause: cleanup,
    });
  });
  throw new SeedRecordError('its records could not be written; it will be retried', { cause: error });
}

// Waits between our own tries, on top of the SDK's: it stops retrying at once when its retry quota is
// spent, which is just when S3 is failing, and an entry left without its marker is found by nobody.
const PERSISTENTLY = { delaysMs: [50, 200, 500, 1_000, 2_000] };

export class SeedRecordError extends Error {
  override readonly name = 'SeedRecordError';
}

/** Removes what a marker points to, then the marker; returns the collections its entry left. */
async function remove(
  seedKey: string,
  marker: Marker,
  keys: Map<Marker, string>,
  ctx: SyncContext,
): Promise<Collection[]> {
  const markerKey = keys.get(marker) ?? ctx.keys.marker(seedKey, marker);
  let collections: Collection[] = [];
  if (marker.kind === 'entry' && marker.entry) {
    collections = await memberships(markerKey, ctx);
    const name = marker.entry;
    await Promise.all([
      ctx.seeds.delete(ctx.keys.entry(name)),
      ...collections.map((c) => ctx.seeds.delete(`${ctx.keys.collection(c)}${name}`)),
    ]);
  } else if (marker.kind === 'rejected') {
    await ctx.seeds.delete(ctx.keys.report(seedKey, marker.version, marker.run));
  }
  await ctx.seeds.delete(markerKey);
  return collections;
}

/** The collections a marker names; a marker already removed by a concurrent run names none. */
async function memberships(markerKey: string, ctx: SyncContext): Promise<Collection[]> {
  const marker = await ctx.seeds.get(markerKey);
  if (!marker || marker.body.length === 0) return [];
  try {
    const parsed: unknown = JSON.parse(new TextDecoder().decode(marker.body));
    return Array.isArray(parsed) ? parsed.filter((c): c is Collection => typeof c === 'string') : [];
  } catch {
    return [];
  }
}
