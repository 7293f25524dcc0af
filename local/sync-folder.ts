import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import {
  DeleteObjectCommand,
  HeadObjectCommand,
  NotFound,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
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

/** S3 user metadata (`x-amz-meta-seedfeed-origin`) on every object the folder sync writes. */
const ORIGIN = 'seedfeed-origin';
const FROM_FOLDER = 'folder';

/**
 * The seeds bucket as the folder sync sees it. Whatever it uploads carries a mark, and it deletes only
 * marked objects: seeds sent to the same server another way (`seedfeed publish`) are never its to
 * remove. Overwriting a key replaces its metadata, so a seed re-sent by the CLI stops being the folder's.
 */
export class FolderTarget {
  constructor(
    readonly bucket: Bucket,
    private readonly client: S3Client,
    readonly prefix: string,
  ) {}

  async put(key: string, body: Uint8Array): Promise<void> {
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucket.name,
        Key: key,
        Body: body,
        ContentType: 'text/plain; charset=utf-8',
        Metadata: { [ORIGIN]: FROM_FOLDER },
      }),
    );
  }

  async ownedByFolder(key: string): Promise<boolean> {
    try {
      const out = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket.name, Key: key }));
      return out.Metadata?.[ORIGIN] === FROM_FOLDER;
    } catch (error) {
      if (error instanceof NotFound || (error as { name?: unknown }).name === 'NotFound') return false;
      throw error;
    }
  }

  /** Removes the key if the folder sync put it there; says whether it did. */
  async deleteOwn(key: string): Promise<boolean> {
    if (!(await this.ownedByFolder(key))) return false;
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket.name, Key: key }));
    return true;
  }
}

export interface FolderSync {
  uploaded: string[];
  deleted: string[];
  unchanged: string[];
  /** Keys with no file in the folder that the folder sync did not upload (e.g. `seedfeed publish`). */
  kept: string[];
}

/**
 * Makes the seeds prefix hold the folder's files: uploads new and changed ones (compared by MD5, so a
 * restart does not republish everything) and deletes the keys it uploaded whose file is gone.
 */
export async function syncFolder(dir: string, target: FolderTarget, concurrency = 8): Promise<FolderSync> {
  const files = await listSeedFiles(dir);
  const remote = new Map((await target.bucket.list(target.prefix, 1_000_000)).map((o) => [o.key, o.etag]));
  const result: FolderSync = { uploaded: [], deleted: [], unchanged: [], kept: [] };
  const wanted = new Set<string>();
  const jobs = files.map((file) => async () => {
    const key = keyFor(dir, file, target.prefix);
    wanted.add(key);
    const body = await readFile(file);
    if (remote.get(key) === createHash('md5').update(body).digest('hex')) {
      result.unchanged.push(key);
      return;
    }
    await target.put(key, body);
    result.uploaded.push(key);
  });
  await runLimited(jobs, concurrency);
  const stale = [...remote.keys()].filter((key) => !wanted.has(key));
  await runLimited(
    stale.map((key) => async () => {
      ((await target.deleteOwn(key)) ? result.deleted : result.kept).push(key);
    }),
    concurrency,
  );
  for (const list of Object.values(result)) list.sort();
  return result;
}

/** Jobs with at most `limit` in flight. */
export function runLimited(jobs: (() => Promise<void>)[], limit: number): Promise<void> {
  return eachLimited(jobs, limit, (job) => job());
}
