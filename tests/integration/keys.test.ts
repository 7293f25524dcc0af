import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { s3Record, sqsEvent, sqsMessage } from '../../local/events.js';
import { type Cluster, startCluster } from '../support/cluster.js';
import { expectConverged } from '../support/converged.js';
import { MAIN_VIEW_FILES, readFeeds } from '../support/feeds.js';
import { makeSeed } from '../support/seeds.js';

/** A key of about `bytes` UTF-8 bytes, in folders so that no single name exceeds a file system's 255. */
function longName(bytes: number): string {
  const segment = `${'é'.repeat(60)}${'x'.repeat(60)}`; // 180 bytes
  const parts: string[] = [];
  let size = 0;
  while (size + segment.length * 2 < bytes) {
    parts.push(segment);
    size += Buffer.byteLength(segment) + 1;
  }
  return `${parts.join('/')}/${'z'.repeat(Math.max(1, bytes - size - 4))}.txt`;
}

/** Names that look like public files, internal records or paths out of the prefix. */
function trickyNames(prefix: string): string[] {
  return [
    'a b+c.txt',
    'plus+plus.txt',
    '%20percent%2F.txt',
    'ünïcödé/中文 文章 🙂.txt',
    'rss.xml',
    'atom.xml',
    'feed.json',
    'index.html',
    'news-sitemap.xml',
    'feeds.opml',
    '../feeds/atom.xml',
    'state/index/x',
    'state/seeds/0123/rejected',
    'rejected/x.json',
    longName(1_000 - prefix.length),
  ];
}

describe('seed keys', () => {
  let cluster: Cluster;

  beforeEach(async () => {
    cluster = await startCluster();
  });

  afterEach(async () => {
    await cluster.dispose();
  });

  it('never collide with or overwrite published files or internal state', async () => {
    // Prepare
    const { config, seeds, feeds } = cluster.embedded;
    const names = trickyNames(config.seedsPrefix);
    const keys = names.map((name) => `${config.seedsPrefix}${name}`);
    const bodies = new Map(keys.map((key, n) => [key, makeSeed({ title: `Tricky ${n}` })]));
    expect(Math.max(...keys.map((key) => Buffer.byteLength(key)))).toBeGreaterThan(990);
    for (const [key, body] of bodies) await seeds.put(key, body);
    const handler = cluster.instance();

    // Act: each seed twice (so a collision would overwrite something), then again in one batch.
    for (const key of keys) {
      const result = await handler(sqsEvent([sqsMessage(s3Record('created', config.seedsBucket, key))]));
      expect(result.batchItemFailures).toEqual([]);
    }
    const records = keys.map((key) => sqsMessage(s3Record('created', config.seedsBucket, key)));
    const again = await handler(sqsEvent(records));

    // Assess
    // Sent again with the same sequencer, a seed's run may give way to the earlier run of that version.
    expect(again.outcomes.map((o) => (o.status === 'superseded' ? 'published' : o.status))).toEqual(
      keys.map(() => 'published'),
    );
    const published = (await readFeeds(config.publicUrl)).json.items.map((item) => item.title);
    expect(published.sort()).toEqual(keys.map((_, n) => `Tricky ${n}`).sort());
    const files = (await feeds.list('', 100)).map((object) => object.key).sort();
    // Only public documents, at the paths the renderers choose: nothing named after a seed key.
    expect(
      files.every((file) =>
        /^(?:(?:categories\/[^/]+|archive\/\d{4}-\d{2})\/)?(?:rss\.xml|atom\.xml|feed\.json|index\.html)$|^(?:news-sitemap\.xml|feeds\.opml)$/.test(
          file,
        ),
      ),
    ).toBe(true);
    expect(files.filter((file) => !file.includes('/'))).toEqual([...MAIN_VIEW_FILES]);
    for (const [key, body] of bodies) {
      expect(new TextDecoder().decode((await seeds.get(key))?.body)).toBe(body);
    }
    // s3rver stores "seeds/../feeds/atom.xml" as the seeds bucket's "feeds/atom.xml" (its files are
    // paths), so a listing of seeds/ cannot see it; on S3 the key is literal. Removing it leaves a
    // state that the from-scratch comparison can check, and shows its removal touches nothing else.
    const dotted = `${config.seedsPrefix}../feeds/atom.xml`;
    await seeds.delete(dotted);
    await handler(sqsEvent([sqsMessage(s3Record('removed', config.seedsBucket, dotted))]));
    await expectConverged(cluster.embedded);
  });
});
