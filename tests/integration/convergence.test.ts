import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Bucket } from '../../lambdas/seedfeed/storage/port.js';
import type { Embedded } from '../../local/embedded.js';
import { s3Record, sqsEvent, sqsMessage } from '../../local/events.js';
import { type Cluster, startCluster } from '../support/cluster.js';
import { expectCollectionsConverged, expectConverged } from '../support/converged.js';
import { readFeeds } from '../support/feeds.js';
import { Gate } from '../support/gate.js';
import { patient } from '../support/patient.js';
import { type Random, randomFor, seeded } from '../support/random.js';
import { makeSeed } from '../support/seeds.js';
import { Traffic } from '../support/traffic.js';

const INSTANCES = 6;
const FIRST_ROUND_SEEDS = 30;
const LATER_ROUND_CHANGES = 15;
const ROUNDS = 2;
const UPLOADERS = 6;
const HOT_KEYS = 8;

/**
 * What the uploaders do, chosen by the seeded PRNG: new seeds (some bad, some sharing a link with
 * another seed), updates of the same key (new title and date, sometimes a new link, sometimes only a
 * new title under the same date and link) and deletes. Every seed version gets its own publish time, so
 * the expected order is unambiguous.
 */
class Uploads {
  private readonly live: string[] = [];
  private readonly links: string[] = [];
  private readonly stamps = new Map<string, { stamp: number; link: string; version: number }>();
  private readonly seeds: Bucket;
  private nextName = 0;
  private nextStamp = 1_700_000_000_000;

  constructor(
    private readonly random: Random,
    private readonly embedded: Embedded,
    private readonly traffic: Traffic,
  ) {
    this.seeds = patient(embedded.seeds);
  }

  async run(creates: number, changes: number): Promise<void> {
    const plan = [...Array(creates).fill('create'), ...Array(changes).fill('change')] as string[];
    const next = async (): Promise<void> => {
      while (plan.length > 0) {
        const kind = this.random.take(plan);
        if (kind === 'create' || this.live.length === 0) await this.create();
        else if (this.random.chance(0.25)) await this.remove();
        else await this.update();
      }
    };
    await Promise.all(Array.from({ length: UPLOADERS }, next));
  }

  private stamp(): number {
    this.nextStamp += 1 + this.random.int(3_600_000);
    return this.nextStamp;
  }

  private async create(): Promise<void> {
    const name = `${this.embedded.config.seedsPrefix}round/seed-${this.nextName++}.txt`;
    if (this.random.chance(0.05)) return this.put(name, this.random.pick(['', 'not a seed at all']));
    const link =
      this.links.length > 0 && this.random.chance(0.15)
        ? this.random.pick(this.links)
        : `https://news.example.com/story/${name.slice(-12)}-${this.random.int(1e9)}`;
    this.links.push(link);
    const stamp = this.stamp();
    this.stamps.set(name, { stamp, link, version: 1 });
    await this.put(name, makeSeed({ url: link, stamp, title: `${name} v1` }));
  }

  private async update(): Promise<void> {
    // A few hot keys get most updates, so runs of different versions of one seed really overlap.
    const name = this.random.pick(this.random.chance(0.5) ? this.live.slice(0, HOT_KEYS) : this.live);
    const before = this.stamps.get(name);
    const version = (before?.version ?? 0) + 1;
    let { stamp, link } = before ?? { stamp: this.stamp(), link: `https://news.example.com/fixed/${name}` };
    // Same date and link, new title: the entry file name may not change at all, only its content.
    if (!before || this.random.chance(0.85)) {
      stamp = this.stamp();
      if (this.random.chance(0.3)) link = `https://news.example.com/moved/${name.slice(-12)}-${version}`;
    }
    this.links.push(link);
    this.stamps.set(name, { stamp, link, version });
    await this.put(name, makeSeed({ url: link, stamp, title: `${name} v${version}` }));
  }

  private async remove(): Promise<void> {
    const name = this.random.take(this.live);
    await this.seeds.delete(name);
    this.traffic.notify(s3Record('removed', this.embedded.config.seedsBucket, name));
  }

  private async put(name: string, body: string): Promise<void> {
    await this.seeds.put(name, body, { contentType: 'text/plain; charset=utf-8' });
    if (!this.live.includes(name)) this.live.push(name);
    this.traffic.notify(s3Record('created', this.embedded.config.seedsBucket, name));
  }
}

describe('convergence under concurrency', () => {
  let cluster: Cluster;
  let requests = 0;
  const latency = seeded(7);

  beforeEach(async () => {
    requests = 0;
    cluster = await startCluster({
      env: { SEEDFEED_ITEMS_PER_FEED: '60', SEEDFEED_CATEGORY_FEEDS: 'true', SEEDFEED_ARCHIVES: 'true' },
      configureClient: (client) =>
        client.middlewareStack.add(
          (next) => async (args) => {
            requests++;
            // Random latency per request widens the interleavings beyond what loopback timing gives.
            await new Promise((resolve) => setTimeout(resolve, latency.int(4)));
            return next(args);
          },
          { step: 'initialize', name: 'countRequests' },
        ),
    });
  });

  afterEach(async () => {
    await cluster.dispose();
  });

  it('ends where a from-scratch rebuild ends, whatever the interleaving', async () => {
    // Prepare
    const random = randomFor('convergence');
    const traffic = new Traffic(random, { maxBatch: 12, duplicate: 0.15, late: 0.08 });
    const uploads = new Uploads(random, cluster.embedded, traffic);

    for (let round = 1; round <= ROUNDS; round++) {
      // Act: fresh instances each round, as Lambda scales out; old ones keep their warm caches.
      const instances = Array.from({ length: INSTANCES }, () => cluster.instance());
      const creates = round === 1 ? FIRST_ROUND_SEEDS : LATER_ROUND_CHANGES / 3;
      const changes = round === 1 ? LATER_ROUND_CHANGES / 3 : LATER_ROUND_CHANGES;
      await traffic.run(instances, () => uploads.run(creates, changes));

      // Assess
      await expectConverged(cluster.embedded);
      await expectCollectionsConverged(cluster.embedded);
    }
    console.log('convergence:', { ...traffic.stats, s3Requests: requests });
    expect(traffic.stats.duplicates).toBeGreaterThan(0);
    expect(traffic.stats.late).toBeGreaterThan(0);
  });

  it('leaves no trace of a version that a slow run read before the seed changed', async () => {
    // Prepare
    const { config, seeds } = cluster.embedded;
    const key = `${config.seedsPrefix}slow.txt`;
    const url = 'https://news.example.com/story/slow';
    await seeds.put(key, makeSeed({ url, title: 'Old version', stamp: 1_700_000_000_000 }));
    const gate = new Gate((command, input) => command === 'GetObjectCommand' && input.Key === key);
    const slow = cluster.instance((client) => gate.install(client));
    const fast = cluster.instance();
    const event = () => sqsEvent([sqsMessage(s3Record('created', config.seedsBucket, key))]);

    // Act: the slow run reads the old version, then the new one is uploaded and fully published.
    const slowRun = slow(event());
    await gate.reached;
    await seeds.put(key, makeSeed({ url: `${url}-moved`, title: 'New version', stamp: 1_700_000_100_000 }));
    await fast(event());
    gate.open();
    const result = await slowRun;

    // Assess
    expect(result.batchItemFailures).toEqual([]);
    await expectConverged(cluster.embedded);
    await expectCollectionsConverged(cluster.embedded);
  });

  it('keeps a correction made within the same second while a slow run still read the first version', async () => {
    // Prepare: issue 11's lost update. Same key, same link, same publish time, same second; only the
    // title changes, so nothing but the event's sequencer tells the two versions apart.
    const { config, seeds } = cluster.embedded;
    const key = `${config.seedsPrefix}correction.txt`;
    const url = 'https://news.example.com/story/correction';
    const version = (title: string) => makeSeed({ url, title, stamp: 1_700_000_000_000 });
    // Start at the top of a second, so that both uploads fall in it with most of a second to spare.
    await new Promise((resolve) => setTimeout(resolve, 1_000 - (Date.now() % 1_000)));
    await seeds.put(key, version('Version A'));
    const first = sqsEvent([sqsMessage(s3Record('created', config.seedsBucket, key))]);
    const gate = new Gate((command, input) => command === 'GetObjectCommand' && input.Key === key);
    const slow = cluster.instance((client) => gate.install(client));
    const fast = cluster.instance();

    // Act: the slow run has read A when B is uploaded and published by another instance.
    const slowRun = slow(first);
    await gate.reached;
    await seeds.put(key, version('Version B'));
    await fast(sqsEvent([sqsMessage(s3Record('created', config.seedsBucket, key))]));
    gate.open();
    const result = await slowRun;

    // Assess
    expect(result.batchItemFailures).toEqual([]);
    expect(result.outcomes.map((o) => o.status)).toEqual(['superseded']);
    const feeds = await readFeeds(config.publicUrl);
    expect(feeds.json.items.map((item) => item.title)).toEqual(['Version B']);
    await expectConverged(cluster.embedded);
  });

  it('leaves no trace of a seed that was deleted while a slow run was publishing it', async () => {
    // Prepare
    const { config, seeds } = cluster.embedded;
    const key = `${config.seedsPrefix}doomed.txt`;
    await seeds.put(key, makeSeed({ title: 'Doomed', url: 'https://news.example.com/story/doomed' }));
    const gate = new Gate((command, input) => command === 'GetObjectCommand' && input.Key === key);
    const slow = cluster.instance((client) => gate.install(client));
    const fast = cluster.instance();

    // Act: the slow run has read the seed when it is deleted and the deletion is fully processed.
    const slowRun = slow(sqsEvent([sqsMessage(s3Record('created', config.seedsBucket, key))]));
    await gate.reached;
    await seeds.delete(key);
    await fast(sqsEvent([sqsMessage(s3Record('removed', config.seedsBucket, key))]));
    gate.open();
    const result = await slowRun;

    // Assess
    expect(result.batchItemFailures).toEqual([]);
    await expectConverged(cluster.embedded);
  });

  it('does not let a render of an older index overwrite a newer one', async () => {
    // Prepare
    const { config, seeds } = cluster.embedded;
    const index = `${config.statePrefix}index/`;
    const upload = async (name: string, title: string) => {
      const key = `${config.seedsPrefix}${name}`;
      await seeds.put(key, makeSeed({ title }));
      return sqsEvent([sqsMessage(s3Record('created', config.seedsBucket, key))]);
    };
    const gate = new Gate((command, input) => command === 'ListObjectsV2Command' && input.Prefix === index);
    const slow = cluster.instance((client) => gate.install(client));
    const fast = cluster.instance();

    // Act: the slow instance has listed the index when a newer seed is published by another one.
    const slowRun = slow(await upload('first.txt', 'First'));
    await gate.reached;
    await fast(await upload('second.txt', 'Second'));
    gate.open();
    await slowRun;

    // Assess
    await expectConverged(cluster.embedded);
    await expectCollectionsConverged(cluster.embedded);
  });
});
