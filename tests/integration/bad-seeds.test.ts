import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { HandlerResult } from '../../lambdas/seedfeed/handler.js';
import { s3Record, sqsEvent, sqsMessage } from '../../local/events.js';
import { captureLog, captureMetrics } from '../support/capture.js';
import { type Cluster, type Instance, startCluster } from '../support/cluster.js';
import { readFeeds } from '../support/feeds.js';
import { readRecords } from '../support/records.js';
import { bytes, makeSeed } from '../support/seeds.js';

/** One bad seed of each kind, with the words its rejection reason must contain. */
function badSeeds(): Record<string, { body: Uint8Array; reason: RegExp }> {
  return {
    'empty.txt': { body: new Uint8Array(), reason: /empty/ },
    'binary.png': { body: Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d, 1, 2]), reason: /binary/ },
    'note.txt': { body: bytes('Just some notes, not a seed.\n'), reason: /not a title link/ },
    'huge.txt': {
      body: bytes(makeSeed({ body: `<p>${'x'.repeat(1_048_576)}</p>` })),
      reason: /over the 1048576-byte limit/,
    },
    'latin1.txt': {
      body: Uint8Array.from([...bytes('[Caf'), 0xe9, ...bytes('](https://x.example/)\n---\n')]),
      reason: /not valid UTF-8/,
    },
    'hostile.html': {
      body: bytes('<script>alert(1)</script><img src=x onerror=alert(1)>\n'),
      reason: /not a title link/,
    },
    'js-link.txt': {
      body: bytes(makeSeed({ url: 'javascript:alert(1)' })),
      reason: /not an absolute http\(s\) URL/,
    },
    'ftp-link.txt': {
      body: bytes(makeSeed({ url: 'ftp://files.example.com/a' })),
      reason: /not an absolute http\(s\) URL/,
    },
  };
}

describe('bad seeds', () => {
  let cluster: Cluster;
  let log: ReturnType<typeof captureLog>;
  let metrics: ReturnType<typeof captureMetrics>;
  let handler: Instance;

  const key = (name: string) => `${cluster.embedded.config.seedsPrefix}${name}`;
  const upload = async (seeds: Record<string, Uint8Array | string>): Promise<HandlerResult> => {
    for (const [name, body] of Object.entries(seeds)) await cluster.embedded.seeds.put(key(name), body);
    const records = Object.keys(seeds).map((name) =>
      s3Record('created', cluster.embedded.config.seedsBucket, key(name)),
    );
    return handler(sqsEvent(records.map(sqsMessage)));
  };

  beforeEach(async () => {
    log = captureLog();
    metrics = captureMetrics();
    cluster = await startCluster({ log, metrics });
    handler = cluster.instance();
  });

  afterEach(async () => {
    await cluster.dispose();
  });

  it('rejects each with a reason, one log line, a metric and a report, and publishes the rest', async () => {
    // Prepare
    const bad = badSeeds();
    const good = {
      'good.txt': makeSeed({ title: 'Good one' }),
      'hostile-body.txt': makeSeed({
        title: 'Scrubbed',
        body: '<p>ok</p><script>alert(1)</script><a href="javascript:x()">x</a>',
      }),
    };

    // Act
    const result = await upload({
      ...Object.fromEntries(Object.entries(bad).map(([n, s]) => [n, s.body])),
      ...good,
    });

    // Assess
    expect(result.batchItemFailures).toEqual([]);
    const { reports } = await readRecords(cluster.embedded);
    for (const [name, seed] of Object.entries(bad)) {
      const outcome = result.outcomes.find((o) => o.seedKey === key(name));
      expect(outcome).toMatchObject({ status: 'rejected', reason: expect.stringContaining(key(name)) });
      expect(outcome?.status === 'rejected' && outcome.reason).toMatch(seed.reason);
      const lines = log.lines.filter((line) => line.fields.seedKey === key(name));
      expect(lines).toEqual([
        {
          level: 'warn',
          message: 'seed rejected',
          fields: { seedKey: key(name), reason: expect.stringMatching(seed.reason) },
        },
      ]);
      expect(reports.filter((r) => r.seedKey === key(name))).toEqual([
        expect.objectContaining({ reason: expect.stringMatching(seed.reason) }),
      ]);
      // Bad input is never deleted or changed: it is the operator's evidence.
      expect((await cluster.embedded.seeds.get(key(name)))?.body).toEqual(seed.body);
    }
    expect(reports).toHaveLength(Object.keys(bad).length);
    expect(reports.every((r) => r.key.startsWith(cluster.embedded.config.rejectedPrefix))).toBe(true);
    expect(metrics.totals.get('rejected')).toBe(Object.keys(bad).length);
    expect(metrics.totals.get('published')).toBe(2);
    const feeds = await readFeeds(cluster.embedded.config.publicUrl);
    expect(feeds.json.items.map((i) => i.title).sort()).toEqual(['Good one', 'Scrubbed']);
    const rss = await (await fetch(new URL('rss.xml', cluster.embedded.config.publicUrl))).text();
    expect(rss).not.toMatch(/<script|javascript:|onerror/i);
  });

  it('publishes a fixed seed normally and clears its report', async () => {
    // Prepare
    await upload({ 'later.txt': makeSeed({ url: 'ftp://files.example.com/a' }) });
    expect((await readRecords(cluster.embedded)).reports).toHaveLength(1);

    // Act
    const result = await upload({ 'later.txt': makeSeed({ title: 'Fixed' }) });

    // Assess
    expect(result.outcomes).toEqual([expect.objectContaining({ status: 'published' })]);
    const records = await readRecords(cluster.embedded);
    expect(records.reports).toEqual([]);
    expect(records.markers.filter((m) => m.endsWith('/rejected'))).toEqual([]);
    expect((await readFeeds(cluster.embedded.config.publicUrl)).json.items.map((i) => i.title)).toEqual([
      'Fixed',
    ]);
  });

  it('keeps the last good version published when an update is broken, until it is fixed', async () => {
    // Prepare
    await upload({ 'story.txt': makeSeed({ title: 'Good version' }) });

    // Act
    const broken = await upload({ 'story.txt': '' });
    const during = await readFeeds(cluster.embedded.config.publicUrl);
    const reportsDuring = (await readRecords(cluster.embedded)).reports;
    await upload({ 'story.txt': makeSeed({ title: 'Fixed version' }) });
    const after = await readFeeds(cluster.embedded.config.publicUrl);

    // Assess
    expect(broken.outcomes).toEqual([expect.objectContaining({ status: 'rejected' })]);
    expect(during.json.items.map((i) => i.title)).toEqual(['Good version']);
    expect(reportsDuring.map((r) => r.seedKey)).toEqual([key('story.txt')]);
    expect(after.json.items.map((i) => i.title)).toEqual(['Fixed version']);
    const records = await readRecords(cluster.embedded);
    expect(records.reports).toEqual([]);
    expect(records.entries).toHaveLength(1);
  });
});
