import type { Log, Notify } from './ports.js';

export interface WebSubOptions {
  hubUrl: string;
  log: Log;
  /** Per attempt; a slow hub must not hold the batch. */
  timeoutMs?: number;
  attempts?: number;
  backoffMs?: number;
  fetch?: typeof fetch;
}

/**
 * WebSub publisher pings (`hub.mode=publish`), one per changed feed. A ping is an optimisation for
 * subscribers, never part of publishing: failures are retried a few times, logged, and swallowed.
 */
export function webSubNotifier(options: WebSubOptions): Notify {
  const send = options.fetch ?? fetch;
  const attempts = options.attempts ?? 3;
  const timeoutMs = options.timeoutMs ?? 3_000;
  const backoffMs = options.backoffMs ?? 200;

  const ping = async (feedUrl: string): Promise<void> => {
    let problem = '';
    for (let attempt = 1; attempt <= attempts; attempt++) {
      try {
        const response = await send(options.hubUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ 'hub.mode': 'publish', 'hub.url': feedUrl }).toString(),
          signal: AbortSignal.timeout(timeoutMs),
        });
        await response.body?.cancel();
        // 2xx is success (hubs answer 204 or 202); 4xx will not get better by asking again.
        if (response.ok) return;
        problem = `hub answered ${response.status}`;
        if (response.status < 500 && response.status !== 429) break;
      } catch (error) {
        problem = error instanceof Error ? error.message : String(error);
      }
      if (attempt < attempts)
        await new Promise((resolve) => setTimeout(resolve, backoffMs * 2 ** (attempt - 1)));
    }
    options.log.warn('WebSub hub was not notified; subscribers will see the change on their next poll', {
      hub: options.hubUrl,
      feed: feedUrl,
      problem,
    });
  };

  return async (feedUrls) => {
    await Promise.all(feedUrls.map(ping));
  };
}
