import { watch } from 'chokidar';
import { isSeedFile } from './sync-folder.js';

export interface FolderWatch {
  /** Resolves once every file below the folder is watched: changes from then on are seen. */
  ready: Promise<void>;
  close(): Promise<void>;
}

/**
 * Calls `changed(file)` once a seed file below `dir` has been added, changed or removed and then left
 * alone for `settleMs` (editors write a file in several steps). The callback reads the file to learn
 * which it was. chokidar, not `fs.watch`: Node's recursive watcher stops following a file replaced by
 * a rename (`sed -i`, editors that write a temporary file and rename it over the original).
 */
export function watchFolder(
  dir: string,
  changed: (file: string) => void,
  onError: (error: unknown) => void,
  settleMs = 150,
): FolderWatch {
  const pending = new Map<string, NodeJS.Timeout>();
  const watcher = watch(dir, { ignoreInitial: true, atomic: true });
  const touched = (file: string) => {
    if (!isSeedFile(file)) return;
    clearTimeout(pending.get(file));
    pending.set(
      file,
      setTimeout(() => {
        pending.delete(file);
        changed(file);
      }, settleMs),
    );
  };
  watcher.on('add', touched).on('change', touched).on('unlink', touched).on('error', onError);
  return {
    ready: new Promise((resolve) => watcher.once('ready', () => resolve())),
    async close() {
      for (const timer of pending.values()) clearTimeout(timer);
      pending.clear();
      await watcher.close();
    },
  };
}
