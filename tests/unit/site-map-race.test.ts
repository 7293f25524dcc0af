import { describe, expect, it } from 'vitest';
import { createHandler } from '../../lambdas/seedfeed/handler.js';
import type { Bucket } from '../../lambdas/seedfeed/storage/port.js';
import { quietLog } from '../../local/embedded.js';
import { s3Record, sqsEvent, sqsMessage } from '../../local/events.js';
import { MemoryStore } from '../support/memory-bucket.js';
import { FEEDS, RENDER_NOW, SEEDS, testConfig } from '../support/publishing.js';
import { makeSeed } from '../support/seeds.js';

/** A feeds bucket whose first PUT waits until `meanwhile` has run. */
function pausingFirstPut(bucket: Bucket, meanwhile: () => Promise<void>): Bucket {
  let paused = false;
  return {
    name: bucket.name,
    get: (key) => bucket.get(key),
    head: (key) => bucket.head(key),
    delete: (key) => bucket.delete(key),
    list: (prefix, limit, startAfter) => bucket.list(prefix, limit, startAfter),
    listFolders: (prefix) => bucket.listFolders(prefix),
    async put(key, body, headers) {
      if (!paused) {
        paused = true;
        await meanwhile();
      }
      return bucket.put(key, body, headers);
    },
  };
}

describe('a category that appears while another instance renders', () => {
  it('is linked from the main page once both are done', async () => {
    // Prepare: X renders a world story; just as it starts writing, Y publishes the first science
    // story and renders. X's first write then fails its condition, and X renders again.
    const config = testConfig({ SEEDFEED_CATEGORY_FEEDS: 'true' });
    const store = new MemoryStore();
    const uploader = store.bucket(SEEDS, 'uploader');
    const upload = async (name: string, url: string) => {
      const key = `${config.seedsPrefix}${name}`;
      await uploader.put(key, makeSeed({ url, stamp: RENDER_NOW - 3_600_000 }));
      return sqsEvent([
        sqsMessage(s3Record('created', SEEDS, key, store.sequencer(SEEDS, key), new Date(RENDER_NOW))),
      ]);
    };
    const instance = (name: string, feeds: Bucket) =>
      createHandler({
        config,
        seeds: store.bucket(SEEDS, name),
        feeds,
        log: quietLog,
        clock: () => new Date(RENDER_NOW),
      });
    const y = instance('Y', store.bucket(FEEDS, 'Y'));
    const science = await upload('science.txt', 'https://news.example.com/science/first-light');
    const x = instance(
      'X',
      pausingFirstPut(store.bucket(FEEDS, 'X'), async () => {
        expect((await y(science)).batchItemFailures).toEqual([]);
      }),
    );
    const world = await upload('world.txt', 'https://news.example.com/world/story');

    // Act
    const result = await x(world);

    // Assess: the page X wrote last links the category Y created.
    expect(result.batchItemFailures).toEqual([]);
    const page = new TextDecoder().decode(store.objects(FEEDS).get('index.html')?.body);
    expect(page).toContain('categories/science/');
    expect(page).toContain('https://news.example.com/world/story');
  });
});
