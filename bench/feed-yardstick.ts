import { Feed } from 'feed';
import type { Item } from '../lambdas/seedfeed/core/item.js';
import { FEED_FILES, type FeedSettings } from '../lambdas/seedfeed/render/feeds.js';
import { feedUrl, GENERATOR } from '../lambdas/seedfeed/render/settings.js';

/**
 * `feed` 6 as its README uses it, with its defaults: one `Feed`, every item added with the fields
 * seedfeed publishes, then RSS 2.0, Atom 1.0 and JSON Feed (1.0, all `feed` writes). What a cold
 * render of the same items and formats is set beside.
 */
export function feedYardstick(items: readonly Item[], settings: FeedSettings): string[] {
  const latest = Math.max(0, ...items.map((item) => Date.parse(item.updated ?? item.published)));
  const feed = new Feed({
    id: settings.publicUrl,
    title: settings.feedTitle,
    description: settings.feedDescription,
    link: settings.siteUrl,
    language: settings.language,
    updated: new Date(latest),
    generator: GENERATOR,
    feedLinks: {
      rss: feedUrl(settings, FEED_FILES.rss.key),
      atom: feedUrl(settings, FEED_FILES.atom.key),
      json: feedUrl(settings, FEED_FILES.json.key),
    },
    author: {
      name: settings.authorName,
      ...(settings.authorEmail ? { email: settings.authorEmail } : {}),
      ...(settings.authorUrl ? { link: settings.authorUrl } : {}),
    },
    ...(settings.hubUrl ? { hub: settings.hubUrl } : {}),
    ...(settings.iconUrl ? { image: settings.iconUrl } : {}),
    ...(settings.faviconUrl ? { favicon: settings.faviconUrl } : {}),
  });
  for (const item of items) {
    feed.addItem({
      title: item.title,
      id: item.id,
      link: item.link,
      date: new Date(item.updated ?? item.published),
      published: new Date(item.published),
      description: item.summary,
      content: item.contentHtml,
      category: item.categories.map((name) => ({ name })),
      ...(item.authors?.length
        ? {
            author: item.authors.map((a) => ({
              name: a.name,
              ...(a.email ? { email: a.email } : {}),
              ...(a.url ? { link: a.url } : {}),
            })),
          }
        : {}),
      ...(item.image ? { image: item.image } : {}),
      ...(item.enclosure ? { enclosure: { url: item.enclosure.url, type: item.enclosure.type } } : {}),
    });
  }
  return [feed.rss2(), feed.atom1(), feed.json1()];
}
