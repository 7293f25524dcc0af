import type { Config } from '../config.js';

/**
 * The part of the configuration that shapes rendered bytes, and the render's one instant; nothing else
 * may reach a renderer.
 */
export type FeedSettings = Pick<
  Config,
  | 'publicUrl'
  | 'siteUrl'
  | 'feedTitle'
  | 'feedDescription'
  | 'language'
  | 'authorName'
  | 'authorEmail'
  | 'authorUrl'
  | 'iconUrl'
  | 'faviconUrl'
  | 'hubUrl'
  | 'maxFeedBytes'
> &
  Partial<Pick<Config, 'excerptOnly' | 'newsPublicationName'>> & {
    /**
     * When the render happens (ISO 8601): the time of the event or invocation that caused it, passed in
     * so that a render stays a function of its arguments. Only the news sitemap's two-day window reads
     * it; without it the window ends at the newest change the items record.
     */
    now?: string;
  };

export const FEED_FILES = {
  rss: { key: 'rss.xml', contentType: 'application/rss+xml; charset=utf-8' },
  atom: { key: 'atom.xml', contentType: 'application/atom+xml; charset=utf-8' },
  json: { key: 'feed.json', contentType: 'application/feed+json; charset=utf-8' },
} as const;

export const GENERATOR = 'seedfeed';
// An empty feed still needs an <updated>; a fixed instant keeps its bytes independent of the clock.
export const EPOCH = '1970-01-01T00:00:00.000Z';

export function feedUrl(settings: FeedSettings, key: string): string {
  return new URL(key, settings.publicUrl).href;
}
