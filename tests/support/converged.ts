import { expect } from 'vitest';
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

  const pointedAt = records.entries.map(
    ({ key, entry }) => `${seedId(entry.seedKey)}/${key.split('/').at(-1)}`,
  );
  const rejected = [...expected.bad.keys()].map((key) => `${seedId(key)}/rejected`);
  expect(records.markers.sort()).toEqual([...pointedAt, ...rejected].sort());
  expect(records.reports.map((report) => report.seedKey).sort()).toEqual([...expected.bad.keys()].sort());
}
