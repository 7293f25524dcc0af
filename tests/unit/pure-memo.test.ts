import { describe, expect, it } from 'vitest';
import { PureMemo } from '../../lambdas/seedfeed/publish/cache.js';
import type { Entry } from '../../lambdas/seedfeed/publish/entry.js';
import { StateKeys, versionOf } from '../../lambdas/seedfeed/publish/keys.js';
import { type SyncContext, syncSeed } from '../../lambdas/seedfeed/publish/sync.js';
import { MemoryStore } from '../support/memory-bucket.js';
import { SEEDS, testConfig } from '../support/publishing.js';
import { makeSeed } from '../support/seeds.js';

// Two instances sharing one memo of parses (as the explorers' handlers do): a parse is reused only for
// the same bytes of the same key uploaded at the same time, since a seed without a date takes its
// upload's and the key names the article's file.

function setup() {
  const config = testConfig();
  const store = new MemoryStore();
  const memo = new PureMemo();
  const context = (actor: string): SyncContext => {
    let runs = 0;
    return {
      seeds: store.bucket(SEEDS, actor),
      keys: new StateKeys(config.statePrefix, config.rejectedPrefix),
      defaultLanguage: config.language,
      maxSeedBytes: config.maxSeedBytes,
      collections: { categoryFeeds: false, archives: false, authorFeeds: false },
      runId: () => `${actor}${++runs}`.padStart(8, '0'),
      parsed: memo.parsed,
    };
  };
  const uploader = store.bucket(SEEDS, 'uploader');
  const upload = async (key: string, text: string, at: number) => {
    store.setClock('uploader', at);
    await uploader.put(key, text);
    return versionOf(store.sequencer(SEEDS, key)) ?? '';
  };
  const recorded = async (key: string): Promise<Entry> => {
    const entryKey = (await store.bucket(SEEDS, 'reader').list(`${config.statePrefix}index/`, 100))
      .map((o) => o.key)
      .find(Boolean);
    const object = await store.bucket(SEEDS, 'reader').get(entryKey ?? '');
    const entry = JSON.parse(new TextDecoder().decode(object?.body)) as Entry;
    expect(entry.seedKey).toBe(key);
    return entry;
  };
  return { config, memo, context, upload, recorded };
}

describe('the shared memo of parsed seeds', () => {
  it('parses the same undated bytes again when they are uploaded in a later second', async () => {
    // Prepare: a seed without its date comment, uploaded twice with the same bytes.
    const { config, context, upload, recorded } = setup();
    const key = `${config.seedsPrefix}undated.txt`;
    const text = makeSeed({
      stamp: undefined,
      title: 'Undated',
      url: 'https://news.example.com/undated',
      body: '<p>No date anywhere.</p>',
    });
    const first = MemoryStore.EPOCH + 10_000;
    await syncSeed(key, await upload(key, text, first), context('A'));

    // Act: another instance handles the second upload, 60 s later.
    await syncSeed(key, await upload(key, text, first + 60_000), context('B'));

    // Assess: dated by the second upload, not by the memoized first parse.
    expect((await recorded(key)).item.published).toBe(new Date(first + 60_000).toISOString());
  });

  it('parses new bytes under the same key and upload second', async () => {
    // Prepare
    const { config, context, upload, recorded } = setup();
    const key = `${config.seedsPrefix}story.txt`;
    const at = MemoryStore.EPOCH + 10_000;
    const seed = (title: string) =>
      makeSeed({ stamp: 1_706_696_101_000, title, url: 'https://news.example.com/story' });
    await syncSeed(key, await upload(key, seed('First title'), at), context('A'));

    // Act: a second version within the same second.
    await syncSeed(key, await upload(key, seed('Second title'), at + 200), context('B'));

    // Assess
    expect((await recorded(key)).item.title).toBe('Second title');
  });

  it('keeps a rejection, so a redelivered bad seed is rejected with the same reason', async () => {
    // Prepare
    const { config, memo, context, upload } = setup();
    const key = `${config.seedsPrefix}bad.txt`;
    const version = await upload(key, 'not a seed', MemoryStore.EPOCH + 10_000);
    const first = await syncSeed(key, version, context('A'));

    // Act: the same event again, on another instance.
    const again = await syncSeed(key, version, context('B'));

    // Assess
    expect(first.outcome.status).toBe('rejected');
    expect(again.outcome).toEqual(first.outcome);
    expect([...memo.parsed.keys()]).toHaveLength(1);
  });
});
