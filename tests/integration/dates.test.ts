import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPipeline, type TestPipeline } from '../support/pipeline.js';
import { makeSeed } from '../support/seeds.js';

interface JsonItem {
  url: string;
  title: string;
  date_published: string;
  date_modified: string;
}

const STORY = 'https://news.example.com/world/corrected';
const OTHER = 'https://news.example.com/world/other';

describe('when an article changed, through the real handler', () => {
  let pipeline: TestPipeline;
  let before: JsonItem[];
  let after: JsonItem[];
  let correctedAt: number;
  let pageBefore: string;
  let pageAfter: string;

  const items = async () =>
    (JSON.parse((await pipeline.fetch('feed.json')).body) as { items: JsonItem[] }).items;

  beforeAll(async () => {
    pipeline = await startPipeline();
    // Two articles of one batch, published a day apart, a year ago.
    await pipeline.publish({
      'story.txt': makeSeed({ url: STORY, title: 'First version', stamp: Date.UTC(2025, 11, 1) }),
      'other.txt': makeSeed({ url: OTHER, title: 'Other story', stamp: Date.UTC(2025, 11, 2) }),
    });
    before = await items();
    pageBefore = (await pipeline.fetch('index.html')).body;
    // A correction: same link, same publish time, a new title, uploaded in a later second (versions
    // of one second are one burst of saves, not a correction; see publish/sync.ts).
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    correctedAt = Date.now();
    await pipeline.publish({
      'story.txt': makeSeed({ url: STORY, title: 'Corrected version', stamp: Date.UTC(2025, 11, 1) }),
    });
    after = await items();
    pageAfter = (await pipeline.fetch('index.html')).body;
  });

  afterAll(async () => {
    await pipeline.dispose();
  });

  it('dates each version by when it arrived, never before the article', () => {
    // Assess
    for (const item of [...before, ...after]) {
      expect(Date.parse(item.date_modified), item.url).toBeGreaterThan(Date.parse(item.date_published));
    }
    const corrected = after.find((item) => item.url === STORY);
    expect(corrected?.title).toBe('Corrected version');
    expect(Date.parse(corrected?.date_modified ?? '')).toBeGreaterThanOrEqual(correctedAt - 1_000);
    const first = before.find((item) => item.url === STORY);
    expect(Date.parse(corrected?.date_modified ?? '')).toBeGreaterThan(
      Date.parse(first?.date_modified ?? ''),
    );
    expect(after.find((item) => item.url === OTHER)?.date_modified).toBe(
      before.find((item) => item.url === OTHER)?.date_modified,
    );
  });

  it('gives no two entries of the Atom feed the same updated', async () => {
    // Act
    const atom = (await pipeline.fetch('atom.xml')).body;
    const updated = [...atom.matchAll(/<entry[^>]*>[\s\S]*?<updated>([^<]+)<\/updated>/g)].map((m) => m[1]);

    // Assess
    expect(updated).toHaveLength(2);
    expect(new Set(updated).size).toBe(2);
    const head = atom.slice(0, atom.indexOf('<entry'));
    expect(head).toContain(`<updated>${after.find((i) => i.url === STORY)?.date_modified}</updated>`);
  });

  it('marks the corrected story on the page, and no story uploaded for the first time, however late', () => {
    // Assess: both stories were first uploaded a year after their publish time (a backfill).
    const marked = (page: string) =>
      [...page.matchAll(/<h2[^>]*>[\s\S]*?<\/h2>[\s\S]*?(?=<h2|$)/g)]
        .filter((m) => m[0].includes('class="updated"'))
        .map((m) =>
          m[0].includes('Corrected version') ? 'corrected' : m[0].includes('Other story') ? 'other' : '?',
        );
    expect(marked(pageBefore)).toEqual([]);
    expect(marked(pageAfter)).toEqual(['corrected']);
  });
});
