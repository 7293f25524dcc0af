import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Embedded, startEmbedded } from '../../local/embedded.js';

/** The order S3 gives: by UTF-8 bytes. Computed here independently of the shim's own comparison. */
function s3Order(keys: readonly string[]): string[] {
  return [...keys].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
}

/** Keys whose order differs between a folder walk, UTF-16 and UTF-8, with folders at every depth. */
function awkwardKeys(): string[] {
  return ['a/b', 'a.c', 'a/a', 'a/', 'a/b/c', 'b', 'é', '😀', '\uE000', 'x y+z', 'a/b/c/d', 'ab'];
}

describe('s3rver LIST (local/s3rver-list.ts)', () => {
  let directory: string;
  let embedded: Embedded;

  const start = async () => startEmbedded({ directory, port: 0, deliverEvents: false });

  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'seedfeed-list-'));
    embedded = await start();
  });

  afterEach(async () => {
    await embedded.close();
    await rm(directory, { recursive: true, force: true });
  });

  async function pages(prefix: string, maxKeys: number, delimiter?: string) {
    const keys: string[] = [];
    const prefixes: string[] = [];
    let token: string | undefined;
    let requests = 0;
    do {
      const page = await embedded.client.send(
        new ListObjectsV2Command({
          Bucket: embedded.seeds.name,
          Prefix: prefix,
          MaxKeys: maxKeys,
          ...(delimiter ? { Delimiter: delimiter } : {}),
          ...(token ? { ContinuationToken: token } : {}),
        }),
      );
      requests++;
      keys.push(...(page.Contents ?? []).map((object) => object.Key ?? ''));
      prefixes.push(...(page.CommonPrefixes ?? []).map((common) => common.Prefix ?? ''));
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return { keys, prefixes, requests };
  }

  it('lists keys in S3 order, page by page, with ETags', async () => {
    // Prepare
    const keys = awkwardKeys();
    const etags = new Map<string, string>();
    for (const key of keys) etags.set(key, await embedded.seeds.put(key, `body of ${key}`));

    // Act
    const all = await embedded.seeds.list('', 1_000);
    const paged = await pages('', 2);

    // Assess
    expect(all.map((object) => object.key)).toEqual(s3Order(keys));
    expect(all.every((object) => object.etag === etags.get(object.key))).toBe(true);
    expect(paged.keys).toEqual(s3Order(keys));
    expect(paged.requests).toBe(Math.ceil(keys.length / 2));
  });

  it('honours prefixes, delimiters and deletions', async () => {
    // Prepare
    for (const key of awkwardKeys()) await embedded.seeds.put(key, 'x');

    // Act
    const under = await pages('a/', 1);
    const folders = await pages('a/', 1_000, '/');
    const named = await embedded.seeds.listFolders('a/');
    await embedded.seeds.delete('a/b/c');
    await embedded.seeds.delete('a/b/c/d');
    const afterDelete = await pages('a/', 1_000);

    // Assess
    expect(under.keys).toEqual(['a/', 'a/a', 'a/b', 'a/b/c', 'a/b/c/d']);
    expect(folders.keys).toEqual(['a/', 'a/a', 'a/b']);
    expect(folders.prefixes).toEqual(['a/b/']);
    expect(named).toEqual(['b']);
    expect(afterDelete.keys).toEqual(['a/', 'a/a', 'a/b']);
    // The deleted objects' files are gone from disk (their emptied folder stays, listed by nothing).
    expect(existsSync(join(directory, embedded.seeds.name, 'a', 'b', 'c._S3rver_object'))).toBe(false);
    expect(existsSync(join(directory, embedded.seeds.name, 'a', 'b', 'c', 'd._S3rver_object'))).toBe(false);
  });

  it('reports each common prefix once across pages, as S3 does', async () => {
    // Prepare
    for (const key of ['a', 'b/1', 'b/2', 'c', 'd/1', 'e']) await embedded.seeds.put(key, 'x');

    // Act
    const paged = await pages('', 1, '/');

    // Assess
    expect(paged.keys).toEqual(['a', 'c', 'e']);
    expect(paged.prefixes).toEqual(['b/', 'd/']);
  });

  it('finds what an earlier run left on disk, and stays current after it', async () => {
    // Prepare: one server writes and lists (so it has an index), then stops.
    for (const key of awkwardKeys()) await embedded.seeds.put(key, 'x');
    expect((await embedded.seeds.list('', 1_000)).length).toBe(awkwardKeys().length);
    await embedded.close();

    // Act: a new server on the same folder, then changes through it.
    embedded = await start();
    const reopened = await embedded.seeds.list('', 1_000);
    await embedded.seeds.put('a/new', 'x');
    await embedded.seeds.delete('b');
    await embedded.seeds.put('b', 'again');
    await embedded.seeds.delete('é');
    const changed = await embedded.seeds.list('', 1_000);

    // Assess
    expect(reopened.map((object) => object.key)).toEqual(s3Order(awkwardKeys()));
    const expected = s3Order([...awkwardKeys().filter((key) => key !== 'é'), 'a/new']);
    expect(changed.map((object) => object.key)).toEqual(expected);
  });
});
