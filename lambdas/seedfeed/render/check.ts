import { SaxesParser } from 'saxes';
import { AUTHOR_LIMITS, authorProblem } from '../core/author.js';
import type { Item } from '../core/item.js';

export const NAMESPACES = {
  atom: 'http://www.w3.org/2005/Atom',
  content: 'http://purl.org/rss/1.0/modules/content/',
  dc: 'http://purl.org/dc/elements/1.1/',
  media: 'http://search.yahoo.com/mrss/',
} as const;

/**
 * A strict XML 1.0 + namespaces check (saxes rejects what lenient validators let through: control
 * characters, `<` or a bare `&` in attributes, a stray `]]>`, unbound prefixes). Returns the first
 * problem, or undefined when the text is well-formed.
 */
export function xmlProblem(xml: string): string | undefined {
  const parser = new SaxesParser({ xmlns: true, position: true });
  let problem: string | undefined;
  parser.on('error', (error) => {
    problem ??= error.message;
  });
  try {
    parser.write(xml).close();
  } catch (error) {
    problem ??= error instanceof Error ? error.message : String(error);
  }
  return problem;
}

/** A fragment is checked inside a root that binds every prefix a feed may use. */
export function fragmentProblem(fragment: string, defaultNamespace?: string): string | undefined {
  const bindings = Object.entries(NAMESPACES)
    .map(([prefix, uri]) => ` xmlns:${prefix}="${uri}"`)
    .join('');
  const xmlns = defaultNamespace ? ` xmlns="${defaultNamespace}"` : '';
  return xmlProblem(`<check${xmlns}${bindings}>${fragment}</check>`);
}

// BCP 47 in the shape the parser writes (`zh-CN`, `sr-Latn`); anything else is not from it.
const LANGUAGE = /^[a-z]{2,3}(?:-[A-Za-z0-9]{1,8}){0,3}$/;

/**
 * What every format needs of an item; the parser guarantees it, this guards the renderers' input (a
 * record read back from storage may hold anything: see publish/entry.ts).
 */
export function itemProblem(item: Item): string | undefined {
  if (!item.title.trim()) return 'item has no title';
  if (!/^https?:\/\//.test(item.link)) return `item link "${item.link}" is not absolute http(s)`;
  if (!item.id.startsWith('urn:uuid:')) return `item id "${item.id}" is not a urn:uuid`;
  if (Number.isNaN(Date.parse(item.published))) return `item date "${item.published}" is not a date`;
  if (item.image !== undefined && !/^https?:\/\//.test(item.image)) {
    return `item image "${item.image}" is not absolute http(s)`;
  }
  if (!LANGUAGE.test(item.language)) return `item language "${item.language}" is not a language tag`;
  return authorsProblem(item.authors);
}

/** The parser's limits on bylines, held to again: a forged record's authors render as text and links. */
function authorsProblem(authors: Item['authors']): string | undefined {
  if (authors === undefined) return undefined;
  if (authors.length > AUTHOR_LIMITS.count)
    return `item has ${authors.length} authors, over ${AUTHOR_LIMITS.count}`;
  for (const author of authors) {
    const problem = authorProblem(author);
    if (problem) return `item ${problem}`;
  }
  return undefined;
}
