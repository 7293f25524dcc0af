import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { xmlProblem } from '../../lambdas/seedfeed/render/check.js';
import { articleSeeds } from '../fixtures/articles.js';
import { startPipeline, type TestPipeline } from '../support/pipeline.js';

// The article corpus (tests/fixtures/articles) through the real handler on a real s3rver: what the
// unit tests assert of the pure core reaches the published files.

interface JsonItem {
  url: string;
  title: string;
  language: string;
  content_html: string;
  attachments?: { url: string; mime_type: string }[];
}

describe('the article corpus, published', () => {
  let pipeline: TestPipeline;
  let count: number;

  beforeAll(async () => {
    const seeds = articleSeeds();
    count = Object.keys(seeds).length;
    pipeline = await startPipeline({ SEEDFEED_LANGUAGE: 'en' });
    await pipeline.publish(seeds);
  });

  afterAll(async () => {
    await pipeline.dispose();
  });

  it('publishes every article, in well-formed feeds, with its enclosure, language and plain title', async () => {
    // Act
    const rss = (await pipeline.fetch('rss.xml')).body;
    const atom = (await pipeline.fetch('atom.xml')).body;
    const items = (JSON.parse((await pipeline.fetch('feed.json')).body) as { items: JsonItem[] }).items;
    const byUrl = (end: string) => items.find((item) => item.url.endsWith(end));

    // Assess
    expect(xmlProblem(rss)).toBeUndefined();
    expect(xmlProblem(atom)).toBeUndefined();
    expect(items).toHaveLength(count);
    expect(byUrl('/field-notes/episode-42')?.attachments).toEqual([
      { url: 'https://media.example.org/field-notes/ep42.mp3', mime_type: 'audio/mpeg' },
    ]);
    expect(rss).toContain(
      '<enclosure length="0" type="audio/mpeg" url="https://media.example.org/field-notes/ep42.mp3"/>',
    );
    expect(byUrl('/kyivrada-biudzhet')?.language).toBe('uk');
    expect(byUrl('/tehran-metro')?.language).toBe('fa');
    expect(rss).toContain('<dc:language>uk</dc:language>');
    expect(byUrl('/rust/1-80')?.title).toBe('Rust 1.80 stabilises LazyCell<T> and LazyLock<T> & more');
    expect(byUrl('/record-sales')?.title).toBe('It’s a record: sales up 5–10% “this year”');
    expect(byUrl('/cartoons/2024-06-01')?.content_html).toContain(
      '<img src="https://www.example-daily.com/cartoons/0601.png"',
    );
    expect(byUrl('/cycle-lanes')?.content_html).not.toContain('cookies');
  });
});
