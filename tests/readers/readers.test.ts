import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostileCorpus } from '../support/corpus.js';
import { startPipeline, type TestPipeline } from '../support/pipeline.js';
import { REAL_SEED_FILE, realSeed } from '../support/seeds.js';
import { readWithNewsboat } from './newsboat.js';

const run = promisify(execFile);
// Debian's Python: python3-feedparser is installed for it, not for whichever python3 is first on PATH.
const PYTHON = '/usr/bin/python3';
const CHECK = fileURLToPath(new URL('feedparser_check.py', import.meta.url));

interface EntryView {
  title: string | null;
  link: string | null;
  id: string | null;
  published: boolean;
  updated: boolean;
  summary: number;
  content: number;
  tags: string[];
  media: string[];
  language: string | null;
}

interface FeedView {
  url: string;
  status: number;
  bozo: boolean;
  bozo_exception: string;
  version: string;
  title: string | null;
  link: string | null;
  language: string | null;
  entries: EntryView[];
}

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
    const urls = ['rss.xml', 'atom.xml', 'feed.json'].map(
      (file) => new URL(file, pipeline.config.publicUrl).href,
    );
    const { stdout } = await run(PYTHON, [CHECK, ...urls]);
    const feeds = JSON.parse(stdout) as FeedView[];

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
