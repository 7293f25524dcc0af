import { HtmlValidate } from 'html-validate';
import { describe, expect, it } from 'vitest';
import { renderPage } from '../../lambdas/seedfeed/render/page.js';
import { makeItem, makeSettings } from '../support/items.js';

const validator = new HtmlValidate({ extends: ['html-validate:recommended'] });

describe('renderPage', () => {
  it('is valid HTML with autodiscovery and subscribe links for all three feeds', async () => {
    // Prepare
    const items = [makeItem({ image: 'https://img.example.com/a.jpg' }), makeItem()];

    // Act
    const html = renderPage(items, makeSettings());
    const report = await validator.validateString(html);

    // Assess
    expect(report.results.flatMap((r) => r.messages.map((m) => `${m.ruleId}: ${m.message}`))).toEqual([]);
    const feeds: [string, string][] = [
      ['application/rss+xml', 'rss.xml'],
      ['application/atom+xml', 'atom.xml'],
      ['application/feed+json', 'feed.json'],
    ];
    for (const [type, file] of feeds) {
      expect(html).toMatch(
        new RegExp(
          `<link rel="alternate" type="${type.replace('+', '\\+')}" [^>]*href="https://feeds.example.com/${file}">`,
        ),
      );
      expect(html).toContain(`<a href="https://feeds.example.com/${file}" type="${type}">`);
    }
    // Structured data is the one script element, and browsers never run it.
    expect(html.match(/<script\b[^>]*>/gi)).toEqual(['<script type="application/ld+json">']);
  });

  it('is valid HTML for a category page and a main page that lists categories', async () => {
    // Prepare
    const related = [{ path: 'categories/中国/', label: '中国' }];

    // Act
    const main = renderPage([makeItem()], makeSettings(), { kind: 'main', path: '', related });
    const category = renderPage([makeItem()], makeSettings(), {
      kind: 'category',
      path: 'categories/中国/',
      label: '中国',
    });
    const reports = await Promise.all([main, category].map((html) => validator.validateString(html)));

    // Assess
    expect(reports.flatMap((r) => r.results.flatMap((x) => x.messages.map((m) => m.message)))).toEqual([]);
    expect(main).toContain(
      '<a href="https://feeds.example.com/categories/%E4%B8%AD%E5%9B%BD/index.html">中国</a>',
    );
    expect(category).toContain('<title>Example News — 中国</title>');
    expect(category).toContain('<a href="https://feeds.example.com/index.html">All articles</a>');
    expect(category).toContain('href="https://feeds.example.com/categories/%E4%B8%AD%E5%9B%BD/rss.xml"');
  });

  it('gives each item its language and direction, a linked title, a local date and a thumbnail', () => {
    // Prepare
    const arabic = makeItem({
      title: 'عنوان',
      language: 'ar',
      published: '2024-01-31T10:15:01.000Z',
      image: 'https://img.example.com/b.jpg',
    });
    const chinese = makeItem({ title: '标题', language: 'zh-CN', published: '2024-01-31T10:15:01.000Z' });

    // Act
    const html = renderPage([arabic, chinese], makeSettings());

    // Assess
    expect(html).toContain(
      `<li class="item has-image" lang="ar" dir="rtl"><img src="https://img.example.com/b.jpg"`,
    );
    expect(html).toContain(`<h2><a href="${arabic.link}">عنوان</a></h2>`);
    expect(html).toContain('lang="zh-CN" dir="ltr"');
    expect(html).toContain('2024年1月31日');
    expect(html).toContain('<time datetime="2024-01-31T10:15:01.000Z">');
  });

  it('escapes titles and summaries, and says so when there is nothing yet', () => {
    expect(renderPage([makeItem({ title: '<img src=x onerror=alert(1)>' })], makeSettings())).toContain(
      '&lt;img src=x onerror=alert(1)&gt;',
    );
    expect(renderPage([], makeSettings())).toContain('<p>No articles yet.</p>');
  });
});
