import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { seedId } from '../../lambdas/seedfeed/publish/keys.js';
import { s3Record, sqsEvent, sqsMessage } from '../../local/events.js';
import { type Cluster, startCluster } from '../support/cluster.js';
import { readFeeds } from '../support/feeds.js';
import { makeSeed } from '../support/seeds.js';

const SEEDS = 50;
const SEED_BYTES = 900_000;
// handler.ts's default: seeds synced at once within a batch.
const CONCURRENCY = 8;
// Far below the batch (45 MB of seeds, about twice that as strings): what a warm instance may keep.
const RETAINED_LIMIT = 24 * 1_048_576;

/** Heap in use after a full collection: what is really retained, not garbage awaiting the collector. */
function retainedHeap(): number {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
  return process.memoryUsage().heapUsed;
}

function largeSeed(n: number): string {
  const paragraph = `<p>Paragraph of large article ${n}, long enough to need many of them. ${'word '.repeat(40)}</p>`;
  return makeSeed({ title: `Large ${n}`, body: paragraph.repeat(Math.floor(SEED_BYTES / paragraph.length)) });
}

/**
 * Seeds whose sync is running (from the GET of the seed to the listing of its markers, its last step
 * unless a race makes it re-read the seed), and the heap retained when every seed is synced and the
 * render starts (its first LIST of the index).
 */
function trackOpenSyncs(prefix: string, index: string, markers: string) {
  const open = new Set<string>();
  const state = { most: 0, atRender: undefined as number | undefined };
  return {
    state,
    install(client: import('@aws-sdk/client-s3').S3Client) {
      client.middlewareStack.add(
        (next, context) => async (args) => {
          const { Key: key = '', Prefix } = args.input as { Key?: string; Prefix?: string };
          if (Prefix === index && state.atRender === undefined) state.atRender = retainedHeap();
          if (key.startsWith(prefix) && context.commandName === 'GetObjectCommand') {
            open.add(key);
            state.most = Math.max(state.most, open.size);
          }
          const result = await next(args);
          if (Prefix?.startsWith(markers) && context.commandName === 'ListObjectsV2Command') {
            for (const seed of open) if (Prefix === `${markers}${seedId(seed)}/`) open.delete(seed);
          }
          return result;
        },
        { step: 'initialize', name: 'trackOpenSyncs' },
      );
    },
  };
}

describe('limits', () => {
  let cluster: Cluster;

  beforeEach(async () => {
    cluster = await startCluster({ env: { SEEDFEED_ITEMS_PER_FEED: '10' } });
  });

  afterEach(async () => {
    await cluster.dispose();
  });

  it('holds a bounded number of large seeds at once, keeps little, and returns a small result', {
    timeout: 90_000,
  }, async () => {
    // Prepare
    const { config, seeds } = cluster.embedded;
    const keys = Array.from({ length: SEEDS }, (_, n) => `${config.seedsPrefix}large/${n}.txt`);
    for (const [n, key] of keys.entries()) await seeds.put(key, largeSeed(n));
    const tracker = trackOpenSyncs(
      config.seedsPrefix,
      `${config.statePrefix}index/`,
      `${config.statePrefix}seeds/`,
    );
    const handler = cluster.instance((client) => tracker.install(client));
    const baseline = retainedHeap();

    // Act
    const result = await handler(
      sqsEvent(keys.map((key) => sqsMessage(s3Record('created', config.seedsBucket, key)))),
    );
    const retained = retainedHeap() - baseline;
    const atRender = (tracker.state.atRender ?? Number.POSITIVE_INFINITY) - baseline;

    // Assess
    expect(result.batchItemFailures).toEqual([]);
    expect(result.outcomes.filter((o) => o.status === 'published')).toHaveLength(SEEDS);
    expect(tracker.state.most).toBeLessThanOrEqual(CONCURRENCY);
    // Lambda refuses a response over 6 MB, and that would fail every batch of large seeds forever.
    expect(JSON.stringify(result).length).toBeLessThan(100_000);
    console.log('limits:', {
      atRenderMB: Math.round(atRender / 1e6),
      afterMB: Math.round(retained / 1e6),
      batchMB: Math.round((SEEDS * SEED_BYTES) / 1e6),
    });
    // The handler is still referenced here, as a warm Lambda instance keeps it.
    expect(handler).toBeTypeOf('function');
    expect(atRender).toBeLessThan(RETAINED_LIMIT);
    expect(retained).toBeLessThan(RETAINED_LIMIT);
    expect((await readFeeds(config.publicUrl)).json.items.length).toBeGreaterThan(0);
  });
});
