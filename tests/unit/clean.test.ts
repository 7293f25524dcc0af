import { describe, expect, it } from 'vitest';
import { cleanBody } from '../../lambdas/seedfeed/core/clean.js';

const BASE = 'https://news.example.com/world/2024/story';

function clean(html: string) {
  return cleanBody(html, BASE);
}

describe('cleanBody removes what is not article', () => {
  it.each([
    ['scripts', '<p>ok</p><script>alert(1)</script><noscript>x</noscript>'],
    ['styles', '<p>ok</p><style>p{color:red}</style>'],
    ['forms', '<p>ok</p><form action="/x"><input name="q"><button>Go</button></form>'],
    ['objects and embeds', '<p>ok</p><object data="x.swf"></object><embed src="y.swf">'],
    ['svg and math', '<p>ok</p><svg onload="alert(1)"><script>x</script></svg><math></math>'],
    ['custom elements', '<p>ok</p><share-button v-on:open="x"></share-button>'],
    [
      'self-promotion',
      '<p>ok</p><div data-selfpromo-newsletter>Sign up</div><div class="newsletter-box">Sign up</div>',
    ],
    [
      'share widgets',
      '<p>ok</p><div><div>Share :</div><a href="https://www.facebook.com/sharer/sharer.php?u=x">f</a></div>',
    ],
    ['comments', '<p>ok</p><!-- tracking --><![CDATA[ x ]]>'],
  ])('drops %s', (_name, html) => {
    expect(clean(html).contentHtml).toBe('<p>ok</p>');
  });

  it('removes event handlers, styles, classes and ids', () => {
    // Act
    const { contentHtml } = clean(
      '<p onclick="x()" style="color:red" class="c" id="i" onmouseover="y">ok</p>',
    );

    // Assess
    expect(contentHtml).toBe('<p>ok</p>');
  });

  it.each([
    'javascript:alert(1)',
    'JaVaScRiPt:alert(1)',
    'java\tscript:alert(1)',
    ' javascript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'vbscript:msgbox(1)',
  ])('drops the dangerous link %j but keeps its text', (href) => {
    expect(clean(`<p><a href="${href}">text</a></p>`).contentHtml).toBe('<p>text</p>');
  });

  it('removes tracking pixels', () => {
    expect(clean('<p>ok<img src="https://t.example.com/p.gif" width="1" height="1"></p>').contentHtml).toBe(
      '<p>ok</p>',
    );
  });
});

describe('cleanBody resolves URLs', () => {
  it('makes relative, root-relative and protocol-relative URLs absolute (https)', () => {
    // Act
    const { contentHtml } = clean(
      '<p>x <a href="../other">a</a> <a href="/root">b</a> <a href="//cdn.example.com/c">c</a>' +
        '<img src="pic.jpg" alt="p"></p>',
    );

    // Assess
    expect(contentHtml).toContain('href="https://news.example.com/world/other"');
    expect(contentHtml).toContain('href="https://news.example.com/root"');
    expect(contentHtml).toContain('href="https://cdn.example.com/c"');
    expect(contentHtml).toContain('src="https://news.example.com/world/2024/pic.jpg"');
  });

  it('takes lazy images from data-src and srcset', () => {
    // Act
    const { contentHtml } = clean(
      '<p>Text first.</p><img src="data:image/gif;base64,R0lG" data-src="/real.jpg">' +
        '<img srcset="/small.jpg 320w, /large.jpg 1280w">',
    );

    // Assess
    expect(contentHtml).toContain('<img src="https://news.example.com/real.jpg">');
    expect(contentHtml).toContain('<img src="https://news.example.com/large.jpg">');
    expect(contentHtml).not.toContain('srcset');
    expect(contentHtml).not.toContain('data:');
  });
});

describe('cleanBody turns embeds into links', () => {
  it('links a YouTube embed with its thumbnail', () => {
    // Act
    const { contentHtml } = clean(
      '<p>Watch:</p><iframe src="https://www.youtube.com/embed/abcDEF12345" title="Clip"></iframe>',
    );

    // Assess
    expect(contentHtml).toBe(
      '<p>Watch:</p><p><a href="https://www.youtube.com/watch?v=abcDEF12345">' +
        '<img src="https://i.ytimg.com/vi/abcDEF12345/hqdefault.jpg" alt="Clip"></a></p>',
    );
  });

  it('links any other embed by its host, and drops one without a usable source', () => {
    expect(clean('<p>x</p><iframe src="//maps.example.org/embed?q=1"></iframe>').contentHtml).toBe(
      '<p>x</p><p><a href="https://maps.example.org/embed?q=1">maps.example.org</a></p>',
    );
    expect(clean('<p>x</p><iframe src="javascript:alert(1)"></iframe>').contentHtml).toBe('<p>x</p>');
  });
});

describe('cleanBody reads the lead', () => {
  it('takes the lead image, the shown date and the bold lead out as fields', () => {
    // Act
    const body = clean(
      '<div>31/01/2024 - 10:54</div><figure><img src="/lead.jpg"></figure><p><strong>Lead.</strong></p><p>Rest.</p>',
    );

    // Assess
    expect(body.shownDate).toBe('31/01/2024 - 10:54');
    expect(body.image).toBe('https://news.example.com/lead.jpg');
    expect(body.summary).toBe('Lead.');
    expect(body.contentHtml).toBe('<p><strong>Lead.</strong></p><p>Rest.</p>');
  });

  it('takes the lead image as a field and keeps its figure when it has a caption, whose credit belongs to it', () => {
    // Act
    const body = clean(
      '<figure><img src="/lead.jpg"><figcaption>c, Photo: X</figcaption></figure><p><strong>Lead.</strong></p>',
    );

    // Assess
    expect(body.image).toBe('https://news.example.com/lead.jpg');
    expect(body.summary).toBe('Lead.');
    expect(body.contentHtml).toBe(
      '<figure><img src="https://news.example.com/lead.jpg"><figcaption>c, Photo: X</figcaption></figure><p><strong>Lead.</strong></p>',
    );
  });

  it('keeps right-to-left text, emoji and article words that mention sharing', () => {
    // Act
    const { contentHtml } = clean('<p>مرحبا بالعالم 👋 — we share the view that sharing matters.</p>');

    // Assess
    expect(contentHtml).toBe('<p>مرحبا بالعالم 👋 — we share the view that sharing matters.</p>');
  });

  it('removes characters XML forbids and keeps the rest', () => {
    expect(clean('<p>a\u0001b\u0008c\uFFFEd</p>').contentHtml).toBe('<p>abcd</p>');
  });
});
