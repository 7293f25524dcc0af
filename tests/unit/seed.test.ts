import { describe, expect, it } from 'vitest';
import { SeedError } from '../../lambdas/seedfeed/core/errors.js';
import { parseSeed, parseTimestamp, parseTitleLink } from '../../lambdas/seedfeed/core/seed.js';
import { bytes, makeSeed, REAL_SEED_FILE, realSeed } from '../support/seeds.js';

const OPTIONS = { defaultLanguage: 'en', maxBytes: 1_048_576 };
const UPLOADED = new Date('2025-03-04T05:06:07.000Z');

function parse(content: string | Uint8Array, file = 'seeds/test.txt') {
  return parseSeed(
    { file, bytes: typeof content === 'string' ? bytes(content) : content, uploadedAt: UPLOADED },
    OPTIONS,
  );
}

function rejection(content: string | Uint8Array, file = 'seeds/bad.txt'): SeedError {
  try {
    parse(content, file);
  } catch (error) {
    if (error instanceof SeedError) return error;
    throw error;
  }
  throw new Error('the seed was accepted');
}

describe('parseSeed on the real seed', () => {
  it('reads title, link, date, image, summary, language and category', () => {
    // Act
    const item = parse(realSeed(), `seeds/${REAL_SEED_FILE}`);

    // Assess
    expect(item.title).toBe('中美禁毒合作工作组称正式启动');
    expect(item.link).toBe(
      'https://www.rfi.fr/cn/%E4%B8%AD%E5%9B%BD/20240131-%E4%B8%AD%E7%BE%8E%E7%A6%81%E6%AF%92%E5%90%88%E4%BD%9C%E5%B7%A5%E4%BD%9C%E7%BB%84%E7%A7%B0%E6%AD%A3%E5%BC%8F%E5%90%AF%E5%8A%A8',
    );
    expect(item.published).toBe('2024-01-31T10:15:01.000Z');
    expect(item.image).toBe(
      'https://s.rfi.fr/media/display/92f40510-db0c-11ed-b971-005056bfb2b6/w:1280/p:16x9/2023-04-12T162314Z_541035073_RC23D0A1JMD8_RTRMADP_3_USA-MEXICO-DRUGS-CANADA.JPG',
    );
    expect(
      item.summary.startsWith('中国国务委员兼公安部长王小洪30日在北京会见美国禁毒联合代表团时宣布'),
    ).toBe(true);
    expect(item.summary.endsWith('美国跨部门代表团访问中国并启动这一禁毒工作组。')).toBe(true);
    expect(item.language).toBe('zh-CN');
    expect(item.categories).toEqual(['中国']);
    expect(item.id).toMatch(/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('keeps the article text and drops the furniture around it', () => {
    // Act
    const { contentHtml } = parse(realSeed());

    // Assess
    expect(contentHtml).toContain('据中央社今天引述中国官方的新华社称');
    expect(contentHtml).toContain('所持续努力的一部分。');
    for (const furniture of [
      'selfpromo',
      'share',
      'facebook',
      'whatsapp',
      'x.com',
      '分享',
      '31/01/2024',
      '<img',
    ]) {
      expect(contentHtml).not.toContain(furniture);
    }
    expect(contentHtml).not.toMatch(/<(p|div|span)>\s*<\/\1>/);
    expect(contentHtml).not.toContain('&#x');
  });

  it('gives the same item for the same bytes', () => {
    expect(parse(realSeed())).toEqual(parse(realSeed()));
  });
});

describe('parseSeed tolerates the variants real seeds show', () => {
  it('reads a seed with a BOM and CRLF line ends', () => {
    // Prepare
    const seed = `\uFEFF${makeSeed({ title: 'CRLF title', newline: '\r\n' })}`;

    // Act
    const item = parse(seed);

    // Assess
    expect(item.title).toBe('CRLF title');
    expect(item.link).toMatch(/^https:\/\/news\.example\.com\//);
  });

  it('reads a UTF-16 seed with its BOM', () => {
    // Prepare
    const text = makeSeed({ title: 'Wide' });
    const utf16 = new Uint8Array(2 + text.length * 2);
    utf16.set([0xff, 0xfe]);
    for (let i = 0; i < text.length; i++) {
      utf16[2 + i * 2] = text.charCodeAt(i) & 0xff;
      utf16[3 + i * 2] = text.charCodeAt(i) >> 8;
    }

    // Act / Assess
    expect(parse(utf16).title).toBe('Wide');
  });

  it('keeps brackets in titles and parentheses in URLs', () => {
    // Act
    const item = parse(
      makeSeed({
        title: '[Live] Talks [day 2] resume',
        url: 'https://en.wikipedia.org/wiki/Fentanyl_(drug)',
      }),
    );

    // Assess
    expect(item.title).toBe('[Live] Talks [day 2] resume');
    expect(item.link).toBe('https://en.wikipedia.org/wiki/Fentanyl_(drug)');
  });

  it('unescapes Markdown and HTML entities in titles', () => {
    expect(parse(makeSeed({ title: 'A \\[b\\] &amp; C &lt;d&gt;' })).title).toBe('A [b] & C <d>');
  });

  it('accepts <url> and a link title after the URL', () => {
    expect(parseTitleLink('[T](<https://a.example/x y>)')).toBeUndefined();
    expect(parseTitleLink('[T](<https://a.example/x>)')).toEqual({ title: 'T', url: 'https://a.example/x' });
    expect(parseTitleLink('[T](https://a.example/x "Title")')).toEqual({
      title: 'T',
      url: 'https://a.example/x',
    });
  });

  it('reads a timestamp in seconds as well as milliseconds, and ISO 8601', () => {
    expect(parse(makeSeed({ stamp: 1_706_696_101 })).published).toBe('2024-01-31T10:15:01.000Z');
    expect(parse(makeSeed({ stamp: '2024-01-31T10:15:01+01:00' })).published).toBe(
      '2024-01-31T09:15:01.000Z',
    );
    expect(parseTimestamp('2024-01-31 10:15')?.toISOString()).toBe('2024-01-31T10:15:00.000Z');
  });

  it('falls back to the date shown in the body, then to the upload time', () => {
    // Prepare
    const shown = makeSeed({ stamp: undefined, body: '<div>31/01/2024 - 10:54</div><p>Text.</p>' });
    const bare = makeSeed({ stamp: undefined, body: '<p>Text without a date.</p>' });

    // Act / Assess
    expect(parse(shown).published).toBe('2024-01-31T10:54:00.000Z');
    expect(parse(shown).contentHtml).toBe('<p>Text.</p>');
    expect(parse(bare).published).toBe(UPLOADED.toISOString());
  });

  it('uses the first paragraph when there is no bold lead, and the title when there is no text', () => {
    expect(parse(makeSeed({ body: '<p>First <em>para</em>.</p><p>Second.</p>' })).summary).toBe(
      'First para.',
    );
    expect(parse(makeSeed({ title: 'Only a title', body: '' })).summary).toBe('Only a title');
  });

  it('takes sections from the link path, not plumbing words, dates or language codes', () => {
    expect(parse(makeSeed({ url: 'https://n.example.com/en/world/asia/2024/01/story' })).categories).toEqual([
      'world',
      'asia',
    ]);
    expect(parse(makeSeed({ url: 'https://en.wikipedia.org/wiki/Fentanyl' })).categories).toEqual([]);
  });

  it('makes protocol-relative links https', () => {
    expect(parse(makeSeed({ url: '//news.example.com/a' })).link).toBe('https://news.example.com/a');
  });
});

describe('parseSeed rejects what is not a seed, naming the file', () => {
  const cases: [string, string | Uint8Array, RegExp][] = [
    ['an empty file', '', /empty/],
    ['white space only', ' \n\r\n\t', /white space/],
    ['a binary file', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d, 0x49, 0x48]), /binary/],
    ['invalid UTF-8', new Uint8Array([0x5b, 0x61, 0x5d, 0xff, 0xfe, 0x41, 0x42, 0x43]), /UTF-8/],
    ['no title line', '<!--1706696101000-->\n\n------\n<p>x</p>', /not a title link/],
    ['only a timestamp', '<!--1706696101000-->\n', /no title line/],
    ['no rule', '[T](https://a.example/x)\n<p>x</p>', /no rule/],
    ['a link that is not http(s)', makeSeed({ url: 'javascript:alert(1)' }), /not an absolute http\(s\) URL/],
    ['a relative link', makeSeed({ url: '/relative/path' }), /not an absolute http\(s\) URL/],
    ['a timestamp that is not a date', makeSeed({ stamp: 'tomorrow' }), /timestamp "tomorrow" is not a date/],
    ['an implausible timestamp', makeSeed({ stamp: 99 }), /is not a date/],
    ['an empty title', makeSeed({ title: '  ' }), /title is empty/],
  ];

  it.each(cases)('rejects %s', (_name, content, reason) => {
    // Act
    const error = rejection(content, 'seeds/bad file.txt');

    // Assess
    expect(error.message.startsWith('seeds/bad file.txt: ')).toBe(true);
    expect(error.problem).toMatch(reason);
  });

  it('rejects a seed over the size limit', () => {
    // Prepare
    const big = makeSeed({ body: `<p>${'x'.repeat(2_000)}</p>` });

    // Act
    const error = (() => {
      try {
        parseSeed(
          { file: 'seeds/big.txt', bytes: bytes(big), uploadedAt: UPLOADED },
          { ...OPTIONS, maxBytes: 1_024 },
        );
      } catch (e) {
        return e;
      }
      return undefined;
    })();

    // Assess
    expect(error).toBeInstanceOf(SeedError);
    expect((error as SeedError).problem).toMatch(/over the 1024-byte limit/);
  });
});
