import { SeedError } from '../../lambdas/seedfeed/core/errors.js';
import type { Item } from '../../lambdas/seedfeed/core/item.js';
import { parseSeed } from '../../lambdas/seedfeed/core/seed.js';
import type { Entry } from '../../lambdas/seedfeed/publish/entry.js';
import type { Embedded } from '../../local/embedded.js';
import { patient } from './patient.js';

const ALL = 1_000_000;

export interface Records {
  entries: { key: string; entry: Entry }[];
  /** `<seed hash>/<entry file name or "rejected">` */
  markers: string[];
  reports: { key: string; seedKey: string; reason: string }[];
}

/** Everything the publisher keeps privately, read with the uploader's client. */
export async function readRecords(embedded: Embedded): Promise<Records> {
  const { config } = embedded;
  const seeds = patient(embedded.seeds);
  const text = async (key: string): Promise<string> => {
    const object = await seeds.get(key);
    if (!object) throw new Error(`${key} was listed but cannot be read`);
    return new TextDecoder().decode(object.body);
  };
  const index = await seeds.list(`${config.statePrefix}index/`, ALL);
  const entries = await Promise.all(
    index.map(async ({ key }) => ({ key, entry: JSON.parse(await text(key)) as Entry })),
  );
  const markerPrefix = `${config.statePrefix}seeds/`;
  const markers = (await seeds.list(markerPrefix, ALL)).map(({ key }) => key.slice(markerPrefix.length));
  const reports = await Promise.all(
    (await seeds.list(config.rejectedPrefix, ALL)).map(async ({ key }) => {
      const report = JSON.parse(await text(key)) as { seedKey: string; reason: string };
      return { key, seedKey: report.seedKey, reason: report.reason };
    }),
  );
  return { entries, markers, reports };
}

export interface Expected {
  /** Every seed that parses, by key: what a from-scratch rebuild would record for it. */
  good: Map<string, { item: Item; uploaded: string }>;
  bad: Map<string, string>;
  /** The newest item of each link, newest first: what the feeds show, before the K cut. */
  items: Item[];
}

/**
 * The from-scratch answer, computed from the seeds alone with the same parser the function uses.
 * Tests give every seed version its own publish time, so "newest" needs no tie-breaking.
 */
export async function expectFromSeeds(embedded: Embedded): Promise<Expected> {
  const { config } = embedded;
  const seeds = patient(embedded.seeds);
  const good = new Map<string, { item: Item; uploaded: string }>();
  const bad = new Map<string, string>();
  for (const { key } of await seeds.list(config.seedsPrefix, ALL)) {
    const object = await seeds.get(key);
    if (!object) continue;
    try {
      const item = parseSeed(
        { file: key, bytes: object.body, uploadedAt: object.lastModified },
        { defaultLanguage: config.language, maxBytes: config.maxSeedBytes },
      );
      good.set(key, { item, uploaded: object.lastModified.toISOString() });
    } catch (error) {
      if (!(error instanceof SeedError)) throw error;
      bad.set(key, error.problem);
    }
  }
  const byLink = new Map<string, Item>();
  for (const { item } of good.values()) {
    const other = byLink.get(item.link);
    if (!other || other.published < item.published) byLink.set(item.link, item);
  }
  const items = [...byLink.values()].sort((a, b) => b.published.localeCompare(a.published));
  return { good, bad, items };
}
