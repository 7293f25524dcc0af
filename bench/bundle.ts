import { spawn } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type BuildOptions, build, type Metafile } from 'esbuild';
import { esbuildOptions } from '../cdk/bundling.js';
import { median } from './stats.js';

export interface LoadTimes {
  /** Median time of `await import(bundle)` inside a fresh process. */
  importMs: number;
  /** Median wall time of the whole fresh process, Node's own start-up included. */
  processMs: number;
}

export interface BundleResult {
  handlerBytes: number;
  floorBytes: number;
  handler: LoadTimes;
  floor: LoadTimes;
  /** A process that imports nothing: what Node's own start costs on this machine. */
  emptyProcessMs: number;
  /**
   * Median of handler / floor import time over the interleaved pairs: a neighbour that slows the
   * machine for a while slows both halves of a pair, so this moves less than a ratio of medians.
   */
  importRatio: number;
  runs: number;
  topPackages: { name: string; kb: number }[];
  topFiles: { name: string; kb: number }[];
}

export class BundleError extends Error {
  override readonly name = 'BundleError';
}

const ROOT = fileURLToPath(new URL('..', import.meta.url));
// The floor every S3 Lambda pays: the client module and one client, nothing of seedfeed.
const FLOOR_ENTRY = `import { S3Client } from '@aws-sdk/client-s3';
export const client = new S3Client({});`;

async function bundle(outfile: string, floor: boolean): Promise<Metafile> {
  const options: BuildOptions = esbuildOptions(outfile);
  if (floor) {
    delete options.entryPoints;
    options.stdin = { contents: FLOOR_ENTRY, resolveDir: ROOT, loader: 'ts', sourcefile: 'floor.ts' };
  }
  const result = await build(options);
  if (!result.metafile) throw new BundleError('esbuild returned no metafile');
  return result.metafile;
}

function loadOnce(file: string | undefined): Promise<{ importMs: number; processMs: number }> {
  const code = file
    ? `const t = performance.now(); await import(${JSON.stringify(pathToFileURL(file).href)}); process.stdout.write(String(performance.now() - t));`
    : 'process.stdout.write("0")';
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', code], {
      // What Lambda sets, and nothing that could make one run slower than the other.
      env: {
        PATH: process.env.PATH ?? '',
        AWS_REGION: 'us-east-1',
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      err += chunk.toString();
    });
    child.on('error', (cause) => reject(new BundleError('could not start node', { cause })));
    child.on('close', (code) => {
      const importMs = Number(out);
      if (code !== 0 || !Number.isFinite(importMs)) {
        reject(new BundleError(`loading ${file ?? 'nothing'} failed (${code}): ${err}`));
      } else resolve({ importMs, processMs: performance.now() - started });
    });
  });
}

function biggest(
  metafile: Metafile,
  count: number,
): { packages: BundleResult['topPackages']; files: BundleResult['topFiles'] } {
  const output = Object.values(metafile.outputs)[0];
  const byPackage = new Map<string, number>();
  const files: { name: string; kb: number }[] = [];
  for (const [input, { bytesInOutput }] of Object.entries(output?.inputs ?? {})) {
    const name = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)?.[1] ?? 'seedfeed (own code)';
    byPackage.set(name, (byPackage.get(name) ?? 0) + bytesInOutput);
    files.push({ name: input.replace(/^.*node_modules\//, ''), kb: bytesInOutput / 1024 });
  }
  return {
    packages: [...byPackage]
      .sort((a, b) => b[1] - a[1])
      .slice(0, count)
      .map(([name, bytes]) => ({ name, kb: bytes / 1024 })),
    files: files.sort((a, b) => b.kb - a.kb).slice(0, count),
  };
}

/** The deployed bundle beside the bare-S3-client floor: size, and cold import time in fresh processes. */
export async function benchBundle(runs: number): Promise<BundleResult> {
  const dir = await mkdtemp(join(tmpdir(), 'seedfeed-bench-bundle-'));
  try {
    const handlerFile = join(dir, 'index.mjs');
    const floorFile = join(dir, 'floor.mjs');
    const metafile = await bundle(handlerFile, false);
    await bundle(floorFile, true);
    const handler: LoadTimes[] = [];
    const floor: LoadTimes[] = [];
    const empty: number[] = [];
    await loadOnce(handlerFile); // the first spawn also warms the page cache for both files
    await loadOnce(floorFile);
    // Interleaved, so a noisy neighbour slows both sides alike.
    for (let i = 0; i < runs; i++) {
      handler.push(await loadOnce(handlerFile));
      floor.push(await loadOnce(floorFile));
      empty.push((await loadOnce(undefined)).processMs);
    }
    const summary = (times: LoadTimes[]): LoadTimes => ({
      importMs: median(times.map((t) => t.importMs)),
      processMs: median(times.map((t) => t.processMs)),
    });
    const top = biggest(metafile, 10);
    return {
      handlerBytes: (await stat(handlerFile)).size,
      floorBytes: (await stat(floorFile)).size,
      handler: summary(handler),
      floor: summary(floor),
      emptyProcessMs: median(empty),
      importRatio: median(handler.map((h, i) => h.importMs / (floor[i]?.importMs ?? Number.NaN))),
      runs,
      topPackages: top.packages,
      topFiles: top.files,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
