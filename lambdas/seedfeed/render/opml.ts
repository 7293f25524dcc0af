import { collapseWhitespace, stripXmlIllegal } from '../core/text.js';
import { escapeMarkup } from './escape.js';
import { PAGE_FILE } from './page.js';
import { FEED_FILES, type FeedSettings } from './settings.js';
import { type RelatedView, viewTitle, viewUrl } from './view.js';

/**
 * `.opml` is what readers' import dialogs look for. OPML has no registered media type; text/x-opml is
 * the one readers and the OPML community use.
 */
export const OPML_FILE = { key: 'feeds.opml', contentType: 'text/x-opml; charset=utf-8' } as const;

/** A folder of the subscription list: the main feeds, the categories, the authors… */
export interface FeedGroup {
  title: string;
  /** Each view's folder below the public URL ('' for the main feeds) and the label its title adds. */
  views: readonly RelatedView[];
}

const FORMATS = [
  { file: FEED_FILES.rss.key, label: 'RSS', version: 'RSS' },
  { file: FEED_FILES.atom.key, label: 'Atom' },
  { file: FEED_FILES.json.key, label: 'JSON Feed' },
] as const;

/**
 * An OPML 2.0 subscription list of every feed: one outline per group, holding each view's RSS, Atom
 * and JSON Feed (`type="rss"` is OPML's word for any feed). Pure, and undated on purpose: its bytes
 * change only when the list does, so it is not rewritten on every upload.
 */
export function renderOpml(settings: FeedSettings, groups: readonly FeedGroup[]): string {
  const folders = groups
    .filter((group) => group.views.length > 0)
    .map((group) => {
      const feeds = group.views.flatMap((view) => {
        const title = viewTitle(settings, view);
        const page = viewUrl(settings, view, PAGE_FILE.key);
        return FORMATS.map((format) => {
          const text = `${title} (${format.label})`;
          const version = 'version' in format ? ` version="${format.version}"` : '';
          return `      <outline type="rss" text="${attr(text)}" title="${attr(text)}" xmlUrl="${attr(viewUrl(settings, view, format.file))}" htmlUrl="${attr(page)}" language="${attr(settings.language)}"${version}/>`;
        });
      });
      return [`    <outline text="${attr(group.title)}">`, ...feeds, '    </outline>'];
    });
  const owner = [
    `    <ownerName>${attr(settings.authorName)}</ownerName>`,
    ...(settings.authorEmail ? [`    <ownerEmail>${attr(settings.authorEmail)}</ownerEmail>`] : []),
    ...(settings.authorUrl ? [`    <ownerId>${attr(settings.authorUrl)}</ownerId>`] : []),
  ];
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<opml version="2.0">',
    '  <head>',
    `    <title>${attr(`${settings.feedTitle}: feeds`)}</title>`,
    ...owner,
    '    <docs>https://opml.org/spec2.opml</docs>',
    '  </head>',
    '  <body>',
    ...folders.flat(),
    '  </body>',
    '</opml>',
    '',
  ].join('\n');
}

/**
 * Text for XML text and double-quoted attributes alike. Labels come from folder names in storage,
 * so characters XML forbids are dropped and line breaks (which attributes turn into spaces) collapsed.
 */
function attr(value: string): string {
  return escapeMarkup(collapseWhitespace(stripXmlIllegal(value)));
}
