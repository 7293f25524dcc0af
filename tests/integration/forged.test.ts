import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entryName, versionOf } from '../../lambdas/seedfeed/publish/keys.js';
import { startPipeline, type TestPipeline } from '../support/pipeline.js';
import { makeSeed } from '../support/seeds.js';

const SCRIPT = '<script>alert(1)</script>';

/** An index entry written straight into the bucket, named as the function names its own. */
function forgedKey(statePrefix: string, link: string, minute: number): string {
  const at = new Date(Date.UTC(2025, 0, 1, 0, minute));
  const { name } = entryName(at, link, at, `seeds/forged-${minute}.txt`, versionOf('1') ?? '', 'forged00');
  return `${statePrefix}index/${name}`;
}

describe('records written into the bucket by hand', () => {
  let pipeline: TestPipeline;

  beforeAll(async () => {
    pipeline = await startPipeline();
    const { seeds, config } = pipeline;
    const link = 'https://forged.example.com/story';
    const item = {
      id: 'urn:uuid:00000000-0000-8000-8000-000000000000',
      link,
      title: `Forged ${SCRIPT}`,
      published: '2025-01-01T00:01:00.000Z',
      summary: `Summary ${SCRIPT}`,
      contentHtml: `<p onclick="steal()">Forged body</p>${SCRIPT}<img src="javascript:alert(2)"><a href="javascript:alert(3)">link</a><iframe src="https://evil.example.com/"></iframe>`,
      language: 'en',
      categories: [],
    };
    const entry = { seedKey: 'seeds/forged-1.txt', uploaded: item.published, item };
    await seeds.put(forgedKey(config.statePrefix, link, 1), JSON.stringify(entry));
    await seeds.put(forgedKey(config.statePrefix, 'https://forged.example.com/not-json', 2), '{not json');
    const badImage = { ...entry, item: { ...item, link: `${link}/image`, image: 'javascript:alert(4)' } };
    await seeds.put(forgedKey(config.statePrefix, `${link}/image`, 3), JSON.stringify(badImage));
    // An ordinary upload makes the function render the index, forged entries included.
    await pipeline.publish({
      'real.txt': makeSeed({ title: 'Real story', url: 'https://news.example.com/real' }),
    });
  });

  afterAll(async () => {
    await pipeline.dispose();
  });

  it('publishes no active content from a forged entry, in any file', async () => {
    // Act
    const files = await Promise.all(
      ['rss.xml', 'atom.xml', 'feed.json', 'index.html'].map((file) => pipeline.fetch(file)),
    );

    // Assess: a title or summary is text, and text may speak of <script>; in XML and HTML it is
    // escaped, in JSON it is a string. HTML is what must hold no active content.
    const json = JSON.parse(files[2]?.body ?? '{}') as { items: { url: string; content_html: string }[] };
    const html = json.items.map((i) => i.content_html).join('');
    for (const { status, body } of [...files.slice(0, 2), files[3], { status: 200, body: html }].filter(
      (file) => file !== undefined,
    )) {
      expect(status).toBe(200);
      expect(body).toMatch(/Real story|Lead of article/);
      expect(body).toContain('Forged');
      // The page's one script element is its JSON-LD, data that holds no `<` at all (render/news-article.ts).
      expect(body.replace(/<script type="application\/ld\+json">[^<]*<\/script>/, '')).not.toContain(
        '<script',
      );
      expect(body).not.toContain('onclick');
      expect(body).not.toContain('javascript:');
      expect(body).not.toContain('<iframe');
    }
    const forged = json.items.find((i) => i.url === 'https://forged.example.com/story');
    expect(forged?.content_html).toContain('<p>Forged body</p>');
  });

  it('leaves out an entry that is not JSON or holds a bad image URL, and still publishes the rest', async () => {
    // Act
    const json = JSON.parse((await pipeline.fetch('feed.json')).body) as { items: { url: string }[] };
    const results = pipeline.queue.results;

    // Assess
    expect(json.items.map((i) => i.url).sort()).toEqual([
      'https://forged.example.com/story',
      'https://news.example.com/real',
    ]);
    expect(pipeline.queue.deadLetters).toEqual([]);
    const excluded = results.flatMap((r) => r.regenerated?.excluded ?? []).map((e) => e.reason);
    expect(excluded.some((reason) => reason.includes('it is not JSON'))).toBe(true);
    expect(excluded.some((reason) => reason.includes('javascript:alert(4)'))).toBe(true);
  });
});
