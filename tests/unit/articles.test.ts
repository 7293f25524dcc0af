import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Item } from '../../lambdas/seedfeed/core/item.js';
import { parseSeed } from '../../lambdas/seedfeed/core/seed.js';
import { atomEntry } from '../../lambdas/seedfeed/render/atom.js';
import { xmlProblem } from '../../lambdas/seedfeed/render/check.js';
import { renderFeeds } from '../../lambdas/seedfeed/render/feeds.js';
import { jsonItem } from '../../lambdas/seedfeed/render/json.js';
import { RenderCache } from '../../lambdas/seedfeed/render/memo.js';
import { rssItem } from '../../lambdas/seedfeed/render/rss.js';
import { ARTICLES_DIR, articleSeeds } from '../fixtures/articles.js';
import { makeSettings } from '../support/items.js';

// The article corpus (tests/fixtures/articles): one real-world shape per file, each class of issue 14
// with a targeted assertion on the item the pure core publishes from it.

const OPTIONS = { defaultLanguage: 'en', maxBytes: 1_048_576 };
const UPLOADED = new Date('2024-06-03T00:00:00.000Z');

function article(name: string): Item {
  return parseSeed(
    { file: name, bytes: readFileSync(`${ARTICLES_DIR}${name}`), uploadedAt: UPLOADED },
    OPTIONS,
  );
}

/** The item of a seed with this body under a plain title. */
function withBody(body: string): Item {
  const bytes = new TextEncoder().encode(`[Title](https://e.com/world/a)\n---\n\n${body}`);
  return parseSeed({ file: 'x.txt', bytes, uploadedAt: UPLOADED }, OPTIONS);
}

const text = (html: string): string =>
  html
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();

describe('the article corpus', () => {
  it('holds at least 40 articles, every one of which publishes', () => {
    // Prepare
    const names = Object.keys(articleSeeds());

    // Act
    const items = names.map(article);

    // Assess
    expect(names.length).toBeGreaterThanOrEqual(40);
    for (const item of items) expect(item.contentHtml, item.link).not.toBe('');
  });
});

describe('languages that share a script', () => {
  it.each([
    ['uk-kyiv-budget.txt', 'uk'],
    ['uk-ukr-path.txt', 'uk'],
    ['uk-podcast.txt', 'uk'],
    ['ru-bridge.txt', 'ru'],
    ['ru-photo-lazy.txt', 'ru'],
    ['fa-metro-path.txt', 'fa'],
    ['fa-snow-nohint.txt', 'fa'],
    ['ar-vaccination.txt', 'ar'],
    ['ar-photo-essay.txt', 'ar'],
    ['he-rail.txt', 'he'],
    ['zh-shanghai.txt', 'zh-CN'],
    ['fr-budget.txt', 'fr'],
    ['title-numbered.txt', 'de'],
    ['boiler-cookie-banner.txt', 'en'],
    // English with French-looking names on a .com host: Latin text needs a hint and the model to agree.
    ['broken-td-without-tr.txt', 'en'],
  ])('tags %s as %s', (name, language) => {
    expect(article(name).language).toBe(language);
  });
});

describe('an item in another language than the feed', () => {
  it('has its own dc:language in RSS and xml:lang in Atom; one in the feed language has neither', () => {
    // Prepare
    const settings = makeSettings({ language: 'en' });
    const ukrainian = article('uk-kyiv-budget.txt');
    const english = article('boiler-cookie-banner.txt');

    // Act
    const rss = [
      rssItem(ukrainian, settings, new RenderCache()).text,
      rssItem(english, settings, new RenderCache()).text,
    ];
    const atom = atomEntry(ukrainian, settings, new RenderCache()).text;

    // Assess
    expect(rss[0]).toContain('<dc:language>uk</dc:language>');
    expect(rss[1]).not.toContain('dc:language');
    expect(atom).toContain('<entry xml:lang="uk">');
  });

  it('declares Dublin Core when dc:language is its only use (an author e-mail leaves out dc:creator)', () => {
    // Prepare
    const settings = makeSettings({ language: 'en', authorEmail: 'desk@example.com' });

    // Act
    const result = renderFeeds([article('uk-kyiv-budget.txt')], settings);
    const rss = result.files.find((file) => file.key === 'rss.xml')?.body ?? '';

    // Assess
    expect(result.excluded).toEqual([]);
    expect(rss).not.toContain('dc:creator');
    expect(rss).toContain('xmlns:dc="http://purl.org/dc/elements/1.1/"');
    expect(xmlProblem(rss)).toBeUndefined();
  });
});

describe('audio and video', () => {
  it.each([
    ['podcast-audio-source.txt', 'https://media.example.org/field-notes/ep42.mp3', 'audio/mpeg'],
    ['podcast-audio-src.txt', 'https://radio.example.com/audio/briefing-2024-06-01.m4a', 'audio/mp4'],
    ['video-sources.txt', 'https://cdn.example-tv.com/v/eclipse.webm', 'video/webm'],
    ['podcast-download-link.txt', 'https://files.example.net/audio/lighthouse-keeper.mp3', 'audio/mpeg'],
    ['uk-podcast.txt', 'https://audio.example-radio.com.ua/files/tyzhden-12.ogg', 'audio/ogg'],
  ])('%s carries its media as the enclosure', (name, url, type) => {
    expect(article(name).enclosure).toEqual({ url, type });
  });

  it.each([
    [
      '<p><a href="/ep.mp3?dl=1#start">MP3</a></p>',
      { url: 'https://e.com/ep.mp3?dl=1#start', type: 'audio/mpeg' },
    ],
    [
      '<p><a href="/ep.MP4">MP4</a> <a href="/b.mp3">MP3</a></p>',
      { url: 'https://e.com/ep.MP4', type: 'video/mp4' },
    ],
    ['<p><a href="/ep.mp3/page">page</a> <a href="https://e.mp3/">host</a></p>', undefined],
  ])('takes the first link to a media file as the enclosure of %s', (body, enclosure) => {
    expect(withBody(body).enclosure).toEqual(enclosure);
  });

  it('keeps the player and the fallback download link in the content', () => {
    // Act
    const { contentHtml } = article('podcast-audio-source.txt');

    // Assess
    expect(contentHtml).toContain(
      '<audio controls><source src="https://media.example.org/field-notes/ep42.mp3" type="audio/mpeg"></audio>',
    );
    expect(contentHtml).toContain(
      '<p><a href="https://media.example.org/field-notes/ep42.mp3">Download the episode (MP3)</a></p>',
    );
  });

  it('keeps every video source and the poster', () => {
    // Act
    const { contentHtml } = article('video-sources.txt');

    // Assess
    expect(contentHtml).toContain('poster="https://www.example-tv.com/img/eclipse-poster.jpg"');
    expect(contentHtml).toContain('<source src="https://cdn.example-tv.com/v/eclipse.mp4" type="video/mp4">');
    expect(contentHtml).toContain('Download the video (MP4, 48 MB)');
  });

  it('keeps the lead image as the image and the audio as the enclosure', () => {
    // Act
    const item = article('podcast-audio-src.txt');

    // Assess
    expect(item.image).toBe('https://radio.example.com/img/briefing-cover.jpg');
    expect(item.enclosure?.type).toBe('audio/mp4');
  });

  it('renders the audio as the one RSS enclosure, an Atom enclosure link and a JSON attachment', () => {
    // Prepare
    const item = article('podcast-audio-src.txt');
    const settings = makeSettings();

    // Act
    const rss = rssItem(item, settings, new RenderCache()).text;
    const atom = atomEntry(item, settings, new RenderCache()).text;
    const json = JSON.parse(jsonItem(item, new RenderCache()).text);

    // Assess
    expect(rss.match(/<enclosure /g)).toHaveLength(1);
    expect(rss).toContain(
      '<enclosure length="0" type="audio/mp4" url="https://radio.example.com/audio/briefing-2024-06-01.m4a"/>',
    );
    expect(atom).toContain(
      '<link rel="enclosure" href="https://radio.example.com/audio/briefing-2024-06-01.m4a" type="audio/mp4"/>',
    );
    expect(json.attachments).toEqual([
      { url: 'https://radio.example.com/audio/briefing-2024-06-01.m4a', mime_type: 'audio/mp4' },
    ]);
  });
});

describe('photos and their credits', () => {
  it('keeps the caption and credit of the lead figure taken as the item image', () => {
    // Act
    const item = article('photo-lead-figure.txt');

    // Assess
    expect(item.image).toBe('https://img.example-wire.com/2024/06/floods.jpg');
    expect(text(item.contentHtml)).toContain('A family wades through flood water in the delta on Friday.');
    expect(text(item.contentHtml)).toContain('Photo: Jane Doe / Example Wire');
    expect(item.summary).toBe('Monsoon floods have left thousands of people homeless.');
  });

  it.each([
    [
      'photo-essay.txt',
      ['<cite>Aigerim Sadykova</cite>', '© Aigerim Sadykova for Example Magazine', '03.jpg'],
    ],
    ['photo-credit-byline.txt', ['Credit: Tom Berg/Example News', 'Fishing boats return at dawn.']],
    ['ar-photo-essay.txt', ['تصوير: أحمد سالم', 'مزارعون يحصدون القمح في الوادي.']],
    ['zh-composite.txt', ['（摄影：李明）']],
    ['ru-photo-lazy.txt', ['Фото: Иван Петров']],
  ])('%s keeps every caption and credit', (name, wanted) => {
    const { contentHtml } = article(name);
    for (const phrase of wanted) expect(contentHtml).toContain(phrase);
  });
});

describe('images', () => {
  it('replaces a lazy placeholder by the real image inside <noscript>, once', () => {
    // Act
    const { contentHtml } = article('lazy-noscript.txt');

    // Assess
    expect(contentHtml).toContain(
      '<img src="https://www.example-city.com/media/bridge-wide.jpg" alt="The bridge seen from the river">',
    );
    expect(contentHtml.match(/<img /g)).toHaveLength(1);
  });

  it('takes the real image inside <noscript> as the lead image', () => {
    expect(article('lazy-noscript-lead.txt').image).toBe(
      'https://www.example-city.com/media/market-hall.jpg',
    );
  });

  it('takes data-src over a blank placeholder as the lead image', () => {
    expect(article('ru-photo-lazy.txt').image).toMatch(/^https:\/\/img\.example-gazeta\.ru\/2024\/06\//);
  });

  it('keeps the alt text of a data: image', () => {
    // Act
    const { contentHtml } = article('data-image-alt.txt');

    // Assess
    expect(contentHtml).toContain('Chart: rainfall in the west was twice the average in April');
    expect(contentHtml).not.toContain('data:');
  });

  it.each([
    ['picture-only.txt', 'https://www.example-daily.com/cartoons/0601.png'],
    ['image-only-plain.txt', 'https://www.example-daily.com/frontpages/2024-06-01.jpg'],
  ])('publishes the picture of %s, an article that is only a picture', (name, src) => {
    // Act
    const item = article(name);

    // Assess
    expect(item.image).toBe(src);
    expect(item.contentHtml).toContain(`<img src="${src}"`);
  });
});

describe('embeds', () => {
  it('links a lazy Datawrapper chart (src="about:blank", data-src) by its title', () => {
    expect(article('embed-datawrapper.txt').contentHtml).toContain(
      '<a href="https://datawrapper.dwcdn.net/AbC12/3/">Unemployment rate by region</a>',
    );
  });

  it('keeps the start time of a YouTube video, without a paragraph inside a paragraph', () => {
    // Act
    const { contentHtml } = article('embed-youtube-start.txt');

    // Assess
    expect(contentHtml).toContain('href="https://www.youtube.com/watch?v=dQw4w9WgXcQ&amp;t=95s"');
    expect(contentHtml).not.toMatch(/<p>(?:(?!<\/p>).)*<p>/);
  });

  it('resolves a lazy YouTube embed with its start', () => {
    expect(article('embed-lazy-youtube.txt').contentHtml).toContain(
      'href="https://www.youtube.com/watch?v=aqz-KE-bpKQ&amp;t=30s"',
    );
  });

  it.each([
    ['embed-vimeo.txt', 'https://vimeo.com/76979871/8272103f6e', 'Vimeo'],
    ['embed-spotify.txt', 'https://open.spotify.com/episode/4rOoJ6Egrf8K2IrywzwOMk', 'Spotify'],
  ])('%s links the page of the video, not the player, named by its service', (name, href, label) => {
    // Act
    const { contentHtml } = article(name);

    // Assess
    expect(contentHtml).toContain(`<a href="${href}">`);
    expect(contentHtml).toContain(label);
    expect(contentHtml).not.toMatch(/>(?:player\.vimeo\.com|open\.spotify\.com)</);
  });
});

describe('Word-pasted HTML', () => {
  it('keeps the words and drops Office markup', () => {
    // Act
    const { contentHtml } = article('word-pasted.txt');

    // Assess
    expect(contentHtml).not.toMatch(/o:p|mso|w:|\[if/i);
    expect(contentHtml).toContain('Members voted to keep the club at its home of ninety years. A new stand');
    expect(text(contentHtml)).toContain('Season tickets go on sale in July.');
  });

  it('keeps a Word table as a table', () => {
    expect(article('word-pasted-table.txt').contentHtml).toContain(
      '<tr><td><p>Boat</p></td><td><p>Time</p></td></tr>',
    );
  });
});

describe('broken markup', () => {
  it('puts cells without a row into rows', () => {
    // Act
    const { contentHtml } = article('broken-td-without-tr.txt');

    // Assess
    expect(contentHtml).toContain('<thead><tr><th>District</th><th>Winner</th></tr></thead>');
    expect(contentHtml).toContain('<tbody><tr><td>North</td><td>Greens</td></tr></tbody>');
    expect(contentHtml).toContain('<table><tr><td>South</td><td>Liberals</td></tr></table>');
  });

  it('keeps <center> a block and <font> text apart from the words around them', () => {
    // Act
    const item = article('broken-center-font.txt');

    // Assess
    expect(item.contentHtml).toContain('<div>Centered text from the past</div>');
    expect(item.contentHtml).not.toMatch(/<\/?(?:center|font)/);
    expect(item.summary).toBe('The page from 1998 survives?');
  });

  it('resolves relative URLs against <base href>', () => {
    // Act
    const { contentHtml, image } = article('broken-base-href.txt');

    // Assess
    expect(image ?? contentHtml).toContain('https://static.example-museum.org/press/2024/images/wing.jpg');
    expect(contentHtml).toContain('href="https://static.example-museum.org/press/floorplan.pdf"');
  });

  it('keeps tel: and sms: links', () => {
    // Act
    const { contentHtml } = article('broken-tel-link.txt');

    // Assess
    expect(contentHtml).toMatch(/<a href="tel:\+44[^"]*">020 7946 0000<\/a>/);
    expect(contentHtml).toContain('<a href="sms:+447700900123">');
    expect(contentHtml).toContain('<a href="mailto:help@example-council.gov.uk">');
  });

  it('closes what was left open', () => {
    expect(text(article('broken-unclosed.txt').contentHtml)).toContain('Stake early');
  });
});

describe('boilerplate is removed by structure', () => {
  it.each([
    ['boiler-cookie-banner.txt', 'Four new cycle lanes', ['cookies', 'Accept all', 'Privacy policy']],
    ['boiler-consent-cmp.txt', 'Every primary school', ['consent', 'privacy choices', 'Manage options']],
    ['zh-composite.txt', '受强降雨影响', ['cookie', '同意']],
  ])('%s opens with the article, not the consent banner', (name, lead, gone) => {
    // Act
    const item = article(name);

    // Assess
    expect(item.summary.startsWith(lead)).toBe(true);
    for (const phrase of gone) expect(item.contentHtml).not.toContain(phrase);
  });

  it('keeps article words that happen to name a cookie', () => {
    expect(article('boiler-consent-cmp.txt').contentHtml).toContain(
      'The cookie jar in the staff room is safe.',
    );
  });

  it.each(['boiler-ad-slot.txt', 'boiler-ad-unclassed.txt', 'zh-composite.txt'])(
    'drops the advertisement slots of %s with their labels and banner images',
    (name) => {
      // Act
      const { contentHtml } = article(name);

      // Assess
      expect(contentHtml).not.toMatch(/>\s*advertisement\s*</i);
      expect(contentHtml).not.toMatch(/doubleclick|googlesyndication|banners\//);
      expect(contentHtml).not.toContain('width="728"');
    },
  );

  it('keeps article text about advertising', () => {
    expect(article('boiler-ad-unclassed.txt').contentHtml).toContain(
      'Advertisement spending in newspapers rose for the first time in a decade.',
    );
  });

  it('drops "Follow us" blocks of profile links, and keeps a link to a post', () => {
    // Act
    const { contentHtml } = article('boiler-follow-us.txt');

    // Assess
    expect(contentHtml).not.toMatch(/Follow us|instagram|facebook/i);
    expect(contentHtml).toContain('https://twitter.com/example_band/status/1796000000000000000');
  });

  it.each(['boiler-copyright.txt', 'zh-composite.txt'])('drops the copyright lines of %s', (name) => {
    // Act
    const { contentHtml } = article(name);

    // Assess
    expect(contentHtml).not.toContain('©');
    expect(contentHtml).not.toMatch(/droits réservés|版权所有/);
  });

  it('keeps captions that credit a photographer with ©', () => {
    expect(article('photo-essay.txt').contentHtml).toContain('© Aigerim Sadykova for Example Magazine');
  });
});

describe('characters', () => {
  it('maps C1 controls to what Windows-1252 means by them', () => {
    // Act
    const item = article('chars-c1-controls.txt');

    // Assess
    expect(item.title).toBe('It’s a record: sales up 5–10% “this year”');
    expect(item.summary).toBe('Retailers say it’s the best spring since 2019…');
    expect(item.contentHtml).toContain('Prices rose by €2 — on average.');
    expect(`${item.title}${item.contentHtml}`).not.toMatch(/[\u0080-\u009f]/);
  });
});

describe('titles', () => {
  it.each([
    ['title-markdown-emphasis.txt', 'Exclusive: Minister to resign, sources say'],
    ['title-code-generics.txt', 'Rust 1.80 stabilises LazyCell<T> and LazyLock<T> & more'],
    ['title-numbered.txt', '1. FC Köln wins 3–1 in Bremen *again*'],
  ])('renders the inline Markdown of %s as plain text', (name, title) => {
    expect(article(name).title).toBe(title);
  });

  it('keeps a title of 418 characters whole', () => {
    // Act
    const { title } = article('title-long.txt');

    // Assess
    expect(title).toHaveLength(418);
    expect(title.endsWith('a sum the report says could have been avoided entirely')).toBe(true);
  });
});

describe('furniture is recognised by structure, and only while it is small', () => {
  it('drops an ad frame from an ad host, protocol-relative, with its label', () => {
    // Act
    const { contentHtml } = withBody(
      '<p>Kept.</p><div><span>Advertisement</span><iframe src="//googleads.g.doubleclick.net/pagead/ads?x=1"></iframe></div>',
    );

    // Assess
    expect(contentHtml).toBe('<p>Kept.</p>');
  });

  it('keeps an article whose wrapper is marked "ad-free", drops a small element so marked', () => {
    // Prepare
    const paragraphs = '<p>A paragraph of the article, long enough to be one.</p>'.repeat(40);

    // Act
    const large = withBody(`<div class="article ad-free">${paragraphs}</div>`);
    const small = withBody(`<p>Kept.</p><div class="ad-free">Go ad-free for 1 €</div>`);

    // Assess
    expect(large.contentHtml.match(/<p>/g)).toHaveLength(40);
    expect(small.contentHtml).toBe('<p>Kept.</p>');
  });
});

describe('players and embeds inside a paragraph', () => {
  it('put no paragraph inside the paragraph', () => {
    // Act
    const { contentHtml } = withBody('<p>Listen: <audio src="/a.mp3"><a href="/a.mp3">MP3</a></audio></p>');

    // Assess
    expect(contentHtml).toBe(
      '<p>Listen: <audio src="https://e.com/a.mp3" controls></audio><a href="https://e.com/a.mp3">MP3</a></p>',
    );
  });
});
