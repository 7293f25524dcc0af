import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { UsageError } from './errors.js';
import { keyFor, listSeedFiles } from './seed-files.js';

export interface SeedFile {
  /** The path to read and to show, as the user wrote it (joined with the walked folders). */
  path: string;
  /** '/'-separated path below the prefix: relative to the folder given, or the bare file name. */
  name: string;
}

/**
 * Folders are walked with the local runner's filter (no hidden, swap or partial files); a file named
 * on the command line is taken as asked, whatever its name.
 */
export async function collectSeedFiles(paths: readonly string[]): Promise<SeedFile[]> {
  const out: SeedFile[] = [];
  for (const path of paths) {
    const info = await stat(path).catch((cause: unknown) => {
      throw new UsageError(`${path}: no such file or folder`, { cause });
    });
    if (info.isDirectory()) {
      for (const file of await listSeedFiles(path)) out.push({ path: file, name: keyFor(path, file, '') });
    } else if (info.isFile()) {
      out.push({ path, name: basename(path) });
    } else {
      throw new UsageError(`${path}: not a file or folder`);
    }
  }
  if (out.length === 0) throw new UsageError(`no seed files in ${paths.join(', ')}`);
  return out;
}

/** Two files with one key would overwrite each other in the bucket, silently. */
export function assertDistinctNames(files: readonly SeedFile[]): void {
  const seen = new Map<string, string>();
  for (const file of files) {
    const other = seen.get(file.name);
    if (other !== undefined)
      throw new UsageError(`${other} and ${file.path} would both be uploaded as "${file.name}"`);
    seen.set(file.name, file.path);
  }
}
