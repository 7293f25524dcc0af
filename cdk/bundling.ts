import { fileURLToPath } from 'node:url';
import { type BundlingOptions, LogLevel, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
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

const MAIN_FIELDS = ['module', 'main'];

const shim = (name: string): string =>
  fileURLToPath(new URL(`../lambdas/seedfeed/bundle/${name}.ts`, import.meta.url));
/**
 * Modules swapped for small local ones in the deployed bundle (each file says why): two keep ~120 KB
 * of code the function never runs out of every cold start, two start a module on its first use.
 */
export const ALIASES: Record<string, string> = {
  '@aws-sdk/credential-provider-node': shim('credentials'),
  'xml-js': shim('xml-js'),
  // Not smaller: started on first use instead of at import (about 0.3× of the bare client's load).
  marked: shim('marked'),
  'franc-min': shim('franc-min'),
};
// The Node.js runtime ships an SDK, but not necessarily this version; bundling ours pins it.
const EXTERNAL: string[] = [];

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
    // Non-ASCII as it is, not as \u escapes: franc-min's trigram tables are mostly non-Latin scripts.
    charset: 'utf8',
    mainFields: MAIN_FIELDS,
    banner: { js: ESM_REQUIRE_BANNER },
    external: EXTERNAL,
    alias: ALIASES,
    metafile: true,
    logLevel: 'warning',
  };
}

/**
 * The same build for NodejsFunction, which runs the project's own esbuild (no Docker) and writes
 * index.mjs. No metafile: it would be shipped inside the function's code.
 */
export function nodejsBundling(): BundlingOptions {
  return {
    minify: true,
    target: NODE_TARGET,
    format: OutputFormat.ESM,
    mainFields: MAIN_FIELDS,
    banner: ESM_REQUIRE_BANNER,
    externalModules: EXTERNAL,
    esbuildArgs: {
      // As the esbuild options above; this CDK's `charset` prop does not reach esbuild.
      '--charset': 'utf8',
      ...Object.fromEntries(Object.entries(ALIASES).map(([from, to]) => [`--alias:${from}`, to])),
    },
    logLevel: LogLevel.WARNING,
  };
}
