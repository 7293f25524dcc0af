import { Feed, type Item as FeedItem } from 'feed';
import type { Item } from '../core/item.js';
import { NAMESPACES } from './check.js';
import { type ElementFormat, elementOf } from './elements.js';
import { cdataSafe, escapeMarkup, replaceLiteral } from './escape.js';
import { afterLine, assemble, type Fragment, type Piece } from './fragment.js';
import { imageType } from './media-types.js';
import type { RenderCache } from './memo.js';
import { EPOCH, FEED_FILES, type FeedSettings, GENERATOR } from './settings.js';
import { HISTORY_NAMESPACE, linkLines, MAIN_VIEW, type View, viewTitle, viewUrl } from './view.js';

const ITEM_INDENT = '        ';

/** RSS 2.0 items as the RSS Advisory Board's best practices describe them. */
export const RSS_ELEMENT: ElementFormat = {
  kind: 'rss',
  tag: 'item',
  indent: ITEM_INDENT,
  // Not hashed: a warm render looks every item up, and hashing the key cost more than the rest of a hit.
  key: (item, settings, cache) =>
    JSON.stringify([cache.keyOf(item), settings.authorName, settings.authorEmail ?? '', settings.language]),
  feedItem: toFeedItem,
  write: (feed) => feed.rss2(),
  finish: (element, item) => afterLine(plainTitle(element, item.title), '<pubDate>', bylineLines(item)),
};

export function rssItem(item: Item, settings: FeedSettings, cache: RenderCache): Fragment {
  return elementOf(RSS_ELEMENT, item, settings, cache);
}

/** `body` is the content as `feed` gets it, the item's own or the placeholder (render/elements.ts). */
function toFeedItem(item: Item, settings: FeedSettings, body: string): FeedItem {
  const date = new Date(item.published);
  const extensions = [];
  // An item's own bylines replace the feed's author (bylineLines); without them the feed's author is
  // each item's. RSS <author> must hold an e-mail address, which `feed` omits when it has only a name;
  // Dublin Core's creator is the standard home for a bare name.
  const feedAuthor = !item.authors?.length;
  if (feedAuthor && !settings.authorEmail) {
    extensions.push({ name: 'dc:creator', objects: { _text: settings.authorName } });
  }
  if (item.image) {
    // Extension attributes reach the XML as given: unescaped, `?w=640&h=360` made the item fail its check.
    const url = escapeMarkup(item.image);
    const attributes = { url, medium: 'image', type: imageType(item.image) };
    extensions.push({ name: 'media:content', objects: { _attributes: attributes } });
    extensions.push({ name: 'media:thumbnail', objects: { _attributes: { url } } });
  }
  // RSS has one language per channel; Dublin Core's gives an item of another language its own.
  if (item.language !== settings.language) {
    extensions.push({ name: 'dc:language', objects: { _text: item.language } });
  }
  // One enclosure per item, as readers play one: the article's audio or video, else its image.
  const enclosure =
    item.enclosure ?? (item.image ? { url: item.image, type: imageType(item.image) } : undefined);
  return {
    title: item.title,
    id: item.id,
    link: item.link,
    date,
    published: date,
    description: cdataSafe(escapeMarkup(item.summary)),
    content: body,
    category: item.categories.map((name) => ({ name })),
    ...(feedAuthor && settings.authorEmail
      ? { author: [{ name: settings.authorName, email: settings.authorEmail }] }
      : {}),
    ...(enclosure ? { enclosure: { url: enclosure.url, type: enclosure.type, length: 0 } } : {}),
    extensions,
  };
}

/**
 * RSS's own `author` when it can say it all, one author with an address ("jane@example.org (Jane
 * Doe)"); else one `dc:creator` per author. Never both, and never two `author`s: RSS 2.0 has one
 * author per item, and the W3C validator warns "An item should not include both author and
 * dc:creator". Written here, since `feed` writes a bare name into `author` and its XML writer reads
 * "&amp;" in text as "&".
 */
function bylineLines(item: Item): string {
  const authors = item.authors ?? [];
  const indent = `${ITEM_INDENT}    `;
  const only = authors.length === 1 ? authors[0] : undefined;
  if (only?.email) return `${indent}<author>${rssPlainText(`${only.email} (${only.name})`)}</author>\n`;
  return authors.map((a) => `${indent}<dc:creator>${rssPlainText(a.name)}</dc:creator>\n`).join('');
}

/**
 * `feed` puts titles in CDATA and splits only the first `]]>`, so a title with two would end its CDATA
 * early. The same text as escaped XML needs no CDATA: readers see identical characters.
 */
function plainTitle(fragment: string, title: string): string {
  const written = `<title><![CDATA[${title.replace(']]>', ']]]]><![CDATA[>')}]]></title>`;
  return replaceLiteral(fragment, written, `<title>${rssPlainText(title)}</title>`);
}

/**
 * RSS never said whether a title is text or HTML; the RSS Profile's answer is to write `&` and `<`
 * of plain text as hexadecimal references, which readers decode to the same characters and the W3C
 * validator reads as text (`LazyCell<T>` escaped as `&lt;` is flagged as possible HTML).
 */
function rssPlainText(text: string): string {
  return text.replace(/[&<>]/g, (c) => `&#x${c.charCodeAt(0).toString(16).toUpperCase()};`);
}

export function rssHead(settings: FeedSettings, updated: string, view: View = MAIN_VIEW): string {
  const feed = new Feed({
    id: settings.publicUrl,
    title: viewTitle(settings, view),
    description: settings.feedDescription,
    link: settings.siteUrl,
    language: settings.language,
    // Always explicit: `feed` falls back to "now", which would change the bytes on every render.
    updated: new Date(updated),
    generator: GENERATOR,
    docs: 'https://www.rssboard.org/rss-specification',
    feedLinks: { rss: viewUrl(settings, view, FEED_FILES.rss.key) },
    ...(settings.hubUrl ? { hub: settings.hubUrl } : {}),
    ...(settings.iconUrl ? { image: settings.iconUrl } : {}),
  });
  const extra = linkLines(settings, view, 'atom:link', FEED_FILES.rss.key, 'application/rss+xml', '        ');
  return afterLine(feed.rss2(), '<atom:link', extra);
}

export function renderRss(
  fragments: readonly Fragment[],
  settings: FeedSettings,
  updated = EPOCH,
  view: View = MAIN_VIEW,
  channel = rssHead(settings, updated, view),
): Piece[] {
  const used = new Set(['atom', ...fragments.flatMap((fragment) => fragment.prefixes)]);
  if (view.kind === 'archive') used.add('fh');
  // Declare exactly the namespaces in use: `feed` declares dc and content whenever there is content.
  const declarations = Object.entries({ ...NAMESPACES, fh: HISTORY_NAMESPACE })
    .filter(([prefix]) => used.has(prefix))
    .map(([prefix, uri]) => ` xmlns:${prefix}="${uri}"`)
    .join('');
  const head = replaceLiteral(channel, /<rss [^>]*>/, `<rss version="2.0"${declarations}>`);
  return [...assemble(head, '    </channel>', fragments), '\n'];
}
