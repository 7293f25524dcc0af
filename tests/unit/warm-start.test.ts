import { describe, expect, it } from 'vitest';
import { s3Record, sqsEvent, sqsMessage } from '../../local/events.js';
import { type Call, MemoryStore } from '../support/memory-bucket.js';
import {
  expectFeedsFromScratch,
  expectRecordsSettled,
  instanceOn,
  RENDER_NOW,
  SEEDS,
  testConfig,
} from '../support/publishing.js';
import { makeSeed } from '../support/seeds.js';

const K = 50;
const WARM_START = 'state/warm-start.json';

/** One bucket pair whose every call is noted, and function instances on it. */
function world() {
  const calls: Call[] = [];
  const store = new MemoryStore({
    admit: (call) => {
      calls.push(call);
      return Promise.resolve();
    },
  });
  const config = testConfig({ SEEDFEED_ITEMS_PER_FEED: String(K) });
  const uploader = store.bucket(SEEDS, 'uploader');
  const uploaded = new Set<string>();
  let n = 0;
  const instance = (name: string) => {
    const handler = instanceOn(store, config, name, () => new Date(RENDER_NOW));
    /** Uploads `count` new articles and hands their events to this instance in one batch. */
    return async (count: number) => {
      const records = [];
      for (let i = 0; i < count; i++, n++) {
        const key = `${config.seedsPrefix}story-${n}.txt`;
        const url = `https://news.example.com/world/story-${n}`;
        await uploader.put(key, makeSeed({ url, stamp: RENDER_NOW - 86_400_000 + n * 60_000 }));
        uploaded.add(key);
        records.push(
          sqsMessage(s3Record('created', SEEDS, key, store.sequencer(SEEDS, key), new Date(RENDER_NOW))),
        );
      }
      const result = await handler(sqsEvent(records));
      expect(result.batchItemFailures).toEqual([]);
    };
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
    // LIST, 5 PUTs of changed files, 1 HEAD of the unchanged OPML and the confirming LIST; a new warm start.
    const calls = callsOf('fresh');
    expect(entryGets(calls)).toBe(0);
    expect(calls.filter((call) => call.op === 'head').map((call) => call.target)).toEqual(['feeds.opml']);
    expect(calls.length).toBe(14);
    expectFeedsRight();
  });

  it("asks for its warm start beside the batch's records, not after them", async () => {
    // Prepare
    const { instance, callsOf } = world();
    await instance('first')(K);

    // Act
    await instance('fresh')(1);

    // Assess: the warm start's GET goes before the seed's own record is written, so it costs no stage.
    const calls = callsOf('fresh');
    const warmStartGet = calls.findIndex((call) => call.op === 'get' && call.target === WARM_START);
    const entryPut = calls.findIndex((call) => call.op === 'put' && call.target.startsWith('state/index/'));
    expect(warmStartGet).toBeGreaterThanOrEqual(0);
    expect(entryPut).toBeGreaterThan(warmStartGet);
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
