import type { Item } from '../core/item.js';
import { FEED_FILES, type FeedSettings, feedUrl } from './settings.js';

/** JSON Feed 1.1, written here because `feed` only knows 1.0 (single `author`, no `language`). */
export function renderJsonFeed(items: readonly Item[], settings: FeedSettings): string {
  const author = {
    name: settings.authorName,
    ...(settings.authorUrl ? { url: settings.authorUrl } : {}),
  };
  const feed = {
    version: 'https://jsonfeed.org/version/1.1',
    title: settings.feedTitle,
    home_page_url: settings.siteUrl,
    feed_url: feedUrl(settings, FEED_FILES.json.key),
    description: settings.feedDescription,
    language: settings.language,
    authors: [author],
    items: items.map((item) => ({
      id: item.id,
      url: item.link,
      title: item.title,
      content_html: item.contentHtml,
      summary: item.summary,
      ...(item.image ? { image: item.image } : {}),
      date_published: item.published,
      date_modified: item.published,
      ...(item.categories.length > 0 ? { tags: item.categories } : {}),
      language: item.language,
    })),
  };
  return `${JSON.stringify(feed, null, 2)}\n`;
}
