import { escapeMarkup } from './escape.js';
import { type FeedSettings, feedUrl } from './settings.js';

/**
 * Which set of feeds is being rendered: the main feeds, one category's or author's, or one month's
 * archive (RFC 5005). A view only changes paths, titles and links; items render the same in every view.
 */
export interface View {
  kind: 'main' | 'category' | 'author' | 'archive';
  /** Folder of the view's files below the public URL: '' for the main feeds, else ending in '/'. */
  path: string;
  /** What the view adds to the feed title: a category name, a month. */
  label?: string;
  /** RFC 5005 links, as folders of other views. */
  prevArchive?: string;
  nextArchive?: string;
  /** Other views a reader may want: categories, listed in feeds and on the page. */
  related?: readonly RelatedView[];
  /** Author collections (`authors/<name>/`): listed on the page and in the OPML, not linked from feeds. */
  authors?: readonly RelatedView[];
  /** Archive months, newest first, for the main page to list; without them it links the newest one. */
  archives?: readonly RelatedView[];
}

export interface RelatedView {
  path: string;
  label: string;
}

export const MAIN_VIEW: View = { kind: 'main', path: '' };

export const HISTORY_NAMESPACE = 'http://purl.org/syndication/history/1.0';

export function viewTitle(settings: FeedSettings, view: Pick<View, 'label'>): string {
  return view.label ? `${settings.feedTitle} — ${view.label}` : settings.feedTitle;
}

export function viewUrl(settings: FeedSettings, view: Pick<View, 'path'>, file: string): string {
  return feedUrl(settings, `${view.path}${file}`);
}

interface LinkSpec {
  rel: string;
  path: string;
  title?: string;
}

/** The links a view adds to its feed: RFC 5005 history, and related category feeds. */
export function viewLinks(view: View): LinkSpec[] {
  const links: LinkSpec[] = [];
  if (view.kind === 'archive') links.push({ rel: 'current', path: '' });
  if (view.prevArchive !== undefined) links.push({ rel: 'prev-archive', path: view.prevArchive });
  if (view.nextArchive !== undefined) links.push({ rel: 'next-archive', path: view.nextArchive });
  for (const related of view.related ?? [])
    links.push({ rel: 'related', path: related.path, title: related.label });
  return links;
}

/** Extra `<link>`/`<atom:link>` lines for a view, at the indentation of the feed's own links. */
export function linkLines(
  settings: FeedSettings,
  view: View,
  element: 'link' | 'atom:link',
  file: string,
  type: string,
  indent: string,
): string {
  const lines = viewLinks(view).map((link) => {
    const title = link.title ? ` title="${escapeMarkup(link.title)}"` : '';
    return `${indent}<${element} rel="${link.rel}" href="${escapeMarkup(viewUrl(settings, link, file))}" type="${type}"${title}/>`;
  });
  if (view.kind === 'archive') lines.push(`${indent}<fh:archive/>`);
  return lines.map((line) => `${line}\n`).join('');
}
