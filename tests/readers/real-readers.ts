import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
// Debian's Python: python3-feedparser is installed for it, not for whichever python3 is first on PATH.
const PYTHON = '/usr/bin/python3';
const CHECK = fileURLToPath(new URL('feedparser_check.py', import.meta.url));

/** What feedparser_check.py reports of one entry (texts as lengths where only their presence matters). */
export interface EntryView {
  title: string | null;
  link: string | null;
  id: string | null;
  published: boolean;
  updated: boolean;
  summary: number;
  content: number;
  tags: string[];
  media: string[];
  language: string | null;
  /** The entry's own authors as the reader has them (the feed's are not repeated here). */
  authors: { name?: string; email?: string; href?: string }[];
}

/** What feedparser_check.py reports of one feed. */
export interface FeedView {
  url: string;
  status: number;
  bozo: boolean;
  bozo_exception: string;
  version: string;
  title: string | null;
  link: string | null;
  language: string | null;
  entries: EntryView[];
}

/** Debian's python3-feedparser reads the three feeds over HTTP (feed.json by the same script's check). */
export async function readWithFeedparser(publicUrl: string): Promise<FeedView[]> {
  const urls = ['rss.xml', 'atom.xml', 'feed.json'].map((file) => new URL(file, publicUrl).href);
  return JSON.parse((await run(PYTHON, [CHECK, ...urls])).stdout) as FeedView[];
}

/**
 * Debian's newsboat loads one feed into a fresh cache under `home`, as a user's reload would; returns
 * what it printed and, for each item it stored, the given columns of its `rss_item` table.
 */
export async function readWithNewsboat(
  feedUrl: string,
  home: string,
  columns: [string, string],
): Promise<{ stdout: string; items: [string, string][] }> {
  const dir = await mkdtemp(join(home, 'newsboat-'));
  await writeFile(join(dir, 'urls'), `${feedUrl}\n`);
  await writeFile(join(dir, 'config'), '');
  const cache = join(dir, 'cache.db');
  const { stdout } = await run(
    'newsboat',
    ['-u', join(dir, 'urls'), '-C', join(dir, 'config'), '-c', cache, '-x', 'reload', 'print-unread'],
    { env: { ...process.env, HOME: dir }, timeout: 60_000 },
  );
  const query = `select ${columns.join(', ')} from rss_item`;
  const rows = await run(PYTHON, [
    '-c',
    `import json,sqlite3,sys; c=sqlite3.connect(sys.argv[1]); print(json.dumps(c.execute(${JSON.stringify(query)}).fetchall(), ensure_ascii=False))`,
    cache,
  ]);
  return { stdout, items: JSON.parse(rows.stdout) as [string, string][] };
}
