import { describe, expect, it } from 'vitest';
import { s3Record, sqsEvent, sqsMessage, sweepMessage } from '../../local/events.js';
import { type Call, MemoryStore } from '../support/memory-bucket.js';
import {
  expectFeedsFromScratch,
  expectRecordsSettled,
  FEEDS,
  instanceOn,
  liveText,
  SEEDS,
  testConfig,
} from '../support/publishing.js';
import { makeSeed } from '../support/seeds.js';

/**
 * Found by a review of a rule since withdrawn (an instance took its memory of an unchanged file as
 * live when the index differed from its last render only by its own batch): a render's time matters
 * as much as its entries (embargoes end, the news sitemap's window moves), and a remover whose render
 * failed removes nothing on its retry. One wall clock shared by every instance (no skew). Instance
 * B's render is slow (its index LIST is held) while A renders at a later time; B's writes then find
 * A's files and B renders again. That render must read the clock again, after it learned what A
 * wrote, or it writes its earlier time over A's later one. And A's next render, whose memory of the
 * files is no longer what is live, must find that out whatever its memory says.
 */
const W0 = Date.UTC(2024, 1, 1);
const DAY = 86_400_000;

/** `seed` names the story: `name` is under /world/, `section/name` under /section/. */
function world(env: Record<string, string> = {}) {
  let wall = W0;
  let hold: ((call: Call) => boolean) | undefined;
  let fail: ((call: Call) => boolean) | undefined;
  let release: () => void = () => undefined;
  let held: () => void = () => undefined;
  const heldAt = new Promise<void>((r) => {
    held = r;
  });
  const gate = new Promise<void>((r) => {
    release = r;
  });
  const calls: Call[] = [];
  const store = new MemoryStore({
    admit: (call) => {
      calls.push(call);
      if (fail?.(call)) {
        fail = undefined;
        return Promise.reject(Object.assign(new Error('503 SlowDown'), { name: 'SlowDown' }));
      }
      if (hold?.(call)) {
        hold = undefined;
        held();
        return gate;
      }
      return Promise.resolve();
    },
  });
  const config = testConfig({ SEEDFEED_ITEMS_PER_FEED: '10', ...env });
  const uploader = store.bucket(SEEDS, 'uploader');
  const uploaded = new Set<string>();
  const instance = (name: string) => {
    const handler = instanceOn(store, config, name, () => new Date(wall));
    /** How many messages of the batch failed (SQS hands them back). */
    const raw = async (records: ReturnType<typeof sqsMessage>[]) =>
      (await handler(sqsEvent(records))).batchItemFailures.length;
    const deliver = async (records: ReturnType<typeof sqsMessage>[]) => {
      expect(await raw(records)).toBe(0);
    };
    return Object.assign(deliver, { raw });
  };
  const put = async (seed: string, stamp: number, body?: string) => {
    store.setClock('uploader', wall);
    const key = `${config.seedsPrefix}${seed.replace('/', '-')}.txt`;
    const path = seed.includes('/') ? seed : `world/${seed}`;
    await uploader.put(
      key,
      body ?? makeSeed({ url: `https://news.example.com/${path}`, stamp, title: seed }),
    );
    uploaded.add(key);
    return sqsMessage(s3Record('created', SEEDS, key, store.sequencer(SEEDS, key), new Date(wall)));
  };
  const remove = async (seed: string) => {
    store.setClock('uploader', wall);
    const key = `${config.seedsPrefix}${seed.replace('/', '-')}.txt`;
    await uploader.delete(key);
    return sqsMessage(s3Record('removed', SEEDS, key, store.sequencer(SEEDS, key), new Date(wall)));
  };
  const text = (key: string) => liveText(store, key);
  return {
    store,
    calls,
    config,
    uploaded,
    instance,
    put,
    remove,
    text,
    wall: () => wall,
    setWall: (ms: number) => {
      wall = ms;
    },
    holdFirst: (when: (call: Call) => boolean) => {
      hold = when;
      return heldAt;
    },
    release: () => release(),
    failFirst: (when: (call: Call) => boolean) => {
      fail = when;
    },
  };
}

const indexList = (actor: string) => (call: Call) =>
  call.actor === actor && call.op === 'list' && call.target === 'state/index/';

type World = ReturnType<typeof world>;
type Batch = ReturnType<typeof sqsMessage>[];

/**
 * B removes `seed` with the clock at W0 + 30 s and is held at its first index LIST; the function
 * returned lets it finish at the wall's time then, and checks that its render was redone at that time
 * (against a render from scratch of the main view, unless `mainViewOnly` is false: collections).
 */
async function slowRemoval(
  w: World,
  B: (batch: Batch) => Promise<void>,
  seed: string,
  mainViewOnly = true,
): Promise<() => Promise<void>> {
  w.setWall(W0 + 30_000);
  const held = w.holdFirst(indexList('B'));
  const removal = B([await w.remove(seed)]);
  await held;
  return async () => {
    const redoneAt = w.wall();
    w.release();
    await removal;
    const items = expectRecordsSettled(w.store, w.config, w.uploaded);
    if (mainViewOnly) expectFeedsFromScratch(w.store, w.config, items, redoneAt);
  };
}

/**
 * The render that comes after B's wrote over a later one: it must ask what is live (a HEAD, or a PUT
 * whose condition fails) rather than take its memory of it, and leave the feeds as a render from
 * scratch of the settled records at its time.
 */
async function expectRenderedRight(
  w: World,
  [actor, handler]: [string, (batch: Batch) => Promise<void>],
  batch: Batch,
  at: number,
): Promise<void> {
  const before = w.calls.length;
  await handler(batch);
  const asked = w.calls.slice(before).filter((c) => c.actor === actor && c.bucket === FEEDS);
  expect(asked.some((c) => c.op === 'head' || c.op === 'put')).toBe(true);
  const items = expectRecordsSettled(w.store, w.config, w.uploaded);
  expectFeedsFromScratch(w.store, w.config, items, at);
}

const sweepAt = (ms: number) => [sweepMessage(new Date(ms))];

describe('a slower render begun before a later one, and the render after it', () => {
  it('keeps an item published that became due while a render begun before was slow', async () => {
    // Prepare: A publishes Z and D; E is due at W0 + 60 s. B removes D with the clock at W0 + 30 s
    // and is slow; at W0 + 90 s a sweep on A publishes E; then B's render, begun while E was
    // embargoed, finds A's files (its condition fails once), HEADs and renders again, at W0 + 90 s.
    const w = world();
    const A = w.instance('A');
    await A([
      await w.put('zed', W0 - 3_600_000),
      await w.put('dee', W0 - 7_200_000),
      await w.put('due', W0 + 60_000),
    ]);
    const finishRemoval = await slowRemoval(w, w.instance('B'), 'dee');
    w.setWall(W0 + 90_000);
    await A(sweepAt(W0 + 90_000));
    expect(w.text('feed.json')).toContain('/world/due');
    await finishRemoval();
    expect(w.text('feed.json')).toContain('/world/due');

    // Act and Assess: A's next sweep finds its listing as it rendered it last, and must still ask.
    w.setWall(W0 + 120_000);
    await expectRenderedRight(w, ['A', A], sweepAt(W0 + 120_000), W0 + 120_000);
  });

  it('keeps an article out of the news sitemap after its two days while a render begun before was slow', async () => {
    // Prepare: X leaves the sitemap's window at W0 + 60 s; A's sweep at W0 + 90 s drops it; B's
    // slower render, begun at W0 + 30 s, renders again at W0 + 90 s and leaves it out too.
    const w = world();
    const A = w.instance('A');
    await A([
      await w.put('zed', W0 - 3_600_000),
      await w.put('dee', W0 - 7_200_000),
      await w.put('old', W0 - 2 * DAY + 60_000),
    ]);
    expect(w.text('news-sitemap.xml')).toContain('/world/old');
    const finishRemoval = await slowRemoval(w, w.instance('B'), 'dee');
    w.setWall(W0 + 90_000);
    await A(sweepAt(W0 + 90_000));
    expect(w.text('news-sitemap.xml')).not.toContain('/world/old');
    await finishRemoval();
    expect(w.text('news-sitemap.xml')).not.toContain('/world/old');

    // Act and Assess
    w.setWall(W0 + 120_000);
    await expectRenderedRight(w, ['A', A], sweepAt(W0 + 120_000), W0 + 120_000);
  });

  it('names a category once its first story is due, though a render begun before it was due was slow', async () => {
    // Prepare: with category feeds, the "fresh" category's only story is due at W0 + 60 s. B's round
    // begins at W0 + 30 s, when the category is withheld; A's sweep at W0 + 90 s publishes the story
    // and names the category; then B renders again at W0 + 90 s (found by a review: it kept the
    // category it had withheld at W0 + 30 s out of the site map).
    const w = world({ SEEDFEED_CATEGORY_FEEDS: 'true' });
    const A = w.instance('A');
    await A([
      await w.put('zed', W0 - 3_600_000),
      await w.put('dee', W0 - 7_200_000),
      await w.put('fresh/due', W0 + 60_000),
    ]);
    const named = (key: string) => /categor(y|ies)\/fresh\//.test(w.text(key));
    expect(named('feed.json')).toBe(false);
    const finishRemoval = await slowRemoval(w, w.instance('B'), 'dee', false);
    w.setWall(W0 + 90_000);
    await A(sweepAt(W0 + 90_000));
    expect([named('feed.json'), named('index.html')]).toEqual([true, true]);

    // Act
    await finishRemoval();

    // Assess
    expect(w.text('feed.json')).toContain('/fresh/due');
    expect([named('feed.json'), named('index.html')]).toEqual([true, true]);
  });

  it("creates a category's feed once it names the category, though its render began before the story was due", async () => {
    // Prepare: with category feeds, B records the "fresh" category's only story, due at W0 + 60 s,
    // with the clock at W0 + 30 s, and is held at its first index LIST until W0 + 90 s (found by a
    // review: the category's set, planned withheld at W0 + 30 s, was skipped while the main feeds,
    // rendered at W0 + 90 s, linked to it).
    const w = world({ SEEDFEED_CATEGORY_FEEDS: 'true' });
    await w.instance('A')([await w.put('zed', W0 - 3_600_000), await w.put('dee', W0 - 7_200_000)]);
    w.setWall(W0 + 30_000);
    const held = w.holdFirst(indexList('B'));
    const upload = w.instance('B')([await w.put('fresh/due', W0 + 60_000)]);
    await held;

    // Act
    w.setWall(W0 + 90_000);
    w.release();
    await upload;

    // Assess: the main feeds name the category, and its own feeds exist.
    expect(w.text('feed.json')).toContain('/fresh/due');
    expect(w.text('feed.json')).toMatch(/categories\/fresh\//);
    const own = [...w.store.objects(FEEDS).keys()].filter((key) => key.startsWith('categories/fresh/'));
    expect(own).toContain('categories/fresh/feed.json');
  });

  it('a fresh instance renders again over a warm start whose files a slower render rewrote', async () => {
    // Prepare: as the first case, but the sweep that publishes E is a fresh instance's, which leaves
    // a warm start of its render; B, warmed up by a bad seed, writes none.
    const w = world();
    await w.instance('first')([
      await w.put('zed', W0 - 3_600_000),
      await w.put('dee', W0 - 7_200_000),
      await w.put('due', W0 + 60_000),
    ]);
    w.setWall(W0 + 5_000);
    const B = w.instance('B');
    await B([await w.put('bad', W0, 'not a seed')]);
    const finishRemoval = await slowRemoval(w, B, 'dee');
    w.setWall(W0 + 90_000);
    await w.instance('A')(sweepAt(W0 + 90_000));
    expect(w.text('feed.json')).toContain('/world/due');
    await finishRemoval();
    expect(w.text('feed.json')).toContain('/world/due');

    // Act and Assess: another fresh instance, whose warm start says what A left.
    w.setWall(W0 + 120_000);
    await expectRenderedRight(w, ['C', w.instance('C')], sweepAt(W0 + 120_000), W0 + 120_000);
  });

  it("takes a deleted item down when the remover's render failed and its retry removes nothing", async () => {
    // Prepare: A publishes [a]; B publishes n over it. n is deleted; A removes its entry, then the
    // render's first index LIST fails (S3 503): the batch fails and SQS hands the message back.
    const w = world();
    const A = w.instance('A');
    await A([await w.put('aaa', W0 - 3_600_000)]);
    await w.instance('B')([await w.put('new', W0 - 60_000)]);
    expect(w.text('feed.json')).toContain('/world/new');
    const deletion = await w.remove('new');
    w.failFirst(indexList('A'));
    expect(await A.raw([deletion])).toBe(1);

    // Act and Assess: the retry finds nothing to remove and the index as A rendered it last, yet B's
    // feed with n is live.
    await expectRenderedRight(w, ['A', A], [deletion], W0);
  });
});
