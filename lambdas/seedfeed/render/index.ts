import type { Item } from '../core/item.js';
import { renderJsonFeed } from './json.js';
import { FEED_FILES, type FeedSettings } from './settings.js';
import { renderAtom, renderRss } from './xml.js';

export interface RenderedFile {
  key: string;
  contentType: string;
  body: string;
}

/** Items (newest first) → every public file. Pure: the same items and settings give the same bytes. */
export function renderFeeds(items: readonly Item[], settings: FeedSettings): RenderedFile[] {
  return [
    { ...FEED_FILES.rss, body: renderRss(items, settings) },
    { ...FEED_FILES.atom, body: renderAtom(items, settings) },
    { ...FEED_FILES.json, body: renderJsonFeed(items, settings) },
  ];
}

export { FEED_FILES, type FeedSettings } from './settings.js';
