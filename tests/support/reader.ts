import { FeedReadError, readFeeds } from './feeds.js';

export interface ReaderReport {
  reads: number;
  /** Reads that failed after the feeds had first been published. */
  problems: string[];
  /** Most items seen at once, and whether the count ever went down. */
  most: number;
  shrank: string[];
}

/**
 * A feed reader polling the public files over HTTP while the test runs. Before the first publication a
 * 404 is expected; after it, every read must parse and hold at least as many items as the last one.
 */
export function startReader(publicUrl: string): { stop(): Promise<ReaderReport> } {
  const report: ReaderReport = { reads: 0, problems: [], most: 0, shrank: [] };
  let running = true;
  let published = false;
  const loop = (async () => {
    while (running) {
      try {
        const feeds = await readFeeds(publicUrl);
        published = true;
        const count = feeds.json.items.length;
        if (count < report.most) report.shrank.push(`${count} items after ${report.most}`);
        report.most = Math.max(report.most, count);
      } catch (error) {
        const notYet = !published && error instanceof FeedReadError && error.message.includes('HTTP 404');
        if (!notYet) report.problems.push(error instanceof Error ? error.message : String(error));
      }
      report.reads++;
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return report;
    },
  };
}
