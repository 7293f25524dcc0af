import type { Item } from '../core/item.js';
import { isRightToLeft } from '../core/language.js';
import { escapeMarkup } from './escape.js';
import { RenderCache } from './memo.js';
import { authorLink, newsArticlesJsonLd } from './news-article.js';
import { FEED_FILES, type FeedSettings } from './settings.js';
import { MAIN_VIEW, type RelatedView, type View, viewTitle, viewUrl } from './view.js';

export const PAGE_FILE = { key: 'index.html', contentType: 'text/html; charset=utf-8' } as const;

// No scripts, no external resources: the page works in any browser and a strict CSP costs nothing.
const CSP =
  "default-src 'none'; img-src https: http: data:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'";

const STYLE = `
:root{color-scheme:light dark;--muted:#666;--line:#ddd;--accent:#0b57d0}
@media (prefers-color-scheme:dark){:root{--muted:#aaa;--line:#333;--accent:#8ab4f8}}
*{box-sizing:border-box}
body{margin:0 auto;max-width:52rem;padding:1rem;font:1rem/1.55 system-ui,-apple-system,"Segoe UI","Noto Sans","Noto Sans CJK SC","Noto Naskh Arabic",sans-serif}
header{border-bottom:1px solid var(--line);padding-bottom:.75rem;margin-bottom:1rem}
h1{margin:.2rem 0;font-size:1.8rem}
a{color:var(--accent)}
.subscribe{display:flex;flex-wrap:wrap;gap:.5rem;padding:0;list-style:none}
.subscribe a{display:inline-block;padding:.3rem .7rem;border:1px solid var(--line);border-radius:999px;text-decoration:none}
ol.items{list-style:none;padding:0;margin:0}
.item{display:grid;grid-template-columns:1fr;gap:.75rem;padding:1rem 0;border-bottom:1px solid var(--line)}
.item img{width:100%;height:auto;aspect-ratio:16/9;object-fit:cover;border-radius:.4rem;background:var(--line)}
.item h2{margin:0;font-size:1.2rem;line-height:1.35}
.item p{margin:.3rem 0 0}
time,.byline,.updated{color:var(--muted);font-size:.9rem}
.byline,.updated{margin:.1rem 0 0}
nav.sections ul{display:flex;flex-wrap:wrap;gap:.5rem;padding:0;list-style:none}
@media (min-width:40rem){.item.has-image{grid-template-columns:12rem 1fr}}
`;

/** The feeds' home page for people: newest items, autodiscovery and subscribe links. Pure. */
export function renderPage(
  items: readonly Item[],
  settings: FeedSettings,
  view: View = MAIN_VIEW,
  cache: RenderCache = new RenderCache(),
): string {
  const title = viewTitle(settings, view);
  const feeds = [
    { ...FEED_FILES.rss, label: 'RSS', type: 'application/rss+xml' },
    { ...FEED_FILES.atom, label: 'Atom', type: 'application/atom+xml' },
    { ...FEED_FILES.json, label: 'JSON Feed', type: 'application/feed+json' },
  ].map((feed) => ({ ...feed, href: viewUrl(settings, view, feed.key) }));
  const dir = isRightToLeft(settings.language) ? 'rtl' : 'ltr';
  const lines = [
    '<!DOCTYPE html>',
    `<html lang="${attr(settings.language)}" dir="${dir}">`,
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta http-equiv="Content-Security-Policy" content="${CSP}">`,
    '<meta name="referrer" content="no-referrer">',
    `<title>${text(title)}</title>`,
    // Without an icon link every browser asks for /favicon.ico, which the feeds bucket does not have.
    `<link rel="icon" href="${attr(settings.faviconUrl ?? 'data:,')}">`,
    `<meta name="description" content="${attr(settings.feedDescription)}">`,
    ...openGraph(settings, view, title),
    ...feeds.map(
      (feed) =>
        `<link rel="alternate" type="${feed.type}" title="${attr(`${title} (${feed.label})`)}" href="${attr(feed.href)}">`,
    ),
    `<style>${STYLE.trim()}</style>`,
    // Data, not a program: browsers never run it, so the CSP's ban on scripts still holds.
    ...(items.length > 0
      ? [`<script type="application/ld+json">${newsArticlesJsonLd(items, settings, cache)}</script>`]
      : []),
    '</head>',
    '<body>',
    '<header>',
    `<h1>${text(title)}</h1>`,
    `<p>${text(settings.feedDescription)}</p>`,
    '<nav aria-label="Subscribe">',
    '<ul class="subscribe">',
    ...feeds.map((feed) => `<li><a href="${attr(feed.href)}" type="${feed.type}">${feed.label}</a></li>`),
    '</ul>',
    '</nav>',
    '</header>',
    ...(view.kind === 'main'
      ? []
      : [`<p><a href="${attr(viewUrl(settings, MAIN_VIEW, PAGE_FILE.key))}">All articles</a></p>`]),
    ...collections(view, settings),
    '<main>',
    items.length === 0
      ? '<p>No articles yet.</p>'
      : `<ol class="items">\n${items.map((item) => pageItem(item, cache)).join('\n')}\n</ol>`,
    '</main>',
    '</body>',
    '</html>',
    '',
  ];
  return lines.join('\n');
}

// Weighed as text: up to two bytes a character.
function pageItem(item: Item, cache: RenderCache): string {
  return cache.get(
    'page',
    cache.keyOf(item),
    () => itemHtml(item, cache),
    (html) => 2 * html.length,
  );
}

function itemHtml(item: Item, cache: RenderCache): string {
  const dir = isRightToLeft(item.language) ? 'rtl' : 'ltr';
  const image = item.image
    ? `<img src="${attr(item.image)}" alt="" loading="lazy" decoding="async" width="640" height="360">`
    : '';
  return [
    `<li class="item${item.image ? ' has-image' : ''}" lang="${attr(item.language)}" dir="${dir}">`,
    image,
    '<div>',
    `<h2><a href="${attr(item.link)}">${text(item.title)}</a></h2>`,
    `<time datetime="${attr(item.published)}">${text(formatDate(item.published, item.language, cache))}</time>`,
    byline(item),
    correction(item, cache),
    `<p>${text(item.summary)}</p>`,
    '</div>',
    '</li>',
  ]
    .filter(Boolean)
    .join('');
}

/** Open Graph, for link previews of the page itself (the stories carry their own on their sites). */
function openGraph(settings: FeedSettings, view: View, title: string): string[] {
  const og = [
    ['og:title', title],
    ['og:type', 'website'],
    ['og:url', viewUrl(settings, view, PAGE_FILE.key)],
    ['og:description', settings.feedDescription],
    ['og:site_name', settings.feedTitle],
    ...(settings.iconUrl ? [['og:image', settings.iconUrl]] : []),
  ];
  return og.map(
    ([property = '', content = '']) => `<meta property="${property}" content="${attr(content)}">`,
  );
}

// Words of the page's own interface inside a story keep the interface's language, not the story's.
const UI = 'lang="en" dir="ltr"';

function byline(item: Item): string {
  const authors = (item.authors ?? []).filter((author) => author.name.trim() !== '');
  if (authors.length === 0) return '';
  const names = authors.map((author) => {
    const url = authorLink(author);
    return url ? `<a rel="author" href="${attr(url)}">${text(author.name)}</a>` : text(author.name);
  });
  return `<p class="byline"><span ${UI}>By</span> ${names.join(', ')}</p>`;
}

/**
 * A story changed after it went out: a newer version replaced a published one (`corrected`, set by
 * the record phase), dated by when that version arrived. A first upload long after the publish time
 * (a backfill) is no correction.
 */
function correction(item: Item, cache: RenderCache): string {
  if (!item.corrected || !item.updated) return '';
  const when = formatDate(item.updated, item.language, cache);
  return `<p class="updated"><span ${UI}>Updated</span> <time datetime="${attr(item.updated)}">${text(when)}</time></p>`;
}

/** Links to the other pages: categories, authors, archive months (else the RFC 5005 neighbours). */
function collections(view: View, settings: FeedSettings): string[] {
  const neighbours = [view.nextArchive, view.prevArchive]
    .filter((path) => path !== undefined)
    .map((path) => ({ path, label: path.replace(/^archive\/|\/$/g, '') }));
  return [
    ...linkList('Categories', view.related ?? [], settings, true),
    ...linkList('Authors', view.authors ?? [], settings, true),
    ...linkList('Archives', view.archives ?? neighbours, settings, false),
  ];
}

function linkList(
  heading: string,
  list: readonly RelatedView[],
  settings: FeedSettings,
  feed: boolean,
): string[] {
  if (list.length === 0) return [];
  return [
    `<nav class="sections" aria-label="${attr(heading)}">`,
    `<h2>${text(heading)}</h2>`,
    '<ul>',
    ...list.map(
      (section) =>
        `<li><a href="${attr(viewUrl(settings, section, PAGE_FILE.key))}">${text(section.label)}</a>` +
        (feed
          ? ` (<a href="${attr(viewUrl(settings, section, FEED_FILES.rss.key))}" type="application/rss+xml">RSS</a>)`
          : '') +
        '</li>',
    ),
    '</ul>',
    '</nav>',
  ];
}

/** The date as the item's readers write it, in UTC so the bytes never depend on the host. */
function formatDate(iso: string, language: string, cache: RenderCache): string {
  // Building a formatter costs far more than using one; a page has few languages and many items.
  const formatter = cache.get(
    'date-format',
    language,
    () => dateFormatter(language),
    () => 0,
  );
  const date = new Date(iso);
  return formatter?.format(date) ?? date.toISOString().slice(0, 16).replace('T', ' ');
}

function dateFormatter(language: string): Intl.DateTimeFormat | undefined {
  try {
    return new Intl.DateTimeFormat(language, { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' });
  } catch {
    return undefined;
  }
}

// Text and attribute values escape alike (attributes are always double-quoted here).
const text = escapeMarkup;
const attr = escapeMarkup;
