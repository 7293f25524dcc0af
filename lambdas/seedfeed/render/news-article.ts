import type { Author, Item } from '../core/item.js';
import type { RenderCache } from './memo.js';
import type { FeedSettings } from './settings.js';

/** A byline read from a page may link anywhere; only web pages are linked. */
export function authorLink(author: Author): string | undefined {
  return author.url && /^https?:\/\//.test(author.url) ? author.url : undefined;
}

/**
 * schema.org `NewsArticle` structured data for the page's stories, as one JSON-LD `@graph`, ready to be
 * the text of a `<script type="application/ld+json">`. Each story's object is kept in the render cache
 * with the item, since only the publisher settings besides the item shape it.
 */
export function newsArticlesJsonLd(
  items: readonly Item[],
  settings: FeedSettings,
  cache: RenderCache,
): string {
  const publisher = settings.newsPublicationName ?? settings.feedTitle;
  const articles = items.map((item) =>
    cache.get(
      'json-ld',
      // Joined, not hashed: a hash per story per render was a tenth of a warm render.
      `${cache.keyOf(item)}|${publisher}|${settings.siteUrl}|${settings.iconUrl ?? ''}`,
      () => scriptSafe(JSON.stringify(newsArticle(item, settings, publisher))),
      (json) => 2 * json.length,
    ),
  );
  // Each story's JSON is made script-safe once, when it is kept; the frame around them needs nothing.
  return `{"@context":"https://schema.org","@graph":[${articles.join(',')}]}`;
}

function newsArticle(item: Item, settings: FeedSettings, publisher: string): Record<string, unknown> {
  const authors = (item.authors ?? []).filter((author) => author.name.trim() !== '').map(person);
  return {
    '@type': 'NewsArticle',
    headline: item.title,
    url: item.link,
    mainEntityOfPage: { '@type': 'WebPage', '@id': item.link },
    datePublished: item.published,
    dateModified: item.updated ?? item.published,
    ...(authors.length > 0 ? { author: authors } : {}),
    publisher: {
      '@type': 'Organization',
      name: publisher,
      url: settings.siteUrl,
      ...(settings.iconUrl ? { logo: { '@type': 'ImageObject', url: settings.iconUrl } } : {}),
    },
    ...(item.image ? { image: [item.image] } : {}),
    // No `description`: Google does not read it for articles, and the summary is already on the page
    // (twice the page's bytes to encode on every render, for nothing).
    inLanguage: item.language,
  };
}

function person(author: Author): Record<string, unknown> {
  const url = authorLink(author);
  return { '@type': 'Person', name: author.name, ...(url ? { url } : {}) };
}

/**
 * JSON as the text of a script element: an HTML parser ends the element at `</script` and reads
 * `<!--` specially, whatever the JSON means, so `<` is written as its JSON escape (and `>` and `&`
 * with it); U+2028 and U+2029 are escaped for the JavaScript tools that read JSON-LD as a script.
 */
export function scriptSafe(json: string): string {
  return json.replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
