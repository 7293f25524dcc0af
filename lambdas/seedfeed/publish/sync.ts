import { randomUUID } from 'node:crypto';
import { SeedError } from '../core/errors.js';
import type { Item } from '../core/item.js';
import { parseSeed } from '../core/seed.js';
import type { Bucket, ObjectVersion } from '../storage/port.js';
import { type Collection, type CollectionSettings, collectionsOf } from './collections.js';
import { DELETED_MARKER, entryName, REJECTED_MARKER, type StateKeys, uploadedOf } from './keys.js';

/** What the index holds for one seed: the item plus what decides between seeds of the same article. */
export interface Entry {
  seedKey: string;
  uploaded: string;
  item: Item;
}

/** What became of one seed: small on purpose, since the handler returns it (Lambda caps a response at 6 MB). */
export type SeedOutcome =
  | { seedKey: string; status: 'published'; entryKey: string; link: string }
  | { seedKey: string; status: 'rejected'; reason: string }
  | { seedKey: string; status: 'absent' };

export interface Synced {
  outcome: SeedOutcome;
  /** Collections whose members changed: the new entry's and those of the entries removed. */
  touched: Collection[];
  /** The entry just written, so that the render needs no GET for it. */
  written?: { key: string; etag: string; entry: Entry; bytes: number };
}

export interface SyncContext {
  seeds: Bucket;
  keys: StateKeys;
  defaultLanguage: string;
  maxSeedBytes: number;
  collections: CollectionSettings;
}

export class SeedChurnError extends Error {
  override readonly name = 'SeedChurnError';
}

export class SeedRecordError extends Error {
  override readonly name = 'SeedRecordError';
}

const ATTEMPTS = 5;

/**
 * Makes the records of one seed match the seed as it is now in the bucket, whatever the event said.
 *
 * S3 delivers events at least once and out of order, and it cannot be asked for conditional writes
 * here, so correctness comes from the order of plain writes: write our entry, then its marker, then
 * list every marker of the seed and remove all the others. A newer run that lists after our marker
 * exists removes it; a newer run that listed before wrote its own marker first, so our listing shows
 * it. Only then, or when a tombstone says the seed was deleted, or for a deletion or a rejection, is
 * the seed read again (HEAD) and everything redone if it changed meanwhile. The common upload costs
 * no re-read; a race always gets one.
 */
export async function syncSeed(seedKey: string, ctx: SyncContext): Promise<Synced> {
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    const seed = await ctx.seeds.get(seedKey);
    // Each deletion leaves its own tombstone, so clearing the ones we saw never clears a newer one.
    if (!seed) await ctx.seeds.put(`${ctx.keys.markers(seedKey)}${DELETED_MARKER}${randomUUID()}`, '');
    const synced: Synced = seed
      ? await record(seedKey, seed, ctx)
      : { outcome: { seedKey, status: 'absent' }, touched: [] };
    const { removed, raced, tombstones } = await removeOthers(seedKey, synced.outcome, ctx);
    const done = { ...synced, touched: [...new Set([...synced.touched, ...removed])] };
    if (synced.outcome.status === 'published' && !raced) return done;
    const now = await ctx.seeds.head(seedKey);
    if (sameVersion(seed, now)) {
      // Our version is the current one: tombstones of earlier deletions have served their purpose.
      if (synced.outcome.status === 'published')
        await Promise.all(tombstones.map((key) => ctx.seeds.delete(key)));
      return done;
    }
  }
  throw new SeedChurnError(`${seedKey} changed during each of ${ATTEMPTS} attempts; it will be retried`);
}

async function record(
  seedKey: string,
  seed: ObjectVersion & { body: Uint8Array },
  ctx: SyncContext,
): Promise<Synced> {
  let item: Item;
  try {
    item = parseSeed(
      { file: seedKey, bytes: seed.body, uploadedAt: seed.lastModified },
      { defaultLanguage: ctx.defaultLanguage, maxBytes: ctx.maxSeedBytes },
    );
  } catch (error) {
    if (!(error instanceof SeedError)) throw error;
    const report = {
      seedKey,
      reason: error.problem,
      etag: seed.etag,
      uploaded: seed.lastModified.toISOString(),
    };
    await ctx.seeds.put(ctx.keys.report(seedKey), JSON.stringify(report, null, 2), {
      contentType: 'application/json',
    });
    await ctx.seeds.put(`${ctx.keys.markers(seedKey)}${REJECTED_MARKER}`, '');
    return { outcome: { seedKey, status: 'rejected', reason: error.message }, touched: [] };
  }
  const entry: Entry = { seedKey, uploaded: seed.lastModified.toISOString(), item };
  const { name } = entryName(new Date(item.published), item.link, seed.lastModified, seedKey);
  const entryKey = ctx.keys.entry(name);
  // Entry before marker: whoever sees the marker can rely on the entry existing, so deleting both
  // can never leave an entry behind that no marker points to.
  const json = JSON.stringify(entry);
  const etag = await ctx.seeds.put(entryKey, json, { contentType: 'application/json' });
  const collections = collectionsOf(item, ctx.collections);
  try {
    // Memberships before the marker too, and the marker names them: removing an entry later needs
    // no search for where it was listed.
    await Promise.all(collections.map((c) => ctx.seeds.put(`${ctx.keys.collection(c)}${name}`, '')));
    await ctx.seeds.put(`${ctx.keys.markers(seedKey)}${name}`, JSON.stringify(collections), {
      contentType: 'application/json',
    });
  } catch (error) {
    // A write whose answer was lost may still have happened, or an earlier delivery wrote the same
    // marker: then nothing needs taking back (taking the entry back would make the article blink out
    // of the feeds). Only a marker known to be missing justifies removing the entry.
    const marker = await ctx.seeds
      .head(`${ctx.keys.markers(seedKey)}${name}`)
      .catch(() => 'unknown' as const);
    if (marker === 'unknown') {
      throw new SeedRecordError(`${seedKey}: its marker could not be written or checked`, { cause: error });
    }
    if (marker) {
      return {
        outcome: { seedKey, status: 'published', entryKey, link: item.link },
        touched: collections,
        written: { key: entryKey, etag, entry, bytes: json.length },
      };
    }
    // An entry no marker points to is never cleaned up if the seed changes before the retry: it would
    // stay published for good. Take it back (the retry writes it again if the seed is unchanged).
    await Promise.all(
      [entryKey, ...collections.map((c) => `${ctx.keys.collection(c)}${name}`)].map((key) =>
        ctx.seeds.delete(key).catch(() => undefined),
      ),
    );
    throw new SeedRecordError(`${seedKey}: its index entry was written but its marker was not`, {
      cause: error,
    });
  }
  return {
    outcome: { seedKey, status: 'published', entryKey, link: item.link },
    touched: collections,
    written: { key: entryKey, etag, entry, bytes: json.length },
  };
}

/** Removes every other entry of the seed (and its memberships); returns the collections it left. */
/**
 * Removes every other entry of the seed (and its memberships) and returns the collections they left.
 * `raced`: the listing shows an entry of a version not older than ours, or a tombstone, so another run
 * is or was at work on this seed and only a re-read of the seed can tell who is right.
 */
async function removeOthers(
  seedKey: string,
  outcome: SeedOutcome,
  ctx: SyncContext,
): Promise<{ removed: Collection[]; raced: boolean; tombstones: string[] }> {
  const prefix = ctx.keys.markers(seedKey);
  const markers = await ctx.seeds.list(prefix, 1000);
  const keep = outcome.status === 'published' ? outcome.entryKey.slice(ctx.keys.index.length) : undefined;
  const ours = keep === undefined ? undefined : uploadedOf(keep);
  let raced = false;
  const tombstones: string[] = [];
  const left = await Promise.all(
    markers.map(async ({ key }): Promise<Collection[]> => {
      const name = key.slice(prefix.length);
      let collections: Collection[] = [];
      if (name.startsWith(DELETED_MARKER)) {
        raced = true;
        tombstones.push(key);
        return [];
      }
      if (name === REJECTED_MARKER) {
        if (outcome.status === 'rejected') return [];
        await ctx.seeds.delete(ctx.keys.report(seedKey));
      } else {
        // A broken update keeps the last good version of the article published: bad input loses nothing.
        if (name === keep || outcome.status === 'rejected') return [];
        const theirs = uploadedOf(name);
        if (ours !== undefined && (theirs === undefined || theirs >= ours)) raced = true;
        collections = await memberships(key, ctx);
        await Promise.all(collections.map((c) => ctx.seeds.delete(`${ctx.keys.collection(c)}${name}`)));
        await ctx.seeds.delete(ctx.keys.entry(name));
      }
      await ctx.seeds.delete(key);
      return collections;
    }),
  );
  return { removed: left.flat(), raced, tombstones };
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

function sameVersion(a: ObjectVersion | undefined, b: ObjectVersion | undefined): boolean {
  if (!a || !b) return a === b;
  return a.etag === b.etag && a.lastModified.getTime() === b.lastModified.getTime();
}
