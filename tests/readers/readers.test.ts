import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostileCorpus } from '../support/corpus.js';
import { startPipeline, type TestPipeline } from '../support/pipeline.js';
import { REAL_SEED_FILE, realSeed } from '../support/seeds.js';
import { readWithFeedparser, readWithNewsboat } from './real-readers.js';

describe('real feed readers on the published feeds', () => {
  const corpus = hostileCorpus();
  const expectedItems = corpus.published.length + 1;
  let pipeline: TestPipeline;
  let home: string;

  beforeAll(async () => {
    pipeline = await startPipeline({ SEEDFEED_FEED_TITLE: 'Reader test', SEEDFEED_LANGUAGE: 'en' });
    await pipeline.publish({ ...corpus.seeds, [REAL_SEED_FILE]: realSeed() });
    home = await mkdtemp(join(tmpdir(), 'seedfeed-readers-'));
  });

  afterAll(async () => {
    await pipeline.dispose();
    await rm(home, { recursive: true, force: true });
  });

  it('feedparser reads all three formats without a single complaint, every field present', async () => {
    // Act
    const feeds = await readWithFeedparser(pipeline.config.publicUrl);

    // Assess
    expect(feeds.map((f) => f.version)).toEqual(['rss20', 'atom10', 'json11']);
    for (const feed of feeds) {
      expect(feed.bozo, `${feed.url}: ${feed.bozo_exception}`).toBe(false);
      expect(feed.status).toBe(200);
      expect(feed.title).toBe('Reader test');
      expect(feed.link).toBe(pipeline.config.siteUrl);
      expect(feed.language).toBe('en');
      expect(feed.entries).toHaveLength(expectedItems);
      for (const entry of feed.entries) {
        expect(entry.title, feed.url).toBeTruthy();
        expect(entry.link, feed.url).toMatch(/^https?:\/\//);
        expect(entry.id, feed.url).toMatch(/^urn:uuid:/);
        expect(entry.published, `${feed.url} ${entry.title}`).toBe(true);
        expect(entry.summary, `${feed.url} ${entry.title}`).toBeGreaterThan(0);
        expect(entry.content, `${feed.url} ${entry.title}`).toBeGreaterThan(0);
      }
      const real = feed.entries.find((e) => e.title === '中美禁毒合作工作组称正式启动');
      expect(real?.tags).toEqual(['中国']);
      expect(real?.media.some((url) => url.startsWith('https://s.rfi.fr/media/display/'))).toBe(true);
    }
  });

  it.each(['rss.xml', 'atom.xml'])('newsboat loads every item of %s from the local server', async (file) => {
    // Act
    const { stdout, items } = await readWithNewsboat(new URL(file, pipeline.config.publicUrl).href, home, [
      'title',
      'url',
    ]);

    // Assess
    expect(stdout.trim()).toBe(`${expectedItems} unread articles`);
    expect(items).toHaveLength(expectedItems);
    expect(items.map(([title]) => title)).toContain('中美禁毒合作工作组称正式启动');
    expect(items.every(([, link]) => /^https?:\/\//.test(link))).toBe(true);
  });
});
