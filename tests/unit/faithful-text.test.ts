import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { detectLanguage, linkHint } from '../../lambdas/seedfeed/core/language.js';
import { fromWindows1252Controls } from '../../lambdas/seedfeed/core/text.js';
import { MARKDOWN_MAX, titleText } from '../../lambdas/seedfeed/core/title.js';

describe('titleText', () => {
  it.each([
    ['**Exclusive:** minister _quits_', 'Exclusive: minister quits'],
    ['`Vec<T>` and `HashMap<K, V>`', 'Vec<T> and HashMap<K, V>'],
    ['Tom &amp; Jerry <b>return</b>', 'Tom & Jerry return'],
    ['2024\\. A year in \\*stars\\*', '2024. A year in *stars*'],
    ['1. FC Köln', '1. FC Köln'],
    ['# not a heading', '# not a heading'],
    ['[a link](https://e.com/) inside', 'a link inside'],
  ])('reads %j as %j', (source, text) => {
    expect(titleText(source)).toBe(text);
  });

  it('reads Markdown up to MARKDOWN_MAX characters and the rest of a longer title as text, whole', () => {
    // Prepare
    const head = `**${'word '.repeat(300).trim()}**`;
    const tail = ` ${'more '.repeat(500)}*kept*`;

    // Act
    const text = titleText(head + tail);

    // Assess
    expect(head.length).toBeLessThan(MARKDOWN_MAX);
    expect(text.startsWith('word word')).toBe(true);
    expect(text.endsWith('more *kept*')).toBe(true);
    expect(text).toHaveLength((head + tail).length - 4);
  });
});

describe('fromWindows1252Controls', () => {
  it('maps C1 controls to Windows-1252 and drops the five it leaves undefined', () => {
    expect(fromWindows1252Controls('\u0080\u0081\u008d\u008f\u0090\u009d\u0085\u0099\u009f')).toBe('€…™Ÿ');
  });
});

describe('detectLanguage', () => {
  it.each([
    ['https://www.example.com/ukr/news/x', 'uk'],
    ['https://www.example.com/news/fa/x', 'fa'],
    ['https://news.example.com.ua/x/y', 'uk'],
    ['https://www.example.com/news/world/ukr', undefined],
    ['https://www.example.com/world/it-crowd', undefined],
  ])('reads the hint of %s as %s', (link, hint) => {
    expect(linkHint(link)).toBe(hint);
  });

  it('takes a hint for Cyrillic text, and ignores it for text of another script', () => {
    // Prepare
    const russian = 'Городские власти объявили о закрытии моста на ремонт.';

    // Act
    const hinted = detectLanguage(russian, 'en', 'https://example.com/ukr/x');
    const english = detectLanguage('The bridge will close for repairs.', 'en', 'https://example.com/ukr/x');

    // Assess
    expect(hinted).toBe('uk');
    expect(english).toBe('en');
  });

  it('keeps the configured tag, region and all, for Latin text without an agreeing hint', () => {
    // Prepare
    const french =
      "Le conseil municipal a voté le budget de l'année prochaine après un long débat sur les transports.";

    // Act
    const withoutHint = detectLanguage(french.repeat(3), 'en-GB', 'https://example.com/news/x');
    const withHint = detectLanguage(french.repeat(3), 'en-GB', 'https://example.fr/news/x');

    // Assess
    expect(withoutHint).toBe('en-GB');
    expect(withHint).toBe('fr');
  });
});

describe('detectLanguage on the labelled sample', () => {
  // tests/fixtures/languages/sample.json: sentences and titles of our own, the sample README's
  // comparison of franc-min and eld was made on. Latin ones are given a link on their country's domain.
  const sample = JSON.parse(
    readFileSync(fileURLToPath(new URL('../fixtures/languages/sample.json', import.meta.url)), 'utf8'),
  ) as [string, string][];
  const DOMAINS: Record<string, string> = { fr: 'fr', de: 'de', es: 'es', en: 'com' };

  it.each(sample)('tags %s: %s', (language, text) => {
    const link = `https://news.example.${DOMAINS[language] ?? 'com'}/world/story`;
    expect(detectLanguage(text, 'en', link)).toBe(language);
  });
});
