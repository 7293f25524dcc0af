import { Feed, type Item as FeedItem } from 'feed';
import type { Item } from '../core/item.js';
import {
  cdataSafe,
  EPOCH,
  escapeHtml,
  FEED_FILES,
  type FeedSettings,
  feedUrl,
  GENERATOR,
  imageType,
} from './settings.js';

/** The `feed` package's model of our items, with its known faults worked around on the way in. */
function buildFeed(items: readonly Item[], settings: FeedSettings): Feed {
  const updated = new Date(items[0]?.published ?? EPOCH);
  const feed = new Feed({
    id: settings.publicUrl,
    title: settings.feedTitle,
    description: settings.feedDescription,
    link: settings.siteUrl,
    language: settings.language,
    // Always explicit: `feed` falls back to "now", which would change the bytes on every render.
    updated,
    generator: GENERATOR,
    docs: 'https://www.rssboard.org/rss-specification',
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
  });
  for (const item of items) feed.addItem(toFeedItem(item));
  return feed;
}

function toFeedItem(item: Item): FeedItem {
  const date = new Date(item.published);
  return {
    // Titles are plain text, but `feed` writes them as HTML in Atom: escaping keeps "<" and "&" literal.
    title: escapeHtml(item.title),
    id: item.id,
    link: item.link,
    date,
    published: date,
    description: cdataSafe(escapeHtml(item.summary)),
    content: cdataSafe(item.contentHtml),
    category: item.categories.map((name) => ({ name, term: name })),
    ...(item.image ? { enclosure: { url: item.image, type: imageType(item.image), length: 0 } } : {}),
  };
}

export function renderRss(items: readonly Item[], settings: FeedSettings): string {
  return `${buildFeed(items, settings).rss2()}\n`;
}

export function renderAtom(items: readonly Item[], settings: FeedSettings): string {
  return `${buildFeed(items, settings).atom1()}\n`;
}
