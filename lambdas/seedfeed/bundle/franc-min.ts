/**
 * Replaces `franc-min` in the Lambda bundle only (see cdk/bundling.ts). franc-min turns every
 * language's trigram list into a dictionary when its module runs, and in one ESM bundle every module
 * runs at import: a cold start paid that although only Cyrillic, Arabic and some Latin text asks the
 * model (core/language.ts). A bundled `require()` is a synchronous lazy start in esbuild's output, so
 * the model is built the first time a seed needs it. tests/cdk/bundle.test.ts runs this.
 *
 * The path is relative because the alias also catches `franc-min/…` specifiers.
 */
import type * as Real from 'franc-min';

let loaded: typeof Real | undefined;

export function francAll(...args: Parameters<typeof Real.francAll>): ReturnType<typeof Real.francAll> {
  loaded ??= require('../../../node_modules/franc-min/index.js') as typeof Real;
  return loaded.francAll(...args);
}
