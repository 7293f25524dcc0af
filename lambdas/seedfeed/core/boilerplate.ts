import type { AnyNode, Document, Element } from 'domhandler';
import { isTag, isText, replaceWith, shortTextOf } from './dom.js';
import { collapseWhitespace } from './text.js';
import { hostOf } from './url.js';

// Page furniture that is not the article, recognised by structure: the classes, ids, ARIA roles and
// attributes sites mark it with, the hosts ads come from and the sizes ad images have. Words alone
// never remove anything: a label ("Advertisement", "Follow us") goes only beside what structure
// already removed, and a © line only at the very end of the body.

// Tokens of class and id values, split at white space, "_" and "-" (so "ad" is not found in "head").
const FURNITURE_TOKENS = new RegExp(
  '(?:^|[\\s_-])(?:' +
    [
      // share widgets and self-promotion
      'share',
      'sharing',
      'social-links',
      'social-icons',
      'social-follow',
      'follow-?us',
      'newsletter',
      'promo',
      // advertising
      'ad',
      'ads',
      'adv',
      'advert',
      'adverts',
      'advertisement',
      'advertising',
      'ad-?slot',
      'ad-?unit',
      'adsbygoogle',
      'dfp',
      'gpt-ad',
      // consent and cookie banners and the platforms that draw them
      'cookie-?(?:banner|notice|consent|bar|law|policy|popup|wall|box)',
      'consent',
      'gdpr',
      'cmp\\d?',
      'onetrust',
      'didomi',
      'cookiebot',
      'usercentrics',
    ].join('|') +
    ')(?:$|[\\s_-])',
  'i',
);
const FURNITURE_ATTRIBUTE = /^data-(?:selfpromo|root-share|share|social|newsletter|ad(?:-|$)|advert)/i;
// Dialogs and page regions the article is not: consent dialogs, the site's banner, footer and menus.
const FURNITURE_ROLES = new Set(['dialog', 'alertdialog', 'banner', 'contentinfo', 'navigation']);

// A class or id token names what an element is only while it is small: "ad-free" or "share-layout"
// on the article's own wrapper must not take the article with it.
const FURNITURE_TEXT_MAX = 1_500;
const FURNITURE_NODES_MAX = 300;

/** An element the page draws around the article: removed with everything in it. */
export function isFurniture(el: Element): boolean {
  const attribs = el.attribs;
  for (const name in attribs) if (FURNITURE_ATTRIBUTE.test(name)) return true;
  if (attribs.hidden !== undefined || attribs['aria-modal'] === 'true') return true;
  const role = attribs.role?.trim().toLowerCase();
  if (role && FURNITURE_ROLES.has(role)) return true;
  if (attribs.class === undefined && attribs.id === undefined) return false;
  if (!FURNITURE_TOKENS.test(`${attribs.class ?? ''} ${attribs.id ?? ''}`)) return false;
  return shortTextOf(el, FURNITURE_TEXT_MAX, FURNITURE_NODES_MAX) !== undefined;
}

// Where ads are served from, and where their clicks go.
const AD_HOSTS = [
  'doubleclick.net',
  'googlesyndication.com',
  'googleadservices.com',
  'adservice.google.com',
  'amazon-adsystem.com',
  'adnxs.com',
  'criteo.com',
  'criteo.net',
  'taboola.com',
  'outbrain.com',
  'pubmatic.com',
  'rubiconproject.com',
  'openx.net',
  'adform.net',
  'smartadserver.com',
  'moatads.com',
];
// The standard display-ad sizes (IAB): an image of exactly one of them is an ad slot.
const AD_SIZES = new Set([
  '728x90',
  '970x90',
  '970x250',
  '300x250',
  '336x280',
  '300x600',
  '160x600',
  '120x600',
  '320x50',
  '320x100',
  '468x60',
  '234x60',
]);

/** Whether an absolute URL is served by an ad host. */
export function isAdHost(url: string): boolean {
  const host = hostOf(url);
  return host !== '' && AD_HOSTS.some((ad) => host === ad || host.endsWith(`.${ad}`));
}

/** An image served by an ad host or drawn at an ad size. */
export function isAdImage(img: Element): boolean {
  const size = `${img.attribs.width?.trim()}x${img.attribs.height?.trim()}`;
  return AD_SIZES.has(size) || isAdHost(img.attribs.src ?? '');
}

const AD_LABEL =
  /^(?:advertisement|advertising|advert|ad|ads|sponsored|anzeige|werbung|publicité|publicidad|pubblicità|реклама|إعلان|اعلان|آگهی|פרסומת|广告|廣告|広告)\s*[:：]?$/i;

/** A short label such as "Advertisement" (a word or two, looked at within a bound). */
export function isAdLabel(node: AnyNode): boolean {
  const text = isText(node) ? node.data : isTag(node) ? shortTextOf(node, 60, 10) : undefined;
  return text !== undefined && AD_LABEL.test(collapseWhitespace(text));
}

/** Nothing left to read or see: no text and no media within a few nodes (a larger element is kept). */
export function isBare(el: Element): boolean {
  const pending: AnyNode[] = [...el.children];
  for (let seen = 0, node = pending.pop(); node; node = pending.pop()) {
    if (++seen > 30) return false;
    if (isText(node) && node.data.trim()) return false;
    if (isTag(node)) {
      if (node.name === 'img' || node.name === 'audio' || node.name === 'video') return false;
      for (const child of node.children) pending.push(child);
    }
  }
  return true;
}

// Profiles on social networks, as "Follow us" blocks link them: the network's host and one path
// segment (a handle), never a post (`/status/…`, `/p/…`, `/watch`), which articles cite.
const SOCIAL_HOSTS = new Set([
  'facebook.com',
  'twitter.com',
  'x.com',
  'instagram.com',
  'tiktok.com',
  'youtube.com',
  'linkedin.com',
  't.me',
  'vk.com',
  'weibo.com',
  'douyin.com',
  'threads.net',
  'bsky.app',
]);

function isProfileLink(href: string): boolean {
  const host = hostOf(href).replace(/^(?:www|m|mobile)\./, '');
  if (!SOCIAL_HOSTS.has(host)) return false;
  let url: URL;
  try {
    url = new URL(href);
  } catch {
    return false;
  }
  const segments = url.pathname.split('/', 5).filter(Boolean);
  if (segments.length === 1) return true;
  // linkedin.com/company/x, douyin.com/user/x, youtube.com/c/x and /channel/x, bsky.app/profile/x
  return segments.length === 2 && /^(?:company|user|c|channel|profile)$/.test(segments[0] ?? '');
}

// What may sit between the links of a "Follow us" block: a label, separators.
const FOLLOW_TEXT_MAX = 40;

/** A block that is two or more links to social profiles and a short label, nothing else. */
export function isFollowBlock(el: Element): boolean {
  let links = 0;
  let words = 0;
  for (const child of el.children) {
    if (isText(child)) words += child.data.trim().length;
    else if (isTag(child) && child.name === 'a') {
      if (!isProfileLink(child.attribs.href ?? '')) return false;
      links++;
    } else if (isTag(child) && (child.name === 'span' || child.name === 'strong' || child.name === 'b')) {
      words += shortTextOf(child, FOLLOW_TEXT_MAX, 10)?.length ?? FOLLOW_TEXT_MAX + 1;
    } else if (!isTag(child) || child.name !== 'br') return false;
    if (words > FOLLOW_TEXT_MAX) return false;
  }
  return links >= 2;
}

const COPYRIGHT = /^(?:©|\(c\)|copyright\b)/i;
const COPYRIGHT_MAX = 200;

const COPYRIGHT_LINES_MAX = 3;

/**
 * Copyright lines at the very end of the body: up to three trailing short blocks that start with ©,
 * looked for down the last wrappers. A © elsewhere, in a photo credit or a sentence, stays.
 */
export function removeCopyrightLines(root: Document): void {
  let parent: Document | Element = root;
  for (let depth = 0, removed = 0; depth < 8 && removed < COPYRIGHT_LINES_MAX; ) {
    const last = lastBlock(parent);
    if (!last) return;
    if (isCopyrightLine(last)) {
      replaceWith(last, []);
      removed++;
    } else if (last.name === 'div') {
      parent = last;
      depth++;
    } else return;
  }
}

function lastBlock(parent: Document | Element): Element | undefined {
  for (let i = parent.children.length - 1; i >= 0; i--) {
    const child = parent.children[i] as AnyNode;
    if (isText(child) && !child.data.trim()) continue;
    return isTag(child) ? child : undefined;
  }
  return undefined;
}

function isCopyrightLine(el: Element): boolean {
  if (el.name !== 'p' && el.name !== 'small' && el.name !== 'div') return false;
  const text = shortTextOf(el, COPYRIGHT_MAX, 20);
  return text !== undefined && COPYRIGHT.test(collapseWhitespace(text));
}
