import type { Author, Item } from '../core/item.js';
import { type Fragment, fragmentOf, fragmentWeight, type Piece } from './fragment.js';
import type { RenderCache } from './memo.js';
import { FEED_FILES, type FeedSettings } from './settings.js';
import { MAIN_VIEW, type View, viewTitle, viewUrl } from './view.js';

/** JSON Feed 1.1, written here because `feed` only knows 1.0 (single `author`, no `language`). */
export function jsonItem(item: Item, cache: RenderCache): Fragment {
  return cache.get(
    'json',
    cache.keyOf(item),
    () => {
      const text = JSON.stringify({
        id: item.id,
        url: item.link,
        title: item.title,
        content_html: item.contentHtml,
        summary: item.summary,
        ...(item.image ? { image: item.image } : {}),
        ...(item.enclosure
          ? { attachments: [{ url: item.enclosure.url, mime_type: item.enclosure.type }] }
          : {}),
        date_published: item.published,
        date_modified: item.updated ?? item.published,
        ...(item.categories.length > 0 ? { tags: item.categories } : {}),
        language: item.language,
        // JSON Feed's author has no address; its `url` may be a mailto: link (JSON Feed 1.1, authors).
        ...(item.authors?.length ? { authors: item.authors.map(jsonAuthor) } : {}),
      });
      return fragmentOf(text);
    },
    fragmentWeight,
  );
}

function jsonAuthor(author: Author): { name: string; url?: string } {
  const url = author.url ?? (author.email ? `mailto:${author.email}` : undefined);
  return { name: author.name, ...(url ? { url } : {}) };
}

export function jsonHead(settings: FeedSettings, view: View = MAIN_VIEW): string {
  const author = { name: settings.authorName, ...(settings.authorUrl ? { url: settings.authorUrl } : {}) };
  return JSON.stringify({
    version: 'https://jsonfeed.org/version/1.1',
    title: viewTitle(settings, view),
    home_page_url: settings.siteUrl,
    feed_url: viewUrl(settings, view, FEED_FILES.json.key),
    // JSON Feed pages towards older items with next_url: the main feed → newest archive → older ones.
    ...(view.prevArchive !== undefined
      ? { next_url: viewUrl(settings, { path: view.prevArchive }, FEED_FILES.json.key) }
      : {}),
    description: settings.feedDescription,
    ...(settings.iconUrl ? { icon: settings.iconUrl } : {}),
    ...(settings.faviconUrl ? { favicon: settings.faviconUrl } : {}),
    language: settings.language,
    authors: [author],
    ...(settings.hubUrl ? { hubs: [{ type: 'WebSub', url: settings.hubUrl }] } : {}),
    // JSON Feed has no place for related feeds; extensions start with an underscore.
    ...(view.related?.length
      ? {
          _seedfeed: {
            categories: view.related.map((r) => ({
              title: r.label,
              feed_url: viewUrl(settings, r, FEED_FILES.json.key),
            })),
          },
        }
      : {}),
  });
}

/** Items are joined as pre-serialized JSON: JSON.stringify escapes lone surrogates, so each is valid. */
export function renderJsonFeed(
  fragments: readonly Fragment[],
  settings: FeedSettings,
  view: View = MAIN_VIEW,
): Piece[] {
  const head = jsonHead(settings, view);
  const items = fragments.flatMap((fragment, i) => (i === 0 ? [fragment] : [',', fragment]));
  return [`${head.slice(0, -1)},"items":[`, ...items, ']}\n'];
}
