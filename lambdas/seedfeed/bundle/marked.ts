/**
 * Replaces `marked` in the Lambda bundle only (see cdk/bundling.ts). marked builds its grammar's
 * regular expressions when its module runs, and in one ESM bundle every module runs at import: that
 * was a cold start's cost although Markdown appears in few titles. A bundled `require()` is a
 * synchronous lazy start in esbuild's output, so marked now runs the first time a title needs it and
 * the parser stays synchronous. Tests and `tsx` use marked itself; tests/cdk/bundle.test.ts runs this.
 *
 * The path is relative because the alias also catches `marked/…` specifiers.
 */
import type * as Real from 'marked';

type Options = ConstructorParameters<typeof Real.Marked>[0];

/** The one use core/title.ts makes of marked: a synchronous `parseInline` with fixed options. */
export class Marked {
  readonly #options: Options;
  #marked: { parseInline(source: string, options: { async: false }): unknown } | undefined;

  constructor(options: Options) {
    this.#options = options;
  }

  parseInline(source: string, options: { async: false }): string {
    if (!this.#marked) {
      const real = require('../../../node_modules/marked/lib/marked.esm.js') as typeof Real;
      this.#marked = new real.Marked(this.#options);
    }
    return this.#marked.parseInline(source, options) as string;
  }
}
