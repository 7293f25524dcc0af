import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterEach, describe, expect, it } from 'vitest';
import { type Embedded, startEmbedded } from '../../local/embedded.js';
import { captureLog } from '../support/capture.js';
import { makeSeed } from '../support/seeds.js';

describe('the local queue', () => {
  let embedded: Embedded | undefined;
  let directory: string | undefined;

  afterEach(async () => {
    await embedded?.close();
    if (directory) await rm(directory, { recursive: true, force: true });
  });

  it('says which seed it gave up on once its last delivery failed, instead of falling silent', async () => {
    // Prepare: every read of the seed by the function fails
    directory = await mkdtemp(join(tmpdir(), 'seedfeed-queue-'));
    const log = captureLog();
    embedded = await startEmbedded({
      directory,
      log,
      queue: { batchWindowMs: 5, maxReceives: 2, retryDelayMs: 5 },
      configureHandlerClient: (client) =>
        client.middlewareStack.add(
          (next, context) => async (args) => {
            if (context.commandName === 'GetObjectCommand') throw new Error('the disk is on fire');
            return next(args);
          },
          { step: 'initialize', name: 'failReads' },
        ),
    });

    // Act
    await embedded.client.send(
      new PutObjectCommand({ Bucket: 'seeds', Key: 'seeds/a b.txt', Body: makeSeed({ title: 'A' }) }),
    );
    await embedded.queue.idle();

    // Assess
    const given = log.lines.filter((line) => line.message.startsWith('gave up'));
    expect(embedded.queue.deadLetters).toHaveLength(1);
    expect(given).toEqual([
      expect.objectContaining({ level: 'error', fields: { seedKey: 'seeds/a b.txt', deliveries: 2 } }),
    ]);
  });
});
