/**
 * Replaces `xml-js` in the Lambda bundle only (see cdk/bundling.ts): `feed` calls nothing but
 * `js2xml`, while the package's index also loads its XML parser (and through it `sax`), code the
 * function never runs and every cold start would compile.
 *
 * The path is relative because the alias also catches `xml-js/…` specifiers, this one included.
 */
// @ts-expect-error xml-js ships types for its index only
import js2xml from '../../../node_modules/xml-js/lib/js2xml.js';

export { js2xml };
