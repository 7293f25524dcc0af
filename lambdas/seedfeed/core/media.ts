import type { AnyNode, Element } from 'domhandler';
import { element, inPhrasing, isTag, setChildren } from './dom.js';
import type { Enclosure } from './item.js';

// Audio and video stay as players with every source (readers that play them do), their fallback
// (the "Download the episode" link) moves out beside the player so every reader shows it, and the
// first of them becomes the item's enclosure, which is what podcast apps play (else the first link to
// an audio or video file).

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

/**
 * The registered type of a media file, from the extension of an absolute URL's path; undefined for
 * anything else. Read off the string, not parsed again: the cleaner asks it of every link.
 */
export function mediaType(url: string): string | undefined {
  const scheme = url.indexOf('//');
  const path = scheme < 0 ? -1 : url.indexOf('/', scheme + 2);
  if (path < 0) return undefined;
  let end = url.length;
  for (const mark of ['?', '#']) {
    const at = url.indexOf(mark, path);
    if (at >= 0 && at < end) end = at;
  }
  const dot = url.lastIndexOf('.', end);
  if (dot < path || dot < url.lastIndexOf('/', end)) return undefined;
  return TYPES[url.slice(dot + 1, end).toLowerCase()];
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

/** The first link to an audio or video file among the links the cleaner keeps, noted as it goes. */
export function noteMediaLink(href: string, links: Enclosure[]): void {
  if (links.length > 0) return;
  const type = mediaType(href);
  if (type) links.push({ url: href, type });
}
