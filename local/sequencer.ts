/**
 * S3 stamps every event with a `sequencer` that orders the events of one key, and the record scheme
 * relies on it (publish/keys.ts). s3rver stamps `Date.now()`, which two writes within a millisecond
 * share, so the embedded server's writes take their sequencers from here instead: strictly increasing
 * within a process, and above any earlier run's because they count microseconds of the clock.
 */
let last = 0n;

export function nextSequencer(): string {
  const clock = BigInt(Date.now()) * 1000n;
  last = clock > last ? clock : last + 1n;
  return last.toString(16).toUpperCase();
}

const latest = new Map<string, string>();

/** Called in the same turn as the write or delete of the key, so the order is the order they applied. */
export function recordChange(bucket: string, key: string): void {
  latest.set(`${bucket}/${key}`, nextSequencer());
}

/**
 * The sequencer of the newest change of a key. An event delivered later than a newer change may carry
 * the newer one: its run reads the key after that change anyway, so the version it reads is not older.
 */
export function latestSequencer(bucket: string, key: string): string {
  return latest.get(`${bucket}/${key}`) ?? nextSequencer();
}

/** When the change a sequencer of ours stamps was made: it counts microseconds of the clock. */
export function timeOfSequencer(sequencer: string): Date {
  // A test's deliberately broken sequencer is no time at all: the event is stamped now.
  if (!/^[0-9A-F]{1,40}$/i.test(sequencer)) return new Date();
  return new Date(Number(BigInt(`0x${sequencer}`) / 1000n));
}
