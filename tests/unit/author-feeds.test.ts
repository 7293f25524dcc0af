import { describe, expect, it } from 'vitest';
import { PublishCache } from '../../lambdas/seedfeed/publish/cache.js';
import { authorLabel, collectionPath } from '../../lambdas/seedfeed/publish/collections.js';
import { StateKeys, versionOf } from '../../lambdas/seedfeed/publish/keys.js';
import { regenerate } from '../../lambdas/seedfeed/publish/regenerate.js';
import { type SyncContext, syncSeed } from '../../lambdas/seedfeed/publish/sync.js';
import { checkItem } from '../../lambdas/seedfeed/render/feeds.js';
import { MemoryStore } from '../support/memory-bucket.js';
import { FEEDS, SEEDS, testConfig } from '../support/publishing.js';
import { makeSeed } from '../support/seeds.js';

// Per-author feeds (issue 18) on storage with S3's semantics, through the same record and render code
// the handler runs, with `authorFeeds` on: what the handler gets once the setting is wired.

describe('author collections, recorded and rendered', () => {
  it('gives each credited author feeds of their own under authors/<name>/', async () => {
    // Prepare
    const config = testConfig();
    const store = new MemoryStore();
    const seeds = store.bucket(SEEDS, 'fn');
    const keys = new StateKeys(config.statePrefix, config.rejectedPrefix);
    const collections = { categoryFeeds: false, archives: false, authorFeeds: true };
    let runs = 0;
    const sync: SyncContext = {
      seeds,
      keys,
      defaultLanguage: config.language,
      maxSeedBytes: config.maxSeedBytes,
      collections,
      runId: () => `${++runs}`.padStart(8, '0'),
      checkItem: (item) => checkItem(item, config),
    };
    const upload = async (name: string, body: string) => {
      const key = `${config.seedsPrefix}${name}`;
      await store.bucket(SEEDS, 'uploader').put(key, makeSeed({ body }));
      return syncSeed(key, versionOf(store.sequencer(SEEDS, key)) ?? '', sync);
    };

    // Act
    const first = await upload('a.txt', '<p class="byline">By Jane Doe and John Roe</p><p>One.</p>');
    const second = await upload('b.txt', '<p class="byline">By Jane Doe</p><p>Two.</p>');
    const touched = [...new Set([...first.touched, ...second.touched])];
    const feeds = store.bucket(FEEDS, 'fn');
    await regenerate(
      {
        seeds,
        feeds,
        keys,
        settings: config,
        itemsPerFeed: config.itemsPerFeed,
        cacheControl: 'public, max-age=60',
        cache: new PublishCache(),
        collections,
      },
      touched,
    );
    const json = async (path: string) =>
      JSON.parse(new TextDecoder().decode((await feeds.get(`${path}feed.json`))?.body)) as {
        title: string;
        items: { authors: { name: string }[] }[];
      };

    // Assess
    expect(touched.sort()).toEqual(['author/jane-doe', 'author/john-roe']);
    expect(collectionPath('author/jane-doe')).toBe('authors/jane-doe/');
    const jane = await json('authors/jane-doe/');
    const john = await json('authors/john-roe/');
    expect(jane.items).toHaveLength(2);
    expect(john.items).toHaveLength(1);
    expect(john.items[0]?.authors.map((a) => a.name)).toEqual(['Jane Doe', 'John Roe']);
    expect(
      authorLabel(
        'author/john-roe',
        [second.written?.entry.item, first.written?.entry.item].flatMap((i) => (i ? [i] : [])),
      ),
    ).toBe('John Roe');
  });
});
