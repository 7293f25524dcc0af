import crypto from 'node:crypto';
import { createRequire } from 'node:module';
import { Readable } from 'node:stream';
// Before the shims below, which wrap the store methods it replaces.
import './s3rver-list.js';

/*
 * Shims that make s3rver (run in this process, by npm start and by the tests) keep the S3 guarantees
 * the publisher relies on; s3rver-list.ts makes its LIST as cheap as S3's.
 */

/**
 * s3rver 3.7 encrypts ListObjectsV2 continuation tokens with single DES, which OpenSSL 3 (Node 17+)
 * no longer provides: every truncated LIST then fails with HTTP 500, so any index longer than one LIST
 * page breaks regeneration locally (never on AWS). Triple DES with one key repeated three times is
 * the same cipher and is still available. s3rver runs in the test's own process and calls
 * `crypto.createCipheriv` at request time, so swapping the function here is enough.
 */
const LEGACY = 'des';
const patched = Symbol.for('seedfeed.s3rverDesShim');

type Factory = (algorithm: string, key: Buffer, iv: Buffer) => unknown;
const target = crypto as unknown as Record<'createCipheriv' | 'createDecipheriv', Factory> & {
  [patched]?: true;
};

if (!target[patched]) {
  for (const name of ['createCipheriv', 'createDecipheriv'] as const) {
    const original = target[name].bind(crypto);
    target[name] = (algorithm, key, iv) =>
      algorithm === LEGACY && key.length === 8
        ? original('des-ede3-cbc', Buffer.concat([key, key, key]), iv)
        : original(algorithm, key, iv);
  }
  target[patched] = true;
}

/**
 * s3rver overwrites an object in place (truncate, then write; then its MD5 and metadata files), so a
 * GET during a PUT can return an empty or cut-off body with a stale length: S3 never does that, a PUT
 * is atomic. Readers (people, and the tests) need that guarantee, so writes, deletes and reads of one key are put in
 * one queue per key, and a read takes the whole body before its turn ends.
 */
interface StoredObject {
  content?: NodeJS.ReadableStream | null;
}
interface Store {
  putObject(object: { bucket: string; key: string }): Promise<unknown>;
  getObject(bucket: string, key: string, options?: unknown): Promise<StoredObject | null>;
  deleteObject(bucket: string, key: string): Promise<unknown>;
  [patched]?: true;
}

const requireFromHere = createRequire(import.meta.url);
const store = (requireFromHere('s3rver/lib/stores/filesystem.js') as { prototype: Store }).prototype;

if (!store[patched]) {
  const turns = new Map<string, Promise<unknown>>();
  const inTurn = <T>(bucket: string, key: string, work: () => Promise<T>): Promise<T> => {
    const id = `${bucket}/${key}`;
    const result = (turns.get(id) ?? Promise.resolve()).then(work, work);
    const settled = result.catch(() => undefined);
    turns.set(id, settled);
    void settled.then(() => {
      if (turns.get(id) === settled) turns.delete(id);
    });
    return result;
  };
  const { putObject, getObject, deleteObject } = store;
  store.putObject = function (this: Store, object) {
    return inTurn(object.bucket, object.key, () => putObject.call(this, object));
  };
  store.deleteObject = function (this: Store, bucket, key) {
    return inTurn(bucket, key, () => deleteObject.call(this, bucket, key));
  };
  store.getObject = function (this: Store, bucket, key, options) {
    return inTurn(bucket, key, async () => {
      const object = await getObject.call(this, bucket, key, options);
      if (object?.content) {
        const chunks: Buffer[] = [];
        for await (const chunk of object.content) chunks.push(Buffer.from(chunk as Uint8Array));
        object.content = Readable.from([Buffer.concat(chunks)]);
      }
      return object;
    });
  };
  store[patched] = true;
}
