import { afterEach, describe, expect, it } from 'vitest';
import type { Log } from '../../lambdas/seedfeed/ports.js';
import { webSubNotifier } from '../../lambdas/seedfeed/websub.js';
import { type Hub, startHub } from '../support/hub.js';

function capturingLog(): Log & { warnings: Record<string, unknown>[] } {
  const warnings: Record<string, unknown>[] = [];
  return { warnings, info() {}, error() {}, warn: (_message, fields) => warnings.push(fields ?? {}) };
}

describe('webSubNotifier', () => {
  let hub: Hub | undefined;

  afterEach(async () => {
    hub?.server.closeAllConnections();
    await new Promise((resolve) => hub?.server.close(resolve));
  });

  it('POSTs hub.mode=publish for each changed feed', async () => {
    // Prepare
    hub = await startHub(() => 204);
    const log = capturingLog();

    // Act
    await webSubNotifier({ hubUrl: hub.url, log })([
      'https://f.example.com/rss.xml',
      'https://f.example.com/atom.xml',
    ]);

    // Assess
    expect(hub.pings.map((p) => p['hub.url']).sort()).toEqual([
      'https://f.example.com/atom.xml',
      'https://f.example.com/rss.xml',
    ]);
    expect(
      hub.pings.every(
        (p) => p['hub.mode'] === 'publish' && p.contentType === 'application/x-www-form-urlencoded',
      ),
    ).toBe(true);
    expect(log.warnings).toEqual([]);
  });

  it('retries a failing hub and succeeds when it recovers', async () => {
    // Prepare
    hub = await startHub((n) => (n < 3 ? 503 : 202));
    const log = capturingLog();

    // Act
    await webSubNotifier({ hubUrl: hub.url, log, backoffMs: 5 })(['https://f.example.com/feed.json']);

    // Assess
    expect(hub.pings).toHaveLength(3);
    expect(log.warnings).toEqual([]);
  });

  it('gives up on a hub that hangs or refuses, without throwing, and logs why', async () => {
    // Prepare
    hub = await startHub(() => 0);
    const log = capturingLog();
    const closed = 'http://127.0.0.1:9/hub';

    // Act
    await webSubNotifier({ hubUrl: hub.url, log, timeoutMs: 100, attempts: 2, backoffMs: 5 })([
      'https://f.example.com/rss.xml',
    ]);
    await webSubNotifier({ hubUrl: closed, log, attempts: 2, backoffMs: 5 })([
      'https://f.example.com/rss.xml',
    ]);

    // Assess
    expect(hub.pings).toHaveLength(2);
    expect(log.warnings).toHaveLength(2);
    expect(String(log.warnings[0]?.problem)).toMatch(/timeout|aborted/i);
    expect(log.warnings[1]?.hub).toBe(closed);
  });

  it('does not retry a hub that rejects the request', async () => {
    // Prepare
    hub = await startHub(() => 400);
    const log = capturingLog();

    // Act
    await webSubNotifier({ hubUrl: hub.url, log, backoffMs: 5 })(['https://f.example.com/rss.xml']);

    // Assess
    expect(hub.pings).toHaveLength(1);
    expect(log.warnings[0]?.problem).toBe('hub answered 400');
  });
});
