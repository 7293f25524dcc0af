import { describe, expect, it } from 'vitest';
import { createHandler } from '../../lambdas/seedfeed/handler.js';
import { quietLog } from '../../local/embedded.js';
import { s3Record, sqsEvent, sqsMessage } from '../../local/events.js';
import { MemoryStore } from '../support/memory-bucket.js';
import { FEEDS, RENDER_NOW, SEEDS, testConfig } from '../support/publishing.js';
import { makeSeed } from '../support/seeds.js';

describe('an instance that remembers the ETag it wrote but no longer its bytes', () => {
  it('still rewrites a feed another instance changed since, when a takedown brings it back', async () => {
    // Prepare: C publishes story a and keeps no bytes in memory (a full budget, as with many large
    // feeds); B publishes story x over C's files; x is then deleted, and C handles the deletion.
    const config = testConfig();
    const store = new MemoryStore();
    const instance = (name: string, cacheBytes?: number) =>
      createHandler({
        config,
        seeds: store.bucket(SEEDS, name),
        feeds: store.bucket(FEEDS, name),
        log: quietLog,
        clock: () => new Date(RENDER_NOW),
        ...(cacheBytes === undefined ? {} : { cacheBytes }),
      });
    const c = instance('C', 0);
    const b = instance('B');
    const uploader = store.bucket(SEEDS, 'uploader');
    const deliver = async (handler: typeof c, change: 'created' | 'removed', key: string) => {
      const record = s3Record(change, SEEDS, key, store.sequencer(SEEDS, key), new Date(RENDER_NOW));
      const result = await handler(sqsEvent([sqsMessage(record)]));
      expect(result.batchItemFailures).toEqual([]);
    };
    const a = `${config.seedsPrefix}a.txt`;
    const x = `${config.seedsPrefix}x.txt`;
    await uploader.put(a, makeSeed({ url: 'https://news.example.com/a', stamp: RENDER_NOW - 7_200_000 }));
    await deliver(c, 'created', a);
    await uploader.put(x, makeSeed({ url: 'https://news.example.com/x', stamp: RENDER_NOW - 3_600_000 }));
    await deliver(b, 'created', x);
    const feeds = store.bucket(FEEDS, 'reader');
    const shown = async () =>
      (
        JSON.parse(new TextDecoder().decode((await feeds.get('feed.json'))?.body)) as {
          items: { url: string }[];
        }
      ).items.map((item) => item.url);
    expect(await shown()).toEqual(['https://news.example.com/x', 'https://news.example.com/a']);

    // Act: C's render of {a} has exactly the bytes C wrote first, whose ETag it remembers.
    await uploader.delete(x);
    await deliver(c, 'removed', x);

    // Assess: the deleted story is gone from the live feed, not left in B's version of it.
    expect(await shown()).toEqual(['https://news.example.com/a']);
  });
});
