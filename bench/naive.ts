import type { Config } from '../lambdas/seedfeed/config.js';
import { SeedError } from '../lambdas/seedfeed/core/errors.js';
import type { Item } from '../lambdas/seedfeed/core/item.js';
import { parseSeed } from '../lambdas/seedfeed/core/seed.js';
import { eachLimited } from '../lambdas/seedfeed/each-limited.js';
import { renderFeeds } from '../lambdas/seedfeed/render/feeds.js';
import type { Bucket } from '../lambdas/seedfeed/storage/port.js';

/** Where the naive feeds go, so they never overwrite seedfeed's own files in the same bucket. */
export const NAIVE_PREFIX = 'naive/';

/**
 * What a user might write instead of seedfeed: on every upload, list every seed, read and parse all
 * of them, render, write the feeds. Same parser, renderer, client and emulator, so the difference
 * measured is the design, not the code.
 */
export async function naivePublish(seeds: Bucket, feeds: Bucket, config: Config): Promise<number> {
  const listed = await seeds.list(config.seedsPrefix, Number.POSITIVE_INFINITY);
  const items: Item[] = [];
  const options = { defaultLanguage: config.language, maxBytes: config.maxSeedBytes };
  // The same eight reads in flight as the handler allows itself.
  await eachLimited(listed, 8, async ({ key }) => {
    const object = await seeds.get(key);
    if (!object) return;
    try {
      items.push(parseSeed({ file: key, bytes: object.body, uploadedAt: object.lastModified }, options));
    } catch (error) {
      if (!(error instanceof SeedError)) throw error;
    }
  });
  const newest = items.sort((a, b) => b.published.localeCompare(a.published)).slice(0, config.itemsPerFeed);
  const { files } = renderFeeds(newest, config);
  await Promise.all(
    files.map((file) =>
      feeds.put(`${NAIVE_PREFIX}${file.key}`, file.body, {
        contentType: file.contentType,
        cacheControl: `public, max-age=${config.cacheMaxAgeSeconds}`,
      }),
    ),
  );
  return items.length;
}
