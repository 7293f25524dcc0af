/**
 * s3rver in a process of its own, so that the benchmark's CPU clock counts the handler and its SDK
 * client, not the emulator answering them. Prints the endpoint as one JSON line; stops when its stdin
 * closes, so it cannot outlive the benchmark that started it.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbedded } from '../local/embedded.js';

const directory = await mkdtemp(join(tmpdir(), 'seedfeed-bench-s3-'));
const embedded = await startEmbedded({ directory, port: 0, deliverEvents: false });
let stopping = false;
const stop = async (): Promise<void> => {
  if (stopping) return;
  stopping = true;
  await embedded.close();
  await rm(directory, { recursive: true, force: true });
  process.exit(0);
};
process.stdin.on('end', () => void stop());
process.stdin.on('close', () => void stop());
process.on('SIGTERM', () => void stop());
process.stdin.resume();
process.stdout.write(`${JSON.stringify({ endpoint: embedded.endpoint })}\n`);
