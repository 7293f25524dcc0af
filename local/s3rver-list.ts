import { promises as fs, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
// Its atomic PUT must be in place before the index below wraps the store's PUT.
import './s3rver-atomic.js';

/*
 * s3rver answers a LIST by walking its folders: it reads every directory on the way, with a stat per
 * entry, and sorts nothing itself. With 10,000 published articles one LIST of the index reads 30,000
 * directory entries (about 25 ms), a LIST of one seed's markers stats 10,000 folders, and every
 * DELETE reads its whole folder to see whether it became empty. S3 answers all three in time that does
 * not depend on the bucket's size, and so should the emulator that `npm start` and the tests use.
 *
 * This keeps each bucket's keys in one sorted array, built from the folders on the first LIST and then
 * kept up to date by the store's own writes and deletes, so a LIST costs a binary search plus the keys
 * it returns, and a DELETE removes the object's files and nothing else. Keys are ordered as S3 orders them (by UTF-8 bytes), where s3rver's walk got "a.c" and
 * "a/b" the wrong way round.
 */

const OBJECT_SUFFIX = '._S3rver_object';
const patched = Symbol.for('seedfeed.s3rverListIndex');

interface ListOptions {
  delimiter?: string;
  startAfter?: string;
  prefix?: string;
  maxKeys?: number;
}

type Metadata = Record<string, string>;

interface Store {
  getBucketPath(bucket: string): string;
  getResourcePath(bucket: string, key: string, resource: string): string;
  getMetadata(bucket: string, key: string): Promise<Metadata>;
  listObjects(
    bucket: string,
    options: ListOptions,
  ): Promise<{ objects: unknown[]; commonPrefixes: string[]; isTruncated: boolean }>;
  putObject(object: { bucket: string; key: string }): Promise<unknown>;
  copyObject(
    srcBucket: string,
    srcKey: string,
    bucket: string,
    key: string,
    ...rest: unknown[]
  ): Promise<unknown>;
  putObjectMultipart(bucket: string, ...rest: unknown[]): Promise<unknown>;
  deleteObject(bucket: string, key: string): Promise<void>;
  putBucket(bucket: string): Promise<unknown>;
  deleteBucket(bucket: string): Promise<unknown>;
  reset(): void;
  [patched]?: true;
}

type ObjectModel = new (bucket: string, key: string, content: null, metadata: Metadata) => unknown;

/** UTF-16 order is UTF-8 byte order except that surrogates (astral characters) come after U+E000–U+FFFF. */
export function compareKeys(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return x >= 0xd800 && y >= 0xd800 ? utf8Rank(x) - utf8Rank(y) : x - y;
  }
  return a.length - b.length;
}

function utf8Rank(unit: number): number {
  return unit <= 0xdfff ? unit + 0x2000 : unit - 0x800;
}

/** The first position whose key is not before `key` (or, with `after`, is after it). */
export function seek(keys: readonly string[], key: string, after = false): number {
  let low = 0;
  let high = keys.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    const order = compareKeys(keys[middle] as string, key);
    if (order < 0 || (after && order === 0)) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** Keys of one bucket folder as s3rver lays them out: `a/b/c` is the file `a/b/c._S3rver_object`. */
function keysOnDisk(bucketPath: string, decode: (path: string) => string): string[] {
  const keys: string[] = [];
  const visit = (directory: string, prefix: string): void => {
    let entries: import('node:fs').Dirent[];
    try {
      entries = readdirSync(directory, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      if (entry.isDirectory()) visit(join(directory, entry.name), `${prefix}${entry.name}/`);
      else if (entry.name.endsWith(OBJECT_SUFFIX))
        keys.push(decode(`${prefix}${entry.name.slice(0, -OBJECT_SUFFIX.length)}`));
    }
  };
  visit(bucketPath, '');
  return keys.sort(compareKeys);
}

/** The first position from `from` on whose key does not start with `prefix` (such keys are contiguous). */
export function pastPrefix(keys: readonly string[], prefix: string, from: number): number {
  let low = from;
  let high = keys.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((keys[middle] as string).startsWith(prefix)) low = middle + 1;
    else high = middle;
  }
  return low;
}

const requireFromHere = createRequire(import.meta.url);
const FilesystemStore = requireFromHere('s3rver/lib/stores/filesystem.js') as {
  prototype: Store;
  decodeKeyPath(path: string): string;
};
const store = FilesystemStore.prototype;
const S3Object = requireFromHere('s3rver/lib/models/object.js') as ObjectModel;

if (!store[patched]) {
  const indexes = new WeakMap<Store, Map<string, string[]>>();
  const bucketsOf = (self: Store): Map<string, string[]> => {
    let buckets = indexes.get(self);
    if (!buckets) {
      buckets = new Map();
      indexes.set(self, buckets);
    }
    return buckets;
  };
  const keysOf = (self: Store, bucket: string): string[] => {
    const buckets = bucketsOf(self);
    let keys = buckets.get(bucket);
    if (!keys) {
      keys = keysOnDisk(self.getBucketPath(bucket), (path) => FilesystemStore.decodeKeyPath(path));
      buckets.set(bucket, keys);
    }
    return keys;
  };
  // Only a bucket already indexed is kept up to date; any other is read from disk when first listed.
  const added = (self: Store, bucket: string, key: string): void => {
    const keys = bucketsOf(self).get(bucket);
    if (!keys) return;
    const at = seek(keys, key);
    if (keys[at] !== key) keys.splice(at, 0, key);
  };
  const removed = (self: Store, bucket: string, key: string): void => {
    const keys = bucketsOf(self).get(bucket);
    if (!keys) return;
    const at = seek(keys, key);
    if (keys[at] === key) keys.splice(at, 1);
  };
  const forget = (self: Store, bucket?: string): void => {
    if (bucket === undefined) indexes.delete(self);
    else bucketsOf(self).delete(bucket);
  };

  store.listObjects = async function (this: Store, bucket, options) {
    const { delimiter = '', prefix = '', maxKeys = Number.POSITIVE_INFINITY } = options;
    let { startAfter = '' } = options;
    for (;;) {
      const keys = keysOf(this, bucket);
      const chosen: string[] = [];
      const commonPrefixes: string[] = [];
      let isTruncated = false;
      let at = compareKeys(startAfter, prefix) >= 0 ? seek(keys, startAfter, true) : seek(keys, prefix);
      while (at < keys.length) {
        const key = keys[at] as string;
        if (!key.startsWith(prefix)) break;
        // Before the common prefixes too: the next page starts after this page's last key, so a
        // prefix reported here past that key would be reported again there.
        if (chosen.length >= maxKeys) {
          isTruncated = true;
          break;
        }
        const cut = delimiter ? key.indexOf(delimiter, prefix.length) : -1;
        if (cut >= 0) {
          // As s3rver does: common prefixes are reported once and do not count against maxKeys.
          const common = key.slice(0, cut + delimiter.length);
          commonPrefixes.push(common);
          at = pastPrefix(keys, common, at);
          continue;
        }
        chosen.push(key);
        at++;
      }
      const metadata = await Promise.all(
        chosen.map((key) =>
          this.getMetadata(bucket, key).catch((error: NodeJS.ErrnoException) => {
            // Deleted since it was listed, as on S3 a LIST may race a DELETE.
            if (error.code === 'ENOENT') return undefined;
            throw error;
          }),
        ),
      );
      const objects: unknown[] = [];
      for (const [i, key] of chosen.entries()) {
        const found = metadata[i];
        if (found) objects.push(new S3Object(bucket, key, null, found));
      }
      // s3rver's continuation token is the page's last object: a truncated page needs one.
      const last = chosen.at(-1);
      if (!isTruncated || objects.length > 0 || last === undefined) {
        return { objects, commonPrefixes, isTruncated };
      }
      startAfter = last;
    }
  };

  const { putObject, copyObject, putObjectMultipart, putBucket, deleteBucket, reset } = store;
  store.putObject = async function (this: Store, object) {
    try {
      const result = await putObject.call(this, object);
      added(this, object.bucket, object.key);
      return result;
    } catch (error) {
      // It may have left the object on disk or not: read the bucket again on its next LIST.
      forget(this, object.bucket);
      throw error;
    }
  };
  store.copyObject = async function (this: Store, srcBucket, srcKey, bucket, key, ...rest) {
    const result = await copyObject.call(this, srcBucket, srcKey, bucket, key, ...rest);
    added(this, bucket, key);
    return result;
  };
  store.putObjectMultipart = async function (this: Store, bucket, ...rest) {
    const result = await putObjectMultipart.call(this, bucket, ...rest);
    forget(this, bucket);
    return result;
  };
  // s3rver's own delete then reads the whole folder to remove it if empty: a cost that grows with the
  // folder, and a race with a PUT into it (the PUT's file fails to open). Listing comes from the index,
  // so an emptied folder is invisible; it stays.
  store.deleteObject = async function (this: Store, bucket, key) {
    await Promise.all(
      ['object', 'object.md5', 'metadata.json'].map((resource) =>
        fs.unlink(this.getResourcePath(bucket, key, resource)).catch((error: NodeJS.ErrnoException) => {
          if (error.code !== 'ENOENT') throw error;
        }),
      ),
    );
    removed(this, bucket, key);
  };
  store.putBucket = async function (this: Store, bucket) {
    forget(this, bucket);
    return putBucket.call(this, bucket);
  };
  store.deleteBucket = async function (this: Store, bucket) {
    try {
      return await deleteBucket.call(this, bucket);
    } finally {
      // After the files are gone: a LIST during the removal may have read some of them back.
      forget(this, bucket);
    }
  };
  store.reset = function (this: Store) {
    forget(this);
    reset.call(this);
  };
  store[patched] = true;
}
