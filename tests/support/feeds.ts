import { XMLParser, XMLValidator } from 'fast-xml-parser';

export interface FeedView {
  /** Item links in feed order, per format; equal lists mean the three files agree. */
  links: { rss: string[]; atom: string[]; json: string[] };
  json: { items: { id: string; url: string; title: string; date_published: string }[] };
}

export class FeedReadError extends Error {
  override readonly name = 'FeedReadError';
}

const FILES = ['rss.xml', 'atom.xml', 'feed.json'] as const;

/**
 * Every file the main view publishes, sorted: written out here rather than taken from
 * render/site-files.ts, so that a file added to or dropped from the site shows in the tests.
 */
export const MAIN_VIEW_FILES = [
  'atom.xml',
  'feed.json',
  'feeds.opml',
  'index.html',
  'news-sitemap.xml',
  'rss.xml',
] as const;

/**
 * Fetches the three public files over HTTP, as a reader does, and parses every body strictly. Throws a
 * FeedReadError naming the file for a missing, empty, truncated or unparseable feed.
 */
export async function readFeeds(publicUrl: string): Promise<FeedView> {
  const [rss, atom, json] = await Promise.all(
    FILES.map(async (file) => {
      const response = await fetch(new URL(file, publicUrl));
      const body = await response.text();
      if (response.status !== 200) throw new FeedReadError(`${file}: HTTP ${response.status}`);
      if (!body.trim()) throw new FeedReadError(`${file}: empty body`);
      return body;
    }),
  );
  return parseFeeds(rss ?? '', atom ?? '', json ?? '');
}

export function parseFeeds(rss: string, atom: string, json: string): FeedView {
  const parser = new XMLParser({
    ignoreAttributes: false,
    isArray: (name) => name === 'item' || name === 'entry',
  });
  const xml = (file: string, body: string): Record<string, unknown> => {
    const valid = XMLValidator.validate(body);
    if (valid !== true) throw new FeedReadError(`${file}: ${valid.err.msg} at line ${valid.err.line}`);
    return parser.parse(body) as Record<string, unknown>;
  };
  const rssDoc = xml('rss.xml', rss) as { rss?: { channel?: { item?: { link: string }[] } } };
  const atomDoc = xml('atom.xml', atom) as {
    feed?: { entry?: { link: { '@_href': string } | { '@_href': string; '@_rel'?: string }[] }[] };
  };
  if (!rssDoc.rss?.channel) throw new FeedReadError('rss.xml: no <rss><channel>');
  if (!atomDoc.feed) throw new FeedReadError('atom.xml: no <feed>');
  let parsed: FeedView['json'] & { version?: string; title?: string };
  try {
    parsed = JSON.parse(json);
  } catch (cause) {
    throw new FeedReadError('feed.json: not JSON', { cause });
  }
  if (parsed.version !== 'https://jsonfeed.org/version/1.1' || typeof parsed.title !== 'string')
    throw new FeedReadError('feed.json: no version or title');
  if (!Array.isArray(parsed.items)) throw new FeedReadError('feed.json: no items array');
  const atomLink = (link: { '@_href': string } | { '@_href': string; '@_rel'?: string }[]): string =>
    Array.isArray(link)
      ? (link.find((l) => (l['@_rel'] ?? 'alternate') === 'alternate')?.['@_href'] ?? '')
      : link['@_href'];
  return {
    links: {
      rss: (rssDoc.rss.channel.item ?? []).map((item) => item.link),
      atom: (atomDoc.feed.entry ?? []).map((entry) => atomLink(entry.link)),
      json: parsed.items.map((item) => item.url),
    },
    json: { items: parsed.items },
  };
}
