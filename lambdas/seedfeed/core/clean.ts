import { load } from 'cheerio/slim';
import render from 'dom-serializer';
import { type AnyNode, Element, isTag, isText, Text } from 'domhandler';
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
  const $ = load(stripXmlIllegal(html), null, false);
  const root = $.root()[0];
  if (!root) return { contentHtml: '', summary: '', text: '' };

  const shownDate = takeShownDate(root);
  walk(root, baseUrl);
  const image = takeLeadImage(root);
  removeEmpty(root);

  const summary = leadText($);
  const text = collapseWhitespace($.root().text());
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

/** Depth-first, rewriting in place: drop, unwrap or keep each element and its attributes. */
function walk(parent: AnyNode & { children: AnyNode[] }, baseUrl: string): void {
  for (const node of [...parent.children]) {
    if (node.type === 'comment' || node.type === 'directive' || node.type === 'cdata') {
      remove(node);
      continue;
    }
    if (!isTag(node)) continue;
    const tag = node.name.toLowerCase();
    if (tag === 'iframe') {
      replaceEmbed(node, baseUrl);
      continue;
    }
    if (DROP.has(tag) || tag.includes('-') || isPromo(node) || isShareLink(node, tag)) {
      remove(node);
      continue;
    }
    walk(node, baseUrl);
    const keep = KEEP[tag];
    if (!keep) {
      unwrap(node);
      continue;
    }
    if (tag === 'img') resolveLazyImage(node);
    filterAttributes(node, keep, baseUrl);
    if (tag === 'a' && !node.attribs.href) unwrap(node);
    else if (tag === 'img' && (!node.attribs.src || isTrackingPixel(node))) remove(node);
  }
  removeShareLabels(parent);
}

function isPromo(el: Element): boolean {
  if (Object.keys(el.attribs).some((name) => PROMO_ATTRIBUTE.test(name))) return true;
  const cls = `${el.attribs.class ?? ''} ${el.attribs.id ?? ''}`;
  return PROMO_CLASS.test(cls);
}

function isShareLink(el: Element, tag: string): boolean {
  return tag === 'a' && SHARE_HREF.test(el.attribs.href?.trim() ?? '');
}

/** A label such as "分享 :" left alone once its buttons are gone. */
function removeShareLabels(parent: AnyNode & { children: AnyNode[] }): void {
  for (const node of [...parent.children]) {
    if (isTag(node) && SHARE_LABEL.test(collapseWhitespace(textOf(node)))) remove(node);
  }
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
function replaceEmbed(frame: Element, baseUrl: string): void {
  const src = absoluteUrl(frame.attribs.src ?? frame.attribs['data-src'] ?? '', baseUrl, IMAGE_SCHEMES);
  if (!src) {
    remove(frame);
    return;
  }
  const video = /^https:\/\/(?:www\.)?youtube(?:-nocookie)?\.com\/embed\/([\w-]{6,})/.exec(src)?.[1];
  const href = video ? `https://www.youtube.com/watch?v=${video}` : src;
  const label = frame.attribs.title?.trim() || new URL(href).hostname;
  // A known thumbnail makes the link look like what it replaces.
  const content = video
    ? element('img', { src: `https://i.ytimg.com/vi/${video}/hqdefault.jpg`, alt: label }, [])
    : new Text(label);
  replaceWith(frame, [element('p', {}, [element('a', { href }, [content])])]);
}

function element(name: string, attribs: Record<string, string>, children: AnyNode[]): Element {
  const el = new Element(name, attribs, children);
  for (const child of children) child.parent = el;
  return el;
}

/** The date line at the top of the body duplicates the item's date field. */
function takeShownDate(root: AnyNode & { children: AnyNode[] }): string | undefined {
  for (const node of root.children.slice(0, 4)) {
    if (!isTag(node)) continue;
    const text = collapseWhitespace(textOf(node));
    if (SHOWN_DATE.test(text)) {
      remove(node);
      return text;
    }
    if (text) return undefined;
  }
  return undefined;
}

/** The first image before any text is the lead image; the item carries it, so the content does not. */
function takeLeadImage(root: AnyNode & { children: AnyNode[] }): string | undefined {
  let found: Element | undefined;
  let sawText = false;
  const visit = (node: AnyNode): void => {
    if (found || sawText) return;
    if (isText(node) && node.data.trim()) sawText = true;
    else if (isTag(node)) {
      if (node.name === 'img' && node.attribs.src) found = node;
      else for (const child of node.children) visit(child);
    }
  };
  for (const child of root.children) visit(child);
  if (!found) return undefined;
  const src = found.attribs.src;
  const figure = closest(found, 'figure');
  remove(figure ?? found);
  return src;
}

const VOID_CONTENT = new Set(['img', 'br', 'hr']);

/** Wrappers with nothing to read or see in them, removed bottom-up until none is left. */
function removeEmpty(parent: AnyNode & { children: AnyNode[] }): void {
  for (const node of [...parent.children]) {
    if (!isTag(node)) continue;
    removeEmpty(node);
    if (VOID_CONTENT.has(node.name) || node.name === 'td' || node.name === 'th') continue;
    if (!textOf(node).trim() && !hasMedia(node)) remove(node);
  }
  trimBreaks(parent);
}

/** Leading and trailing <br> in a block are layout debris. */
function trimBreaks(parent: AnyNode & { children: AnyNode[] }): void {
  const edge = (fromEnd: boolean): AnyNode | undefined => {
    const children = fromEnd ? [...parent.children].reverse() : parent.children;
    return children.find((node) => !(isText(node) && !node.data.trim()));
  };
  for (const fromEnd of [false, true]) {
    let node = edge(fromEnd);
    while (node && isTag(node) && node.name === 'br') {
      remove(node);
      node = edge(fromEnd);
    }
  }
}

function hasMedia(el: Element): boolean {
  return el.children.some((child) => isTag(child) && (VOID_CONTENT.has(child.name) || hasMedia(child)));
}

function leadText($: ReturnType<typeof load>): string {
  const paragraphs = $('p').toArray();
  for (const p of paragraphs) {
    const text = collapseWhitespace(textOf(p));
    if (!text) continue;
    const bold = collapseWhitespace($(p).find('strong, b').text());
    if (bold === text) return text;
    break;
  }
  for (const p of paragraphs) {
    const text = collapseWhitespace(textOf(p));
    if (text) return text;
  }
  return collapseWhitespace($.root().text());
}

function textOf(node: AnyNode): string {
  if (isText(node)) return node.data;
  if (!isTag(node) && node.type !== 'root') return '';
  return (node as Element).children.map(textOf).join('');
}

function closest(node: AnyNode, tag: string): Element | undefined {
  let current = node.parent;
  while (current && isTag(current)) {
    if (current.name === tag) return current;
    current = current.parent;
  }
  return undefined;
}

function remove(node: AnyNode): void {
  replaceWith(node, []);
}

function unwrap(el: Element): void {
  replaceWith(el, [...el.children]);
}

/** Splice a node out of its parent, putting `nodes` in its place and keeping sibling links right. */
function replaceWith(node: AnyNode, nodes: AnyNode[]): void {
  const parent = node.parent;
  if (!parent) return;
  const siblings = parent.children;
  const index = siblings.indexOf(node);
  if (index < 0) return;
  siblings.splice(index, 1, ...nodes);
  for (const child of nodes) child.parent = parent;
  for (let i = Math.max(0, index - 1); i < Math.min(siblings.length, index + nodes.length + 1); i++) {
    const current = siblings[i];
    if (!current) continue;
    current.prev = siblings[i - 1] ?? null;
    current.next = siblings[i + 1] ?? null;
  }
  node.parent = null;
  node.prev = null;
  node.next = null;
}
