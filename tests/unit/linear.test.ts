import { describe, expect, it } from 'vitest';
import { cleanBody } from '../../lambdas/seedfeed/core/clean.js';
import { SeedError } from '../../lambdas/seedfeed/core/errors.js';
import { HTML_LIMITS } from '../../lambdas/seedfeed/core/html.js';
import type { Item } from '../../lambdas/seedfeed/core/item.js';
import { commentText, parseSeed } from '../../lambdas/seedfeed/core/seed.js';
import { bytes, makeSeed } from '../support/seeds.js';

// Regression tests for issue 12's findings 1-3. Each input took the old code from seconds to minutes
// (or overflowed its stack); with the fix each finishes well under vitest's default timeout. No test
// here times anything: they assert what comes out.

const OPTIONS = { defaultLanguage: 'en', maxBytes: 1_048_576 };
const UPLOADED = new Date('2025-03-04T05:06:07.000Z');

/** The item, or the SeedError: anything else thrown fails the test. */
function outcome(text: string): Item | SeedError {
  try {
    return parseSeed({ file: 'seeds/hostile.txt', bytes: bytes(text), uploadedAt: UPLOADED }, OPTIONS);
  } catch (error) {
    if (error instanceof SeedError) return error;
    throw error;
  }
}

function item(text: string): Item {
  const result = outcome(text);
  if (result instanceof SeedError) throw new Error(`rejected: ${result.message}`);
  return result;
}

/** How deep elements nest in serialized HTML (void elements aside, as the cleaner keeps them). */
function depthOf(html: string): number {
  let depth = 0;
  let deepest = 0;
  for (const [, close, name] of html.matchAll(/<(\/?)([a-z0-9]+)[^>]*>/g)) {
    if (name === 'br' || name === 'img' || name === 'hr') continue;
    depth += close ? -1 : 1;
    deepest = Math.max(deepest, depth);
  }
  return deepest;
}

describe('finding 1: the timestamp line is read without backtracking', () => {
  it('rejects an unclosed comment of 200,000 spaces as a missing title, not by hanging', () => {
    // Prepare: 6 KB of this took the old expression 78 s, and it grows with the cube of the length.
    const text = `<!--${' '.repeat(200_000)}x\n[T](https://e.com/a)\n---\n\nx`;

    // Act
    const result = outcome(text);

    // Assess
    expect(result).toBeInstanceOf(SeedError);
    expect((result as SeedError).message).toContain('line 1 is not a title link');
  });

  it('rejects a long comment as no date, naming only its start', () => {
    // Act
    const result = outcome(`<!--${'1 '.repeat(100_000)}-->\n[T](https://e.com/a)\n---\n\nx`);

    // Assess
    expect(result).toBeInstanceOf(SeedError);
    expect((result as SeedError).message).toMatch(/timestamp "1 1 1 [1 ]*…" is not a date$/);
    expect((result as SeedError).message.length).toBeLessThan(200);
  });

  it.each([
    ['<!--1706696101000-->', '1706696101000'],
    ['  <!--   2024-01-31T10:15:01Z \t -->  ', '2024-01-31T10:15:01Z'],
    ['<!---->', ''],
    ['<!-- -->', ''],
    ['<!--a\u2028b-->', undefined],
    ['<!-->', undefined],
    ['<!--->', undefined],
    ['<!-- x', undefined],
    ['x <!-- 1 -->', undefined],
  ])('reads %j as the comment %j, as the old expression did', (line, expected) => {
    expect(commentText(line)).toBe(expected);
  });
});

describe('finding 2: cleaning is linear in the size of the HTML', () => {
  it.each([
    // [what, body, the content it must leave]: 50,000 <br> took 12 s, 140,000 comments 26 s.
    ['90,000 consecutive <br>', '<br>'.repeat(90_000), ''],
    ['90,000 empty comments', '<!---->'.repeat(90_000), ''],
    ['90,000 empty <div>s', '<div></div>'.repeat(90_000), ''],
    ['80,000 unknown tags', '<foo>x</foo>'.repeat(80_000), 'x'.repeat(80_000)],
    ['45,000 breaks between words', 'a<br>'.repeat(45_000), `${'a<br>'.repeat(44_999)}a`],
  ])('cleans %s', (_what, body, content) => {
    // Act
    const result = item(makeSeed({ body }));

    // Assess
    expect(result.contentHtml).toBe(content);
  });

  it('unwraps 90,000 nested unclosed <a> into their text', () => {
    // Act
    const result = item(makeSeed({ body: '<a>x'.repeat(90_000) }));

    // Assess
    expect(result.contentHtml).toBe('x'.repeat(90_000));
  });
});

describe('finding 3: depth is bounded, the text kept', () => {
  it('flattens 5,000 nested <div> below the depth limit, keeping the innermost text', () => {
    // Prepare: 3,000-4,200 nested elements overflowed the old cleaner's stack (a RangeError).
    const body = `${'<div><span>'.repeat(2_500)}deep text${'</span></div>'.repeat(2_500)}<p>after</p>`;

    // Act
    const result = item(makeSeed({ body }));

    // Assess
    expect(result.contentHtml).toContain('deep text');
    expect(result.contentHtml).toContain('<p>after</p>');
    expect(depthOf(result.contentHtml)).toBe(HTML_LIMITS.depth);
  });

  it('reads a title of 10,000 nested tags as its text', () => {
    // Act
    const result = item(makeSeed({ title: `${'<b>'.repeat(10_000)}Deep title` }));

    // Assess
    expect(result.title).toBe('Deep title');
  });

  it('drops the text of a script flattened below the limit with the script', () => {
    // Act
    const deep = cleanBody(`${'<div>'.repeat(300)}<script>alert(1)</script>kept`, 'https://e.com/');

    // Assess
    expect(deep.contentHtml).not.toContain('alert');
    expect(deep.contentHtml).toContain('kept');
  });

  it('survives 60,000 nested elements closed by tags that match none of them', () => {
    // Act
    const result = outcome(makeSeed({ body: `${'<div>'.repeat(30_000)}x${'</i>'.repeat(30_000)}` }));

    // Assess
    expect(result).not.toBeInstanceOf(SeedError);
    expect((result as Item).contentHtml).toContain('x');
  });
});

describe('a link of many path segments', () => {
  it('yields its first five categories without comparing every segment with every other', () => {
    // Prepare: each segment was compared with every earlier one; 40,000 took 4 s.
    const segments = Array.from({ length: 100_000 }, (_, i) => `/s${i.toString(36)}x`).join('');

    // Act
    const result = item(makeSeed({ url: `https://news.example.com${segments}/slug` }));

    // Assess
    expect(result.categories).toEqual(['s0x', 's1x', 's2x', 's3x', 's4x']);
  });
});

describe('the work budget', () => {
  it('rejects HTML of more elements and comments than the limit, naming the limit', () => {
    // Act
    const result = outcome(makeSeed({ body: '<br>'.repeat(HTML_LIMITS.nodes + 1) }));

    // Assess
    expect(result).toBeInstanceOf(SeedError);
    expect((result as SeedError).message).toBe(
      `seeds/hostile.txt: the HTML has more than ${HTML_LIMITS.nodes} elements and comments (the limit per seed)`,
    );
  });

  it('accepts HTML of exactly the limit', () => {
    // Act
    const result = outcome(makeSeed({ body: '<br>'.repeat(HTML_LIMITS.nodes) }));

    // Assess
    expect(result).not.toBeInstanceOf(SeedError);
  });

  it('counts the title too', () => {
    // Act
    const result = outcome(makeSeed({ title: `x${'<i>'.repeat(HTML_LIMITS.nodes + 1)}` }));

    // Assess
    expect((result as SeedError).message).toContain(`more than ${HTML_LIMITS.nodes} elements`);
  });
});
