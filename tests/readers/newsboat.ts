import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const PYTHON = '/usr/bin/python3';

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
