import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { articleSeeds } from '../fixtures/articles.js';
import { startPipeline, type TestPipeline } from '../support/pipeline.js';
import { type FeedView, readWithFeedparser, readWithNewsboat } from './real-readers.js';

// The article corpus (tests/fixtures/articles) through the real handler on a real s3rver, read by
// real readers: what the article holds must reach them (issue 14).

describe('readers on the feeds of the article corpus', () => {
  let pipeline: TestPipeline;
  let home: string;
  let count: number;

  beforeAll(async () => {
    const seeds = articleSeeds();
    count = Object.keys(seeds).length;
    pipeline = await startPipeline({ SEEDFEED_FEED_TITLE: 'Articles', SEEDFEED_LANGUAGE: 'en' });
    await pipeline.publish(seeds);
    home = await mkdtemp(join(tmpdir(), 'seedfeed-articles-'));
  });

  afterAll(async () => {
    await pipeline.dispose();
    await rm(home, { recursive: true, force: true });
  });

  it('feedparser reads every article of all three formats without a complaint, with its media', async () => {
    // Act
    const feeds = await readWithFeedparser(pipeline.config.publicUrl);

    // Assess
    for (const feed of feeds) {
      expect(feed.bozo, `${feed.url}: ${feed.bozo_exception}`).toBe(false);
      expect(feed.entries).toHaveLength(count);
      for (const entry of feed.entries)
        expect(entry.content, `${feed.url} ${entry.title}`).toBeGreaterThan(0);
      const titles = feed.entries.map((entry) => entry.title);
      expect(titles).toContain('Rust 1.80 stabilises LazyCell<T> and LazyLock<T> & more');
      expect(titles).toContain('It’s a record: sales up 5–10% “this year”');
    }
    const [rss, atom] = feeds as [FeedView, FeedView];
    for (const feed of [rss, atom]) {
      const podcast = feed.entries.find((entry) => entry.link?.endsWith('/field-notes/episode-42'));
      expect(podcast?.media).toContain('https://media.example.org/field-notes/ep42.mp3');
    }
    const ukrainian = atom.entries.find((entry) => entry.link?.includes('kyivrada-biudzhet'));
    expect(ukrainian?.language).toBe('uk');
  });

  it.each(['rss.xml', 'atom.xml'])('newsboat reads every article of %s', async (file) => {
    // Act
    const { stdout, items } = await readWithNewsboat(new URL(file, pipeline.config.publicUrl).href, home, [
      'title',
      'enclosure_url',
    ]);

    // Assess
    expect(stdout.trim()).toBe(`${count} unread articles`);
    expect(items).toHaveLength(count);
    expect(items.map(([title]) => title)).toContain('It’s a record: sales up 5–10% “this year”');
    expect(items.map(([, enclosure]) => enclosure)).toContain(
      'https://media.example.org/field-notes/ep42.mp3',
    );
  });
});
