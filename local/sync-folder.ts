import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { DeleteObjectCommand, HeadObjectCommand, NotFound, type S3Client } from '@aws-sdk/client-s3';
import { keyFor, listSeedFiles } from '../cli/seed-files.js';
import { eachLimited } from '../lambdas/seedfeed/each-limited.js';
import type { Bucket } from '../lambdas/seedfeed/storage/port.js';
import { putObject } from '../lambdas/seedfeed/storage/s3.js';

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
    const command = putObject(this.bucket.name, key, body, { contentType: 'text/plain; charset=utf-8' });
    // Marks what the folder sync itself uploaded: only that may it delete (see deleteOwn).
    command.input.Metadata = { [ORIGIN]: FROM_FOLDER };
    await this.client.send(command);
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
  await eachLimited(jobs, concurrency, (job) => job());
  const stale = [...remote.keys()].filter((key) => !wanted.has(key));
  await eachLimited(stale, concurrency, async (key) => {
    ((await target.deleteOwn(key)) ? result.deleted : result.kept).push(key);
  });
  for (const list of Object.values(result)) list.sort();
  return result;
}
