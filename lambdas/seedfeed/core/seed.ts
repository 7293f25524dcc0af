import { AUTHOR_LIMITS, authorComment, mergeAuthors, parseAuthorLine } from './author.js';
import { cleanBody, cleanSeal } from './clean.js';
import { SeedError } from './errors.js';
import { HtmlBudgetError } from './html.js';
import { type Author, type Item, itemIdFor } from './item.js';
import { detectLanguage } from './language.js';
import { collapseWhitespace, fromWindows1252Controls, looksBinary, truncate } from './text.js';
import { titleText } from './title.js';
import { absoluteUrl } from './url.js';

export interface SeedInput {
  /** The object key or file name: every rejection names it. */
  file: string;
  bytes: Uint8Array;
  /** When the seed was stored: the publish time of last resort. */
  uploadedAt: Date;
}

export interface SeedOptions {
  defaultLanguage: string;
  maxBytes: number;
  /**
   * A publish date more than this many days after the upload is a typo (2199 for 2019), not an embargo:
   * rejected, so it never becomes a feed's date or its newest archive month. None: no limit.
   */
  horizonDays?: number;
}

const DAY_MS = 86_400_000;

const SUMMARY_MAX = 600;
const CATEGORIES_MAX = 5;
// A timestamp outside these years is a typo or a unit mix-up, not a publish date.
const EARLIEST = Date.UTC(1990, 0, 1);
const LATEST = Date.UTC(2200, 0, 1);

/** seed bytes → item, or a SeedError that names the file and the problem. Pure and deterministic. */
export function parseSeed(input: SeedInput, options: SeedOptions): Item {
  const reject = (problem: string, cause?: unknown): never => {
    throw new SeedError(input.file, problem, cause === undefined ? undefined : { cause });
  };
  try {
    return parseText(decode(input, options.maxBytes, reject), input, options, reject);
  } catch (error) {
    if (error instanceof HtmlBudgetError) return reject(error.message, error);
    throw error;
  }
}

function parseText(
  text: string,
  input: SeedInput,
  options: SeedOptions,
  reject: (problem: string) => never,
): Item {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');

  let at = skipBlank(lines, 0);
  let stamp: Date | undefined;
  const credited: Author[] = [];
  // The header's comments: one timestamp, and any number of author lines before or after it. A seed
  // without author lines reads exactly as before (a second comment is still no title).
  for (
    let comment = commentText(lines[at] ?? '');
    comment !== undefined;
    comment = commentText(lines[at] ?? '')
  ) {
    const author = authorComment(comment);
    if (author !== undefined) {
      const parsed = parseAuthorLine(author);
      if (typeof parsed === 'string') return reject(`author line ${at + 1}: ${parsed}`);
      if (credited.length === AUTHOR_LIMITS.count) {
        return reject(`more than ${AUTHOR_LIMITS.count} author lines (line ${at + 1})`);
      }
      mergeAuthors(credited, [parsed]);
    } else if (stamp === undefined) {
      stamp = parseTimestamp(comment) ?? reject(`timestamp "${truncate(comment, 80)}" is not a date`);
    } else break;
    at = skipBlank(lines, at + 1);
  }

  const titleLine = lines[at]?.trim() ?? '';
  const heading = parseTitleLink(titleLine);
  if (!heading) {
    return reject(
      titleLine
        ? `line ${at + 1} is not a title link: expected [title](https://…), found "${truncate(titleLine, 80)}"`
        : 'no title line: expected [title](https://…)',
    );
  }
  const link = absoluteUrl(heading.url, 'https://invalid.invalid/', ['http:', 'https:']);
  if (!link || !/^(?:https?:)?\/\//i.test(heading.url.trim())) {
    return reject(`link "${truncate(heading.url, 120)}" is not an absolute http(s) URL`);
  }
  // Never cut: a reader shows a long title as it wraps it, and a cut one says less than it did.
  const title = titleText(heading.title);
  if (!title) return reject('the title is empty');

  // Blank lines may sit between title and rule; a missing rule belongs right below the title.
  const ruleLine = at + 2;
  at = skipBlank(lines, at + 1);
  if (!/^\s*(?:-{3,}|={3,}|\*{3,}|_{3,})\s*$/.test(lines[at] ?? '')) {
    return reject(`no rule (------) after the title on line ${ruleLine}`);
  }
  const body = cleanBody(lines.slice(at + 1).join('\n'), link);

  const published = stamp ?? parseShownDate(body.shownDate) ?? input.uploadedAt;
  const horizon = options.horizonDays;
  if (horizon !== undefined && published.getTime() - input.uploadedAt.getTime() > horizon * DAY_MS) {
    return reject(
      `publish date ${published.toISOString()} is more than ${horizon} days after the upload (${input.uploadedAt.toISOString()}): a typo in the year? (the limit is SEEDFEED_EMBARGO_HORIZON_DAYS)`,
    );
  }
  const summary = truncate(body.summary, SUMMARY_MAX) || title;
  return {
    id: itemIdFor(link),
    link,
    title,
    published: published.toISOString(),
    summary,
    contentHtml: body.contentHtml,
    cleanSeal: cleanSeal(body.contentHtml),
    ...(body.image ? { image: body.image } : {}),
    ...(body.enclosure ? { enclosure: body.enclosure } : {}),
    language: detectLanguage(`${title} ${body.text}`, options.defaultLanguage, link),
    categories: categoriesFromLink(link),
    // The header wins over the markup: it is what the publisher says, and how they correct a byline
    // read wrong from the page.
    ...(credited.length > 0 ? { authors: credited } : body.authors ? { authors: body.authors } : {}),
  };
}

function decode(input: SeedInput, maxBytes: number, reject: (problem: string) => never): string {
  const bytes = input.bytes;
  if (bytes.length === 0) return reject('the file is empty');
  if (bytes.length > maxBytes)
    return reject(`the file is ${bytes.length} bytes, over the ${maxBytes}-byte limit`);
  let text: string;
  if (bytes[0] === 0xff && bytes[1] === 0xfe) text = strictDecode('utf-16le', bytes.subarray(2), reject);
  else if (bytes[0] === 0xfe && bytes[1] === 0xff) text = strictDecode('utf-16be', bytes.subarray(2), reject);
  else {
    if (bytes.includes(0)) return reject('binary file: it contains NUL bytes');
    text = strictDecode('utf-8', bytes, reject);
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  text = fromWindows1252Controls(text);
  if (looksBinary(text)) return reject('binary file: too many control characters');
  if (!text.trim()) return reject('the file holds only white space');
  return text;
}

function strictDecode(encoding: string, bytes: Uint8Array, reject: (problem: string) => never): string {
  try {
    return new TextDecoder(encoding, { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return reject(`not valid ${encoding.toUpperCase()} text`);
  }
}

function skipBlank(lines: string[], from: number): number {
  let at = from;
  while (at < lines.length && !lines[at]?.trim()) at++;
  return at;
}

/**
 * The text of a line that is one HTML comment, `<!-- text -->`, trimmed; undefined for any other line.
 * Compared, not matched: /^<!--\s*(.*?)\s*-->$/ took cubic time on `<!--`, spaces and no `-->`.
 */
export function commentText(line: string): string | undefined {
  const trimmed = line.trim();
  if (trimmed.length < 7 || !trimmed.startsWith('<!--') || !trimmed.endsWith('-->')) return undefined;
  const inner = trimmed.slice(4, -3).trim();
  // The expression's `.` stopped at the two line separators JavaScript does not split lines on.
  return /[\u2028\u2029]/.test(inner) ? undefined : inner;
}

// The longest timestamp written out ("2024-01-31T10:15:01.123456789+05:30"), with room to spare:
// a longer comment is no date, and the expressions below then never see a long string.
const STAMP_MAX = 48;

/** Epoch milliseconds or seconds (told apart by size), or an ISO 8601 date-time. */
export function parseTimestamp(raw: string): Date | undefined {
  let ms: number;
  if (raw.length > STAMP_MAX) return undefined;
  if (/^\d+(?:\.\d+)?$/.test(raw)) {
    const n = Number(raw);
    ms = n >= 1e11 ? n : n * 1000;
  } else if (/^\d{4}-\d{2}-\d{2}(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/.test(raw)) {
    // A date-time without an offset is taken as UTC so the result never depends on the host's zone.
    const iso = raw.replace(' ', 'T');
    ms = Date.parse(/[Zz]|[+-]\d{2}:?\d{2}$/.test(iso) || !iso.includes('T') ? iso : `${iso}Z`);
  } else return undefined;
  return Number.isFinite(ms) && ms >= EARLIEST && ms < LATEST ? new Date(Math.round(ms)) : undefined;
}

/** `dd/mm/yyyy - hh:mm` as shown in RFI bodies, read as UTC (the seed does not say its zone). */
function parseShownDate(shown: string | undefined): Date | undefined {
  const m = shown ? /^(\d{2})\/(\d{2})\/(\d{4})\s*-\s*(\d{2}):(\d{2})$/.exec(shown) : null;
  if (!m) return undefined;
  const [day, month, year, hour, minute] = m.slice(1).map(Number) as [number, number, number, number, number];
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59) return undefined;
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute));
  return date.getUTCDate() === day && date.getTime() >= EARLIEST ? date : undefined;
}

/**
 * `[title](url)`. Titles may hold brackets and URLs parentheses, so the split is the last `](` and the
 * URL runs to the final `)`; `<url>` and a trailing `"link title"` are accepted as Markdown allows.
 */
export function parseTitleLink(line: string): { title: string; url: string } | undefined {
  if (!line.startsWith('[') || !line.endsWith(')')) return undefined;
  const split = line.lastIndexOf('](');
  if (split < 1) return undefined;
  let url = line.slice(split + 2, -1).trim();
  const titled = /^(\S+)\s+(?:"[^"]*"|'[^']*'|\([^)]*\))$/.exec(url);
  if (titled?.[1]) url = titled[1];
  if (url.startsWith('<') && url.endsWith('>')) url = url.slice(1, -1).trim();
  if (!url || /\s/.test(url)) return undefined;
  return { title: line.slice(1, split), url };
}

// Path words that are plumbing, not sections: /wiki/…, /posts/…, /amp/….
const NOT_SECTIONS = new Set(
  'wiki w p post posts article articles story stories amp blog blogs content page pages node entry entries item items'.split(
    ' ',
  ),
);

/**
 * News URLs name their section (`/cn/中国/20240131-…` → 中国). Language codes, dates and the slug
 * itself are not sections.
 */
function categoriesFromLink(link: string): string[] {
  const segments = new URL(link).pathname.split('/').filter(Boolean).slice(0, -1);
  const out: string[] = [];
  for (const segment of segments) {
    let name: string;
    try {
      name = collapseWhitespace(decodeURIComponent(segment).replace(/[-_]+/g, ' '));
    } catch {
      continue;
    }
    if (!name || /^[a-z]{2,3}(?:-[a-z]{2,4})?$/i.test(name) || /\d{4}/.test(name) || name.length > 40)
      continue;
    if (NOT_SECTIONS.has(name.toLowerCase()) || /^\d+$/.test(name)) continue;
    if (!out.includes(name)) out.push(name);
    // Five are kept: stopping there also keeps a link of 100,000 segments from costing their square.
    if (out.length === CATEGORIES_MAX) break;
  }
  return out;
}
