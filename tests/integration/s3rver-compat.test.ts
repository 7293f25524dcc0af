import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConditionFailedError } from '../../lambdas/seedfeed/storage/port.js';
import { type Embedded, startEmbedded } from '../../local/embedded.js';

/** The S3 guarantees that local/s3rver-compat.ts and s3rver-atomic.ts add to s3rver, through the SDK. */
describe('s3rver made to keep S3 guarantees', () => {
  let directory: string;
  let embedded: Embedded;

  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'seedfeed-compat-'));
    embedded = await startEmbedded({ directory, port: 0, deliverEvents: false });
  });

  afterEach(async () => {
    await embedded.close();
    await rm(directory, { recursive: true, force: true });
  });

  it('honours If-None-Match: * and If-Match on PUT, as S3 does', async () => {
    // Prepare
    const { seeds } = embedded;
    const first = await seeds.put('k', 'one');

    // Act
    const refusals = [
      await seeds.put('k', 'two', { ifNoneMatch: '*' }).catch((e: unknown) => e),
      await seeds.put('k', 'two', { ifMatch: '0123456789abcdef0123456789abcdef' }).catch((e: unknown) => e),
      await seeds.put('absent', 'x', { ifMatch: first }).catch((e: unknown) => e),
    ];
    const fresh = await seeds.put('k', 'three', { ifMatch: first });
    const brandNew = await seeds.put('new', 'x', { ifNoneMatch: '*' });

    // Assess
    for (const refusal of refusals) expect(refusal).toBeInstanceOf(ConditionFailedError);
    expect(fresh).not.toBe(first);
    expect(brandNew).toMatch(/^[0-9a-f]{32}$/);
    expect(new TextDecoder().decode((await seeds.get('k'))?.body)).toBe('three');
  });

  it('never lets a reader see part of an object being replaced', async () => {
    // Prepare: two large bodies a reader can tell apart from any mix of them.
    const { seeds } = embedded;
    const bodies = ['a', 'b'].map((c) => c.repeat(4 * 1_048_576));
    await seeds.put('big', bodies[0] ?? '');
    const seen = new Set<string>();

    // Act: replace it again and again while reading it.
    let writing = true;
    const writer = (async () => {
      for (let n = 1; n <= 12; n++) await seeds.put('big', bodies[n % 2] ?? '');
      writing = false;
    })();
    while (writing) {
      const got = await seeds.get('big');
      const text = new TextDecoder().decode(got?.body);
      seen.add(text === bodies[0] ? 'a' : text === bodies[1] ? 'b' : `partial ${text.length}`);
    }
    await writer;

    // Assess
    expect([...seen].filter((s) => s.startsWith('partial'))).toEqual([]);
    expect(seen.size).toBeGreaterThan(0);
  });

  it('pages a LIST with continuation tokens, which s3rver makes with a cipher OpenSSL 3 dropped', async () => {
    // Prepare
    const { seeds } = embedded;
    for (let n = 0; n < 5; n++) await seeds.put(`page/${n}`, `${n}`);

    // Act: two pages, the second asked for with the first's continuation token.
    const listed = await embedded.client.send(
      new ListObjectsV2Command({
        Bucket: seeds.name,
        Prefix: 'page/',
        MaxKeys: 2,
      }),
    );
    const next = await embedded.client.send(
      new ListObjectsV2Command({
        Bucket: seeds.name,
        Prefix: 'page/',
        MaxKeys: 2,
        ContinuationToken: listed.NextContinuationToken,
      }),
    );

    // Assess
    expect(listed.IsTruncated).toBe(true);
    expect(next.Contents?.map((o) => o.Key)).toEqual(['page/2', 'page/3']);
  });
});
