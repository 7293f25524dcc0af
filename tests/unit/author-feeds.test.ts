import { describe, expect, it } from 'vitest';
import { createHandler } from '../../lambdas/seedfeed/handler.js';
import { quietLog } from '../../local/embedded.js';
import { s3Record, sqsEvent, sqsMessage } from '../../local/events.js';
import { MemoryStore } from '../support/memory-bucket.js';
import { FEEDS, SEEDS, testConfig } from '../support/publishing.js';
import { makeSeed } from '../support/seeds.js';

// Per-author feeds (issue 18) through the real handler, on storage with S3's semantics.

function publisher(env: Record<string, string> = {}) {
  const config = testConfig(env);
  const store = new MemoryStore();
  const handler = createHandler({
    config,
    seeds: store.bucket(SEEDS, 'fn'),
    feeds: store.bucket(FEEDS, 'fn'),
    log: quietLog,
  });
  const upload = async (name: string, body: string) => {
    const key = `${config.seedsPrefix}${name}`;
    await store
      .bucket(SEEDS, 'uploader')
      .put(key, makeSeed({ body, url: `https://news.example.com/${name}` }));
    return s3Record('created', SEEDS, key, store.sequencer(SEEDS, key), new Date(MemoryStore.EPOCH));
  };
  return { config, store, handler, upload };
}

describe('author feeds', () => {
  it('gives each credited author feeds of their own under authors/<name>/, titled as the byline writes them', async () => {
    // Prepare
    const { config, store, handler, upload } = publisher({ SEEDFEED_AUTHOR_FEEDS: 'true' });
    const feed = (path: string) => {
      const body = store.objects(FEEDS).get(`${path}feed.json`)?.body;
      return body && (JSON.parse(new TextDecoder().decode(body)) as { title: string; items: unknown[] });
    };

    // Act
    const records = [
      await upload('a.txt', '<p class="byline">By Jane Doe and John Roe</p><p>One.</p>'),
      await upload('b.txt', '<p class="byline">By Jane Doe</p><p>Two.</p>'),
    ];
    const result = await handler(sqsEvent(records.map((record) => sqsMessage(record))));

    // Assess
    expect(result.batchItemFailures).toEqual([]);
    expect(feed('authors/jane-doe/')?.items).toHaveLength(2);
    expect(feed('authors/john-roe/')?.items).toHaveLength(1);
    expect(feed('authors/john-roe/')?.title).toBe(`${config.feedTitle} — John Roe`);
    expect(feed('')?.items).toHaveLength(2);
  });

  it('writes no author feeds unless asked', async () => {
    const { store, handler, upload } = publisher();

    await handler(
      sqsEvent([sqsMessage(await upload('a.txt', '<p class="byline">By Jane Doe</p><p>One.</p>'))]),
    );

    expect([...store.objects(FEEDS).keys()].filter((k) => k.startsWith('authors/'))).toEqual([]);
    expect(store.objects(FEEDS).has('feed.json')).toBe(true);
  });
});
