import crypto from 'node:crypto';

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
