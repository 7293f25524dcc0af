import type { AnyNode, Document, Element } from 'domhandler';
import { element, findInOrder, inPhrasing, isTag, setChildren } from './dom.js';
import type { Enclosure } from './item.js';
import { absoluteUrl } from './url.js';

// Audio and video stay as players with every source (readers that play them do), their fallback
// (the "Download the episode" link) moves out beside the player so every reader shows it, and the
// first of them becomes the item's enclosure, which is what podcast apps play.

const SCHEMES = ['http:', 'https:'] as const;
const TYPES: Record<string, string> = {
  mp3: 'audio/mpeg',
  m4a: 'audio/mp4',
  aac: 'audio/aac',
  oga: 'audio/ogg',
  ogg: 'audio/ogg',
  opus: 'audio/ogg',
  wav: 'audio/wav',
  flac: 'audio/flac',
  mp4: 'video/mp4',
  m4v: 'video/mp4',
  mov: 'video/quicktime',
  webm: 'video/webm',
};

export const MEDIA_TAGS = new Set(['audio', 'video']);
export const MEDIA_ATTRIBUTES: Record<string, readonly string[]> = {
  audio: ['src', 'controls'],
  video: ['src', 'controls', 'poster', 'width', 'height'],
  source: ['src', 'type'],
};

/** The registered type of a media file, from its extension; undefined for anything else. */
export function mediaType(url: string): string | undefined {
  let path: string;
  try {
    path = new URL(url).pathname;
  } catch {
    return undefined;
  }
  const dot = path.lastIndexOf('.');
  return dot < 0 ? undefined : TYPES[path.slice(dot + 1).toLowerCase()];
}

/**
 * An <audio> or <video> once its children were cleaned (attributes filtered): the player with its
 * sources, then its fallback content; only the fallback when there is nothing to play.
 */
export function settleMedia(el: Element, found: Enclosure[]): AnyNode[] {
  const sources: Element[] = [];
  const fallback: AnyNode[] = [];
  for (const child of el.children) {
    if (isTag(child) && child.name === 'source') {
      if (child.attribs.src) sources.push(child);
    } else if (isTag(child)) fallback.push(child);
    // Loose text is the "your browser cannot play this" notice, for browsers only.
  }
  const first = el.attribs.src ?? sources[0]?.attribs.src;
  if (!first) return fallback;
  // A bare download link becomes a paragraph of its own below the player, where one may go.
  const paragraph = fallback.length > 0 && fallback.every(isInline) && !inPhrasing(el);
  const shown = paragraph ? [element('p', {}, fallback)] : fallback;
  const declared = el.attribs.src ? undefined : sources[0]?.attribs.type?.split(';')[0]?.trim().toLowerCase();
  const type = declared?.startsWith(`${el.name}/`) ? declared : (mediaType(first) ?? `${el.name}/mpeg`);
  found.push({ url: first, type: el.name === 'video' && type === 'video/mpeg' ? 'video/mp4' : type });
  el.attribs.controls = '';
  setChildren(el, sources);
  return [el, ...shown];
}

const INLINE = new Set(['a', 'span', 'strong', 'b', 'em', 'i', 'small', 'br']);
const isInline = (node: AnyNode): boolean => isTag(node) && INLINE.has(node.name);

/** The item's enclosure: the first player's media, else the first link to an audio or video file. */
export function enclosureOf(root: Document, players: readonly Enclosure[]): Enclosure | undefined {
  if (players[0]) return players[0];
  let found: Enclosure | undefined;
  findInOrder(root, (node) => {
    if (!isTag(node) || node.name !== 'a') return false;
    const href = absoluteUrl(node.attribs.href ?? '', 'https://invalid.invalid/', SCHEMES);
    const type = href ? mediaType(href) : undefined;
    if (href && type) found = { url: href, type };
    return found !== undefined;
  });
  return found;
}
