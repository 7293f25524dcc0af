import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const DIR = fileURLToPath(new URL('../fixtures/hostile/', import.meta.url));

export interface Corpus {
  seeds: Record<string, Buffer>;
  published: string[];
  /** file → a phrase its rejection reason must contain */
  rejected: Record<string, string>;
}

/** The hostile seeds in tests/fixtures/hostile and what must become of each. */
export function hostileCorpus(): Corpus {
  const expected = JSON.parse(readFileSync(`${DIR}expected.json`, 'utf8')) as Omit<Corpus, 'seeds'>;
  const seeds: Record<string, Buffer> = {};
  for (const name of readdirSync(DIR))
    if (name !== 'expected.json') seeds[name] = readFileSync(`${DIR}${name}`);
  return { seeds, ...expected };
}
