import { parseFeed } from '@rowanmanning/feed-parser';
import Parser from 'rss-parser';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { encodeKey } from '../../lambdas/seedfeed/events.js';
import { s3Record } from '../../local/events.js';
import { MAIN_VIEW_FILES } from '../support/feeds.js';
import { startPipeline, type TestPipeline } from '../support/pipeline.js';
import { makeSeed, REAL_SEED_FILE, realSeed } from '../support/seeds.js';

const REAL_TITLE = '中美禁毒合作工作组称正式启动';
const REAL_PUBLISHED = '2024-01-31T10:15:01.000Z';

interface JsonFeed {
  version: string;
  language: string;
  authors: { name: string }[];
  items: {
    id: string;
    title: string;
    url: string;
    date_published: string;
    image?: string;
    summary: string;
  }[];
}

/** Read all three feeds over HTTP with two independent XML parsers and plain JSON. */
async function readFeeds(pipeline: TestPipeline) {
  const [rss, atom, json] = await Promise.all(
    ['rss.xml', 'atom.xml', 'feed.json'].map((f) => pipeline.fetch(f)),
  );
  if (!rss || !atom || !json) throw new Error('a feed was not fetched');
  const parser = new Parser();
  return {
    responses: { rss, atom, json },
    rssParser: { rss: await parser.parseString(rss.body), atom: await parser.parseString(atom.body) },
    rowan: { rss: parseFeed(rss.body), atom: parseFeed(atom.body) },
    json: JSON.parse(json.body) as JsonFeed,
  };
}

describe('the pipeline on the embedded S3 server', () => {
  let pipeline: TestPipeline;

  beforeEach(async () => {
    pipeline = await startPipeline({ SEEDFEED_FEED_TITLE: 'Test feed', SEEDFEED_LANGUAGE: 'zh-CN' });
  });

  afterEach(async () => {
    await pipeline.dispose();
  });

  it('publishes the real seed as RSS, Atom and JSON Feed that real parsers read', async () => {
    // Act
    await pipeline.publish({ [REAL_SEED_FILE]: realSeed() });
    const feeds = await readFeeds(pipeline);

    // Assess
    expect(feeds.responses.rss.type).toBe('application/rss+xml; charset=utf-8');
    expect(feeds.responses.atom.type).toBe('application/atom+xml; charset=utf-8');
    expect(feeds.responses.json.type).toBe('application/feed+json; charset=utf-8');
    for (const response of Object.values(feeds.responses))
      expect(response.cacheControl).toMatch(/max-age=\d+/);

    for (const parsed of [feeds.rssParser.rss, feeds.rssParser.atom]) {
      expect(parsed.title).toBe('Test feed');
      expect(parsed.items).toHaveLength(1);
      expect(parsed.items[0]?.title).toBe(REAL_TITLE);
      expect(parsed.items[0]?.link).toContain('https://www.rfi.fr/cn/');
      expect(parsed.items[0]?.isoDate).toBe(REAL_PUBLISHED);
    }
    for (const parsed of [feeds.rowan.rss, feeds.rowan.atom]) {
      expect(parsed.items).toHaveLength(1);
      expect(parsed.items[0]?.title).toBe(REAL_TITLE);
      expect(parsed.items[0]?.published?.toISOString()).toBe(REAL_PUBLISHED);
      expect(parsed.items[0]?.content).toContain('据中央社今天引述');
      expect(parsed.items[0]?.media[0]?.url).toContain('https://s.rfi.fr/media/display/');
    }
    expect(feeds.json.version).toBe('https://jsonfeed.org/version/1.1');
    expect(feeds.json.language).toBe('zh-CN');
    expect(feeds.json.authors[0]?.name).toBe('seedfeed');
    expect(feeds.json.items[0]).toMatchObject({ title: REAL_TITLE, date_published: REAL_PUBLISHED });
    expect(feeds.json.items[0]?.image).toContain('https://s.rfi.fr/');
  });

  it('updates one item when a seed is re-uploaded or another seed carries the same link', async () => {
    // Prepare
    const url = 'https://news.example.com/world/same-story';
    await pipeline.publish({ 'a.txt': makeSeed({ url, title: 'First version', stamp: 1_706_700_000_000 }) });
    const before = await readFeeds(pipeline);

    // Act
    await pipeline.publish({ 'a.txt': makeSeed({ url, title: 'Second version', stamp: 1_706_700_000_000 }) });
    await pipeline.publish({ 'b.txt': makeSeed({ url, title: 'Third version', stamp: 1_706_800_000_000 }) });
    const after = await readFeeds(pipeline);

    // Assess
    expect(after.json.items).toHaveLength(1);
    expect(after.json.items[0]?.title).toBe('Third version');
    expect(after.json.items[0]?.id).toBe(before.json.items[0]?.id);
    expect(after.rowan.atom.items.map((i) => i.title)).toEqual(['Third version']);
  });

  it('removes an item when its seed is deleted, unless another seed still carries the link', async () => {
    // Prepare
    const shared = 'https://news.example.com/world/shared';
    await pipeline.publish({
      'keep.txt': makeSeed({ title: 'Keep', stamp: 1_706_700_000_000 }),
      'gone.txt': makeSeed({ title: 'Gone', stamp: 1_706_700_100_000 }),
      'one.txt': makeSeed({ url: shared, title: 'Shared one', stamp: 1_706_700_200_000 }),
      'two.txt': makeSeed({ url: shared, title: 'Shared two', stamp: 1_706_700_300_000 }),
    });

    // Act
    await pipeline.publish({ 'gone.txt': undefined, 'two.txt': undefined });
    const feeds = await readFeeds(pipeline);

    // Assess
    expect(feeds.json.items.map((i) => i.title)).toEqual(['Shared one', 'Keep']);
    expect(feeds.rssParser.rss.items.map((i) => i.title)).toEqual(['Shared one', 'Keep']);
  });

  it('keeps the newest K items, newest first', async () => {
    // Prepare
    await pipeline.dispose();
    pipeline = await startPipeline({ SEEDFEED_ITEMS_PER_FEED: '3' });
    const seeds = Object.fromEntries(
      [5, 1, 4, 2, 3].map((n) => [
        `s${n}.txt`,
        makeSeed({ title: `Item ${n}`, stamp: 1_700_000_000_000 + n * 1000 }),
      ]),
    );

    // Act
    await pipeline.publish(seeds);
    const feeds = await readFeeds(pipeline);

    // Assess
    expect(feeds.json.items.map((i) => i.title)).toEqual(['Item 5', 'Item 4', 'Item 3']);
    expect(feeds.rowan.atom.items.map((i) => i.title)).toEqual(['Item 5', 'Item 4', 'Item 3']);
  });

  it('changes nothing when an event is delivered again', async () => {
    // Prepare
    await pipeline.publish({ [REAL_SEED_FILE]: realSeed() });
    const before = await readFeeds(pipeline);
    const key = `${pipeline.config.seedsPrefix}${REAL_SEED_FILE}`;
    const lastModified = (await pipeline.feeds.head('rss.xml'))?.lastModified;

    // Act
    // The key has no character S3 would encode, so the record reads the same before and after the queue.
    pipeline.queue.send([s3Record('created', pipeline.config.seedsBucket, key)]);
    await pipeline.queue.idle();
    const after = await readFeeds(pipeline);

    // Assess
    expect(after.responses).toEqual(before.responses);
    expect(pipeline.queue.results.at(-1)?.regenerated?.written).toEqual([]);
    expect((await pipeline.feeds.head('rss.xml'))?.lastModified).toEqual(lastModified);
  });

  it('decodes keys with spaces, plus signs and Unicode as S3 encodes them', async () => {
    // Act
    await pipeline.publish({ 'dir/a b+c 中文.txt': makeSeed({ title: 'Odd key' }) });
    const feeds = await readFeeds(pipeline);

    // Assess
    expect(encodeKey('seeds/a b+c.txt')).toBe('seeds/a+b%2Bc.txt');
    expect(feeds.json.items.map((i) => i.title)).toEqual(['Odd key']);
    expect(pipeline.queue.deadLetters).toEqual([]);
  });

  it('rejects a bad seed with a report while the others in its batch publish', async () => {
    // Act
    await pipeline.publish({ 'good.txt': makeSeed({ title: 'Good' }), 'empty.txt': '' });
    const feeds = await readFeeds(pipeline);

    // Assess
    expect(feeds.json.items.map((i) => i.title)).toEqual(['Good']);
    const outcomes = pipeline.queue.results.flatMap((r) => r.outcomes);
    expect(outcomes.find((o) => o.seedKey === 'seeds/empty.txt')).toMatchObject({
      status: 'rejected',
      reason: 'seeds/empty.txt: the file is empty',
    });
    const reports = await pipeline.seeds.list(pipeline.config.rejectedPrefix, 10);
    expect(reports).toHaveLength(1);
  });

  it('keeps records private: nothing but the public files is in the feeds bucket', async () => {
    // Act
    await pipeline.publish({ [REAL_SEED_FILE]: realSeed(), 'empty.txt': '' });

    // Assess
    const keys = (await pipeline.feeds.list('', 100)).map((o) => o.key).sort();
    expect(keys).toEqual([...MAIN_VIEW_FILES]);
  });
});
