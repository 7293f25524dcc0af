import fc from 'fast-check';

// Seeds of pathological structure: each shape repeats one unit until the seed has the size asked
// for. The property tests draw sizes and mixtures of them; the regression tests and the benchmark
// (bench/hostile.ts) use them at fixed sizes.

/** The link of every shape's title: replace it to make seeds of one shape distinct articles. */
export const SHAPE_LINK = 'https://hostile.example.com/world/shape';
const HEAD = `<!--1706696101000-->\n[Hostile shape](${SHAPE_LINK})\n------\n\n`;
const STAMPED_TITLE = '<!--1706696101000-->\n[';
const URLISH = 'https://cdn.example.com/photo.jpg?w=640&h=360&q="<x>"&';

/** `unit` repeated between `before` and `after`, the whole at most `bytes` long (ASCII units). */
function fill(bytes: number, unit: string, before = HEAD, after = ''): string {
  const count = Math.max(1, Math.floor((bytes - before.length - after.length) / unit.length));
  return `${before}${unit.repeat(count)}${after}`;
}

export interface Shape {
  name: string;
  /** A seed of about `bytes` bytes (never more). */
  build(bytes: number): string;
}

export const SHAPES: readonly Shape[] = [
  // Issue 12, finding 1: a first line that opens a comment, then spaces, and never closes it.
  { name: 'unclosed comment line', build: (b) => fill(b, ' ', '<!--', `x\n[t](${SHAPE_LINK})\n---\n\nx`) },
  { name: 'long first line', build: (b) => fill(b, 'a', '[', `](${SHAPE_LINK})\n---\n\nx`) },
  { name: 'title of nested tags', build: (b) => fill(b, '<b>', '[', `x](${SHAPE_LINK})\n---\n\nx`) },
  { name: 'link of many segments', build: (b) => manySegments(b) },
  { name: 'long rule line', build: (b) => fill(b, '-', `[t](${SHAPE_LINK})\n`, 'x\n\nx') },
  // Finding 2: long runs of one thing in the body.
  { name: 'consecutive <br>', build: (b) => fill(b, '<br>') },
  { name: 'empty comments', build: (b) => fill(b, '<!---->') },
  { name: 'empty <div>s', build: (b) => fill(b, '<div></div>') },
  { name: 'unclosed <a>', build: (b) => fill(b, '<a>') },
  { name: 'unknown tags', build: (b) => fill(b, '<foo>x</foo>') },
  { name: 'dropped tags', build: (b) => fill(b, '<script>x</script>') },
  { name: 'share links', build: (b) => fill(b, '<a href="https://x.com/intent/tweet">x</a>') },
  { name: 'entities', build: (b) => fill(b, '&amp;&#x4e2d;') },
  { name: 'white space', build: (b) => fill(b, ' \n\t', `${HEAD}<p>`, 'x</p>') },
  // Finding 3: depth.
  { name: 'nested <div> left open', build: (b) => fill(b, '<div>', HEAD, 'deep text') },
  { name: 'nested <span> closed', build: (b) => nested(b, '<span>', '</span>') },
  { name: 'nested then stray closes', build: (b) => nested(b, '<div>', '</i>') },
  { name: 'nested <svg>', build: (b) => fill(b, '<svg>', HEAD, 'x') },
  {
    name: 'nested <p> in <span>',
    build: (b) => fill(b, '<p><span>', HEAD, '<img src="https://e.com/i.jpg">'),
  },
  { name: 'nested tables', build: (b) => fill(b, '<table><tr><td>x') },
  { name: 'nested iframes', build: (b) => fill(b, '<div><iframe src="https://e.com/v"></iframe>') },
  // Finding 4 and friends: attributes.
  { name: 'huge attribute', build: (b) => fill(b, 'a', `${HEAD}<img src="https://e.com/`, '.jpg"><p>x</p>') },
  { name: 'many attributes', build: (b) => fill(b, ' data-x=1 a=2', `${HEAD}<div`, '>x</div>') },
  { name: 'URL of & " <', build: (b) => fill(b, '&amp;%22&lt;', `${HEAD}<img src="${URLISH}`, '"><p>x</p>') },
  { name: 'lead images of & " <', build: (b) => fill(b, `<img src="${URLISH}">`) },
  { name: 'huge srcset', build: (b) => fill(b, 'a.jpg 1w, ', `${HEAD}<img srcset="`, '"><p>x</p>') },
  // Issue 14: Markdown in titles (dated, so that long titles do not push newer seeds out of a feed),
  // and what the cleaner now repairs, keeps or removes.
  { name: 'title of *a', build: (b) => fill(b, '*a', STAMPED_TITLE, `](${SHAPE_LINK})\n---\n\nx`) },
  { name: 'title of _a', build: (b) => fill(b, '_a', STAMPED_TITLE, `](${SHAPE_LINK})\n---\n\nx`) },
  { name: 'title of [a](', build: (b) => fill(b, '[a](', STAMPED_TITLE, `](${SHAPE_LINK})\n---\n\nx`) },
  { name: 'cells without rows', build: (b) => fill(b, '<td>x', `${HEAD}<table>`) },
  {
    name: 'noscript images',
    build: (b) => fill(b, '<img src="data:,"><noscript><img src="/i.jpg"></noscript>'),
  },
  {
    name: 'ad slots',
    build: (b) => fill(b, '<div><p>Ad</p><img src="/b.gif" width="728" height="90"></div>'),
  },
  {
    name: 'nested ad wrappers',
    build: (b) => fill(b, '<div>', HEAD, '<img src="/a.gif" width="728" height="90">'),
  },
  { name: 'audio sources', build: (b) => fill(b, '<audio><source src="/a.mp3">') },
  { name: 'follow links', build: (b) => fill(b, '<a href="https://x.com/a">x</a>', `${HEAD}<p>`, '</p>') },
  { name: 'copyright lines', build: (b) => fill(b, '<p>© x</p>') },
  { name: 'lazy iframes', build: (b) => fill(b, '<p><iframe src="about:blank" data-src="/v"></iframe>') },
  // Issue 18: bylines, each marked the ways the byline reader looks for.
  { name: 'byline elements', build: (b) => fill(b, '<p class="byline">By Jane Doe and John Roe</p>') },
  {
    name: 'nested bylines',
    build: (b) => fill(b, '<div class="author" itemprop="author">By A B ', HEAD, 'x'),
  },
  {
    name: 'author links',
    build: (b) => fill(b, '<a rel="author" href="/by/j">Jane Doe</a> and ', `${HEAD}<p>`),
  },
  { name: 'huge by line', build: (b) => fill(b, 'Jane Doe and ', `${HEAD}<p>By `, 'John Roe</p>') },
  {
    name: 'headers with bylines',
    build: (b) => fill(b, '<header><span class="byline">By X Y</span></header>'),
  },
];

/** A title link of distinct path segments, each a possible category. */
function manySegments(bytes: number): string {
  const head = `[t](${SHAPE_LINK}`;
  const tail = ')\n---\n\nx';
  const segments: string[] = [];
  let size = head.length + tail.length;
  for (let i = 0; size + 8 <= bytes; i++) {
    const segment = `/s${i.toString(36)}x`;
    segments.push(segment);
    size += segment.length;
  }
  return `${head}${segments.join('')}${tail}`;
}

/** `open` nested as deep as fits with its `close` for each, then text. */
function nested(bytes: number, open: string, close: string): string {
  const count = Math.max(1, Math.floor((bytes - HEAD.length - 1) / (open.length + close.length)));
  return `${HEAD}${open.repeat(count)}x${close.repeat(count)}`;
}

export function shape(name: string): Shape {
  const found = SHAPES.find((s) => s.name === name);
  if (!found) throw new Error(`no shape named ${name}`);
  return found;
}

/** A seed of one shape at 1–`maxBytes` bytes. */
export const shapedSeed = (maxBytes: number): fc.Arbitrary<string> =>
  fc
    .record({ shape: fc.constantFrom(...SHAPES), bytes: fc.integer({ min: 1, max: maxBytes }) })
    .map(({ shape, bytes }) => shape.build(bytes));

const piece = fc.oneof(
  fc.constantFrom(
    '<div>',
    '<span>',
    '<p>',
    '<b>',
    '<a>',
    '<table>',
    '<tr>',
    '<td>',
    '<li>',
    '<svg>',
    '<math>',
  ),
  fc.constantFrom('</div>', '</span>', '</p>', '</b>', '</a>', '</table>', '</td>', '</svg>', '</x>'),
  fc.constantFrom(
    '<br>',
    '<!---->',
    '<img src="https://e.com/a.jpg?w=1&h=2">',
    '<iframe src="//e.com"></iframe>',
  ),
  fc.constantFrom('<figure>', '<script>', '</script>', '<x-y>', '<foo>', '&amp;', '&', '"', '<', ' ', 'text'),
  fc.constantFrom('<a href="https://e.com/?a=1&b=&quot;2&lt;">', "<img src='https://e.com/?a&\"<'>"),
  // Issue 14: what the cleaner now keeps, moves or repairs.
  fc.constantFrom('<audio>', '<video src="/v.mp4">', '<source src="/a.mp3">', '<noscript>', '</noscript>'),
  fc.constantFrom('<td>x', '<center>', '<iframe src="about:blank" data-src="/v"></iframe>', '<p>© x</p>'),
  fc.constantFrom(
    '<img src="/a.gif" width="728" height="90">',
    '<p>Advertisement</p>',
    '<img src="data:," alt="a">',
  ),
);

/** Bodies mixing long runs of one piece (up to `maxRun` times) in any order: deep, long or both. */
export const pathologicalBody = (maxRun: number): fc.Arbitrary<string> =>
  fc
    .array(fc.record({ piece, times: fc.integer({ min: 1, max: maxRun }) }), { minLength: 1, maxLength: 8 })
    .map((runs) => runs.map(({ piece, times }) => piece.repeat(times)).join(''));

export const pathologicalSeed = (maxRun: number): fc.Arbitrary<string> =>
  fc
    .record({
      image: fc.option(
        fc.webUrl({ withQueryParameters: true }).map((u) => `${u}&x="<>`),
        { nil: undefined },
      ),
      body: pathologicalBody(maxRun),
    })
    .map(
      ({ image, body }) => `${HEAD}${image ? `<img src="${image.replaceAll('"', '&quot;')}">` : ''}${body}`,
    );
