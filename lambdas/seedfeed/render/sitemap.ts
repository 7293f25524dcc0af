import type { Item } from '../core/item.js';
import { byCodeUnits } from '../core/text.js';
import { itemProblem } from './check.js';
import { escapeMarkup } from './escape.js';
import type { RenderCache } from './memo.js';

export const SITEMAP_FILE = {
  key: 'news-sitemap.xml',
  contentType: 'application/xml; charset=utf-8',
} as const;

export const SITEMAP_NAMESPACE = 'http://www.sitemaps.org/schemas/sitemap/0.9';
export const NEWS_NAMESPACE = 'http://www.google.com/schemas/sitemap-news/0.9';

/** Google News takes articles "created in the last two days" and at most 1,000 `<news:news>` per file. */
export const NEWS_WINDOW_MS = 2 * 24 * 60 * 60 * 1_000;
export const NEWS_MAX_URLS = 1_000;
// The sitemap protocol's limit for a <loc>; a longer URL makes the whole file invalid.
const MAX_LOC = 2_047;

export interface NewsSitemapInput {
  /** The publication's name exactly as Google News shows it (without a trailing parenthetical). */
  publication: string;
  /** The instant the sitemap describes (ISO 8601): the window ends here and nothing after it is listed. */
  now: string;
}

/**
 * A Google News sitemap of the articles published in the two days up to `now` (both ends included),
 * newest first, at most 1,000. Pure: `now` is an argument, never the clock. Items that are not
 * renderable (see itemProblem) or whose link is too long for `<loc>` are left out. With a cache, each
 * article's entry is written once per item version and publication name.
 */
export function renderNewsSitemap(
  items: readonly Item[],
  input: NewsSitemapInput,
  cache?: RenderCache,
): string {
  const end = Date.parse(input.now);
  const start = end - NEWS_WINDOW_MS;
  const name = escapeMarkup(input.publication);
  const entryOf = (item: Item) =>
    cache
      ? cache.get(
          'sitemap',
          `${cache.keyOf(item)}|${name}`,
          () => urlEntry(item, name),
          (t) => 2 * t.length,
        )
      : urlEntry(item, name);
  const urls = items
    .map((item) => ({ item, at: Date.parse(item.published) }))
    .filter(({ at }) => at >= start && at <= end)
    .sort((a, b) => b.at - a.at || byCodeUnits(a.item.id, b.item.id))
    .map(({ item }) => entryOf(item))
    .filter((entry) => entry !== '')
    .slice(0, NEWS_MAX_URLS);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<urlset xmlns="${SITEMAP_NAMESPACE}" xmlns:news="${NEWS_NAMESPACE}">`,
    ...urls,
    '</urlset>',
    '',
  ].join('\n');
}

/** One article's `<url>`, or '' for one the sitemap must leave out. */
function urlEntry(item: Item, name: string): string {
  if (itemProblem(item) || item.link.length > MAX_LOC) return '';
  return [
    '  <url>',
    `    <loc>${escapeMarkup(item.link)}</loc>`,
    '    <news:news>',
    '      <news:publication>',
    `        <news:name>${name}</news:name>`,
    `        <news:language>${newsLanguage(item.language)}</news:language>`,
    '      </news:publication>',
    `      <news:publication_date>${w3cDateTime(Date.parse(item.published))}</news:publication_date>`,
    `      <news:title>${escapeMarkup(item.title)}</news:title>`,
    '    </news:news>',
    '  </url>',
  ].join('\n');
}

/**
 * Google wants an ISO 639 code of two or three letters, except zh-cn (Simplified) and zh-tw
 * (Traditional) for Chinese. A BCP 47 tag names the script or the region that tells them apart.
 */
export function newsLanguage(tag: string): string {
  const [primary = '', ...rest] = tag.toLowerCase().split('-');
  if (primary !== 'zh') return primary;
  const traditional = rest.some((subtag) => ['hant', 'tw', 'hk', 'mo'].includes(subtag));
  return traditional ? 'zh-tw' : 'zh-cn';
}

/** W3C Datetime "complete date plus hours, minutes and seconds" in UTC, as Google's examples write it. */
function w3cDateTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}
