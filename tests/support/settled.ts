import { expect } from 'vitest';
import type { Config } from '../../lambdas/seedfeed/config.js';
import { SeedError } from '../../lambdas/seedfeed/core/errors.js';
import type { Item } from '../../lambdas/seedfeed/core/item.js';
import { parseSeed } from '../../lambdas/seedfeed/core/seed.js';
import { StateKeys } from '../../lambdas/seedfeed/publish/keys.js';
import { renderFeeds } from '../../lambdas/seedfeed/render/feeds.js';
import type { MemoryStore } from './memory-bucket.js';
import { FEEDS, SEEDS } from './publishing.js';

// Where a run of the explorer ends: records and public files compared with a from-scratch answer.

/**
 * Asks `expect` only when the plain test fails, and then it says why: the explorer and the random
 * schedules check thousands of end states, and each `expect` costs more than the comparison.
 */
function unless(ok: boolean, explain: () => void): void {
  if (!ok) explain();
}

/** Equal as plain data (the records are parsed JSON); false for anything else, which `expect` then judges. */
function sameJson(a: unknown, b: unknown): boolean {
  try {
    return canonical(a) === canonical(b);
  } catch {
    return false;
  }
}

/** Plain data as text, keys sorted and undefined properties left out (as `toEqual` ignores them). */
function canonical(value: unknown): string {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return JSON.stringify(value);
  if (typeof value === 'number' && Number.isFinite(value)) return JSON.stringify(value);
  if (Array.isArray(value))
    return `[${value.map((v) => (v === undefined ? fail() : canonical(v))).join(',')}]`;
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const fields = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([x], [y]) => (x < y ? -1 : 1));
    return `{${fields.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return fail();
}

function fail(): never {
  throw new Error('not plain data');
}

// Parsing is pure, and the explorer asks about the same few seed versions thousands of times.
const parsed = new Map<string, Item | string>();

/** The item each seed in the bucket yields now, by key (bad seeds: their reason). */
export function fromScratch(store: MemoryStore, config: Config): Map<string, Item | string> {
  const out = new Map<string, Item | string>();
  for (const [key, object] of store.objects(SEEDS)) {
    if (!key.startsWith(config.seedsPrefix)) continue;
    const id = `${key} ${object.etag} ${object.lastModified.getTime()} ${config.language}`;
    let result = parsed.get(id);
    if (result === undefined) {
      try {
        result = parseSeed(
          { file: key, bytes: object.body, uploadedAt: object.lastModified },
          { defaultLanguage: config.language, maxBytes: config.maxSeedBytes },
        );
      } catch (error) {
        if (!(error instanceof SeedError)) throw error;
        result = error.problem;
      }
      parsed.set(id, result);
    }
    out.set(key, result);
  }
  return out;
}

/**
 * Settled records: one entry per good seed, holding its current version, and one marker for it; a bad
 * seed has one rejection (marker and report) and keeps at most one entry (an earlier good version) or
 * tombstone;
 * a deleted seed has no entry and at most one tombstone; no entry without its marker. Returns the items
 * the feeds must show.
 */
export function expectRecordsSettled(
  store: MemoryStore,
  config: Config,
  uploaded: ReadonlySet<string>,
): Item[] {
  const keys = new StateKeys(config.statePrefix, config.rejectedPrefix);
  const expected = fromScratch(store, config);
  const objects = store.objects(SEEDS);
  const state = [...objects.keys()].filter((key) => key.startsWith(config.statePrefix));
  const entries = state
    .filter((key) => key.startsWith(keys.index))
    .map(
      (key) =>
        JSON.parse(new TextDecoder().decode(objects.get(key)?.body)) as { seedKey: string; item: Item },
    );
  const items: Item[] = [];
  for (const key of uploaded) {
    const prefix = keys.markers(key);
    const markers = state.filter((k) => k.startsWith(prefix)).map((k) => k.slice(prefix.length));
    const mine = entries.filter((e) => e.seedKey === key);
    const now = expected.get(key);
    if (now === undefined) {
      const live = markers.filter((m) => !m.endsWith('_deleted'));
      unless(mine.length === 0, () => expect(mine, `deleted ${key} still has an entry`).toEqual([]));
      unless(live.length === 0, () => expect(live, key).toEqual([]));
      unless(markers.length <= 1, () => expect(markers.length, key).toBeLessThanOrEqual(1));
    } else if (typeof now === 'string') {
      const rejections = markers.filter((m) => m.endsWith('_rejected'));
      unless(rejections.length === 1, () => expect(rejections, key).toHaveLength(1));
      const [version = '', run = ''] = rejections[0]?.split('_') ?? [];
      const reported = objects.has(keys.report(key, version, run));
      unless(reported, () => expect(reported, `${key} has its report`).toBe(true));
      // Beside it, what the rejection cannot supersede: the last good entry, or a tombstone before it.
      const others = markers.filter((m) => !m.endsWith('_rejected'));
      unless(others.length <= 1, () =>
        expect(others.length, `${key}: ${markers.join(' ')}`).toBeLessThanOrEqual(1),
      );
      const kept = others.filter((m) => m.includes('_entry_')).length;
      unless(mine.length === kept, () => expect(mine.length, key).toBe(kept));
      items.push(...mine.map((e) => e.item));
    } else {
      unless(markers.length === 1, () => expect(markers, key).toHaveLength(1));
      unless(/_entry_/.test(markers[0] ?? ''), () => expect(markers[0], key).toMatch(/_entry_/));
      // As a from-scratch parse gives it, but for when it arrived and whether it replaced a published
      // version, which only the events know.
      const got = mine.map(({ item: { updated, corrected, ...parsed } }) => parsed);
      unless(sameJson(got, [now]), () => expect(got, key).toEqual([now]));
      const recorded = mine[0]?.item;
      const arrived = Date.parse(recorded?.updated ?? '');
      const published = Date.parse(now.published);
      unless(arrived >= published, () => expect(arrived, key).toBeGreaterThanOrEqual(published));
      if (recorded) items.push(recorded);
    }
  }
  const reports = [...objects.keys()].filter((k) => k.startsWith(config.rejectedPrefix));
  const bad = [...expected.values()].filter((v) => typeof v === 'string');
  unless(reports.length === bad.length, () => expect(reports).toHaveLength(bad.length));
  unless(entries.length === items.length, () => expect(entries).toHaveLength(items.length));
  return items;
}

/** The public files are byte for byte what a render from scratch of the recorded items gives. */
export function expectFeedsFromScratch(
  store: MemoryStore,
  config: Config,
  recorded: Item[],
  now: number,
): void {
  const due = recorded.filter((item) => Date.parse(item.published) <= now);
  const items = newestByLink(due);
  const files = renderFeeds(items.slice(0, config.itemsPerFeed), {
    ...config,
    now: new Date(now).toISOString(),
  }).files;
  for (const file of files) {
    const live = store.objects(FEEDS).get(file.key);
    const text = live ? new TextDecoder().decode(live.body) : undefined;
    unless(text === file.body, () => expect(text, file.key).toBe(file.body));
  }
}

function newestByLink(items: Item[]): Item[] {
  const byLink = new Map<string, Item>();
  for (const item of items) {
    const other = byLink.get(item.link);
    if (!other || other.published < item.published) byLink.set(item.link, item);
  }
  return [...byLink.values()].sort((a, b) => b.published.localeCompare(a.published));
}
