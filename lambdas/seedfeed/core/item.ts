import { hash } from 'node:crypto';

/** One article, as every renderer sees it. Dates are ISO 8601 strings so that items survive JSON. */
export interface Item {
  /** `urn:uuid:` derived from the canonical link: the same article keeps the same id forever. */
  id: string;
  link: string;
  title: string;
  published: string;
  /**
   * When the newest version of the item arrived (the upload's event time), never before `published`:
   * what Atom's `updated` and JSON Feed's `date_modified` say. Absent in records older than it.
   */
  updated?: string;
  summary: string;
  contentHtml: string;
  /** `cleanSeal(contentHtml)` when the parser made it: the render then need not clean it again. */
  cleanSeal?: string;
  image?: string;
  /** The article's audio or video (a podcast episode, a clip): what podcast apps play. */
  enclosure?: Enclosure;
  language: string;
  categories: string[];
  /**
   * Set when this version replaced an earlier one that was published: a correction, which the page
   * marks. Best effort (a version recorded at the same moment as the one it replaces may not know it).
   */
  corrected?: true;
  /** Who wrote it, as the article or the seed header credits them; absent when nobody is named. */
  authors?: Author[];
}

/** A byline: a name, with the author's page or address when the source gives one. */
export interface Author {
  name: string;
  url?: string;
  email?: string;
}

export interface Enclosure {
  url: string;
  /** Its media type, `audio/mpeg`, `video/mp4`… */
  type: string;
}

export function sha256Hex(text: string): string {
  // One call, no Hash object: several times faster for the short texts hashed here (keys, links).
  return hash('sha256', text, 'hex');
}

/** A name-based UUID (RFC 9562 v8 layout over SHA-256) so ids are stable, opaque and valid IRIs. */
export function itemIdFor(link: string): string {
  const hex = sha256Hex(`seedfeed:item:${link}`).slice(0, 32).split('');
  hex[12] = '8';
  hex[16] = ((Number.parseInt(hex[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
  const h = hex.join('');
  return `urn:uuid:${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
