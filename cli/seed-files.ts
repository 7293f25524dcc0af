import { readdir } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';

/**
 * Which files in a folder are seeds and under which key they go: the one definition that the shipped
 * CLI and the local runner (`npm start`) both import, so a folder means the same to both.
 */

/** Editor swap files and hidden files are not seeds. */
export function isSeedFile(name: string): boolean {
  const base = name.split(/[\\/]/).pop() ?? '';
  return (
    base !== '' &&
    !base.startsWith('.') &&
    !base.endsWith('~') &&
    !/\.(?:swp|swx|tmp|crdownload)$/i.test(base)
  );
}

export function keyFor(dir: string, file: string, prefix: string): string {
  return `${prefix}${relative(dir, file).split(sep).join('/')}`;
}

export async function listSeedFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile() && isSeedFile(entry.name))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}
