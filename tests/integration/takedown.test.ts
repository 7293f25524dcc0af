import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { cdnPaths, cloudFrontInvalidator } from '../../lambdas/seedfeed/cdn.js';
import { createHandler, type HandlerResult } from '../../lambdas/seedfeed/handler.js';
import type { Log, Metrics } from '../../lambdas/seedfeed/ports.js';
import { S3Bucket } from '../../lambdas/seedfeed/storage/s3.js';
import { webSubNotifier } from '../../lambdas/seedfeed/websub.js';
import { type Embedded, quietLog, startEmbedded } from '../../local/embedded.js';
import { s3Record, sqsEvent, sqsMessage } from '../../local/events.js';
import { type CloudFrontApi, readBatch, startCloudFrontApi } from '../support/cloudfront-api.js';
import { type Hub, startHub } from '../support/hub.js';

const HOUR = 3_600_000;
const KEYS = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' };
const ALL_COLLECTIONS = {
  SEEDFEED_CATEGORY_FEEDS: 'true',
  SEEDFEED_ARCHIVES: 'true',
  SEEDFEED_AUTHOR_FEEDS: 'true',
};

/** A seed with an author line, so it belongs to a category, an author and a month. */
function seed(title: string, url: string, author: string, stamp: number): string {
  return `<!--${stamp}-->\n<!--author: ${author}-->\n[${title}](${url})\n------\n\n<p>${title}: the text.</p>\n`;
}

interface World {
  embedded: Embedded;
  api: CloudFrontApi;
  hub: Hub;
  /** What the CDN's API and the hub saw, in the order they saw it. */
  events: string[];
  counted: string[];
  errors: string[];
  handle(change: 'created' | 'removed', names: string[]): Promise<HandlerResult>;
  snapshot(): Promise<Map<string, string>>;
  text(key: string): Promise<string>;
  dispose(): Promise<void>;
}

async function startWorld(
  answer: (n: number) => number = () => 201,
  env: Record<string, string> = {},
): Promise<World> {
  const directory = await mkdtemp(join(tmpdir(), 'seedfeed-takedown-'));
  const events: string[] = [];
  const counted: string[] = [];
  const errors: string[] = [];
  const hub = await startHub(
    () => 204,
    (ping) => events.push(`ping ${ping['hub.url']}`),
  );
  // The answer waits a moment, so a ping sent without waiting for it would arrive in between.
  const api = await startCloudFrontApi(answer, async (request) => {
    events.push(`invalidation requested ${readBatch(request.body).paths.join(' ')}`);
    await sleep(50);
    events.push('invalidation answered');
  });
  const embedded = await startEmbedded({
    directory,
    port: 0,
    deliverEvents: false,
    env: { ...ALL_COLLECTIONS, SEEDFEED_HUB_URL: hub.url, ...env },
  });
  const log: Log = { ...quietLog, error: (message) => errors.push(message) };
  const metrics: Metrics = {
    count: (name, value) => {
      if (value > 0) counted.push(`${name} ${value}`);
    },
    milliseconds() {},
  };
  const now = Date.now();
  const handler = createHandler({
    config: embedded.config,
    seeds: new S3Bucket(embedded.handlerClient, 'seeds'),
    feeds: new S3Bucket(embedded.handlerClient, 'feeds'),
    log,
    metrics,
    clock: () => new Date(now),
    notify: webSubNotifier({ hubUrl: hub.url, log }),
    invalidate: cloudFrontInvalidator({
      distributionId: 'E2QWRUHAPOMQZL',
      credentials: KEYS,
      endpoint: api.endpoint,
      delaysMs: [5],
    }),
  });
  const key = (name: string) => `${embedded.config.seedsPrefix}${name}`;
  return {
    embedded,
    api,
    hub,
    events,
    counted,
    errors,
    handle: (change, names) =>
      handler(sqsEvent(names.map((name) => sqsMessage(s3Record(change, 'seeds', key(name)))))),
    async snapshot() {
      const listed = await embedded.feeds.list('', 1_000);
      return new Map(listed.map(({ key, etag }) => [key, etag]));
    },
    async text(file) {
      return new TextDecoder().decode((await embedded.feeds.get(file))?.body);
    },
    async dispose() {
      await embedded.close();
      await api.close();
      hub.server.closeAllConnections();
      await new Promise((resolve) => hub.server.close(resolve));
      await rm(directory, { recursive: true, force: true });
    },
  };
}

/** Two articles in their own category and author feeds, in the same month, both recent. */
async function publishTwo(world: World): Promise<{ gone: string; kept: string; month: string }> {
  const stamp = Date.now() - HOUR;
  const gone = 'https://n.example.com/world/taken-down';
  const kept = 'https://n.example.com/asia/kept';
  await world.embedded.seeds.put('seeds/gone.txt', seed('Taken down', gone, 'Jane Doe', stamp));
  await world.embedded.seeds.put('seeds/kept.txt', seed('Kept', kept, 'John Roe', stamp - HOUR));
  const published = await world.handle('created', ['gone.txt', 'kept.txt']);
  expect(published.batchItemFailures).toEqual([]);
  return { gone, kept, month: new Date(stamp).toISOString().slice(0, 7) };
}

function changedKeys(before: Map<string, string>, after: Map<string, string>): string[] {
  const keys = new Set([...before.keys(), ...after.keys()]);
  return [...keys].filter((key) => before.get(key) !== after.get(key)).sort();
}

describe('takedowns through the real handler on the embedded server', () => {
  let world: World | undefined;

  afterEach(async () => {
    await world?.dispose();
    world = undefined;
  });

  it('removes a deleted seed from every feed, collection, page, the news sitemap and the OPML', async () => {
    // Prepare
    world = await startWorld();
    const { gone, kept, month } = await publishTwo(world);
    const carriers = ['', 'categories/world/', 'authors/jane-doe/', `archive/${month}/`].flatMap((folder) =>
      ['rss.xml', 'atom.xml', 'feed.json', 'index.html'].map((file) => `${folder}${file}`),
    );
    const files = [...carriers, 'news-sitemap.xml'];
    const before = await Promise.all(files.map((file) => world?.text(file) ?? ''));
    const opmlBefore = await world.text('feeds.opml');

    // Act
    await world.embedded.seeds.delete('seeds/gone.txt');
    const removed = await world.handle('removed', ['gone.txt']);
    const after = await Promise.all(files.map((file) => world?.text(file) ?? ''));
    const opml = await world.text('feeds.opml');

    // Assess
    expect(removed.batchItemFailures).toEqual([]);
    for (const [i, file] of files.entries()) {
      expect(before[i], `${file} carried it`).toContain(gone);
      expect(after[i], `${file} still carries it`).not.toContain(gone);
    }
    for (const file of [
      'rss.xml',
      'feed.json',
      'index.html',
      'news-sitemap.xml',
      `archive/${month}/atom.xml`,
    ]) {
      expect(after[files.indexOf(file)], file).toContain(kept);
    }
    expect(opmlBefore).toContain('categories/world/');
    expect(opmlBefore).toContain('authors/jane-doe/');
    expect(opml).not.toContain('categories/world/');
    expect(opml).not.toContain('authors/jane-doe/');
    expect(opml).toContain('categories/asia/');
  });

  it('invalidates exactly the changed files once written, then pings the hub', async () => {
    // Prepare
    world = await startWorld();
    await publishTwo(world);
    const before = await world.snapshot();
    world.events.length = 0;
    const requestsBefore = world.api.requests.length;

    // Act
    await world.embedded.seeds.delete('seeds/gone.txt');
    const removed = await world.handle('removed', ['gone.txt']);
    const changed = changedKeys(before, await world.snapshot());

    // Assess
    expect(removed.batchItemFailures).toEqual([]);
    expect(world.api.requests).toHaveLength(requestsBefore + 1);
    const batch = readBatch(world.api.requests.at(-1)?.body ?? '');
    expect(batch.paths).toEqual(cdnPaths(changed));
    expect(batch.quantity).toBe(batch.paths.length);
    expect(batch.paths).toEqual(
      expect.arrayContaining(['/', '/index.html', '/rss.xml', '/categories/world/feed.json', '/feeds.opml']),
    );
    expect(batch.paths).toContain('/authors/jane-doe/index.html');
    expect(batch.paths).toContain('/news-sitemap.xml');
    // The other article's own feeds did not change, so they stay cached.
    expect(batch.paths).not.toContain('/categories/asia/rss.xml');
    const [requested, answered, ...pings] = world.events;
    expect(requested).toBe(`invalidation requested ${batch.paths.join(' ')}`);
    expect(answered).toBe('invalidation answered');
    expect(pings.length).toBeGreaterThan(0);
    expect(pings.every((event) => event.startsWith('ping '))).toBe(true);
    expect(pings).toContain(`ping ${world.embedded.config.publicUrl}categories/world/rss.xml`);
  });

  it('publishes and pings all the same when the invalidation fails, and counts the failure', async () => {
    // Prepare
    world = await startWorld(() => 403);
    await publishTwo(world);
    world.events.length = 0;
    world.counted.length = 0;
    world.errors.length = 0;

    // Act
    await world.embedded.seeds.delete('seeds/gone.txt');
    const removed = await world.handle('removed', ['gone.txt']);
    const rss = await world.text('rss.xml');

    // Assess
    expect(removed.batchItemFailures).toEqual([]);
    expect(rss).not.toContain('taken-down');
    expect(world.counted).toContain('invalidation-failed 1');
    expect(world.errors).toEqual(['CDN copies were not invalidated; they expire by their max-age']);
    expect(world.events.filter((event) => event.startsWith('ping ')).length).toBeGreaterThan(0);
  });

  it("with SEEDFEED_CDN_INVALIDATION=takedowns invalidates no upload, and every file of a takedown's views", async () => {
    // Prepare
    world = await startWorld(() => 201, { SEEDFEED_CDN_INVALIDATION: 'takedowns' });
    const { month } = await publishTwo(world);
    const afterUpload = world.api.requests.length;

    // Act
    await world.embedded.seeds.delete('seeds/gone.txt');
    const removed = await world.handle('removed', ['gone.txt']);

    // Assess
    expect(afterUpload).toBe(0);
    expect(removed.batchItemFailures).toEqual([]);
    expect(world.api.requests).toHaveLength(1);
    const views = ['', 'categories/world/', 'authors/jane-doe/', `archive/${month}/`];
    const files = ['rss.xml', 'atom.xml', 'feed.json', 'index.html'];
    expect(readBatch(world.api.requests[0]?.body ?? '').paths).toEqual(
      cdnPaths([
        ...views.flatMap((view) => files.map((file) => `${view}${file}`)),
        'news-sitemap.xml',
        'feeds.opml',
      ]),
    );
  });
});
