import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { xmlProblem } from '../../lambdas/seedfeed/render/check.js';
import { BYLINES_DIR, bylineCases, bylineSeed } from '../fixtures/bylines.js';
import { startPipeline, type TestPipeline } from '../support/pipeline.js';

// The byline corpus (tests/fixtures/bylines) through the real handler on a real s3rver: every byline
// reaches all three formats, and the feeds stay well-formed (issue 18).

interface JsonItem {
  url: string;
  authors?: { name: string; url?: string }[];
}

/** The blocks of each `<tag>` in a feed, keyed by the link they hold. */
function blocksByLink(xml: string, tag: 'item' | 'entry', link: RegExp): Map<string, string> {
  const blocks = new Map<string, string>();
  for (const block of xml.split(`<${tag}`).slice(1)) {
    const found = link.exec(block)?.[1];
    if (found) blocks.set(found, block);
  }
  return blocks;
}

const decode = (text: string) =>
  text
    .replace(/&#x26;|&amp;/g, '&')
    .replace(/&quot;/g, '"')
    .replace(/&#x3C;|&lt;/g, '<');

describe(`the byline corpus (${BYLINES_DIR}), published`, () => {
  const cases = bylineCases();
  let pipeline: TestPipeline;
  let files: { rss: string; atom: string; json: JsonItem[] };
  const linkOf = (name: string) => /\]\((\S+)\)/.exec(bylineSeed(name).toString('utf8'))?.[1] ?? '';

  beforeAll(async () => {
    pipeline = await startPipeline({ SEEDFEED_LANGUAGE: 'en' });
    await pipeline.publish(Object.fromEntries(Object.keys(cases).map((name) => [name, bylineSeed(name)])));
    files = {
      rss: (await pipeline.fetch('rss.xml')).body,
      atom: (await pipeline.fetch('atom.xml')).body,
      json: (JSON.parse((await pipeline.fetch('feed.json')).body) as { items: JsonItem[] }).items,
    };
  });

  afterAll(async () => {
    await pipeline.dispose();
  });

  it('publishes every seed in well-formed feeds', () => {
    expect(xmlProblem(files.rss)).toBeUndefined();
    expect(xmlProblem(files.atom)).toBeUndefined();
    expect(files.json).toHaveLength(Object.keys(cases).length);
  });

  it.each(Object.keys(cases))('%s: its authors in RSS, Atom and JSON Feed', (name) => {
    // Prepare
    const expected = cases[name]?.authors ?? [];
    const link = linkOf(name);
    const item = blocksByLink(files.rss, 'item', /<link>([^<]+)<\/link>/).get(link) ?? '';
    const entry = blocksByLink(files.atom, 'entry', /<link href="([^"]+)"\/>/).get(link) ?? '';

    // Act
    const creators = [...item.matchAll(/<dc:creator>([^<]*)<\/dc:creator>/g)].map((m) => decode(m[1] ?? ''));
    const rssAuthor = /<author>([^<]*)<\/author>/.exec(item)?.[1];
    const atomNames = [...entry.matchAll(/<name>([^<]*)<\/name>/g)].map((m) => decode(m[1] ?? ''));
    const atomUris = [...entry.matchAll(/<uri>([^<]*)<\/uri>/g)].map((m) => m[1]);
    const json = files.json.find((i) => i.url === link);

    // Assess
    expect(item, name).not.toBe('');
    const names = expected.map((a) => a.name);
    // RSS: one author with an address is RSS's author, else a dc:creator each; without bylines RSS
    // items carry the feed's author, Atom and JSON Feed entries inherit it.
    const only = expected.length === 1 && expected[0]?.email ? expected[0] : undefined;
    expect(rssAuthor && decode(rssAuthor)).toBe(only ? `${only.email} (${only.name})` : undefined);
    expect(creators).toEqual(only ? [] : names.length > 0 ? names : ['seedfeed']);
    expect(atomNames).toEqual(names);
    expect(atomUris).toEqual(expected.flatMap((a) => (a.url ? [a.url] : [])));
    expect(json?.authors).toEqual(
      names.length > 0
        ? expected.map((a) => ({
            name: a.name,
            ...(a.url ? { url: a.url } : a.email ? { url: `mailto:${a.email}` } : {}),
          }))
        : undefined,
    );
  });
});
