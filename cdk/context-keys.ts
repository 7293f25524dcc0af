/**
 * Context keys that belong to CDK, not to seedfeed: feature flags (`@aws-cdk/…`, also the one
 * `@aws-cdk-containers/…` flag cdk.json holds), the CLI's own switches (`aws:cdk:…`), and what
 * the CLI keeps in cdk.context.json (`cdk acknowledge`, telemetry). A typo of a setting never looks
 * like these, so everything else must be a name the stack reads.
 */
const CDK_PREFIXES = ['@aws-cdk/', '@aws-cdk-containers/', 'aws:cdk:'];
const CDK_KEYS = new Set(['acknowledged-issue-numbers', 'cli-telemetry']);
// Cached context lookups are named `provider:key=value:…` (e.g. availability-zones:account=…:region=…).
const LOOKUP_KEY = /^[a-z][a-z0-9-]*:.*=/;

export function isCdkKey(key: string): boolean {
  return CDK_KEYS.has(key) || LOOKUP_KEY.test(key) || CDK_PREFIXES.some((prefix) => key.startsWith(prefix));
}

/**
 * One problem per context key that is neither a seedfeed name nor CDK's: `-c feedTitel=…` would
 * otherwise deploy a feed with the default title and no word of why.
 */
export function unknownKeys(keys: Iterable<string>, known: readonly string[]): string[] {
  const names = new Set(known);
  const problems: string[] = [];
  for (const key of keys) {
    if (names.has(key) || isCdkKey(key)) continue;
    const guess = nearest(key, known);
    problems.push(`unknown setting ${key}${guess === undefined ? '' : ` (did you mean ${guess}?)`}`);
  }
  return problems;
}

/** The known name a slip of the keyboard away (case ignored): two edits at most, a swap counting one. */
function nearest(key: string, known: readonly string[]): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const name of known) {
    const distance = editDistance(key.toLowerCase(), name.toLowerCase());
    if (distance <= 2 && (best === undefined || distance < best.distance)) best = { name, distance };
  }
  return best?.name;
}

/** Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps. */
export function editDistance(a: string, b: string): number {
  const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  const at = (i: number, j: number): number => rows[i]?.[j] ?? Number.POSITIVE_INFINITY;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let distance = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        distance = Math.min(distance, at(i - 2, j - 2) + 1);
      }
      (rows[i] as number[])[j] = distance;
    }
  }
  return at(a.length, b.length);
}
