import { fileURLToPath } from 'node:url';
import type { BuildOptions } from 'esbuild';

/**
 * How the function is bundled, in one place: the stack's NodejsFunction, the bundle test and the
 * benchmark all build from these options, so what is tested and measured is what is deployed.
 */
export const HANDLER_ENTRY = fileURLToPath(new URL('../lambdas/seedfeed/index.ts', import.meta.url));
export const HANDLER_EXPORT = 'handler';
export const NODE_TARGET = 'node22';

// cheerio and feed are ESM-only; the few CommonJS dependencies (the AWS SDK) still call require().
export const ESM_REQUIRE_BANNER =
  "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);";

/** esbuild options equivalent to the NodejsFunction bundling in the stack. */
export function esbuildOptions(outfile: string): BuildOptions {
  return {
    entryPoints: [HANDLER_ENTRY],
    outfile,
    bundle: true,
    minify: true,
    platform: 'node',
    target: NODE_TARGET,
    format: 'esm',
    mainFields: ['module', 'main'],
    banner: { js: ESM_REQUIRE_BANNER },
    // The Node.js runtime ships an SDK, but not necessarily this version; bundling ours pins it.
    external: [],
    metafile: true,
    logLevel: 'warning',
  };
}
