import { stat } from 'node:fs/promises';
import { watch } from 'chokidar';
import { isSeedFile, listSeedFiles } from '../cli/seed-files.js';

export interface FolderWatch {
  /** Resolves once every file below the folder is watched: changes from then on are seen. */
  ready: Promise<void>;
  /** Stops watching and waits for the reports already under way. */
  close(): Promise<void>;
}

export interface WatchOptions {
  /** How long a file is left alone before it is reported (editors write a file in several steps). */
  settleMs?: number;
  /** How often the whole folder is compared with what was reported, for what chokidar missed. */
  rescanMs?: number;
}

/** What a file is, cheaply: a new inode, size, content time or status time means it may have changed. */
type Signature = string;
const FAILED: Signature = 'failed';

/** The files whose signature differs from the one they had when last reported, gone ones included. */
function differences(reported: Map<string, Signature>, now: Map<string, Signature>): string[] {
  const changed = [...now].filter(([file, signature]) => reported.get(file) !== signature);
  const gone = [...reported.keys()].filter((file) => !now.has(file));
  return [...changed.map(([file]) => file), ...gone].sort();
}

async function signature(file: string): Promise<Signature | undefined> {
  const info = await stat(file, { bigint: true }).catch(() => undefined);
  return info?.isFile() ? `${info.ino}:${info.size}:${info.mtimeNs}:${info.ctimeNs}` : undefined;
}

/** The signature of every seed file below `dir`; undefined when it could not be listed (a folder removed meanwhile). */
async function signatures(dir: string): Promise<Map<string, Signature> | undefined> {
  const files = await listSeedFiles(dir).catch(() => undefined);
  if (!files) return undefined;
  const pairs = await Promise.all(files.map(async (file) => [file, await signature(file)] as const));
  return new Map(pairs.filter((pair): pair is [string, Signature] => pair[1] !== undefined));
}

/**
 * Calls `changed(file)` once a seed file below `dir` has been added, changed or removed and then left
 * alone for `settleMs`; the callback reads the file to learn which it was. One file's calls never
 * overlap, so an older read cannot land after a newer one; a call that fails goes to `onError` and
 * is made again at the next rescan.
 *
 * chokidar, not `fs.watch`: Node's recursive watcher stops following a file replaced by a rename
 * (`sed -i`, editors that write a temporary file and rename it over the original). chokidar in turn
 * reads a new folder before it watches it, and misses a file created in between (chokidar #1112,
 * #1471: half of a `cp -r` on a busy machine). So the folder is also rescanned, soon after a folder
 * appears and every `rescanMs`: a file whose signature differs from the one taken just before its
 * last report is reported again. That signature is taken before the callback reads, so a file read
 * half-written differs at the next rescan even if its last write raised no event.
 */
export function watchFolder(
  dir: string,
  changed: (file: string) => Promise<void>,
  onError: (error: unknown) => void,
  { settleMs = 150, rescanMs = 2_000 }: WatchOptions = {},
): FolderWatch {
  const reported = new Map<string, Signature>();
  const pending = new Map<string, NodeJS.Timeout>();
  const running = new Map<string, Promise<void>>();
  let closed = false;

  const report = (file: string) => {
    const previous = running.get(file) ?? Promise.resolve();
    const next = previous.then(async () => {
      const now = await signature(file);
      if (now === undefined) reported.delete(file);
      else reported.set(file, now);
      await changed(file);
    });
    const settled = next.catch((error: unknown) => {
      // A signature no file has: the next rescan tries again, whether the file is there or gone.
      reported.set(file, FAILED);
      onError(error);
    });
    running.set(file, settled);
    void settled.then(() => {
      if (running.get(file) === settled) running.delete(file);
    });
  };
  const touched = (file: string) => {
    if (closed || !isSeedFile(file)) return;
    clearTimeout(pending.get(file));
    pending.set(
      file,
      setTimeout(() => {
        pending.delete(file);
        report(file);
      }, settleMs),
    );
  };

  const rescans = rescanner(async () => {
    const now = await signatures(dir).catch(onError);
    if (now && !closed) for (const file of differences(reported, now)) touched(file);
  }, rescanMs);
  const watcher = watch(dir, { ignoreInitial: true, atomic: true });
  watcher
    .on('add', touched)
    .on('change', touched)
    .on('unlink', touched)
    .on('addDir', () => rescans.soon(settleMs))
    .on('error', (error) => onError(new Error(`watching ${dir} failed: ${String(error)}`, { cause: error })));
  const ready = new Promise<void>((resolve) => watcher.once('ready', () => resolve())).then(async () => {
    for (const [file, sig] of (await signatures(dir)) ?? []) reported.set(file, sig);
    rescans.start();
  });
  return {
    ready,
    async close() {
      closed = true;
      rescans.stop();
      for (const timer of pending.values()) clearTimeout(timer);
      pending.clear();
      await watcher.close();
      await Promise.all(running.values());
    },
  };
}

/** Runs `scan` every `everyMs`, or sooner when asked; never two at once. */
function rescanner(scan: () => Promise<void>, everyMs: number) {
  let timer: NodeJS.Timeout | undefined;
  let due = Number.POSITIVE_INFINITY;
  let stopped = true;
  let scanning = false;
  let again = false;
  const run = async () => {
    due = Number.POSITIVE_INFINITY;
    // Asked for while one runs: that one may have read the folder before the change, so one more follows.
    if (scanning) {
      again = true;
      return;
    }
    scanning = true;
    await scan();
    scanning = false;
    at(again ? 0 : everyMs);
    again = false;
  };
  const at = (ms: number) => {
    if (stopped || Date.now() + ms >= due) return;
    clearTimeout(timer);
    due = Date.now() + ms;
    timer = setTimeout(() => void run(), ms);
  };
  return {
    start() {
      stopped = false;
      at(everyMs);
    },
    /** A sooner scan; one already due sooner is kept, so a burst of requests never delays it. */
    soon: at,
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
