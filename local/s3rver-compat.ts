import crypto from 'node:crypto';
import { createRequire } from 'node:module';
import { Readable } from 'node:stream';
// Before the shims below, which wrap the store methods it replaces.
import './s3rver-list.js';
import { wholeBody } from './s3rver-atomic.js';
import { recordChange } from './sequencer.js';

/*
 * Every change seedfeed makes to s3rver 3.7 (run in this process, by npm start and by the tests), with
 * the s3rver behaviour it fixes and the test that shows it:
 *
 * | file              | s3rver does                                   | so we                                   | shown by                                  |
 * | ----------------- | --------------------------------------------- | --------------------------------------- | ----------------------------------------- |
 * | s3rver-compat.ts  | continuation tokens in single DES, which      | map single DES with an 8-byte key to    | s3rver-compat.test.ts "pages a LIST…"     |
 * |                   | OpenSSL 3 refuses: every paged LIST is a 500  | the identical 3DES(k, k, k)             |                                           |
 * | s3rver-compat.ts  | ignores If-Match / If-None-Match on PUT       | check the condition in the key's turn   | s3rver-compat.test.ts "honours If-…"      |
 * | s3rver-compat.ts  | interleaves reads and writes of one key;      | one queue of turns per key; an S3-style | s3rver-compat.test.ts, faults.test.ts,    |
 * |                   | events carry `sequencer: Date.now()`          | sequencer per change (sequencer.ts)     | convergence.test.ts                       |
 * | s3rver-atomic.ts  | writes in place, says "stored" before the     | stage the whole body beside the object, | s3rver-compat.test.ts "never lets a       |
 * |                   | bytes are on disk, truncates on a broken PUT  | then rename it into place               | reader see part…"                         |
 * | s3rver-list.ts    | LIST walks folders (cost grows with the       | one sorted key index per bucket         | s3rver-list.test.ts (unit, integration)   |
 * |                   | bucket), orders "a.c" / "a/b" wrongly         |                                         |                                           |
 *
 * The DES swap is the only process-wide one: it changes `crypto.createCipheriv` and
 * `createDecipheriv` for exactly single DES with an 8-byte key, which OpenSSL 3 no longer offers at all,
 * into the same cipher under its other name; every other call passes through untouched.
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
 * S3 PUTs are atomic (s3rver-atomic.ts) and strongly consistent, and they honour conditional writes
 * (`If-Match`, `If-None-Match: *`), which s3rver ignores. So writes, deletes and reads of one key take
 * turns in one queue per key: a condition is checked and the write made in the same turn, a read takes
 * the whole body before its turn ends, and each change of a key gets its S3-style sequencer in its turn
 * (sequencer.ts), so events are ordered as the changes applied.
 */
interface StoredObject {
  content?: NodeJS.ReadableStream | null;
}
interface UploadedObject {
  bucket: string;
  key: string;
  content: Buffer | (NodeJS.ReadableStream & AsyncIterable<Uint8Array> & { headers?: Headers });
}
type Headers = Record<string, string | undefined>;
interface Store {
  putObject(object: UploadedObject): Promise<unknown>;
  getObject(bucket: string, key: string, options?: unknown): Promise<StoredObject | null>;
  deleteObject(bucket: string, key: string): Promise<unknown>;
  getMetadata(bucket: string, key: string): Promise<{ etag?: string }>;
  [patched]?: true;
}

const requireFromHere = createRequire(import.meta.url);
const store = (requireFromHere('s3rver/lib/stores/filesystem.js') as { prototype: Store }).prototype;
type S3ErrorClass = new (code: string, message: string, detail?: Record<string, string>) => Error;
const S3Error = requireFromHere('s3rver/lib/models/error.js') as S3ErrorClass;

/** The S3 error a conditional PUT gets, or undefined when its condition holds. */
async function failedCondition(
  self: Store,
  object: UploadedObject,
  headers: Headers,
): Promise<Error | undefined> {
  const ifMatch = headers['if-match'];
  const ifNoneMatch = headers['if-none-match'];
  if (ifMatch === undefined && ifNoneMatch === undefined) return undefined;
  const current = await self.getMetadata(object.bucket, object.key).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  const etag = current?.etag?.replaceAll('"', '');
  if (ifNoneMatch !== undefined && current) {
    return new S3Error(
      'PreconditionFailed',
      'At least one of the pre-conditions you specified did not hold',
      {
        Condition: 'If-None-Match',
      },
    );
  }
  if (ifMatch !== undefined && !current) return new S3Error('NoSuchKey', 'The specified key does not exist.');
  if (ifMatch !== undefined && ifMatch.replaceAll('"', '') !== etag) {
    return new S3Error(
      'PreconditionFailed',
      'At least one of the pre-conditions you specified did not hold',
      {
        Condition: 'If-Match',
      },
    );
  }
  return undefined;
}

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
  store.putObject = async function (this: Store, object) {
    const headers = Buffer.isBuffer(object.content) ? {} : (object.content.headers ?? {});
    // The upload arrives before the turn starts, so a slow client never holds up other requests.
    const content = await wholeBody(object.content);
    return inTurn(object.bucket, object.key, async () => {
      const failed = await failedCondition(this, object, headers);
      if (failed) throw failed;
      const result = await putObject.call(this, { ...object, content });
      recordChange(object.bucket, object.key);
      return result;
    });
  };
  store.deleteObject = function (this: Store, bucket, key) {
    return inTurn(bucket, key, async () => {
      const result = await deleteObject.call(this, bucket, key);
      recordChange(bucket, key);
      return result;
    });
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
