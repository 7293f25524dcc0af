import { articleOf, type Marker, parseMarker } from './keys.js';

/**
 * The rule the whole record scheme rests on, as plain values (no storage), so it can be tested alone.
 *
 * A newer marker supersedes an older one, except that a rejection supersedes only older rejections: a
 * broken upload keeps the last good version published. Every run writes its entry, then its marker, then
 * lists the seed's markers; it removes (with what they point to) the listed markers its own supersedes,
 * and its own marker once another supersedes it, unless that other is an entry not yet written (then
 * the other's run removes it). Of two runs, the later to list always sees the other's marker, so what
 * survives is exactly the set of markers that no other marker supersedes, and an item is never taken
 * out of the index before the entry that replaces it is in.
 *
 * Two runs of one event (a redelivery) share its version but may read different bytes, the later ones
 * after a newer upload; that upload's own event then supersedes both, unless its file is rejected. For
 * that case markers of one version are ranked too, so that one of them always survives alone: an entry
 * before a tombstone (bad input loses nothing), then the later upload, then by name.
 */
export function supersedes(newer: Marker, older: Marker): boolean {
  if (newer.kind === 'rejected') {
    return (
      older.kind === 'rejected' &&
      (newer.version > older.version || (newer.version === older.version && newer.run > older.run))
    );
  }
  if (newer.version !== older.version) return newer.version > older.version;
  if (older.kind === 'rejected') return false;
  if (newer.kind !== older.kind) return newer.kind === 'entry';
  return rank(newer) > rank(older);
}

/** Entries of one version: the one read from the later upload first (when the seconds tell), then by name. */
function rank(marker: Marker): string {
  const uploadedNewestFirst = marker.entry?.split('_')[2] ?? '';
  // Complemented back, so that a later upload ranks higher. (Digit by digit: the cleanup compares
  // every pair of a seed's markers, and this ran in every comparison.)
  let uploaded = '';
  for (let at = 0; at < uploadedNewestFirst.length; at++)
    uploaded += String.fromCharCode(105 - uploadedNewestFirst.charCodeAt(at));
  return `${uploaded} ${marker.entry ?? ''} ${marker.run}`;
}

export interface Cleanup {
  /** Listed markers that ours supersedes: they go now. */
  older: Marker[];
  /** Listed markers that supersede ours: ours goes once one of them is known to be in place. */
  newer: Marker[];
  /**
   * Other listed markers of our version superseded by a third: each goes once one of `by` is known to be
   * in place. Their own runs remove them as a rule, but a run that failed after writing its marker is
   * retried under another name, and that retry may rank below both (two markers of one version stayed).
   */
  stale: { marker: Marker; by: Marker[] }[];
}

export function planCleanup(listed: readonly Marker[], mine: Marker): Cleanup {
  const older = listed.filter((other) => supersedes(mine, other));
  // Of ours' own version only: that is where a retry meets the markers of the run it retries, and a
  // run of another version has what it supersedes, or is superseded, to see to.
  const rest = listed.filter(
    (other) => other.version === mine.version && !sameMarker(other, mine) && !older.includes(other),
  );
  const stale = rest.flatMap((marker) => {
    const by = rest.filter((other) => other !== marker && supersedes(other, marker));
    return by.length > 0 ? [{ marker, by }] : [];
  });
  return { older, newer: listed.filter((other) => supersedes(other, mine)), stale };
}

export function sameMarker(a: Marker, b: Marker): boolean {
  return a.version === b.version && a.run === b.run && a.kind === b.kind && a.entry === b.entry;
}

/** Versions written before versions existed: anything newer supersedes them. */
export const LEGACY_VERSION = '0'.repeat(40);
const LEGACY_RUN = '00000000';

/**
 * A marker name of this scheme or of the one before it (entry names without a version, `rejected`,
 * `deleted<uuid>`), so that records written before an upgrade are still found and replaced.
 */
export function readMarkerName(name: string): Marker | undefined {
  const current = parseMarker(name);
  if (current) return current;
  if (name === 'rejected') return { version: LEGACY_VERSION, run: LEGACY_RUN, kind: 'rejected' };
  if (/^deleted[0-9a-f-]{36}$/.test(name))
    return { version: LEGACY_VERSION, run: LEGACY_RUN, kind: 'deleted' };
  if (articleOf(name)) return { version: LEGACY_VERSION, run: LEGACY_RUN, kind: 'entry', entry: name };
  return undefined;
}
