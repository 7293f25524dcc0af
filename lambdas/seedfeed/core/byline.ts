import type { AnyNode, Element, ParentNode } from 'domhandler';
import { authorUrl, bylineNames, cleanName, mailtoAddress, mergeAuthors } from './author.js';
import { findInOrder, isTag, isText } from './dom.js';
import type { Author } from './item.js';

// Who wrote the article, read from its markup: `rel="author"` links, the classes, itemprops and test
// ids news pages mark bylines with, schema.org and hCard names inside them (a leading "By …" line
// with no markup is leading-byline.ts's). Never from article words alone. The cleaning pass calls in
// here as it meets each element (core/allowlist.ts), so finding bylines adds no walk of the tree;
// every look below is bounded, and at most LOOKS_MAX marked elements are looked at, so a seed of
// nothing but bylines costs what any seed of its size does.

/** What one cleaning pass found so far. */
export interface Bylines {
  authors: Author[];
  /** Marked elements looked at: past LOOKS_MAX the rest are cleaned as any element. */
  looks: number;
  baseUrl: string;
}

export function newBylines(baseUrl: string): Bylines {
  return { authors: [], looks: 0, baseUrl };
}

const LOOKS_MAX = 32;
// A byline is a line: more nodes or text than this is a box with a byline in it (an author's bio).
const NODES_MAX = 80;
const TEXT_MAX = 400;
// How far into a dropped <header> or <head> the pass looks for bylines.
const DROPPED_NODES_MAX = 400;

// Class and test-id tokens, split at white space, "_", "-" and camelCase: c-byline, byline__name,
// article-author, authorName, vcard author, byline-new-contributors…
const MARK_TOKENS =
  /(?:^|[\s_-])(?:[Bb]y-?[Ll]ines?|[Aa]uthors?|[Ww]riters?|[Cc]ontributors?)(?=$|[\s_-]|[A-Z])|[a-z](?:By[Ll]ines?|Authors?)(?=$|[\s_-]|[A-Z])/;
// …unless the element is the author's picture, bio, date or social links.
const NOT_A_LINE =
  /(?:^|[\s_-])(?:avatar|image|img|photo|pic|picture|thumb|thumbnail|bio|biography|social|follow|date|time|timestamp)s?(?=$|[\s_-]|[A-Z])|[a-z](?:Avatar|Image|Img|Photo|Picture|Thumb|Bio|Social|Follow|Date|Time)/;
const NAME_TOKENS = /(?:^|[\s_-])(?:fn|name|names)(?=$|[\s_-])|[a-z]Names?(?=$|[\s_-]|[A-Z])/;
const CLASS_MAX = 512;
const SKIPPED = new Set(['script', 'style', 'template', 'svg', 'math', 'button', 'noscript', 'select']);
const INLINE = new Set('a span strong b em i small cite abbr font u mark'.split(' '));

const hasToken = (value: string | undefined, token: string): boolean =>
  (value ?? '').slice(0, CLASS_MAX).toLowerCase().split(/\s+/).includes(token);

/** Whether the element's markup names it a byline: an author link, itemprop, class or test id. */
export function isBylineMark(el: Element): boolean {
  const { rel, itemprop, class: cls } = el.attribs;
  if (el.name === 'address') return true;
  if (rel !== undefined && hasToken(rel, 'author')) return true;
  if (itemprop !== undefined && (hasToken(itemprop, 'author') || hasToken(itemprop, 'creator'))) return true;
  return marks(cls) || marks(el.attribs['data-testid']);
}

function marks(value: string | undefined): boolean {
  if (value === undefined) return false;
  const head = value.slice(0, CLASS_MAX);
  return MARK_TOKENS.test(head) && !NOT_A_LINE.test(head);
}

/**
 * A marked element, before its children are cleaned: its authors are recorded, and true is returned
 * when it is a byline of its own (a block holding only the byline) that leaves the content, since the
 * item carries it as a field every format renders. An inline one (a link in a sentence) stays.
 */
export function takeByline(el: Element, found: Bylines): boolean {
  if (found.looks >= LOOKS_MAX) return false;
  found.looks++;
  const read = readMarked(el, found.baseUrl);
  mergeAuthors(found.authors, read.authors);
  return read.authors.length > 0 && read.whole && !INLINE.has(el.name);
}

/** Bylines inside an element the pass drops whole (the article's <header>, the page's <head>). */
export function bylinesInside(el: Element, found: Bylines): void {
  const taken = new Set<Element>();
  let seen = 0;
  findInOrder(
    el,
    (node) => {
      if (++seen > DROPPED_NODES_MAX || found.looks >= LOOKS_MAX) return true;
      if (!isTag(node)) return false;
      if (node.name === 'meta') metaAuthor(node, found);
      else if (isBylineMark(node)) {
        takeByline(node, found);
        taken.add(node);
      }
      return false;
    },
    (child) => !taken.has(child),
  );
}

/** `<meta name="author">` where the pass drops it. */
export function metaAuthor(el: Element, found: Bylines): void {
  if (el.attribs.name?.toLowerCase() !== 'author' || found.looks >= LOOKS_MAX) return;
  found.looks++;
  mergeAuthors(
    found.authors,
    bylineNames(el.attribs.content ?? '', 'marked').map((name) => ({ name })),
  );
}

interface Read {
  authors: Author[];
  /** The whole element was read: it is no larger than a byline. */
  whole: boolean;
}

export interface Named {
  text: string;
  href: string | undefined;
}

/** What a marked element says, read within NODES_MAX nodes and TEXT_MAX characters. */
function readMarked(el: Element, baseUrl: string): Read {
  const names: Named[] = [];
  const links: Named[] = [];
  // The name and link elements met so far: a text joins each one it lies inside.
  const collecting = new Map<AnyNode, Named[]>();
  const collect = (node: Element, named: Named, into: Named[]): void => {
    into.push(named);
    collecting.set(node, [...(collecting.get(node) ?? []), named]);
  };
  let text = '';
  let seen = 0;
  const visit = (node: AnyNode): boolean => {
    if (++seen > NODES_MAX) return true;
    if (isText(node)) {
      // Cut at the bound: a name is never longer, and a huge text node costs no more than a short one.
      const data = node.data.slice(0, TEXT_MAX + 1);
      text += data;
      for (let up: ParentNode | null = node.parent; up; up = up === el ? null : up.parent) {
        for (const named of collecting.get(up) ?? []) named.text += data;
      }
      return text.length > TEXT_MAX;
    }
    if (!isTag(node) || SKIPPED.has(node.name)) return false;
    text = withBreak(text, node);
    const href = linkAt(node, el);
    if (node.name === 'meta') {
      if (isName(node)) names.push({ text: node.attribs.content ?? '', href });
    } else if (isName(node) || (node !== el && node.name === 'a' && hasToken(node.attribs.rel, 'author'))) {
      collect(node, { text: '', href }, names);
    }
    if (node.name === 'a' && node.attribs.href) collect(node, { text: '', href: node.attribs.href }, links);
    return false;
  };
  // A date is no name: "By Jane Doe <time>June 3</time>".
  const descend = (child: Element) => !SKIPPED.has(child.name) && child.name !== 'time';
  const cut = visit(el) || findInOrder(el, visit, descend) !== undefined;
  // A cut text would give cut names: past the bound only the elements marked as names count.
  return { authors: authorsOf(el, names, links, cut ? '' : text, baseUrl), whole: !cut };
}

/** The href of the link `node` is or lies in, up to `top` (a short climb: `node` was reached within bounds). */
function linkAt(node: Element, top: Element): string | undefined {
  for (let at: ParentNode | null = node; at && isTag(at as AnyNode); at = at === top ? null : at.parent) {
    const el = at as Element;
    if (el.name === 'a' && el.attribs.href) return el.attribs.href;
  }
  return undefined;
}

function isName(el: Element): boolean {
  return (
    hasToken(el.attribs.itemprop, 'name') || NAME_TOKENS.test((el.attribs.class ?? '').slice(0, CLASS_MAX))
  );
}

function authorsOf(el: Element, names: Named[], links: Named[], text: string, baseUrl: string): Author[] {
  if (el.name === 'a') {
    const name = cleanName(text) ?? cleanName(el.attribs.title ?? '');
    return name ? [withLink({ name }, el.attribs.href, baseUrl)] : [];
  }
  if (names.length > 0) {
    const authors = names.flatMap(({ text: raw, href }) => {
      const name = cleanName(raw);
      return name ? [withLink({ name }, href, baseUrl)] : [];
    });
    // One author and one link beside the name: the link is theirs.
    const only = authors.length === 1 ? authors[0] : undefined;
    if (only && only.url === undefined && only.email === undefined && links.length === 1) {
      return [withLink(only, links[0]?.href, baseUrl)];
    }
    return authors;
  }
  if (el.name === 'address') {
    return links.flatMap(({ text: raw, href }) => {
      const name = cleanName(raw);
      return name ? [withLink({ name }, href, baseUrl)] : [];
    });
  }
  return bylineNames(text, 'marked').map((name) => {
    const link = links.find((l) => cleanName(l.text) === name);
    return withLink({ name }, link?.href, baseUrl);
  });
}

export function withLink(author: Author, href: string | undefined, baseUrl: string): Author {
  if (href === undefined) return author;
  const email = mailtoAddress(href);
  if (email) return { ...author, email };
  const url = authorUrl(href, baseUrl);
  return url ? { ...author, url } : author;
}

// Elements that end a line within a byline: "By Jane Doe<br>Reuters" is two lines, not "DoeReuters".
const BREAKS = new Set(['br', 'p', 'div', 'li', 'time', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6']);

/**
 * The text so far, with a line break if `el` ends a line: a block or a <br> does, and so does an
 * element set flush against the text before it, as pages lay out a name and a job title in two spans.
 */
export function withBreak(text: string, el: Element): string {
  const flush = text !== '' && !/\s/.test(text.charAt(text.length - 1));
  return BREAKS.has(el.name) || (flush && el.name === 'span') ? `${text}\n` : text;
}
