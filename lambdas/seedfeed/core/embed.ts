import { type AnyNode, type Element, Text } from 'domhandler';
import { element, inPhrasing } from './dom.js';
import { absoluteUrl } from './url.js';

// Readers drop iframes; a plain link to what was embedded keeps it reachable. Players are linked by
// the page a person would open (the video, the episode), named by the frame's title or the service.

const SCHEMES = ['http:', 'https:'] as const;
// Lazy frames keep the real address here and a blank page in src.
const LAZY_SRC = ['data-src', 'data-lazy-src', 'data-url'] as const;

interface Embedded {
  href: string;
  label: string;
  thumbnail?: string;
}

/** The nodes that take an iframe's place: a link (in a paragraph where one may go), or nothing. */
export function embedFor(frame: Element, baseUrl: string): AnyNode[] {
  const src = frameSource(frame, baseUrl);
  if (!src) return [];
  const embedded = whatIsEmbedded(new URL(src));
  const label = frame.attribs.title?.trim() || embedded.label;
  const content = embedded.thumbnail
    ? element('img', { src: embedded.thumbnail, alt: label }, [])
    : new Text(label);
  const link = element('a', { href: embedded.href }, [content]);
  // Where a paragraph may not go, the link stands alone.
  return [inPhrasing(frame) ? link : element('p', {}, [link])];
}

function frameSource(frame: Element, baseUrl: string): string | undefined {
  const src = frame.attribs.src?.trim() ?? '';
  const blank = !src || src.startsWith('about:') || src.startsWith('data:') || src.startsWith('javascript:');
  const lazy = LAZY_SRC.map((name) => frame.attribs[name]?.trim()).find(Boolean);
  return absoluteUrl(blank && lazy ? lazy : src, baseUrl, SCHEMES);
}

function whatIsEmbedded(url: URL): Embedded {
  const host = url.hostname.toLowerCase().replace(/^www\./, '');
  const path = url.pathname.split('/').filter(Boolean);
  if ((host === 'youtube.com' || host === 'youtube-nocookie.com') && path[0] === 'embed' && path[1]) {
    const start = Number.parseInt(url.searchParams.get('start') ?? url.searchParams.get('t') ?? '', 10);
    const video = encodeURIComponent(path[1]);
    return {
      href: `https://www.youtube.com/watch?v=${video}${start > 0 ? `&t=${start}s` : ''}`,
      label: 'YouTube',
      thumbnail: `https://i.ytimg.com/vi/${video}/hqdefault.jpg`,
    };
  }
  if (host === 'player.vimeo.com' && path[0] === 'video' && path[1]) {
    // An unlisted video's page needs its hash, which the player takes as ?h=.
    const hash = url.searchParams.get('h');
    return {
      href: `https://vimeo.com/${path[1]}${hash ? `/${encodeURIComponent(hash)}` : ''}`,
      label: 'Vimeo',
    };
  }
  if (host === 'open.spotify.com' && path[0] === 'embed' && path[1] && path[2]) {
    return { href: `https://open.spotify.com/${path[1]}/${path[2]}`, label: 'Spotify' };
  }
  if (host === 'w.soundcloud.com' && url.searchParams.get('url')) {
    const track = absoluteUrl(url.searchParams.get('url') ?? '', url.href, SCHEMES);
    if (track) return { href: track, label: 'SoundCloud' };
  }
  if (host.endsWith('dwcdn.net') || host === 'datawrapper.de')
    return { href: url.href, label: 'Datawrapper' };
  return { href: url.href, label: url.hostname };
}
