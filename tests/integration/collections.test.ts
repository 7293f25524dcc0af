import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseFeed } from '@rowanmanning/feed-parser';
import { afterEach, describe, expect, it } from 'vitest';
import { xmlProblem } from '../../lambdas/seedfeed/render/check.js';
import { MAIN_VIEW_FILES } from '../support/feeds.js';
import { startPipeline, type TestPipeline } from '../support/pipeline.js';
import { makeSeed } from '../support/seeds.js';

interface JsonFeed {
  title: string;
  next_url?: string;
  items: { id: string; title: string }[];
  _seedfeed?: { categories: { title: string; feed_url: string }[] };
}

// Both are off by default (each costs requests per upload); these tests turn them on.
const ON = { SEEDFEED_CATEGORY_FEEDS: 'true', SEEDFEED_ARCHIVES: 'true' };
const JAN = Date.UTC(2024, 0, 15);
const FEB = Date.UTC(2024, 1, 15);
const MAR = Date.UTC(2024, 2, 15);

/** Four articles in two sections and three months. */
function corpus() {
  return {
    'w1.txt': makeSeed({ title: 'World in January', url: 'https://n.example.com/world/a1', stamp: JAN }),
    'w2.txt': makeSeed({ title: 'World in March', url: 'https://n.example.com/world/a2', stamp: MAR }),
    'a1.txt': makeSeed({
      title: 'Asia in January',
      url: 'https://n.example.com/asia/b1',
      stamp: JAN + 60_000,
    }),
    'a2.txt': makeSeed({ title: 'Asia in February', url: 'https://n.example.com/asia/b2', stamp: FEB }),
  };
}

describe('category feeds and monthly archives', () => {
  let pipeline: TestPipeline;

  afterEach(async () => {
    await pipeline.dispose();
  });

  const json = async (path: string) => JSON.parse((await pipeline.fetch(path)).body) as JsonFeed;

  it('gives each category its own feeds and page, linked from the main feeds and page', async () => {
    // Prepare
    pipeline = await startPipeline(ON);

    // Act
    await pipeline.publish(corpus());
    const world = await json('categories/world/feed.json');
    const asia = parseFeed((await pipeline.fetch('categories/asia/atom.xml')).body);
    const main = await json('feed.json');
    const page = (await pipeline.fetch('index.html')).body;

    // Assess
    expect(world.title).toBe('seedfeed — world');
    expect(world.items.map((i) => i.title)).toEqual(['World in March', 'World in January']);
    expect(asia.items.map((i) => i.title)).toEqual(['Asia in February', 'Asia in January']);
    expect(main._seedfeed?.categories.map((c) => c.title)).toEqual(['asia', 'world']);
    expect(page).toContain(`<a href="${pipeline.config.publicUrl}categories/world/index.html">world</a>`);
    expect((await pipeline.fetch('categories/world/index.html')).type).toBe('text/html; charset=utf-8');
  });

  it('archives every month (RFC 5005) and pages JSON Feed through all of them', async () => {
    // Prepare
    pipeline = await startPipeline({ ...ON, SEEDFEED_ITEMS_PER_FEED: '1' });

    // Act
    await pipeline.publish(corpus());
    const titles: string[] = [];
    let url: string | undefined = new URL('feed.json', pipeline.config.publicUrl).href;
    const visited: string[] = [];
    while (url && visited.length < 10) {
      visited.push(url);
      const page = (await (await fetch(url)).json()) as JsonFeed;
      titles.push(...page.items.map((i) => i.title));
      url = page.next_url;
    }
    const february = (await pipeline.fetch('archive/2024-02/atom.xml')).body;

    // Assess
    expect(visited.map((u) => u.slice(pipeline.config.publicUrl.length))).toEqual([
      'feed.json',
      'archive/2024-03/feed.json',
      'archive/2024-02/feed.json',
      'archive/2024-01/feed.json',
    ]);
    expect(new Set(titles)).toEqual(new Set(Object.values(corpus()).map((s) => /\[(.*)\]/.exec(s)?.[1])));
    expect(xmlProblem(february)).toBeUndefined();
    expect(february).toContain('<fh:archive/>');
    expect(february).toContain(`<link rel="current" href="${pipeline.config.publicUrl}atom.xml"`);
    expect(february).toContain(
      `<link rel="prev-archive" href="${pipeline.config.publicUrl}archive/2024-01/atom.xml"`,
    );
    expect(february).toContain(
      `<link rel="next-archive" href="${pipeline.config.publicUrl}archive/2024-03/atom.xml"`,
    );
    expect((await pipeline.fetch('rss.xml')).body).toContain(
      `<atom:link rel="prev-archive" href="${pipeline.config.publicUrl}archive/2024-03/rss.xml"`,
    );
    expect((await pipeline.fetch('archive/2024-02/feed.json')).cacheControl).toBe(
      'public, max-age=604800, immutable',
    );
    expect((await pipeline.fetch('archive/2024-03/feed.json')).cacheControl).toBe('public, max-age=300');
  });

  it('rewrites only the archive an updated old article lives in', async () => {
    // Prepare
    pipeline = await startPipeline(ON);
    await pipeline.publish(corpus());
    const before = await Promise.all(
      ['archive/2024-01/feed.json', 'archive/2024-03/feed.json'].map((k) => pipeline.feeds.head(k)),
    );

    // Act
    await pipeline.publish({
      'w1.txt': makeSeed({
        title: 'World in January, corrected',
        url: 'https://n.example.com/world/a1',
        stamp: JAN,
      }),
    });
    const after = await Promise.all(
      ['archive/2024-01/feed.json', 'archive/2024-03/feed.json'].map((k) => pipeline.feeds.head(k)),
    );
    const january = await json('archive/2024-01/feed.json');

    // Assess
    expect(after[0]?.etag).not.toBe(before[0]?.etag);
    expect(after[1]).toEqual(before[1]);
    expect(january.items.map((i) => i.title)).toContain('World in January, corrected');
  });

  it('drops a category from the main feeds once its last article is gone', async () => {
    // Prepare
    pipeline = await startPipeline(ON);
    await pipeline.publish(corpus());

    // Act
    await pipeline.publish({ 'a1.txt': undefined, 'a2.txt': undefined });
    const main = await json('feed.json');
    const asia = await json('categories/asia/feed.json');

    // Assess
    expect(main._seedfeed?.categories.map((c) => c.title)).toEqual(['world']);
    expect(asia.items).toEqual([]);
  });

  it('are off unless turned on', async () => {
    // Prepare
    pipeline = await startPipeline();

    // Act
    await pipeline.publish(corpus());

    // Assess
    expect((await pipeline.feeds.list('', 100)).map((o) => o.key).sort()).toEqual([...MAIN_VIEW_FILES]);
  });
});

describe('WebSub through the pipeline', () => {
  let pipeline: TestPipeline;
  let hub: Server;

  afterEach(async () => {
    await pipeline.dispose();
    hub.closeAllConnections();
    await new Promise((resolve) => hub.close(resolve));
  });

  it('advertises the hub and pings it for each changed feed after publishing', async () => {
    // Prepare
    const pings: string[] = [];
    hub = createServer(async (request, response) => {
      let body = '';
      for await (const chunk of request) body += chunk;
      const form = new URLSearchParams(body);
      if (form.get('hub.mode') === 'publish') pings.push(form.get('hub.url') ?? '');
      response.writeHead(204).end();
    });
    await new Promise<void>((resolve) => hub.listen(0, '127.0.0.1', resolve));
    const hubUrl = `http://127.0.0.1:${(hub.address() as AddressInfo).port}/`;
    pipeline = await startPipeline({ SEEDFEED_HUB_URL: hubUrl, SEEDFEED_CATEGORY_FEEDS: 'true' });

    // Act
    await pipeline.publish({ 'one.txt': makeSeed({ url: 'https://n.example.com/world/x' }) });
    const rss = (await pipeline.fetch('rss.xml')).body;

    // Assess
    expect(rss).toContain(`<atom:link href="${hubUrl}" rel="hub"/>`);
    const base = pipeline.config.publicUrl;
    expect(pings.sort()).toEqual(
      [
        'atom.xml',
        'categories/world/atom.xml',
        'categories/world/feed.json',
        'categories/world/rss.xml',
        'feed.json',
        'rss.xml',
      ]
        .map((file) => `${base}${file}`)
        .sort(),
    );
  });

  it('publishes all the same when the hub is down', async () => {
    // Prepare
    hub = createServer();
    pipeline = await startPipeline({ SEEDFEED_HUB_URL: 'http://127.0.0.1:9/' });

    // Act
    await pipeline.publish({ 'one.txt': makeSeed({ title: 'Despite the hub' }) });

    // Assess
    expect((await json(pipeline)).items.map((i) => i.title)).toEqual(['Despite the hub']);
    expect(pipeline.queue.deadLetters).toEqual([]);
  });
});

async function json(pipeline: TestPipeline): Promise<JsonFeed> {
  return JSON.parse((await pipeline.fetch('feed.json')).body) as JsonFeed;
}
