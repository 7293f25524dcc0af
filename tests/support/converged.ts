import { expect } from 'vitest';
import type { Item } from '../../lambdas/seedfeed/core/item.js';
import {
  type Collection,
  collectionPath,
  collectionSettings,
  collectionsOf,
} from '../../lambdas/seedfeed/publish/collections.js';
import { seedId } from '../../lambdas/seedfeed/publish/keys.js';
import type { Embedded } from '../../local/embedded.js';
import { readFeeds } from './feeds.js';
import { expectFromSeeds, readRecords } from './records.js';

/**
 * The end state a from-scratch rebuild over the current seeds would reach: the feeds hold the newest K
 * items in order (no lost item, no duplicate, nothing deleted lingering), the index holds exactly one
 * entry per good seed for its current version, every marker points at a live record, and exactly the
 * bad seeds have reports.
 */
export async function expectConverged(embedded: Embedded): Promise<void> {
  const expected = await expectFromSeeds(embedded);
  const records = await readRecords(embedded);
  const feeds = await readFeeds(embedded.config.publicUrl);
  const newest = expected.items.slice(0, embedded.config.itemsPerFeed);

  const shown = (item: { title: string; url?: string; link?: string }) =>
    `${item.title} <${item.url ?? item.link}>`;
  expect(feeds.json.items.map(shown)).toEqual(newest.map(shown));
  expect(feeds.links.rss).toEqual(newest.map((item) => item.link));
  expect(feeds.links.atom).toEqual(newest.map((item) => item.link));

  const indexed = records.entries.map(
    ({ entry }) => `${entry.seedKey} ${entry.uploaded} ${entry.item.title}`,
  );
  const current = [...expected.good].map(([key, { item, uploaded }]) => `${key} ${uploaded} ${item.title}`);
  expect(indexed.sort()).toEqual(current.sort());

  // Markers: one per good seed, naming its entry; a bad seed's rejection, beside at most its last good
  // entry or a tombstone; a deleted seed at most one tombstone. Nothing else.
  const bySeed = new Map<string, string[]>();
  for (const marker of records.markers) {
    const [seed = '', name = ''] = marker.split('/');
    bySeed.set(seed, [...(bySeed.get(seed) ?? []), name]);
  }
  const entryOf = new Map(
    records.entries.map(({ key, entry }) => [seedId(entry.seedKey), key.split('/').at(-1)]),
  );
  for (const key of expected.good.keys()) {
    const names = bySeed.get(seedId(key)) ?? [];
    expect(names, key).toHaveLength(1);
    expect(names[0]?.endsWith(`_entry_${entryOf.get(seedId(key))}`), `${key}: ${names[0]}`).toBe(true);
    bySeed.delete(seedId(key));
  }
  for (const key of expected.bad.keys()) {
    const names = bySeed.get(seedId(key)) ?? [];
    expect(
      names.filter((name) => name.endsWith('_rejected')),
      key,
    ).toHaveLength(1);
    expect(names.length, key).toBeLessThanOrEqual(2);
    bySeed.delete(seedId(key));
  }
  for (const [seed, names] of bySeed) {
    expect(
      names.filter((name) => !name.endsWith('_deleted')),
      `deleted seed ${seed}`,
    ).toEqual([]);
    expect(names.length, `deleted seed ${seed}`).toBeLessThanOrEqual(1);
  }
  expect(records.reports.map((report) => report.seedKey).sort()).toEqual([...expected.bad.keys()].sort());
}

/**
 * The category feeds and monthly archives a from-scratch rebuild would write: for each collection,
 * the newest version of each link among the seeds in it (a category: the newest K; a month: all).
 */
export async function expectCollectionsConverged(embedded: Embedded): Promise<void> {
  const { config } = embedded;
  const expected = await expectFromSeeds(embedded);
  const settings = collectionSettings(config);
  const members = new Map<Collection, Map<string, Item>>();
  for (const { item } of expected.good.values()) {
    for (const collection of collectionsOf(item, settings)) {
      const byLink = members.get(collection) ?? new Map<string, Item>();
      const other = byLink.get(item.link);
      if (!other || other.published < item.published) byLink.set(item.link, item);
      members.set(collection, byLink);
    }
  }
  // A check over no collection would pass vacuously.
  expect(members.size).toBeGreaterThan(config.categoryFeeds || config.archives ? 0 : -1);
  for (const [collection, byLink] of members) {
    const items = [...byLink.values()].sort((a, b) => b.published.localeCompare(a.published));
    const shown = collection.startsWith('category/') ? items.slice(0, config.itemsPerFeed) : items;
    const response = await fetch(new URL(`${collectionPath(collection)}feed.json`, config.publicUrl));
    const feed = (await response.json()) as { items: { url: string; title: string }[] };
    expect(
      feed.items.map((item) => `${item.title} <${item.url}>`),
      collection,
    ).toEqual(shown.map((item) => `${item.title} <${item.link}>`));
  }
}
