import { load } from 'cheerio/slim';
import render from 'dom-serializer';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findInOrder } from '../../lambdas/seedfeed/core/dom.js';
import { HTML_LIMITS, parseHtml } from '../../lambdas/seedfeed/core/html.js';
import { pathologicalBody } from '../property/shapes.js';
import { hostileCorpus } from '../support/corpus.js';
import { realSeed } from '../support/seeds.js';

const serialize = (nodes: Parameters<typeof render>[0]) => render(nodes, { encodeEntities: 'utf8' });
const asCheerio = (html: string) => serialize(load(html, null, false).root().toArray()[0]?.children ?? []);
const asOurs = (html: string) => serialize(parseHtml(html).children);

const TRICKY = [
  '<p>a<div>b</p>c</div><table><tr><td>x<td>y<tr><td>z</table>',
  '<svg><path/><foreignObject><p>q</svg></p></br><li>1<li>2<select><option>a<option>b</select>',
  '<!-- c --><![CDATA[x]]><?php x ?><!doctype html><script>if (a<b) </p></script><style>p{}</style>',
  '<textarea><b></textarea><title>t<b></title><img src=x/><math><mi><b>x</math>',
  '<div class="x',
  '<p>unterminated <b>bold <i>it',
  '<a href="x">1</a></a></a><h1>x<h2>y</h1><dd>a<dt>b<rt>c<rp>d',
  '<ul><li><ul><li>deep</ul></li></ul><tbody><tr><tfoot><thead>',
  '<p>a &amp; b &lt; &#x4e2d; &nbsp; &bogus; &</p><A HREF="Up">X</A><br/><br></br>',
];

describe('parseHtml builds the tree htmlparser2 builds', () => {
  it.each(TRICKY)('for %s', (html) => {
    expect(asOurs(html)).toBe(asCheerio(html));
  });

  it('for the real seed and the hostile corpus', () => {
    // The deep-* seeds nest past the depth limit, where the trees differ by design (and cheerio's overflow).
    const corpus = Object.entries(hostileCorpus().seeds).filter(([name]) => !name.startsWith('deep-'));
    for (const html of [realSeed().toString('utf8'), ...corpus.map(([, bytes]) => String(bytes))]) {
      expect(asOurs(html)).toBe(asCheerio(html));
    }
  });

  it('for bodies of long runs and odd nesting below the depth limit', () => {
    fc.assert(
      fc.property(pathologicalBody(30), (html) => {
        expect(asOurs(html)).toBe(asCheerio(html));
      }),
      { seed: 20_241_201, numRuns: 300 },
    );
  });
});

describe('parseHtml bounds the tree', () => {
  it('nests elements at most HTML_LIMITS.depth deep and keeps the text below', () => {
    // Act
    const root = parseHtml(`${'<div>'.repeat(1_000)}a<b>b</b>c${'</div>'.repeat(1_000)}d`);

    // Assess
    let deepest = 0;
    findInOrder(root, (node) => {
      let depth = 0;
      for (let up = node.parent; up && up !== root; up = up.parent) depth++;
      if (node.type === 'tag') deepest = Math.max(deepest, depth + 1);
      return false;
    });
    expect(deepest).toBe(HTML_LIMITS.depth);
    expect(serialize(root.children)).toContain('abc');
    expect(serialize(root.children).endsWith('</div>d')).toBe(true);
  });
});
