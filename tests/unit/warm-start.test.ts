import { describe, expect, it } from 'vitest';
import { createHandler } from '../../lambdas/seedfeed/handler.js';
import { quietLog } from '../../local/embedded.js';
import { s3Record, sqsEvent, sqsMessage } from '../../local/events.js';
import { type Call, MemoryStore } from '../support/memory-bucket.js';
import {
  expectFeedsFromScratch,
  expectRecordsSettled,
  FEEDS,
  RENDER_NOW,
  SEEDS,
  testConfig,
} from '../support/publishing.js';
import { makeSeed } from '../support/seeds.js';

const K = 50;
const WARM_START = 'state/warm-start.json';

/** One bucket pair whose every call is noted, and function instances on it. */
function world(itemsPerFeed = K) {
  const calls: Call[] = [];
  const store = new MemoryStore({
    admit: (call) => {
      calls.push(call);
      return Promise.resolve();
    },
  });
  const config = testConfig({ SEEDFEED_ITEMS_PER_FEED: String(itemsPerFeed) });
  const uploader = store.bucket(SEEDS, 'uploader');
  const uploaded = new Set<string>();
  let n = 0;
  const instance = (name: string) => {
    const handler = createHandler({
      config,
      seeds: store.bucket(SEEDS, name),
      feeds: store.bucket(FEEDS, name),
      log: quietLog,
      clock: () => new Date(RENDER_NOW),
    });
    const deliver = async (change: 'created' | 'removed', keys: string[]) => {
      const records = keys.map((key) =>
        sqsMessage(s3Record(change, SEEDS, key, store.sequencer(SEEDS, key), new Date(RENDER_NOW))),
      );
      const result = await handler(sqsEvent(records));
      expect(result.batchItemFailures).toEqual([]);
    };
    /**
     * Uploads `count` new articles, each newer than all before (or, `older`, older than all), and hands
     * their events to this instance in one batch; returns their numbers.
     */
    const upload = async (count: number, { older = false } = {}) => {
      const keys: string[] = [];
      const numbers: number[] = [];
      for (let i = 0; i < count; i++, n++) {
        const key = `${config.seedsPrefix}story-${n}.txt`;
        const url = `https://news.example.com/world/story-${n}`;
        const stamp = older
          ? RENDER_NOW - 30 * 86_400_000 - n * 60_000
          : RENDER_NOW - 86_400_000 + n * 60_000;
        await uploader.put(key, makeSeed({ url, stamp }));
        uploaded.add(key);
        keys.push(key);
        numbers.push(n);
      }
      await deliver('created', keys);
      return numbers;
    };
    /** Deletes article `number` and hands the event to this instance. */
    const remove = async (number: number) => {
      const key = `${config.seedsPrefix}story-${number}.txt`;
      await uploader.delete(key);
      await deliver('removed', [key]);
    };
    return Object.assign(upload, { remove });
  };
  const callsOf = (actor: string) => calls.filter((call) => call.actor === actor);
  const expectFeedsRight = () =>
    expectFeedsFromScratch(store, config, expectRecordsSettled(store, config, uploaded), RENDER_NOW);
  return { store, instance, callsOf, expectFeedsRight };
}

const entryGets = (calls: Call[]) =>
  calls.filter((call) => call.op === 'get' && call.target.startsWith('state/index/')).length;

describe('the warm start of a fresh instance', () => {
  it('publishes on a full feed without a GET per item or a HEAD per changed file', async () => {
    // Prepare: a full feed published by one instance, whose first render leaves a warm start.
    const { instance, callsOf, expectFeedsRight } = world();
    await instance('first')(K);

    // Act: a fresh instance gets the next upload.
    await instance('fresh')(1);

    // Assess: 1 GET of the seed and 1 of the warm start; the record's 2 PUTs and LIST; the render's
    // LIST, 5 PUTs of changed files and the confirming LIST; a new warm start. No HEAD of the unchanged
    // OPML: the index differs from the warm start's listing only by this upload's entry.
    const calls = callsOf('fresh');
    expect(entryGets(calls)).toBe(0);
    expect(calls.filter((call) => call.op === 'head').map((call) => call.target)).toEqual([]);
    expect(calls.length).toBe(13);
    expectFeedsRight();
  });

  it('takes nothing from a forged warm start that the index does not hold byte for byte', async () => {
    // Prepare: every entry in the warm start rewritten with a script in its title.
    const { store, instance, callsOf, expectFeedsRight } = world();
    await instance('first')(K);
    const state = store.objects(SEEDS);
    const stored = state.get(WARM_START);
    expect(stored).toBeDefined();
    const start = JSON.parse(new TextDecoder().decode(stored?.body)) as { entries: Record<string, string> };
    for (const [key, json] of Object.entries(start.entries)) {
      start.entries[key] = json.replace(/"title":"[^"]*"/, '"title":"<script>alert(1)</script>"');
    }
    await store.bucket(SEEDS, 'forger').put(WARM_START, JSON.stringify(start));

    // Act
    await instance('fresh')(1);

    // Assess: every entry read from the index instead, and the feeds as a render from scratch.
    expect(entryGets(callsOf('fresh'))).toBe(K - 1);
    expectFeedsRight();
  });

  it('publishes right when the files changed after the warm start was written', async () => {
    // Prepare: the first instance publishes twice; only its first render wrote a warm start.
    const { instance, callsOf, expectFeedsRight } = world();
    const first = instance('first');
    await first(K);
    await first(1);
    expect(callsOf('first').filter((call) => call.op === 'put' && call.target === WARM_START)).toHaveLength(
      1,
    );

    // Act: the fresh instance's conditions on the old ETags fail.
    await instance('fresh')(1);

    // Assess
    expectFeedsRight();
  });
});

/**
 * A warm instance takes what it wrote last as live, without a HEAD, when the index differs from what it
 * rendered last only by its own new entries (render-plan.ts `onlyOwnChanges`); every interleaving of
 * the case where that would be wrong without the remover's HEAD is in tests/records/explorer-trust.test.ts.
 */
describe("a warm instance's memory of the feeds", () => {
  const heads = (calls: Call[]) => calls.filter((call) => call.op === 'head').map((call) => call.target);

  it('is trusted after its own uploads alone: no HEAD of the unchanged OPML', async () => {
    // Prepare
    const { instance, callsOf, expectFeedsRight } = world();
    const warm = instance('warm');
    await warm(K);
    const before = callsOf('warm').length;

    // Act
    await warm(1);

    // Assess: the seed's GET, the record's 2 PUTs and LIST, the render's LIST, 5 PUTs of changed files
    // (all but the OPML), the confirming LIST.
    const calls = callsOf('warm').slice(before);
    expect(heads(calls)).toEqual([]);
    expect(calls.length).toBe(11);
    expectFeedsRight();
  });

  it('stays right when others added an article and removed it again before its next upload', async () => {
    // Prepare: with one item per feed, A renders [first]; B publishes a newer one, then removes it.
    const { instance, callsOf, expectFeedsRight } = world(1);
    const a = instance('A');
    const b = instance('B');
    await a(1);
    const [newer] = await b(1);
    await b.remove(newer ?? -1);
    const before = callsOf('A').length;

    // Act: A's article is older than the feed's one item, so its render is what it wrote before.
    await a(1, { older: true });

    // Assess: A writes no feed and asks no HEAD; B's last render is what is live, and it is right.
    const calls = callsOf('A').slice(before);
    expect(heads(calls)).toEqual([]);
    expect(calls.filter((call) => call.bucket === FEEDS && call.op === 'put')).toEqual([]);
    expectFeedsRight();
  });

  it('is confirmed by a HEAD after a removal, which finds the feed another instance wrote since', async () => {
    // Prepare: A renders [first]; B publishes a newer one; A removes it.
    const { instance, callsOf, expectFeedsRight } = world(1);
    const a = instance('A');
    await a(1);
    const [newer] = await instance('B')(1);
    const before = callsOf('A').length;

    // Act
    await a.remove(newer ?? -1);

    // Assess: A's render equals what A wrote before, but B's feed is live: the HEADs see it.
    expect(heads(callsOf('A').slice(before))).toContain('feed.json');
    expectFeedsRight();
  });
});
