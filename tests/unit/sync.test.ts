import { describe, expect, it } from 'vitest';
import { StateKeys, versionOf } from '../../lambdas/seedfeed/publish/keys.js';
import { type SyncContext, syncSeed } from '../../lambdas/seedfeed/publish/sync.js';
import { MemoryStore } from '../support/memory-bucket.js';
import { SEEDS, testConfig } from '../support/publishing.js';
import { makeSeed } from '../support/seeds.js';

const UNRENDERABLE = 'Unrenderable';

function setup() {
  const config = testConfig();
  const store = new MemoryStore();
  const seeds = store.bucket(SEEDS, 'fn');
  const keys = new StateKeys(config.statePrefix, config.rejectedPrefix);
  let runs = 0;
  const ctx: SyncContext = {
    seeds,
    keys,
    defaultLanguage: config.language,
    maxSeedBytes: config.maxSeedBytes,
    collections: { categoryFeeds: false, archives: false, authorFeeds: false },
    runId: () => `${++runs}`.padStart(8, '0'),
    // Stands in for the renderer's verdict; the handler passes render/feeds.ts's checkItem.
    checkItem: (item) =>
      item.title.startsWith(UNRENDERABLE) ? 'its feed entry is not well-formed' : undefined,
  };
  const key = `${config.seedsPrefix}story.txt`;
  const upload = async (title: string) => {
    await store.bucket(SEEDS, 'uploader').put(key, makeSeed({ title }));
    return versionOf(store.sequencer(SEEDS, key)) ?? '';
  };
  return { store, seeds, keys, config, ctx, key, upload };
}

describe('syncSeed with an item that fails its render check', () => {
  it('rejects it with a report, and the previous good version stays recorded', async () => {
    // Prepare
    const { seeds, keys, config, ctx, key, upload } = setup();
    const good = await syncSeed(key, await upload('Good version'), ctx);

    // Act
    const bad = await syncSeed(key, await upload(`${UNRENDERABLE} version`), ctx);

    // Assess
    expect(good.outcome.status).toBe('published');
    expect(bad.outcome.status).toBe('rejected');
    expect(bad.outcome.status === 'rejected' && bad.outcome.reason).toBe(
      `${key}: it cannot be published: its feed entry is not well-formed`,
    );
    const index = await seeds.list(keys.index, 100);
    expect(index.map((o) => o.key)).toEqual([good.outcome.status === 'published' && good.outcome.entryKey]);
    const reports = await seeds.list(config.rejectedPrefix, 100);
    expect(reports).toHaveLength(1);
    const report = await seeds.get(reports[0]?.key ?? '');
    expect(JSON.parse(new TextDecoder().decode(report?.body))).toMatchObject({
      seedKey: key,
      reason: 'it cannot be published: its feed entry is not well-formed',
    });
  });

  it('publishes a fixed version over the rejected one and removes its report', async () => {
    // Prepare
    const { seeds, keys, config, ctx, key, upload } = setup();
    await syncSeed(key, await upload('Good version'), ctx);
    await syncSeed(key, await upload(`${UNRENDERABLE} version`), ctx);

    // Act
    const fixed = await syncSeed(key, await upload('Fixed version'), ctx);

    // Assess
    expect(fixed.outcome.status).toBe('published');
    expect(await seeds.list(config.rejectedPrefix, 100)).toEqual([]);
    const index = await seeds.list(keys.index, 100);
    expect(index).toHaveLength(1);
    expect(fixed.written?.entry.item.title).toBe('Fixed version');
  });
});

describe('syncSeed after a burst of deletions', () => {
  it('leaves one tombstone per deleted seed, however often each deletion is delivered', async () => {
    // Prepare: 50 seeds published, then all deleted.
    const { seeds, keys, config, ctx } = setup();
    const names = Array.from({ length: 50 }, (_, n) => `${config.seedsPrefix}burst/${n}.txt`);
    for (const [n, key] of names.entries()) {
      await seeds.put(key, makeSeed({ title: `Burst ${n}`, url: `https://news.example.com/burst/${n}` }));
      await syncSeed(key, versionOf('1') ?? '', ctx);
    }
    for (const key of names) await seeds.delete(key);

    // Act: each deletion's event is run three times at once, as duplicate deliveries would.
    const deleted = versionOf('2') ?? '';
    await Promise.all(names.flatMap((key) => [1, 2, 3].map(() => syncSeed(key, deleted, ctx))));

    // Assess
    const markers = await seeds.list(`${config.statePrefix}seeds/`, 10_000);
    const bodies = await Promise.all(markers.map(({ key }) => seeds.get(key)));
    expect(markers).toHaveLength(names.length);
    expect(bodies.every((body) => body?.body.length === 0)).toBe(true);
    expect(await seeds.list(keys.index, 100)).toEqual([]);
  });
});

describe('syncSeed marks corrections', () => {
  const entryOf = async (seeds: ReturnType<typeof setup>['seeds'], keys: StateKeys) => {
    const [listed] = await seeds.list(keys.index, 100);
    const object = await seeds.get(listed?.key ?? '');
    return JSON.parse(new TextDecoder().decode(object?.body)) as {
      item: { title: string; corrected?: true };
    };
  };

  it('marks a version uploaded in a later second than the published one it replaces', async () => {
    // Prepare
    const { store, seeds, keys, ctx, key, upload } = setup();
    await syncSeed(key, await upload('First'), ctx);
    store.setClock('uploader', MemoryStore.EPOCH + 1_000);

    // Act
    const second = await syncSeed(key, await upload('Second'), ctx);

    // Assess: the entry in the index says so, and so does what the render is handed.
    const entry = await entryOf(seeds, keys);
    expect(entry.item).toMatchObject({ title: 'Second', corrected: true });
    expect(second.written?.entry.item.corrected).toBe(true);
  });

  it('does not mark a first version, nor one of the same second as the version it replaces', async () => {
    const { seeds, keys, ctx, key, upload } = setup();
    await syncSeed(key, await upload('First'), ctx);
    expect((await entryOf(seeds, keys)).item.corrected).toBeUndefined();

    await syncSeed(key, await upload('Second'), ctx);

    expect((await entryOf(seeds, keys)).item).toMatchObject({ title: 'Second' });
    expect((await entryOf(seeds, keys)).item.corrected).toBeUndefined();
  });
});
