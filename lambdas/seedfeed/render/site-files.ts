import type { Item } from '../core/item.js';
import type { RenderCache } from './memo.js';
import { type FeedGroup, OPML_FILE, renderOpml } from './opml.js';
import { PAGE_FILE } from './page.js';
import { EPOCH, FEED_FILES, type FeedSettings } from './settings.js';
import { renderNewsSitemap, SITEMAP_FILE } from './sitemap.js';
import type { View } from './view.js';

interface FileSpec {
  key: string;
  contentType: string;
}

/** Every file a view publishes: its feeds and page, and for the main view the sitemap and feed list. */
export function viewFiles(view: Pick<View, 'kind'>): FileSpec[] {
  const own = [...Object.values(FEED_FILES), PAGE_FILE];
  return view.kind === 'main' ? [...own, SITEMAP_FILE, OPML_FILE] : own;
}

/** The keys of every public file of a view, whatever its items: what publishing must know is live. */
export function publicKeysOf(view: Pick<View, 'kind' | 'path'>): string[] {
  return viewFiles(view).map((file) => `${view.path}${file.key}`);
}

/** Whether a public file is a feed (what a WebSub hub is told of), not a page, sitemap or list. */
export function isFeedKey(key: string): boolean {
  const name = key.slice(key.lastIndexOf('/') + 1);
  return Object.values(FEED_FILES).some((file) => file.key === name);
}

/**
 * The main view's files about the whole site: the news sitemap of `listed` (the feeds' items and any
 * the byte budget left out of them) and the OPML list of feeds. Other views have none.
 */
export function siteFiles(
  listed: readonly Item[],
  all: readonly Item[],
  settings: FeedSettings,
  view: View,
  cache: RenderCache,
): { spec: FileSpec; text: string }[] {
  if (view.kind !== 'main') return [];
  const now = settings.now ?? latestChange(all);
  const publication = settings.newsPublicationName ?? settings.feedTitle;
  return [
    { spec: SITEMAP_FILE, text: renderNewsSitemap(listed, { publication, now }, cache) },
    { spec: OPML_FILE, text: renderOpml(settings, feedGroups(view)) },
  ];
}

/** Every feed a reader can subscribe to, by folder: the main feeds, each category's, each author's. */
function feedGroups(view: View): FeedGroup[] {
  return [
    { title: 'All articles', views: [{ path: view.path, label: '' }] },
    { title: 'Categories', views: view.related ?? [] },
    { title: 'Authors', views: view.authors ?? [] },
  ];
}

/**
 * Without an explicit `now` the sitemap's window ends at the newest change the items record (`updated`,
 * their upload times; items without one record none, and alone give an empty sitemap): still a
 * function of the arguments, and a from-scratch render of parsed seeds, which have no `updated`, does
 * not list articles a live render has long let go.
 */
function latestChange(items: readonly Item[]): string {
  const times = items.map((item) => Date.parse(item.updated ?? '')).filter(Number.isFinite);
  return times.length > 0 ? new Date(Math.max(...times)).toISOString() : EPOCH;
}
