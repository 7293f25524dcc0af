import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { eachLimited } from '../lambdas/seedfeed/limited.js';
import type { Bucket } from '../lambdas/seedfeed/storage/port.js';

/** Editor swap files and hidden files are not seeds. */
export function isSeedFile(name: string): boolean {
  const base = name.split(/[\\/]/).pop() ?? '';
  return (
    base !== '' &&
    !base.startsWith('.') &&
    !base.endsWith('~') &&
    !/\.(?:swp|swx|tmp|crdownload)$/i.test(base)
  );
}

export function keyFor(dir: string, file: string, prefix: string): string {
  return `${prefix}${relative(dir, file).split(sep).join('/')}`;
}

export async function listSeedFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile() && isSeedFile(entry.name))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

export interface FolderSync {
  uploaded: string[];
  deleted: string[];
  unchanged: string[];
}

/**
 * Makes the seeds prefix hold exactly the folder's files: uploads new and changed ones (compared by
 * MD5, so a restart does not republish everything), deletes keys whose file is gone.
 */
export async function syncFolder(
  dir: string,
  bucket: Bucket,
  prefix: string,
  concurrency = 8,
): Promise<FolderSync> {
  const files = await listSeedFiles(dir);
  const remote = new Map((await bucket.list(prefix, 1_000_000)).map((o) => [o.key, o.etag]));
  const result: FolderSync = { uploaded: [], deleted: [], unchanged: [] };
  const wanted = new Set<string>();
  const jobs = files.map((file) => async () => {
    const key = keyFor(dir, file, prefix);
    wanted.add(key);
    const body = await readFile(file);
    if (remote.get(key) === createHash('md5').update(body).digest('hex')) {
      result.unchanged.push(key);
      return;
    }
    await bucket.put(key, body, { contentType: 'text/plain; charset=utf-8' });
    result.uploaded.push(key);
  });
  await runLimited(jobs, concurrency);
  const stale = [...remote.keys()].filter((key) => !wanted.has(key));
  await runLimited(
    stale.map((key) => async () => {
      await bucket.delete(key);
      result.deleted.push(key);
    }),
    concurrency,
  );
  return result;
}

/** Jobs with at most `limit` in flight. */
export function runLimited(jobs: (() => Promise<void>)[], limit: number): Promise<void> {
  return eachLimited(jobs, limit, (job) => job());
}
