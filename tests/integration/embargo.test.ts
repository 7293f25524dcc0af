import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dueFrom } from '../../lambdas/seedfeed/publish/keys.js';
import type { SeedOutcome } from '../../lambdas/seedfeed/publish/sync.js';
import { startPipeline, type TestPipeline } from '../support/pipeline.js';
import { makeSeed } from '../support/seeds.js';

const DAY = 86_400_000;
const EMBARGOED = 'https://news.example.com/secretcat/merger-announced';
const TITLE = 'Merger announced';
const WRITER = 'Secret Writer';

/** Every public file, as the uploader's client reads it. */
async function publicFiles(pipeline: TestPipeline): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const { key } of await pipeline.feeds.list('', 10_000)) {
    const object = await pipeline.feeds.get(key);
    if (object) files.set(key, new TextDecoder().decode(object.body));
  }
  return files;
}

/** Every date a file states: ISO 8601 / RFC 3339 (Atom, JSON Feed, sitemap, page) and RFC 822 (RSS). */
function datesIn(text: string): number[] {
  const iso = text.match(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})/g) ?? [];
  const rfc822 =
    text.match(/[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} (?:GMT|[+-]\d{4})/g) ?? [];
  return [...iso, ...rfc822].map((date) => Date.parse(date));
}

function leaks(files: Map<string, string>, month: string): string[] {
  const out: string[] = [];
  for (const [key, body] of files) {
    if (key.includes('secretcat') || key.includes('secret-writer') || key.includes(month)) out.push(key);
    for (const word of [TITLE, EMBARGOED, WRITER, 'secretcat', `archive/${month}`]) {
      if (body.includes(word)) out.push(`${key}: ${word}`);
    }
  }
  return out;
}

function futureDates(files: Map<string, string>, now: number): string[] {
  const out: string[] = [];
  for (const [key, body] of files) {
    for (const date of datesIn(body)) if (date > now) out.push(`${key}: ${new Date(date).toISOString()}`);
  }
  return out;
}

describe('an embargoed seed, through the real handler with an explicit clock', () => {
  let pipeline: TestPipeline;
  let clock: number;
  let due: number;
  let month: string;
  let before: Map<string, string>;
  let outcomes: SeedOutcome[];

  beforeAll(async () => {
    // Prepare: uploads are stamped by the server's real clock, so the handler's starts there too.
    clock = Date.now();
    const env = { SEEDFEED_CATEGORY_FEEDS: 'true', SEEDFEED_ARCHIVES: 'true', SEEDFEED_AUTHOR_FEEDS: 'true' };
    pipeline = await startPipeline(env, {}, () => new Date(clock));
    // 40 days ahead: another month, so its archive month must not appear either.
    due = clock + 40 * DAY;
    month = new Date(due).toISOString().slice(0, 7);
    const embargoed = makeSeed({ url: EMBARGOED, title: TITLE, stamp: due }).replace(
      '\n[',
      `\n<!--author: ${WRITER}-->\n[`,
    );

    // Act
    await pipeline.publish({
      'today.txt': makeSeed({ url: 'https://news.example.com/world/today', stamp: clock - 3_600_000 }),
      'embargoed.txt': embargoed,
    });
    before = await publicFiles(pipeline);
    outcomes = pipeline.queue.results.flatMap((result) => result.outcomes);
  });

  afterAll(async () => {
    await pipeline.dispose();
  });

  it('records it and publishes nothing of it before its time: no feed, collection, page or sitemap', async () => {
    // Prepare
    const index = await pipeline.seeds.list(`${pipeline.config.statePrefix}index/`, 100);

    // Assess
    expect(outcomes.find((o) => o.seedKey === 'seeds/embargoed.txt')?.status).toBe('published');
    expect(index).toHaveLength(2);
    expect(before.get('feed.json')).toContain('https://news.example.com/world/today');
    expect([...before.keys()]).toEqual(
      expect.arrayContaining(['news-sitemap.xml', 'feeds.opml', 'index.html']),
    );
    expect(leaks(before, month)).toEqual([]);
  });

  it('lists from the due entries on the embedded server, which honours StartAfter as S3 does', async () => {
    // Prepare
    const prefix = `${pipeline.config.statePrefix}index/`;

    // Act
    const all = await pipeline.seeds.list(prefix, 100);
    const due = await pipeline.seeds.list(prefix, 100, dueFrom(prefix, new Date(clock)));

    // Assess: the embargoed entry sorts first; the listing from now leaves only the due one.
    expect(all).toHaveLength(2);
    expect(due.map((o) => o.key)).toEqual([all[1]?.key]);
  });

  it('dates nothing after the render time', () => {
    // Assess
    expect(futureDates(before, clock)).toEqual([]);
    expect(datesIn(before.get('rss.xml') ?? '').length).toBeGreaterThan(0);
  });

  it('publishes it everywhere at the first sweep after its time, and still dates nothing later', async () => {
    // Act: an upload-free sweep just before the time changes nothing; one after it publishes.
    clock = due - 60_000;
    pipeline.queue.sweep(new Date(clock));
    await pipeline.queue.idle();
    const early = await publicFiles(pipeline);
    clock = due + 60_000;
    pipeline.queue.sweep(new Date(clock));
    await pipeline.queue.idle();
    const after = await publicFiles(pipeline);

    // Assess
    expect(leaks(early, month)).toEqual([]);
    const feed = JSON.parse(after.get('feed.json') ?? '{}') as { items: { url: string }[] };
    expect(feed.items.map((item) => item.url)).toEqual([EMBARGOED, 'https://news.example.com/world/today']);
    for (const folder of ['categories/secretcat/', 'authors/secret-writer/', `archive/${month}/`]) {
      expect(after.get(`${folder}feed.json`), folder).toContain(EMBARGOED);
    }
    expect(after.get('news-sitemap.xml')).toContain(EMBARGOED);
    expect(after.get('index.html')).toContain(TITLE);
    expect(after.get('feeds.opml')).toContain('secretcat');
    expect(futureDates(after, clock)).toEqual([]);
  });
});

describe('a publish date beyond the horizon, through the real handler', () => {
  let pipeline: TestPipeline;

  beforeAll(async () => {
    pipeline = await startPipeline({ SEEDFEED_ARCHIVES: 'true' });
  });

  afterAll(async () => {
    await pipeline.dispose();
  });

  it('rejects a typo such as 2199 with a reason naming the file, and publishes nothing of it', async () => {
    // Act
    await pipeline.publish({
      'ok.txt': makeSeed({ url: 'https://news.example.com/world/ok', stamp: Date.now() - DAY }),
      'typo.txt': makeSeed({ url: 'https://news.example.com/world/typo', stamp: Date.UTC(2199, 0, 31) }),
      'far.txt': makeSeed({ url: 'https://news.example.com/world/far', stamp: Date.now() + 180 * 365 * DAY }),
    });
    const outcomes = pipeline.queue.results.flatMap((result) => result.outcomes);
    const reason = (key: string) => {
      const outcome = outcomes.find((o) => o.seedKey === key);
      return outcome?.status === 'rejected' ? outcome.reason : outcome?.status;
    };
    const files = await publicFiles(pipeline);

    // Assess
    expect(reason('seeds/typo.txt')).toMatch(
      /^seeds\/typo\.txt: publish date 2199-01-31T00:00:00\.000Z is more than 366 days after the upload \(.+\): a typo in the year\?/,
    );
    // Past 2200 a timestamp is no date at all, whatever the horizon.
    expect(reason('seeds/far.txt')).toMatch(/^seeds\/far\.txt: timestamp "\d+" is not a date/);
    expect(reason('seeds/ok.txt')).toBe('published');
    expect([...files.keys()].filter((key) => key.startsWith('archive/'))).toEqual(
      expect.arrayContaining([`archive/${new Date(Date.now() - DAY).toISOString().slice(0, 7)}/feed.json`]),
    );
    for (const [key, body] of files) {
      expect(body.includes('2199') || key.includes('2199'), key).toBe(false);
      expect(body.includes('world/typo') || body.includes('world/far'), key).toBe(false);
    }
    expect(futureDates(files, Date.now())).toEqual([]);
  });
});
