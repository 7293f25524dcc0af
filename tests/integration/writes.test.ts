import { crc32 } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { s3Record, sqsEvent, sqsMessage } from '../../local/events.js';
import { type Cluster, startCluster } from '../support/cluster.js';
import { makeSeed } from '../support/seeds.js';

interface SentPut {
  key: string;
  headers: Record<string, string>;
  body: Uint8Array;
}

describe('writing the public files', () => {
  let cluster: Cluster;

  beforeEach(async () => {
    cluster = await startCluster();
  });

  afterEach(async () => {
    await cluster.dispose();
  });

  const publish = async (instance: ReturnType<Cluster['instance']>, key: string) =>
    instance(sqsEvent([sqsMessage(s3Record('created', cluster.embedded.config.seedsBucket, key))]));

  async function seeded(): Promise<string> {
    const key = `${cluster.embedded.config.seedsPrefix}one.txt`;
    await cluster.embedded.seeds.put(key, makeSeed({ title: 'One' }));
    return key;
  }

  it('writes nothing when a fresh instance finds the live files already right', async () => {
    // Prepare
    const key = await seeded();
    await publish(cluster.instance(), key);
    const before = await cluster.embedded.feeds.head('rss.xml');

    // Act: a new instance (empty memory) gets the same event again.
    const result = await publish(cluster.instance(), key);

    // Assess
    expect(result.regenerated?.written).toEqual([]);
    expect(await cluster.embedded.feeds.head('rss.xml')).toEqual(before);
  });

  it('repairs a public file changed behind its back, and only that one', async () => {
    // Prepare
    const key = await seeded();
    const instance = cluster.instance();
    await publish(instance, key);
    const good = await cluster.embedded.feeds.get('rss.xml');
    await cluster.embedded.feeds.put('rss.xml', 'tampered', { contentType: 'application/rss+xml' });

    // Act: the same instance renders the same bytes it wrote before.
    const result = await publish(instance, key);

    // Assess
    expect(result.regenerated?.written).toEqual(['rss.xml']);
    expect((await cluster.embedded.feeds.get('rss.xml'))?.body).toEqual(good?.body);
  });

  it('sends each body unsigned but with a CRC32 that S3 checks', async () => {
    // Prepare: record every PUT as it leaves the client, after signing.
    const sent: SentPut[] = [];
    const key = await seeded();
    const instance = cluster.instance((client) =>
      client.middlewareStack.add(
        (next, context) => async (args) => {
          const request = args.request as { headers: Record<string, string>; body: Uint8Array };
          const input = args.input as { Key?: string };
          if (context.commandName === 'PutObjectCommand') {
            sent.push({ key: input.Key ?? '', headers: { ...request.headers }, body: request.body });
          }
          return next(args);
        },
        { step: 'deserialize', name: 'recordPuts' },
      ),
    );

    // Act
    await publish(instance, key);

    // Assess
    expect(sent.map((put) => put.key)).toEqual(expect.arrayContaining(['rss.xml', 'atom.xml']));
    for (const put of sent) {
      const checksum = Buffer.alloc(4);
      checksum.writeUInt32BE(crc32(put.body));
      expect(put.headers['x-amz-content-sha256'], put.key).toBe('UNSIGNED-PAYLOAD');
      expect(put.headers['x-amz-checksum-crc32'], put.key).toBe(checksum.toString('base64'));
      expect(put.headers.authorization, put.key).toMatch(/^AWS4-HMAC-SHA256 /);
    }
  });
});
