import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostileCorpus } from '../support/corpus.js';
import { startPipeline, type TestPipeline } from '../support/pipeline.js';
import { REAL_SEED_FILE, realSeed } from '../support/seeds.js';
import { launch, loadedImages, routeDemoImages } from './chromium.js';
import { startDemo } from './demo.js';

// Runs in the page; the tests are type-checked against Node, so the DOM is described only as used.
type StyleHost = { getComputedStyle(element: unknown): { direction: string } };
const DIRECTION = (el: unknown): string =>
  (globalThis as unknown as StyleHost).getComputedStyle(el).direction;

const SCREENSHOTS = fileURLToPath(new URL('../../test-results/', import.meta.url));

describe('the index page in a real browser', () => {
  const corpus = hostileCorpus();
  let pipeline: TestPipeline;
  let browser: Browser;

  beforeAll(async () => {
    pipeline = await startPipeline({
      SEEDFEED_FEED_TITLE: 'seedfeed demo',
      SEEDFEED_ITEMS_PER_FEED: '50',
      SEEDFEED_CATEGORY_FEEDS: 'true',
    });
    await pipeline.publish({ ...corpus.seeds, [REAL_SEED_FILE]: realSeed() });
    browser = await launch();
  });

  afterAll(async () => {
    await browser?.close();
    await pipeline.dispose();
  });

  it('renders every item with autodiscovery links, right-to-left where needed, and no script errors', async () => {
    // Prepare
    const page = await browser.newPage({ viewport: { width: 1000, height: 1400 } });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('response', (r) => {
      if (r.status() >= 400) errors.push(`${r.status()} ${r.url()}`);
    });
    page.on('console', (message) => {
      // Status errors are recorded with their URL above; unreachable image hosts are expected offline.
      if (message.type() === 'error' && !/net::|status of/.test(message.text())) errors.push(message.text());
    });

    // Act
    const response = await page.goto(new URL('index.html', pipeline.config.publicUrl).href);
    const alternates = await page.$$eval('link[rel="alternate"]', (links) =>
      links.map((link) => ({ type: link.getAttribute('type'), href: link.getAttribute('href') })),
    );
    const items = await page.locator('li.item').count();
    const arabic = await page.locator('li.item[lang="ar"]').evaluate(DIRECTION);
    const hebrew = await page.locator('li.item[lang="he"]').evaluate(DIRECTION);
    const english = await page.locator('li.item[lang="en"]').first().evaluate(DIRECTION);
    const subscribe = await page.locator('nav[aria-label="Subscribe"] a').allTextContents();
    const categories = await page
      .locator('nav[aria-label="Categories"] li > a:first-child')
      .allTextContents();
    await mkdir(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: `${SCREENSHOTS}index.png`, fullPage: false });

    // Assess
    expect(response?.headers()['content-type']).toBe('text/html; charset=utf-8');
    expect(alternates).toEqual([
      { type: 'application/rss+xml', href: `${pipeline.config.publicUrl}rss.xml` },
      { type: 'application/atom+xml', href: `${pipeline.config.publicUrl}atom.xml` },
      { type: 'application/feed+json', href: `${pipeline.config.publicUrl}feed.json` },
    ]);
    expect(items).toBe(corpus.published.length + 1);
    expect([arabic, hebrew, english]).toEqual(['rtl', 'rtl', 'ltr']);
    expect(subscribe).toEqual(['RSS', 'Atom', 'JSON Feed']);
    expect(categories).toContain('中国');
    // The one script element is the JSON-LD data block, which the browser never runs (no CSP error).
    expect(await page.locator('script:not([type="application/ld+json"])').count()).toBe(0);
    expect(await page.locator('script[type="application/ld+json"]').count()).toBe(1);
    expect(errors).toEqual([]);
  });

  it('stays readable on a phone-sized screen', async () => {
    // Prepare
    const page = await browser.newPage({ viewport: { width: 375, height: 800 } });

    // Act
    await page.goto(new URL('index.html', pipeline.config.publicUrl).href);
    const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
    await page.screenshot({ path: `${SCREENSHOTS}index-phone.png` });

    // Assess
    expect(overflow).toBeLessThanOrEqual(0);
  });
});

describe('the demo npm start publishes', () => {
  let pipeline: TestPipeline;
  let browser: Browser;

  beforeAll(async () => {
    pipeline = await startDemo();
    browser = await launch();
  });

  afterAll(async () => {
    await browser?.close();
    await pipeline.dispose();
  });

  it('shows its five languages, the science category and every demo image, served by the local server', async () => {
    // Prepare
    const page = await browser.newPage({ viewport: { width: 1000, height: 1250 } });
    await routeDemoImages(page, pipeline.endpoint);
    const failed: string[] = [];
    page.on('response', (r) => {
      if (r.status() >= 400) failed.push(`${r.status()} ${r.url()}`);
    });

    // Act
    await page.goto(pipeline.config.publicUrl, { waitUntil: 'load' });
    const languages = await page
      .locator('li.item')
      .evaluateAll((items) => items.map((i) => i.getAttribute('lang')));
    const categories = await page
      .locator('nav[aria-label="Categories"] li > a:first-child')
      .allTextContents();
    const images = await loadedImages(page, 'img[src*="/demo-images/"]');
    const science = await page.goto(new URL('categories/science/', pipeline.config.publicUrl).href);

    // Assess
    expect([...languages].sort()).toEqual(['ar', 'el', 'en', 'he', 'ja', 'zh-CN']);
    expect(categories).toEqual(expect.arrayContaining(['science', '中国']));
    expect(images).toHaveLength(5);
    expect(images.every((width) => width > 0)).toBe(true);
    expect(science?.status()).toBe(200);
    expect(await page.locator('li.item').count()).toBe(3);
    expect(failed).toEqual([]);
  });
});
