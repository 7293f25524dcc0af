import fc from 'fast-check';

/** Any UTF-16 code unit, lone surrogates and C0 controls included. */
const anyUnit = fc.nat(0xffff).map((code) => String.fromCharCode(code));
export const anyText = fc.string({ unit: anyUnit, maxLength: 200 });

const nasty = fc.constantFrom(
  ']]>',
  '<![CDATA[',
  '</script>',
  '<script>alert(1)</script>',
  '&',
  '&amp;',
  '&#0;',
  '&#xD800;',
  '<',
  '>',
  '"',
  "'",
  '\u0000',
  '\u0008',
  '\u000b',
  '\u001f',
  '\ud800',
  '\udfff',
  '\ufffe',
  '\uffff',
  '\u2028',
  '\u00a0',
  '[',
  ']',
  '(',
  ')',
  '](',
  '\\',
  '<img src=x onerror=alert(1)>',
  '<a href="javascript:x()">',
  '<!--',
  '-->',
  '\r',
  '\n',
  '\t',
  '🙂',
  '中文',
  'עברית',
);

/** Text made mostly of the characters that break parsers and XML writers. */
export const hostileText = fc
  .array(
    fc.oneof(
      { weight: 3, arbitrary: nasty },
      { weight: 2, arbitrary: fc.string({ maxLength: 8 }) },
      { weight: 1, arbitrary: anyText },
    ),
    { maxLength: 12 },
  )
  .map((parts) => parts.join(''));

const stamp = fc.oneof(
  fc.integer({ min: 0, max: 9_999_999_999_999 }).map(String),
  fc.date({ noInvalidDate: true }).map((date) => date.toISOString()),
  fc.constantFrom('2024-01-31', '2024-01-31 10:15:01', '1706696101', '1e12', 'NaN', '', '2024-13-45T99:99'),
  hostileText,
);

const url = fc.oneof(
  fc.webUrl({ withQueryParameters: true, withFragments: true }),
  fc.constantFrom(
    'javascript:alert(1)',
    'java\tscript:alert(1)',
    '//cdn.example.com/x',
    'ftp://x/y',
    'data:text/html,x',
    '/relative',
    'https://',
    'https://例え.jp/パス?q=]]>',
  ),
  hostileText,
);

const body = fc
  .array(
    fc.oneof(
      hostileText,
      fc.constantFrom(
        '<p>text</p>',
        '<div>01/02/2024 - 09:30</div>',
        '<figure><img src="https://img.example.com/a.jpg"></figure>',
        '<table><tr><td>x',
      ),
    ),
    { maxLength: 8 },
  )
  .map((parts) => parts.join('\n'));

/** Strings shaped like seeds, each part possibly broken. */
export const seedText = fc
  .record({
    stamp: fc.option(stamp, { nil: undefined }),
    title: hostileText,
    url,
    rule: fc.constantFrom('------', '---', '***', '===', '--', '', 'not a rule'),
    body,
    newline: fc.constantFrom('\n', '\r\n', '\r'),
  })
  .map(({ stamp, title, url, rule, body, newline }) =>
    [...(stamp === undefined ? [] : [`<!--${stamp}-->`]), `[${title}](${url})`, rule, '', body].join(newline),
  );
