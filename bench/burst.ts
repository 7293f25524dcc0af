import type { Item } from '../lambdas/seedfeed/core/item.js';
import { parseSeed } from '../lambdas/seedfeed/core/seed.js';
import { eachLimited } from '../lambdas/seedfeed/each-limited.js';
import type { Entry } from '../lambdas/seedfeed/publish/entry.js';
import { StateKeys } from '../lambdas/seedfeed/publish/keys.js';
import { renderFeeds } from '../lambdas/seedfeed/render/feeds.js';
import type { Bucket } from '../lambdas/seedfeed/storage/port.js';
import { BASE_STAMP, generateSeed } from './corpus.js';
import { SEED_TYPE, withPipeline } from './pipeline.js';

export interface BurstResult {
  seeds: number;
  invocations: number;
  /** Invocations that rendered the feeds (every batch with at least one seed event). */
  regenerations: number;
  /** Of those, the ones that actually changed a public file. */
  wroteFiles: number;
  uploadMs: number;
  totalMs: number;
  deadLetters: number;
  itemsInFeed: number;
  newestFirst: boolean;
  /** Every file renderFeeds gives for the newest K seeds, rendered from scratch, equals what is live. */
  matchesScratch: boolean;
  mismatched: string[];
}

/**
 * A thousand seeds uploaded at once (an archive copied with `aws s3 sync`), through the default queue
 * settings of the local pipeline: how many times the feeds are rendered, and whether they end right.
 */
export async function benchBurst(count: number, uploaders = 32): Promise<BurstResult> {
  return withPipeline({}, async (embedded) => {
    const { config } = embedded;
    // Shuffled stamps: an archive does not arrive in publishing order.
    const seeds = Array.from({ length: count }, (_, i) =>
      generateSeed(5_000_000 + i, BASE_STAMP - ((i * 7_919) % count) * 60_000),
    );
    const started = performance.now();
    await eachLimited(seeds, uploaders, async (seed) => {
      await embedded.seeds.put(`${config.seedsPrefix}${seed.name}`, seed.text, SEED_TYPE);
    });
    const uploadMs = performance.now() - started;
    await embedded.queue.idle();
    const totalMs = performance.now() - started;
    const finished = Date.now();

    const results = embedded.queue.results;
    const options = { defaultLanguage: config.language, maxBytes: config.maxSeedBytes };
    // When each item last changed is the time its upload's event arrived (Atom's `updated`), which only
    // the records know: taken from them, and checked to fall within the burst. Everything else comes
    // from the seeds alone.
    const arrived = await arrivals(embedded.seeds, new StateKeys(config.statePrefix, config.rejectedPrefix));
    const window = { from: finished - totalMs - 1_000, to: finished };
    const late = [...arrived.values()].filter(
      (at) => !(Date.parse(at) >= window.from && Date.parse(at) <= window.to),
    );
    const items: Item[] = seeds.map((seed) => {
      const item = parseSeed(
        { file: seed.name, bytes: new TextEncoder().encode(seed.text), uploadedAt: new Date() },
        options,
      );
      const updated = arrived.get(`${config.seedsPrefix}${seed.name}`);
      return updated ? { ...item, updated } : item;
    });
    const newest = items.sort((a, b) => b.published.localeCompare(a.published)).slice(0, config.itemsPerFeed);
    const expected = renderFeeds(newest, config).files;
    const mismatched: string[] = late.length > 0 ? [`${late.length} records dated outside the burst`] : [];
    for (const file of expected) {
      const live = await fetch(new URL(file.key, config.publicUrl));
      if ((await live.text()) !== file.body) mismatched.push(file.key);
    }
    const json = (await (await fetch(new URL('feed.json', config.publicUrl))).json()) as {
      items: { date_published: string }[];
    };
    const dates = json.items.map((item) => item.date_published);
    return {
      seeds: count,
      invocations: results.length,
      regenerations: results.filter((r) => r.regenerated).length,
      wroteFiles: results.filter((r) => (r.regenerated?.written.length ?? 0) > 0).length,
      uploadMs,
      totalMs,
      deadLetters: embedded.queue.deadLetters.length,
      itemsInFeed: json.items.length,
      newestFirst: dates.every((d, i) => i === 0 || (dates[i - 1] ?? '') >= d),
      matchesScratch: mismatched.length === 0,
      mismatched,
    };
  });
}

/** Each recorded seed's `updated`, by seed key, read from its index entry. */
async function arrivals(seeds: Bucket, keys: StateKeys): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const listed = await seeds.list(keys.index, Number.MAX_SAFE_INTEGER);
  await eachLimited(listed, 16, async ({ key }) => {
    const object = await seeds.get(key);
    if (!object) return;
    const entry = JSON.parse(new TextDecoder().decode(object.body)) as Entry;
    if (entry.item.updated) out.set(entry.seedKey, entry.item.updated);
  });
  return out;
}
