import type { AnyNode, Element, ParentNode } from 'domhandler';
import { isAdHost, isAdImage, isAdLabel, isBare, isFollowBlock, isFurniture } from './boilerplate.js';
import { type Bylines, bylinesInside, isBylineMark, metaAuthor, takeByline } from './byline.js';
import { isTag, isText, type Rewrite, shortTextOf } from './dom.js';
import { embedFor } from './embed.js';
import { altText, holdsImage, resolveLazyImage, resolvePicture, withoutPlaceholders } from './images.js';
import type { Enclosure } from './item.js';
import { MEDIA_ATTRIBUTES, MEDIA_TAGS, noteMediaLink, settleMedia } from './media.js';
import { cellsInRows, isStrayCell, OLD_BLOCKS } from './repair.js';
import { absoluteUrl } from './url.js';

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
export const DROP = new Set(
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
// Matched on the trimmed text: a run of white space inside reads as one space.
const SHARE_LABEL =
  /^(?:share|share\s+this|分享|分享到|partager|compartir|teilen|condividi|поделиться|شارك)\s*[:：]?$/i;
const FOLLOW_BLOCKS = new Set(['p', 'div']);

/** What one cleaning pass learns as it goes. */
interface Pass {
  baseUrl: string;
  /** The players' media, in document order: the first is the item's enclosure. */
  players: Enclosure[];
  /** The first link to an audio or video file: the enclosure when there is no player. */
  mediaLinks: Enclosure[];
  /** Images that came out of a <noscript>: the placeholder before each goes. */
  fromNoscript: Set<AnyNode>;
  /** Parents an ad was removed from: their ad label goes, and they go if nothing else is left. */
  emptied: Set<ParentNode>;
  /** The bylines met on the way, when the pass is the parser's (a re-clean takes nothing out). */
  bylines: Bylines | undefined;
}

/** Drop, unwrap or keep each element and its attributes, in one bottom-up pass. */
export function allowlist(
  baseUrl: string,
  players: Enclosure[],
  mediaLinks: Enclosure[],
  bylines?: Bylines,
): Rewrite {
  const pass: Pass = { baseUrl, players, mediaLinks, fromNoscript: new Set(), emptied: new Set(), bylines };
  return {
    enter: (node) => enter(node, pass),
    leave: (node) => leave(node, pass),
    settle(children, parent) {
      let kept = withoutShareLabels(children);
      if (pass.emptied.has(parent) && kept.some(isAdLabel)) kept = kept.filter((node) => !isAdLabel(node));
      return cellsInRows(withoutPlaceholders(kept, pass.fromNoscript), parent);
    },
  };
}

function removeAd(node: AnyNode, pass: Pass): [] {
  if (node.parent) pass.emptied.add(node.parent);
  return [];
}

function enter(node: AnyNode, pass: Pass): readonly AnyNode[] | undefined {
  if (node.type === 'comment' || node.type === 'directive' || node.type === 'cdata') return [];
  if (!isTag(node)) return undefined;
  const tag = node.name.toLowerCase();
  if (tag === 'iframe') {
    const src = absoluteUrl(node.attribs.src ?? '', pass.baseUrl, IMAGE_SCHEMES) ?? '';
    return isAdHost(src) ? removeAd(node, pass) : embedFor(node, pass.baseUrl);
  }
  if (tag === 'noscript' && holdsImage(node)) return undefined;
  if (DROP.has(tag) || tag.includes('-') || isFurniture(node) || isShareLink(node, tag)) {
    if (pass.bylines && (tag === 'header' || tag === 'head')) bylinesInside(node, pass.bylines);
    else if (pass.bylines && tag === 'meta') metaAuthor(node, pass.bylines);
    return [];
  }
  // A byline of its own leaves the content: the item carries it (see byline.ts).
  if (pass.bylines && isBylineMark(node) && takeByline(node, pass.bylines)) return [];
  if (tag === 'picture') resolvePicture(node);
  return undefined;
}

function leave(node: Element, pass: Pass): readonly AnyNode[] | undefined {
  const tag = node.name.toLowerCase();
  if (tag === 'noscript') {
    for (const child of node.children) pass.fromNoscript.add(child);
    return node.children;
  }
  if (pass.emptied.has(node) && isBare(node)) return removeAd(node, pass);
  if (OLD_BLOCKS.has(tag)) {
    node.name = 'div';
    node.attribs = {};
    return undefined;
  }
  const keep = KEEP[tag];
  if (!keep) return node.children;
  if (tag === 'img') resolveLazyImage(node);
  filterAttributes(node, keep, pass.baseUrl);
  if (tag === 'img') return keptImage(node, pass);
  if (tag === 'a' && !node.attribs.href) return node.children;
  // An ad's click-through link goes with the banner in it.
  if (tag === 'a' && isAdHost(node.attribs.href ?? '')) return removeAd(node, pass);
  if (tag === 'a') noteMediaLink(node.attribs.href ?? '', pass.mediaLinks);
  if (MEDIA_TAGS.has(tag)) return settleMedia(node, pass.players);
  if (tag === 'source')
    return node.parent && isTag(node.parent) && MEDIA_TAGS.has(node.parent.name) ? [node] : [];
  if ((tag === 'td' || tag === 'th') && isStrayCell(node)) return node.children;
  if (FOLLOW_BLOCKS.has(tag) && isFollowBlock(node)) return [];
  return undefined;
}

/** An image as the article shows it: an ad or a tracking pixel goes, one that cannot load leaves its alt. */
function keptImage(img: Element, pass: Pass): AnyNode[] {
  if (isTrackingPixel(img)) return [];
  if (isAdImage(img)) return removeAd(img, pass);
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
  // Asked of every element: an element of one text, the common case, is read without a walk.
  const only = node.children.length === 1 ? node.children[0] : undefined;
  // A label is a word or two: a bounded look keeps this linear however large the element is.
  const text = only && isText(only) ? only.data : shortTextOf(node, 200, 50);
  return text !== undefined && text.length <= 200 && SHARE_LABEL.test(text.trim());
}

function filterAttributes(el: Element, keep: readonly string[], baseUrl: string): void {
  // for-in, not Object.keys: no list made for each of tens of thousands of bare elements.
  for (const name in el.attribs) {
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
export const IMAGE_SCHEMES = ['http:', 'https:'] as const;

function isTrackingPixel(img: Element): boolean {
  const w = Number(img.attribs.width);
  const h = Number(img.attribs.height);
  return (w > 0 && w <= 2) || (h > 0 && h <= 2);
}
