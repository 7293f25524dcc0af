import { parseFeed } from '@rowanmanning/feed-parser';
import Parser from 'rss-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HTML_LIMITS } from '../../lambdas/seedfeed/core/html.js';
import { xmlProblem } from '../../lambdas/seedfeed/render/check.js';
import { SHAPE_LINK, SHAPES } from '../property/shapes.js';
import { hostileCorpus } from '../support/corpus.js';
import { startPipeline, type TestPipeline } from '../support/pipeline.js';
import { makeSeed, REAL_SEED_FILE, realSeed } from '../support/seeds.js';

describe('the hostile corpus through the whole pipeline', () => {
  const corpus = hostileCorpus();
  let pipeline: TestPipeline;

  beforeAll(async () => {
    pipeline = await startPipeline();
    // A huge but legal body, made here rather than committed.
    const huge = `<!--1706701140000-->\n[Huge body](https://hostile.example.com/huge)\n------\n\n${'<p>Long paragraph of text. </p>'.repeat(30_000)}\n`;
    await pipeline.publish({ ...corpus.seeds, 'huge.txt': huge, [REAL_SEED_FILE]: realSeed() });
  });

  afterAll(async () => {
    await pipeline.dispose();
  });

  it('publishes every seed whose intent is clear and rejects the rest, naming the file and the problem', () => {
    // Act
    const outcomes = new Map(pipeline.queue.results.flatMap((r) => r.outcomes).map((o) => [o.seedKey, o]));

    // Assess
    for (const name of [...corpus.published, 'huge.txt', REAL_SEED_FILE]) {
      expect(outcomes.get(`seeds/${name}`)?.status, name).toBe('published');
    }
    for (const [name, phrase] of Object.entries(corpus.rejected)) {
      const outcome = outcomes.get(`seeds/${name}`);
      expect(outcome?.status, name).toBe('rejected');
      expect(outcome?.status === 'rejected' && outcome.reason).toContain(`seeds/${name}: `);
      expect(outcome?.status === 'rejected' && outcome.reason).toContain(phrase);
    }
    expect(pipeline.queue.deadLetters).toEqual([]);
  });

  it('keeps every feed well-formed and readable by two parsers', async () => {
    // Act
    const rss = await pipeline.fetch('rss.xml');
    const atom = await pipeline.fetch('atom.xml');
    const json = JSON.parse((await pipeline.fetch('feed.json')).body) as { items: { title: string }[] };

    // Assess
    const count = corpus.published.length + 2;
    expect(xmlProblem(rss.body)).toBeUndefined();
    expect(xmlProblem(atom.body)).toBeUndefined();
    expect(json.items).toHaveLength(count);
    for (const body of [rss.body, atom.body]) {
      expect((await new Parser().parseString(body)).items).toHaveLength(count);
      expect(parseFeed(body).items).toHaveLength(count);
    }
  });

  it('publishes no active content and no relative URLs', async () => {
    // Act
    const { body } = await pipeline.fetch('feed.json');
    const html = (JSON.parse(body) as { items: { content_html: string }[] }).items
      .map((i) => i.content_html)
      .join('\n');

    // Assess
    expect(html).not.toMatch(/<(script|style|iframe|svg|math|form|object|embed|meta|base)\b/i);
    expect(html).not.toMatch(/\son\w+=/i);
    expect(html).not.toMatch(/(?:href|src)="(?!https?:|mailto:)/i);
    expect(html).not.toMatch(/javascript:|data:/i);
    expect(html).toContain('href="https://hostile.example.com/up"');
    expect(html).toContain('src="https://hostile.example.com/lazy.jpg"');
    expect(html).toContain('src="https://hostile.example.com/section/big.png"');
    expect(html).toContain('href="https://www.youtube.com/watch?v=dQw4w9WgXcQ"');
    expect(html).not.toContain('pixel.gif');
  });

  it('gives right-to-left and other scripts their language', async () => {
    // Act
    const { body } = await pipeline.fetch('feed.json');
    const items = (JSON.parse(body) as { items: { url: string; language: string }[] }).items;
    const language = (url: string) => items.find((i) => i.url === url)?.language;

    // Assess
    expect(language('https://hostile.example.com/ar/news')).toBe('ar');
    expect(language('https://hostile.example.com/he/news')).toBe('he');
    expect(items.find((i) => i.url.startsWith('https://www.rfi.fr/'))?.language).toBe('zh-CN');
  });
});

describe('a batch holding pathological seeds', () => {
  let pipeline: TestPipeline;
  // Every shape at 300 KB, and one seed over the element budget, beside two ordinary seeds.
  const shaped = Object.fromEntries(
    SHAPES.map((shape, i) => [
      `shape-${i}.txt`,
      shape.build(300 * 1_024).replace(SHAPE_LINK, `${SHAPE_LINK}-${i}`),
    ]),
  );
  const seeds = {
    ...shaped,
    'over-budget.txt': makeSeed({ body: '<br>'.repeat(HTML_LIMITS.nodes + 1) }),
    'good-1.txt': makeSeed({ url: 'https://hostile.example.com/good/1' }),
    'good-2.txt': makeSeed({ url: 'https://hostile.example.com/good/2' }),
  };

  beforeAll(async () => {
    // One delivery only: a seed that failed its batch would go straight to the dead-letter queue.
    pipeline = await startPipeline({}, { maxReceives: 1 });
    await pipeline.publish(seeds);
  });

  afterAll(async () => {
    await pipeline.dispose();
  });

  it('publishes or rejects each on the first delivery, the ordinary seeds published', () => {
    // Act
    const outcomes = new Map(pipeline.queue.results.flatMap((r) => r.outcomes).map((o) => [o.seedKey, o]));

    // Assess
    expect(pipeline.queue.deadLetters).toEqual([]);
    for (const name of Object.keys(seeds)) {
      expect(['published', 'rejected'], name).toContain(outcomes.get(`seeds/${name}`)?.status);
    }
    expect(outcomes.get('seeds/good-1.txt')?.status).toBe('published');
    expect(outcomes.get('seeds/good-2.txt')?.status).toBe('published');
    const overBudget = outcomes.get('seeds/over-budget.txt');
    expect(overBudget?.status === 'rejected' && overBudget.reason).toContain(
      `more than ${HTML_LIMITS.nodes} elements and comments`,
    );
  });

  it('keeps the feeds well-formed, the ordinary seeds in them', async () => {
    // Act
    const rss = await pipeline.fetch('rss.xml');
    const atom = await pipeline.fetch('atom.xml');
    const json = JSON.parse((await pipeline.fetch('feed.json')).body) as { items: { url: string }[] };

    // Assess: the 300 KB articles fill the feeds' byte budget, so only the newest are in them.
    expect(xmlProblem(rss.body)).toBeUndefined();
    expect(xmlProblem(atom.body)).toBeUndefined();
    const urls = json.items.map((item) => item.url);
    expect(urls).toContain('https://hostile.example.com/good/1');
    expect(urls).toContain('https://hostile.example.com/good/2');
  });
});
