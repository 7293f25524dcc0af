import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Config, loadConfig } from '../lambdas/seedfeed/config.js';

/** The configuration the function would load, with placeholder buckets and URL: defaults everywhere else. */
export function benchConfig(): Config {
  return loadConfig({
    SEEDFEED_SEEDS_BUCKET: 'seeds',
    SEEDFEED_FEEDS_BUCKET: 'feeds',
    SEEDFEED_PUBLIC_URL: 'https://feeds.example.com/',
  });
}

export const REAL_SEED_NAME = '000_d08b8e282d2a28a0.txt';

export function realSeed(): Buffer {
  return readFileSync(fileURLToPath(new URL(`../seeds/${REAL_SEED_NAME}`, import.meta.url)));
}
