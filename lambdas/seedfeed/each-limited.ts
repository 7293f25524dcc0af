/**
 * Runs `work` over items with at most `limit` in flight: enough to hide S3 latency, few enough to
 * bound memory and connections. The handler, the local runner, the CLI and the benchmark share it.
 */
export async function eachLimited<T>(
  items: readonly T[],
  limit: number,
  work: (item: T, index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      await work(items[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
