/**
 * Replaces `sax` in the Lambda bundle only (see cdk/bundling.ts): `feed` depends on xml-js, whose
 * index also loads its XML *parser*, which seedfeed never calls. Failing loudly beats a silent stub.
 */
export function parser(): never {
  throw new Error('sax is not bundled: seedfeed only writes XML with xml-js');
}
