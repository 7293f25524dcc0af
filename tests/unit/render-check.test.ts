import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RenderError } from '../../lambdas/seedfeed/core/errors.js';
import { atomEntry } from '../../lambdas/seedfeed/render/atom.js';
import {
  cdataProblem,
  fragmentProblem,
  fragmentsProblem,
  xmlProblem,
} from '../../lambdas/seedfeed/render/check.js';
import { BODY } from '../../lambdas/seedfeed/render/elements.js';
import { RenderCache, renderFeeds } from '../../lambdas/seedfeed/render/feeds.js';
import { rssItem } from '../../lambdas/seedfeed/render/rss.js';
import { hostileText } from '../property/arbitraries.js';
import { makeItem, makeSettings } from '../support/items.js';

const RUNS = { seed: 20_261_201, numRuns: 400 };

describe('cdataProblem', () => {
  it('accepts no CDATA text the strict parser rejects, and the same text where both can judge', () => {
    fc.assert(
      fc.property(hostileText, (text) => {
        // Act
        const own = cdataProblem(text);
        const parser = xmlProblem(`<x><![CDATA[${text}]]></x>`);

        // Assess: with "]]>" inside, the parser may read the rest as markup and pass; and saxes takes
        // a lone high surrogate with the unit after it as one character, which UTF-8 cannot encode.
        if (own === undefined) expect(parser).toBeUndefined();
        if (!/\]\]>|[\ud800-\udfff]/.test(text)) expect(own === undefined).toBe(parser === undefined);
      }),
      RUNS,
    );
  });

  it('names what it found', () => {
    expect(cdataProblem('a]]>b')).toBe('CDATA text holds "]]>" at 1');
    expect(cdataProblem('ok\u0001')).toBe('CDATA text holds U+1 at 2');
    expect(cdataProblem('\ud800x')).toBe('CDATA text holds U+D800 at 0');
    expect(cdataProblem('🙂 中文 \t\r\n')).toBeUndefined();
  });
});

describe('fragmentsProblem', () => {
  it('passes fragments together exactly when each passes alone', () => {
    fc.assert(
      fc.property(fc.array(hostileText, { minLength: 1, maxLength: 5 }), (texts) => {
        // Prepare: elements as the renderers make them, with whatever inside.
        const fragments = texts.map((text) => `    <item>${text}</item>`);

        // Act
        const together = fragmentsProblem(fragments);
        const alone = fragments.map((fragment) => fragmentProblem(fragment));

        // Assess
        expect(together === undefined).toBe(alone.every((problem) => problem === undefined));
      }),
      RUNS,
    );
  });

  it('fails fragments that are well-formed only one after the other', () => {
    // Prepare: the first opens what the second closes; their concatenation parses.
    const pairs = [
      ['<item><a>', '</a></item>'],
      ['<item>x</item><![CDATA[', ']]><item/>'],
      ['<item>x</item><!--', '--><item/>'],
    ];

    // Act / Assess
    for (const pair of pairs) {
      expect(xmlProblem(`<check>${pair.join('\n')}</check>`), pair.join()).toBeUndefined();
      expect(fragmentsProblem(pair), pair.join()).toBeDefined();
    }
  });
});

describe('items rendered several at once', () => {
  it('come out as each alone would, with the items that cannot be cut apart or checked at once', () => {
    // Prepare: a title holding what separates two RSS items, one holding the body placeholder, an
    // empty body, a body that needs mending, an item that fails its check, and ordinary ones.
    const items = [
      // Newest, so the cut would misplace every item after it.
      makeItem({ title: 'Cut here </item>\n        <item> and here', published: '2030-01-01T00:00:00.000Z' }),
      makeItem({ title: `Quote ${BODY}` }),
      makeItem({ contentHtml: '' }),
      makeItem({ contentHtml: '<p>a ]]> b</p>' }),
      makeItem({ link: 'ftp://example.com/x' }),
      ...Array.from({ length: 20 }, () => makeItem()),
    ];
    const settings = makeSettings();
    const singles = new RenderCache();
    const alone = items.map((item) => renderFeeds([item], settings, undefined, singles));

    // Act
    const together = renderFeeds(items, settings);
    const fromSingles = renderFeeds(items, settings, undefined, singles);

    // Assess
    expect(together.files.map((f) => f.body)).toEqual(fromSingles.files.map((f) => f.body));
    expect(together.included).toHaveLength(items.length - 1);
    expect(together.excluded.map((e) => e.reason)).toEqual(alone[4]?.excluded.map((e) => e.reason));
    for (const key of ['rss.xml', 'atom.xml']) {
      expect(xmlProblem(together.files.find((f) => f.key === key)?.body ?? ''), key).toBeUndefined();
    }
  });
});

describe('item bodies put in after the check', () => {
  it('are still checked: a body XML forbids fails the item in RSS and Atom', () => {
    // Prepare: renderFeeds strips such characters first; this is what the check stands behind.
    const item = makeItem({ contentHtml: '<p>a\u0001b</p>' });
    const settings = makeSettings();

    // Act
    const rss = () => rssItem(item, settings, new RenderCache());
    const atom = () => atomEntry(item, settings, new RenderCache());

    // Assess
    expect(rss).toThrow(RenderError);
    expect(rss).toThrow(/U\+1/);
    expect(atom).toThrow(RenderError);
  });

  it('come out as feed wrote them, also when the item quotes the placeholder', () => {
    // Prepare
    const quoting = makeItem({
      title: `A title with ${BODY} in it`,
      summary: `<![CDATA[${BODY}]]>`,
      contentHtml: '<p>The real body.</p>',
    });
    const plain = makeItem({ contentHtml: '<p>Another body.</p>' });

    // Act
    const result = renderFeeds([quoting, plain], makeSettings());

    // Assess
    for (const key of ['rss.xml', 'atom.xml']) {
      const body = result.files.find((file) => file.key === key)?.body ?? '';
      expect(xmlProblem(body), key).toBeUndefined();
      expect(body).toContain('<![CDATA[<p>The real body.</p>]]>');
      expect(body).toContain('<![CDATA[<p>Another body.</p>]]>');
      expect(body).toContain(`A title with ${BODY} in it`);
      expect(body.split(BODY).length - 1, key).toBe(2);
    }
  });

  it('give the same bytes cold and warm', () => {
    // Prepare
    const items = [
      makeItem({ contentHtml: '<p>One ]]> two</p>' }),
      makeItem({ contentHtml: '' }),
      makeItem({ title: BODY }),
      makeItem({ image: 'https://cdn.example.com/a.JPG?w=1&h=2' }),
    ];
    const settings = makeSettings();
    const cache = new RenderCache();
    for (const item of items) renderFeeds([item], settings, undefined, cache);

    // Act
    const warm = renderFeeds(items, settings, undefined, cache);
    const cold = renderFeeds(items, settings);

    // Assess
    expect(warm.files.map((f) => f.body)).toEqual(cold.files.map((f) => f.body));
    expect(cold.included).toHaveLength(4);
  });
});
