import render from 'dom-serializer';
import { type AnyNode, type Document, type Element, type ParentNode, Text } from 'domhandler';
import {
  isAdHost,
  isAdImage,
  isAdLabel,
  isBare,
  isFollowBlock,
  isFurniture,
  removeCopyrightLines,
} from './boilerplate.js';
import {
  findInOrder,
  isTag,
  isText,
  type Rewrite,
  replaceWith,
  rewrite,
  shortTextOf,
  textOf,
} from './dom.js';
import { embedFor } from './embed.js';
import { parseHtml } from './html.js';
import { altText, holdsImage, resolveLazyImage, resolvePicture, withoutPlaceholders } from './images.js';
import type { Enclosure } from './item.js';
import { enclosureOf, MEDIA_ATTRIBUTES, MEDIA_TAGS, settleMedia } from './media.js';
import { cellsInRows, isStrayCell, OLD_BLOCKS } from './repair.js';
import { collapseWhitespace, stripXmlIllegal } from './text.js';
import { absoluteUrl } from './url.js';

/** What the body of a seed yields once the page furniture is gone. */
export interface CleanBody {
  contentHtml: string;
  /** Plain text of the bold lead, else of the first paragraph, else the start of the body. */
  summary: string;
  /** The first image before any text: the article's lead image. */
  image?: string;
  /** The first audio or video: a podcast's episode, a clip. */
  enclosure?: Enclosure;
  /** `dd/mm/yyyy - hh:mm` shown at the top of the body, if any (a fallback publish time). */
  shownDate?: string;
  /** Plain text of the whole body, for language detection. */
  text: string;
}

// An allowlist, not a blocklist: anything not named here is unwrapped (its text kept) or, if listed in
// DROP, removed with its content. Attributes not named for a tag are removed.
const KEEP: Record<string, readonly string[]> = {
  a: ['href', 'title'],
  img: ['src', 'alt', 'title', 'width', 'height'],
  blockquote: ['cite'],
  q: ['cite'],
  td: ['colspan', 'rowspan'],
  th: ['colspan', 'rowspan', 'scope'],
  ol: ['start', 'reversed'],
  time: ['datetime'],
  abbr: ['title'],
  ...MEDIA_ATTRIBUTES,
  ...Object.fromEntries(
    (
      'p br hr h1 h2 h3 h4 h5 h6 strong b em i u s sub sup small mark code pre kbd samp var cite ' +
      'ul li dl dt dd figure figcaption table caption thead tbody tfoot tr div span del ins'
    )
      .split(' ')
      .map((tag) => [tag, []]),
  ),
};

// <noscript> is looked into (it may hold the real image) and <base> read before, both then dropped.
const DROP = new Set(
  (
    'script style noscript template form input button select option textarea label object embed applet ' +
    'link meta base title head svg math canvas track map area frameset frame ' +
    'dialog menu nav aside footer header'
  ).split(' '),
);

// Share buttons, as news sites link them. Matched on hrefs, never on visible words alone, so article
// text about "sharing" is never removed. An sms: link with a body is a share button, a number is not.
const SHARE_HREF =
  /^(?:whatsapp:|sms:[^?]*\?|fb-messenger:|tg:|mailto:\?)|\/\/(?:[\w-]+\.)*(?:facebook\.com\/(?:dialog\/share|sharer)|(?:twitter|x)\.com\/(?:intent|share)|web\.whatsapp\.com\/send|api\.whatsapp\.com\/send|wa\.me\/|t\.me\/share|telegram\.me\/share|linkedin\.com\/(?:shareArticle|sharing)|reddit\.com\/submit|pinterest\.com\/pin\/create|line\.me\/R\/msg|vk\.com\/share|weibo\.com\/share|service\.weibo\.com\/share|getpocket\.com\/save|flipboard\.com\/bookmarklet)/i;
const SHARE_LABEL =
  /^(?:share|share this|分享|分享到|partager|compartir|teilen|condividi|поделиться|شارك)\s*[:：]?$/i;
const SHOWN_DATE = /^(\d{2})\/(\d{2})\/(\d{4})\s*-\s*(\d{2}):(\d{2})$/;
const FOLLOW_BLOCKS = new Set(['p', 'div']);

export function cleanBody(html: string, articleUrl: string): CleanBody {
  // Flattened past the depth limit, a dropped element's text is dropped with it.
  const root = parseHtml(stripXmlIllegal(html), { mute: DROP });
  const baseUrl = baseHref(root, articleUrl);

  const shownDate = takeShownDate(root);
  const players: Enclosure[] = [];
  rewrite(root, allowlist(baseUrl, players));
  removeCopyrightLines(root);
  const image = takeLeadImage(root);
  const withText = removeEmpty(root);
  const enclosure = enclosureOf(root, players);

  // Text nodes apart: the words of two blocks (`<p>a</p><p>b</p>`) are two words.
  const text = collapseWhitespace(textOf(root, ' '));
  const summary = leadText(root, withText) ?? text;
  // utf8: by default every non-ASCII character becomes a numeric entity, tripling Chinese text.
  const contentHtml = render(root.children, { encodeEntities: 'utf8' }).trim();
  return {
    contentHtml,
    summary,
    text,
    ...(image ? { image } : {}),
    ...(enclosure ? { enclosure } : {}),
    ...(shownDate ? { shownDate } : {}),
  };
}

/** The page's `<base href>`, resolved against the article URL, is what its relative URLs mean. */
function baseHref(root: Document, articleUrl: string): string {
  const base = findInOrder(root, (node) => isTag(node) && node.name === 'base' && !!node.attribs.href);
  const href = base && isTag(base) ? base.attribs.href : undefined;
  return (href && absoluteUrl(href, articleUrl, IMAGE_SCHEMES)) || articleUrl;
}

/** Drop, unwrap or keep each element and its attributes, in one bottom-up pass. */
function allowlist(baseUrl: string, players: Enclosure[]): Rewrite {
  // Images that came out of a <noscript>, and the parents an ad was removed from (their ad label goes).
  const fromNoscript = new Set<AnyNode>();
  const emptied = new Set<ParentNode>();
  const removeAd = (node: AnyNode): [] => {
    if (node.parent) emptied.add(node.parent);
    return [];
  };
  return {
    enter(node) {
      if (node.type === 'comment' || node.type === 'directive' || node.type === 'cdata') return [];
      if (!isTag(node)) return undefined;
      const tag = node.name.toLowerCase();
      if (tag === 'iframe')
        return isAdHost(node.attribs.src ?? '') ? removeAd(node) : embedFor(node, baseUrl);
      if (tag === 'noscript' && holdsImage(node)) return undefined;
      if (DROP.has(tag) || tag.includes('-') || isFurniture(node) || isShareLink(node, tag)) return [];
      if (tag === 'picture') resolvePicture(node);
      return undefined;
    },
    leave(node) {
      const tag = node.name.toLowerCase();
      if (tag === 'noscript') {
        for (const child of node.children) fromNoscript.add(child);
        return node.children;
      }
      if (emptied.has(node) && isBare(node)) return removeAd(node);
      if (OLD_BLOCKS.has(tag)) {
        node.name = 'div';
        node.attribs = {};
        return [node];
      }
      const keep = KEEP[tag];
      if (!keep) return node.children;
      if (tag === 'img') resolveLazyImage(node);
      filterAttributes(node, keep, baseUrl);
      if (tag === 'img') return keptImage(node, removeAd);
      if (tag === 'a' && !node.attribs.href) return node.children;
      // An ad's click-through link goes with the banner in it.
      if (tag === 'a' && isAdHost(node.attribs.href ?? '')) return removeAd(node);
      if (MEDIA_TAGS.has(tag)) return settleMedia(node, players);
      if (tag === 'source')
        return node.parent && isTag(node.parent) && MEDIA_TAGS.has(node.parent.name) ? [node] : [];
      if ((tag === 'td' || tag === 'th') && isStrayCell(node)) return node.children;
      if (FOLLOW_BLOCKS.has(tag) && isFollowBlock(node)) return [];
      return [node];
    },
    settle(children, parent) {
      let kept = withoutShareLabels(children);
      if (emptied.has(parent) && kept.some(isAdLabel)) kept = kept.filter((node) => !isAdLabel(node));
      return cellsInRows(withoutPlaceholders(kept, fromNoscript), parent);
    },
  };
}

/** An image as the article shows it: an ad or a tracking pixel goes, one that cannot load leaves its alt. */
function keptImage(img: Element, removeAd: (node: AnyNode) => []): AnyNode[] {
  if (isTrackingPixel(img)) return [];
  if (isAdImage(img)) return removeAd(img);
  return img.attribs.src ? [img] : altText(img);
}

function isShareLink(el: Element, tag: string): boolean {
  return tag === 'a' && SHARE_HREF.test(el.attribs.href?.trim() ?? '');
}

/** A label such as "分享 :" left alone once its buttons are gone. */
function withoutShareLabels(children: AnyNode[]): AnyNode[] {
  return children.some(isShareLabel) ? children.filter((node) => !isShareLabel(node)) : children;
}

function isShareLabel(node: AnyNode): boolean {
  if (!isTag(node) || node.children.length === 0) return false;
  // A label is a word or two: a bounded look keeps this linear however large the element is.
  const text = shortTextOf(node, 200, 50);
  return text !== undefined && SHARE_LABEL.test(collapseWhitespace(text));
}

function filterAttributes(el: Element, keep: readonly string[], baseUrl: string): void {
  for (const name of Object.keys(el.attribs)) {
    const lower = name.toLowerCase();
    if (!keep.includes(lower)) {
      delete el.attribs[name];
      continue;
    }
    if (lower === 'href' || lower === 'src' || lower === 'cite' || lower === 'poster') {
      const url = absoluteUrl(
        el.attribs[name] ?? '',
        baseUrl,
        lower === 'href' ? LINK_SCHEMES : IMAGE_SCHEMES,
      );
      if (url) el.attribs[name] = url;
      else delete el.attribs[name];
    }
  }
}

const LINK_SCHEMES = ['http:', 'https:', 'mailto:', 'tel:', 'sms:'] as const;
const IMAGE_SCHEMES = ['http:', 'https:'] as const;

function isTrackingPixel(img: Element): boolean {
  const w = Number(img.attribs.width);
  const h = Number(img.attribs.height);
  return (w > 0 && w <= 2) || (h > 0 && h <= 2);
}

/** The date line at the top of the body duplicates the item's date field. */
function takeShownDate(root: Document): string | undefined {
  for (const node of root.children.slice(0, 4)) {
    if (!isTag(node)) continue;
    const text = collapseWhitespace(textOf(node));
    if (SHOWN_DATE.test(text)) {
      replaceWith(node, []);
      return text;
    }
    if (text) return undefined;
  }
  return undefined;
}

/**
 * The first image before any text is the lead image; the item carries it, so the content does not,
 * unless it has a caption (whose credit belongs with it) or is all the article there is.
 */
function takeLeadImage(root: Document): string | undefined {
  const found = findInOrder(root, (node) => isLeadImage(node) || (isText(node) && node.data.trim() !== ''));
  if (!found || !isLeadImage(found)) return undefined;
  const figure = closest(found, 'figure');
  if (!(figure && hasCaption(figure)) && !isAllThereIs(root, found)) replaceWith(figure ?? found, []);
  return found.attribs.src;
}

function hasCaption(figure: Element): boolean {
  return figure.children.some(
    (child) => isTag(child) && child.name === 'figcaption' && textOf(child).trim() !== '',
  );
}

/** Nothing else to read or see in the body: no text anywhere, no other image or player. */
function isAllThereIs(root: Document, image: Element): boolean {
  if (textOf(root).trim()) return false;
  const other = findInOrder(root, (node) => isTag(node) && node !== image && MEDIA_CONTENT.has(node.name));
  return other === undefined;
}

const MEDIA_CONTENT = new Set(['img', 'audio', 'video']);

const isLeadImage = (node: AnyNode): node is Element =>
  isTag(node) && node.name === 'img' && Boolean(node.attribs.src);

const INLINE = new Set('span b i strong em u s small mark sub sup code a abbr cite q time'.split(' '));

// Elements that show something without text: kept however empty (a player's sources are inside it).
const VOID_CONTENT = new Set(['img', 'br', 'hr', 'audio', 'video', 'source']);

/**
 * Wrappers with nothing to read or see in them, removed bottom-up until none is left. Returns the
 * elements left with text in them.
 */
function removeEmpty(root: Document): Set<Element> {
  const withText = new Set<Element>();
  const withContent = new Set<Element>();
  const kept = (node: AnyNode): boolean =>
    !isTag(node) ||
    VOID_CONTENT.has(node.name) ||
    node.name === 'td' ||
    node.name === 'th' ||
    withContent.has(node);
  rewrite(root, {
    settle: (children) => trimBreaks(children.every(kept) ? children : children.filter(kept)),
    leave(el) {
      let text = false;
      let media = false;
      let space = false;
      for (const child of el.children) {
        if (isText(child)) {
          text ||= child.data.trim() !== '';
          space ||= child.data !== '';
        } else if (isTag(child)) {
          text ||= withText.has(child);
          media ||= VOID_CONTENT.has(child.name) || withContent.has(child);
        }
      }
      if (text) withText.add(el);
      if (text || media) withContent.add(el);
      // An empty inline element that held a space (Word's `<span>&nbsp; </span>`) leaves the space,
      // or the words on either side of it would run together.
      else if (space && INLINE.has(el.name)) return [new Text(' ')];
      return [el];
    },
  });
  return withText;
}

/** Leading and trailing <br> in a block are layout debris. */
function trimBreaks(children: AnyNode[]): AnyNode[] {
  const first = children.findIndex(isEdge);
  const last = children.findLastIndex(isEdge);
  // Runs once per element: plain loops, and a new list only when there is debris to leave out.
  let kept: AnyNode[] | undefined;
  for (let i = 0; i < children.length; i++) {
    const node = children[i] as AnyNode;
    const debris = isBreak(node) && (first < 0 || i < first || i > last);
    if (debris) kept ??= children.slice(0, i);
    else kept?.push(node);
  }
  return kept ?? children;
}

const isBreak = (node: AnyNode): boolean => isTag(node) && node.name === 'br';
const isEdge = (node: AnyNode): boolean => !isBreak(node) && !(isText(node) && !node.data.trim());

/** The first paragraph with text (a bold lead is one), if any, outside figures (a caption is none). */
function leadText(root: Document, withText: Set<Element>): string | undefined {
  const lead = findInOrder(
    root,
    (node) => isTag(node) && node.name === 'p' && withText.has(node),
    (el) => el.name !== 'figure',
  );
  return lead ? collapseWhitespace(textOf(lead)) : undefined;
}

function closest(node: AnyNode, tag: string): Element | undefined {
  let current = node.parent;
  while (current && isTag(current)) {
    if (current.name === tag) return current;
    current = current.parent;
  }
  return undefined;
}
