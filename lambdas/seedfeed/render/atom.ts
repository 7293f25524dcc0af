import { Feed, type Item as FeedItem } from 'feed';
import type { Author, Item } from '../core/item.js';
import { NAMESPACES } from './check.js';
import { type ElementFormat, elementOf } from './elements.js';
import { escapeMarkup, replaceLiteral } from './escape.js';
import { afterLine, assemble, type Fragment, type Piece } from './fragment.js';
import { imageType } from './media-types.js';
import type { RenderCache } from './memo.js';
import { EPOCH, FEED_FILES, type FeedSettings, GENERATOR } from './settings.js';
import { HISTORY_NAMESPACE, linkLines, MAIN_VIEW, type View, viewTitle, viewUrl } from './view.js';

const ENTRY_INDENT = '    ';

/** Atom 1.0 (RFC 4287) entries. */
export const ATOM_ELEMENT: ElementFormat = {
  kind: 'atom',
  tag: 'entry',
  indent: ENTRY_INDENT,
  namespace: NAMESPACES.atom,
  key: (item, settings, cache) => `${cache.keyOf(item)}|${settings.language}`,
  feedItem: (item, _settings, body) => toFeedItem(item, body),
  write: (feed) => feed.atom1(),
  finish: fixEntry,
};

export function atomEntry(item: Item, settings: FeedSettings, cache: RenderCache): Fragment {
  return elementOf(ATOM_ELEMENT, item, settings, cache);
}

/** `body` is the content as `feed` gets it, the item's own or the placeholder (render/elements.ts). */
function toFeedItem(item: Item, body: string): FeedItem {
  const published = new Date(item.published);
  return {
    title: escapeMarkup(item.title),
    id: item.id,
    link: item.link,
    // `feed` writes `date` as the entry's <updated>: when its newest version arrived.
    date: new Date(item.updated ?? item.published),
    published,
    description: escapeMarkup(item.summary),
    content: body,
    // Atom categories are attributes, and `feed` escapes only "&" in them.
    category: item.categories.map((name) => ({ term: name.replace(/[<>"]/g, '') })),
    ...(item.image ? { enclosure: { url: item.image } } : {}),
  };
}

/** Repairs what `feed` writes wrong for an entry. */
function fixEntry(entry: string, item: Item, settings: FeedSettings): string {
  const title = escapeMarkup(item.title);
  const summary = escapeMarkup(item.summary);
  // Titles and summaries are plain text; `feed` labels them HTML, which makes readers interpret
  // markup in them. The escaped text is the same characters as XML text of type "text".
  let fixed = replaceLiteral(
    entry,
    `<title type="html"><![CDATA[${title}]]></title>`,
    `<title type="text">${title}</title>`,
  );
  fixed = replaceLiteral(
    fixed,
    `<summary type="html"><![CDATA[${summary}]]></summary>`,
    `<summary type="text">${summary}</summary>`,
  );
  if (item.image) {
    // `feed` derives the type from the extension as written ("image/JPG").
    const type = ` type="${imageType(item.image)}"`;
    fixed = fixed.replace(
      /(<link rel="enclosure" href="[^"]*") type="[^"]*"/,
      (_, link: string) => link + type,
    );
  }
  if (item.language !== settings.language) {
    fixed = replaceLiteral(fixed, '<entry>', `<entry xml:lang="${escapeMarkup(item.language)}">`);
  }
  if (item.authors?.length) fixed = afterLine(fixed, '<updated>', authorLines(item.authors));
  if (item.enclosure) {
    // Written here: `feed` would type it from the extension as an image.
    const { url, type } = item.enclosure;
    const link = `<link rel="enclosure" href="${escapeMarkup(url)}" type="${escapeMarkup(type)}"/>`;
    fixed = afterLine(fixed, '<link href=', `${ENTRY_INDENT}${ENTRY_INDENT}${link}\n`);
  }
  return fixed;
}

/**
 * An `author` per byline (RFC 4287 §4.2.1: a name, and the page and address when known), written here:
 * `feed`'s XML writer reads "&amp;" in text as "&". The feed's own author stays in the head.
 */
function authorLines(authors: readonly Author[]): string {
  const inner = `${ENTRY_INDENT}${ENTRY_INDENT}${ENTRY_INDENT}`;
  return authors
    .map((a) =>
      [
        `${ENTRY_INDENT}${ENTRY_INDENT}<author>`,
        `${inner}<name>${escapeMarkup(a.name)}</name>`,
        ...(a.url ? [`${inner}<uri>${escapeMarkup(a.url)}</uri>`] : []),
        ...(a.email ? [`${inner}<email>${escapeMarkup(a.email)}</email>`] : []),
        `${ENTRY_INDENT}${ENTRY_INDENT}</author>`,
      ]
        .map((line) => `${line}\n`)
        .join(''),
    )
    .join('');
}

export function atomHead(settings: FeedSettings, updated: string, view: View = MAIN_VIEW): string {
  const feed = new Feed({
    // Each view is its own feed and needs its own permanent id.
    id: viewUrl(settings, view, ''),
    title: viewTitle(settings, view),
    description: settings.feedDescription,
    link: settings.siteUrl,
    updated: new Date(updated),
    generator: GENERATOR,
    feedLinks: { atom: viewUrl(settings, view, FEED_FILES.atom.key) },
    ...(settings.hubUrl ? { hub: settings.hubUrl } : {}),
    author: {
      name: settings.authorName,
      ...(settings.authorEmail ? { email: settings.authorEmail } : {}),
      ...(settings.authorUrl ? { link: settings.authorUrl } : {}),
    },
    ...(settings.iconUrl ? { image: settings.iconUrl } : {}),
    ...(settings.faviconUrl ? { favicon: settings.faviconUrl } : {}),
  });
  const history = view.kind === 'archive' ? ` xmlns:fh="${HISTORY_NAMESPACE}"` : '';
  const atom = replaceLiteral(
    feed.atom1(),
    `<feed xmlns="${NAMESPACES.atom}">`,
    `<feed xmlns="${NAMESPACES.atom}"${history} xml:lang="${escapeMarkup(settings.language)}">`,
  );
  const extra = linkLines(settings, view, 'link', FEED_FILES.atom.key, 'application/atom+xml', '    ');
  return afterLine(atom, '<link rel="self"', extra);
}

export function renderAtom(
  fragments: readonly Fragment[],
  settings: FeedSettings,
  updated = EPOCH,
  view: View = MAIN_VIEW,
  head = atomHead(settings, updated, view),
): Piece[] {
  return [...assemble(head, '</feed>', fragments), '\n'];
}
