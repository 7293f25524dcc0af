import render from 'dom-serializer';
import { type AnyNode, type Document, Element, Text } from 'domhandler';
import {
  findInOrder,
  isTag,
  isText,
  type Rewrite,
  replaceWith,
  rewrite,
  setChildren,
  shortTextOf,
  textOf,
} from './dom.js';
import { HTML_LIMITS, parseHtml } from './html.js';
import { collapseWhitespace, stripXmlIllegal } from './text.js';
import { absoluteUrl } from './url.js';

/** What the body of a seed yields once the page furniture is gone. */
export interface CleanBody {
  contentHtml: string;
  /** Plain text of the bold lead, else of the first paragraph, else the start of the body. */
  summary: string;
  /** The first image before any text: the article's lead image. */
  image?: string;
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
  ...Object.fromEntries(
    (
      'p br hr h1 h2 h3 h4 h5 h6 strong b em i u s sub sup small mark code pre kbd samp var cite ' +
      'ul li dl dt dd figure figcaption table caption thead tbody tfoot tr div span del ins'
    )
      .split(' ')
      .map((tag) => [tag, []]),
  ),
};

const DROP = new Set(
  (
    'script style noscript template form input button select option textarea label object embed applet ' +
    'link meta base title head svg math canvas audio video source track map area frameset frame ' +
    'dialog menu nav aside footer header'
  ).split(' '),
);

// Share buttons and self-promotion, as news sites mark them. Matched on hrefs and attribute names,
// never on visible words alone, so article text about "sharing" is never removed.
const SHARE_HREF =
  /^(?:whatsapp:|sms:|fb-messenger:|tg:|mailto:\?)|\/\/(?:[\w-]+\.)*(?:facebook\.com\/(?:dialog\/share|sharer)|(?:twitter|x)\.com\/(?:intent|share)|web\.whatsapp\.com\/send|api\.whatsapp\.com\/send|wa\.me\/|t\.me\/share|telegram\.me\/share|linkedin\.com\/(?:shareArticle|sharing)|reddit\.com\/submit|pinterest\.com\/pin\/create|line\.me\/R\/msg|vk\.com\/share|weibo\.com\/share|service\.weibo\.com\/share|getpocket\.com\/save|flipboard\.com\/bookmarklet)/i;
const PROMO_ATTRIBUTE = /^data-(?:selfpromo|root-share|share|social|newsletter|ad(?:-|$)|advert)/i;
const PROMO_CLASS = /(?:^|[\s_-])(?:share|sharing|social-links|newsletter|promo|advert|ad-slot)(?:$|[\s_-])/i;
const SHARE_LABEL =
  /^(?:share|share this|分享|分享到|partager|compartir|teilen|condividi|поделиться|شارك)\s*[:：]?$/i;
const SHOWN_DATE = /^(\d{2})\/(\d{2})\/(\d{4})\s*-\s*(\d{2}):(\d{2})$/;
const LAZY_SRC = ['data-src', 'data-lazy-src', 'data-original', 'data-lazy', 'data-url'];

export function cleanBody(html: string, baseUrl: string): CleanBody {
  // Flattened past the depth limit, a dropped element's text is dropped with it.
  const root = parseHtml(stripXmlIllegal(html), { mute: DROP });

  const shownDate = takeShownDate(root);
  rewrite(root, allowlist(baseUrl));
  const image = takeLeadImage(root);
  const withText = removeEmpty(root);

  const text = collapseWhitespace(textOf(root));
  const summary = leadText(root, withText) ?? text;
  // utf8: by default every non-ASCII character becomes a numeric entity, tripling Chinese text.
  const contentHtml = render(root.children, { encodeEntities: 'utf8' }).trim();
  return {
    contentHtml,
    summary,
    text,
    ...(image ? { image } : {}),
    ...(shownDate ? { shownDate } : {}),
  };
}

/**
 * Article HTML from anywhere but the parser (a record read back from storage) made safe again: the same
 * allowlist, nothing else taken out. Over the parser's budget it throws a SeedError, as a seed would.
 */
export function sanitizeHtml(html: string, baseUrl: string): string {
  // Twice the parser's depth: cleaning may nest an embed's link one or two levels below where the
  // parser stopped, and its own output must come through unchanged. Still far from any stack limit.
  const root = parseHtml(stripXmlIllegal(html), { mute: DROP, depth: 2 * HTML_LIMITS.depth });
  rewrite(root, allowlist(baseUrl));
  return render(root.children, { encodeEntities: 'utf8' }).trim();
}

/** Drop, unwrap or keep each element and its attributes, in one bottom-up pass. */
function allowlist(baseUrl: string): Rewrite {
  return {
    enter(node) {
      if (node.type === 'comment' || node.type === 'directive' || node.type === 'cdata') return [];
      if (!isTag(node)) return undefined;
      const tag = node.name.toLowerCase();
      if (tag === 'iframe') return embedFor(node, baseUrl);
      if (DROP.has(tag) || tag.includes('-') || isPromo(node) || isShareLink(node, tag)) return [];
      return undefined;
    },
    leave(node) {
      const tag = node.name.toLowerCase();
      const keep = KEEP[tag];
      if (!keep) return node.children;
      if (tag === 'img') resolveLazyImage(node);
      filterAttributes(node, keep, baseUrl);
      if (tag === 'a' && !node.attribs.href) return node.children;
      if (tag === 'img' && (!node.attribs.src || isTrackingPixel(node))) return [];
      return [node];
    },
    settle: withoutShareLabels,
  };
}

function isPromo(el: Element): boolean {
  for (const name in el.attribs) if (PROMO_ATTRIBUTE.test(name)) return true;
  const cls = `${el.attribs.class ?? ''} ${el.attribs.id ?? ''}`;
  return PROMO_CLASS.test(cls);
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
    if (lower === 'href' || lower === 'src' || lower === 'cite') {
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

const LINK_SCHEMES = ['http:', 'https:', 'mailto:'] as const;
const IMAGE_SCHEMES = ['http:', 'https:'] as const;

/** Lazy-loading pages keep the real image in data-src or srcset and a placeholder in src. */
function resolveLazyImage(img: Element): void {
  const lazy = LAZY_SRC.map((name) => img.attribs[name]).find((value) => value?.trim());
  const src = img.attribs.src?.trim() ?? '';
  if (lazy && (!src || src.startsWith('data:') || /placeholder|blank|spacer|lazy/i.test(src))) {
    img.attribs.src = lazy.trim();
    return;
  }
  if (!src || src.startsWith('data:')) {
    const best = largestCandidate(img.attribs.srcset ?? img.attribs['data-srcset'] ?? '');
    if (best) img.attribs.src = best;
  }
}

/** The widest (or densest) candidate of a srcset: readers show one image, so show the sharpest. */
function largestCandidate(srcset: string): string | undefined {
  let best: { url: string; size: number } | undefined;
  for (const part of srcset.split(/,\s+/)) {
    const [url, descriptor = '1x'] = part.trim().split(/\s+/);
    if (!url) continue;
    const size = Number.parseFloat(descriptor) || 1;
    if (!best || size > best.size) best = { url, size };
  }
  return best?.url;
}

function isTrackingPixel(img: Element): boolean {
  const w = Number(img.attribs.width);
  const h = Number(img.attribs.height);
  return (w > 0 && w <= 2) || (h > 0 && h <= 2);
}

/** Readers drop iframes; a plain link to what was embedded keeps it reachable. */
function embedFor(frame: Element, baseUrl: string): AnyNode[] {
  const src = absoluteUrl(frame.attribs.src ?? frame.attribs['data-src'] ?? '', baseUrl, IMAGE_SCHEMES);
  if (!src) return [];
  const video = /^https:\/\/(?:www\.)?youtube(?:-nocookie)?\.com\/embed\/([\w-]{6,})/.exec(src)?.[1];
  const href = video ? `https://www.youtube.com/watch?v=${video}` : src;
  const label = frame.attribs.title?.trim() || new URL(href).hostname;
  // A known thumbnail makes the link look like what it replaces.
  const content = video
    ? element('img', { src: `https://i.ytimg.com/vi/${video}/hqdefault.jpg`, alt: label }, [])
    : new Text(label);
  return [element('p', {}, [element('a', { href }, [content])])];
}

function element(name: string, attribs: Record<string, string>, children: AnyNode[]): Element {
  const el = new Element(name, attribs, []);
  setChildren(el, children);
  return el;
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

/** The first image before any text is the lead image; the item carries it, so the content does not. */
function takeLeadImage(root: Document): string | undefined {
  const found = findInOrder(root, (node) => isLeadImage(node) || (isText(node) && node.data.trim() !== ''));
  if (!found || !isLeadImage(found)) return undefined;
  replaceWith(closest(found, 'figure') ?? found, []);
  return found.attribs.src;
}

const isLeadImage = (node: AnyNode): node is Element =>
  isTag(node) && node.name === 'img' && Boolean(node.attribs.src);

const VOID_CONTENT = new Set(['img', 'br', 'hr']);

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
      for (const child of el.children) {
        if (isText(child)) text ||= child.data.trim() !== '';
        else if (isTag(child)) {
          text ||= withText.has(child);
          media ||= VOID_CONTENT.has(child.name) || withContent.has(child);
        }
      }
      if (text) withText.add(el);
      if (text || media) withContent.add(el);
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

/** The first paragraph with text (a bold lead is one), if any. */
function leadText(root: Document, withText: Set<Element>): string | undefined {
  const lead = findInOrder(root, (node) => isTag(node) && node.name === 'p' && withText.has(node));
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
