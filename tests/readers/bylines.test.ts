import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bylineCases, bylineSeed } from '../fixtures/bylines.js';
import { startPipeline, type TestPipeline } from '../support/pipeline.js';
import { type FeedView, readWithFeedparser } from './real-readers.js';

// The byline corpus (tests/fixtures/bylines) through the real handler on a real s3rver, read by
// feedparser: every byline reaches a reader in all three formats (issue 18).

describe('feedparser on the feeds of the byline corpus', () => {
  const cases = bylineCases();
  let pipeline: TestPipeline;
  let feeds: FeedView[];

  beforeAll(async () => {
    pipeline = await startPipeline({ SEEDFEED_FEED_TITLE: 'Bylines', SEEDFEED_AUTHOR_NAME: 'The Desk' });
    await pipeline.publish(Object.fromEntries(Object.keys(cases).map((name) => [name, bylineSeed(name)])));
    feeds = await readWithFeedparser(pipeline.config.publicUrl);
  });

  afterAll(async () => {
    await pipeline.dispose();
  });

  it('reads all three formats without a complaint', () => {
    for (const feed of feeds) {
      expect(feed.bozo, `${feed.url}: ${feed.bozo_exception}`).toBe(false);
      expect(feed.entries).toHaveLength(Object.keys(cases).length);
    }
  });

  it.each(Object.keys(cases))('%s: the same authors in RSS, Atom and JSON Feed', (name) => {
    // Prepare
    const expected = cases[name]?.authors ?? [];
    const link = /\]\((\S+)\)/.exec(bylineSeed(name).toString('utf8'))?.[1];
    const [rss, atom, json] = feeds.map((feed) => feed.entries.find((entry) => entry.link === link));

    // Assess
    const names = expected.map((a) => a.name);
    // RSS items without bylines carry the feed's author; Atom and JSON Feed entries inherit it.
    expect(rss?.authors.map((a) => a.name)).toEqual(names.length > 0 ? names : ['The Desk']);
    expect(atom?.authors.map((a) => a.name)).toEqual(names);
    expect(json?.authors.map((a) => a.name)).toEqual(names);
    // Atom carries every page and address; JSON Feed a page, or the address as a mailto: link.
    expect(atom?.authors).toEqual(
      expected.map((a) => ({
        name: a.name,
        ...(a.email ? { email: a.email } : {}),
        ...(a.url ? { href: a.url } : {}),
      })),
    );
    expect(json?.authors.map((a) => a.href)).toEqual(
      expected.map((a) => a.url ?? (a.email ? `mailto:${a.email}` : undefined)),
    );
    // RSS carries an address only for a single author (RSS's own author element).
    const only = expected.length === 1 ? expected[0] : undefined;
    if (only?.email) expect(rss?.authors[0]?.email).toBe(only.email);
  });
});
