import { randomUUID } from 'node:crypto';
import type { SQSEvent } from 'aws-lambda';
import type { Config } from './config.js';
import { eachLimited } from './each-limited.js';
import { decodeEvent, type SeedEvent, type SweepEvent } from './events.js';
import type { Invalidate, Log, Metrics, Notify } from './ports.js';
import { PublishCache, PureMemo, renderMemoLimits } from './publish/cache.js';
import type { Collection } from './publish/collections.js';
import { collectionPath, collectionSettings } from './publish/collections.js';
import { StateKeys } from './publish/keys.js';
import { type RegenerateResult, regenerate } from './publish/regenerate.js';
import { type SeedOutcome, type SyncContext, syncSeed } from './publish/sync.js';
import { readWarmStart } from './publish/warm-start.js';
import { checkItem, isFeedKey } from './render/feeds.js';
import { publicKeysOf } from './render/site-files.js';
import { MAIN_VIEW } from './render/view.js';
import type { Bucket } from './storage/port.js';

export interface HandlerDeps {
  config: Config;
  seeds: Bucket;
  feeds: Bucket;
  log: Log;
  metrics?: Metrics;
  /** Tells a WebSub hub which feeds changed; never throws (see websub.ts). */
  notify?: Notify;
  /** Tells the CDN which public files changed (cdn.ts); absent where no CDN serves them. */
  invalidate?: Invalidate;
  /** Seeds synced at once within a batch: enough to hide S3 latency, few enough to bound memory. */
  concurrency?: number;
  /** Names each run of a seed (see publish/keys.ts); random by default, chosen by tests that replay runs. */
  runId?: () => string;
  /**
   * The wall clock. A render reads it for its embargo questions, and again once it knows what is live
   * and after each conflict (publish/regenerate.ts renderSet).
   */
  clock?: () => Date;
  /** Bytes of entries and of written files a warm instance keeps (8 MiB unless given; see publish/cache.ts). */
  cacheBytes?: number;
  /** The function's memory in MB (Lambda's AWS_LAMBDA_FUNCTION_MEMORY_SIZE): sizes the render memo. */
  memoryMb?: number;
  /**
   * Parses and renders to reuse (publish/cache.ts); the handler's own unless given. Handlers of one
   * config may share one: the record explorers build thousands of handlers for the same few seeds.
   */
  memo?: PureMemo;
}

export interface HandlerResult {
  /** The SQS partial-batch response: these messages come back for another try. */
  batchItemFailures: { itemIdentifier: string }[];
  outcomes: SeedOutcome[];
  regenerated?: RegenerateResult;
}

/**
 * Builds the function that AWS Lambda and the local runner both call. A batch is synced seed by seed
 * (a bad seed fails alone), then rendered once, however many seeds it held.
 */
export function createHandler(deps: HandlerDeps): (event: SQSEvent) => Promise<HandlerResult> {
  const { config, log } = deps;
  const keys = new StateKeys(config.statePrefix, config.rejectedPrefix);
  const memo = deps.memo ?? new PureMemo(undefined, renderMemoLimits(deps.memoryMb));
  const cache = new PublishCache(deps.cacheBytes, memo);
  const collections = collectionSettings(config);
  const clock = () => deps.clock?.() ?? new Date();
  const sync: SyncContext = {
    seeds: deps.seeds,
    keys,
    defaultLanguage: config.language,
    maxSeedBytes: config.maxSeedBytes,
    embargoHorizonDays: config.embargoHorizonDays,
    collections,
    runId: deps.runId ?? (() => randomUUID().slice(0, 8)),
    checkItem: (item) => checkItem(item, config, cache.render),
    parsed: cache.parsed,
  };

  return async (event) => {
    const decoded = decodeEvent(event);
    for (const bad of decoded.unreadable) log.warn('ignored a message that is not an S3 notification', bad);
    const byKey = groupBySeed(decoded.events, config, log);
    const renders = byKey.size > 0 || decoded.sweeps.length > 0;
    // A fresh instance reads its warm start here, beside the batch's records, not after them: it is
    // only a cache (regenerate.ts checks every entry and ETag it holds), so it may be a little older.
    const warmStart =
      renders && !cache.started
        ? readWarmStart(deps.seeds, keys.warmStart).catch(() => undefined)
        : undefined;

    const failed = new Set<string>();
    const outcomes: SeedOutcome[] = [];
    const touched = new Set<Collection>();
    await eachLimited([...byKey], deps.concurrency ?? 8, async ([seedKey, { version, time, messageIds }]) => {
      try {
        const { outcome, written, touched: changed } = await syncSeed(seedKey, version, sync, time);
        outcomes.push(outcome);
        for (const collection of changed) touched.add(collection);
        // What was just written needs no GET to be rendered.
        if (written) cache.remember(written.key, written.etag, written.entry, written.bytes);
        const due = written?.entry.item.published;
        // Recorded, but embargoed until its publish time: the sweep after that time publishes it.
        if (due && Date.parse(due) > clock().getTime()) log.info('seed scheduled', { seedKey, due });
        else logOutcome(log, outcome);
      } catch (error) {
        for (const id of messageIds) failed.add(id);
        log.error('seed could not be synced; it will be retried', { seedKey, error: describe(error) });
      }
    });
    count(deps.metrics, outcomes, failed.size);

    let regenerated: RegenerateResult | undefined;
    if (renders) {
      const started = performance.now();
      try {
        regenerated = await regenerate(
          {
            seeds: deps.seeds,
            feeds: deps.feeds,
            keys,
            settings: config,
            // The clock as the batch renders, not its events' times: an item another instance
            // recorded a moment later is still inside the sitemap's window.
            clock,
            itemsPerFeed: config.itemsPerFeed,
            cacheControl: `public, max-age=${config.cacheMaxAgeSeconds}`,
            cache,
            collections,
            ...(warmStart ? { warmStart } : {}),
          },
          [...touched],
          sweptSince(decoded.sweeps, config.sweepMinutes),
        );
        deps.metrics?.milliseconds('regeneration', performance.now() - started);
        deps.metrics?.count('left-out', regenerated.excluded.length);
        for (const { seedKey, reason } of regenerated.excluded) {
          log.error('item left out of the feeds: it failed its own checks', { seedKey, reason });
        }
        log.info('feeds regenerated', { ...regenerated, excluded: regenerated.excluded.length });
        // Hubs fetch the feeds they are told of: the CDN must have dropped its old copies first.
        await invalidateChanged(deps, toInvalidate(config, regenerated.written, outcomes, touched));
        await deps.notify?.(feedUrls(config, regenerated.written));
      } catch (error) {
        // The records are safe; only the render failed. Every message comes back, and the next
        // attempt renders from the records again.
        for (const { messageIds } of byKey.values()) for (const id of messageIds) failed.add(id);
        for (const { messageId } of decoded.sweeps) failed.add(messageId);
        log.error('feeds could not be regenerated; the batch will be retried', { error: describe(error) });
      }
    }

    const batchItemFailures = [...failed].map((itemIdentifier) => ({ itemIdentifier }));
    return { batchItemFailures, outcomes, ...(regenerated ? { regenerated } : {}) };
  };
}

/**
 * A sweep renders the collections of the entries that became due since the sweep before it: two
 * periods back from the earliest sweep of the batch, so one lost sweep is covered by the next, and a
 * redelivered one (same time, later clock) covers at least as much.
 */
function sweptSince(sweeps: readonly SweepEvent[], minutes: number): Date | undefined {
  if (sweeps.length === 0) return undefined;
  const earliest = Math.min(...sweeps.map((sweep) => sweep.time.getTime()));
  return new Date(earliest - 2 * minutes * 60_000);
}

/**
 * What the CDN must drop: every file this batch wrote, or with `takedowns` only a takedown's views,
 * each of their files whether this run wrote it or another instance rendered the removal first.
 */
function toInvalidate(
  config: Config,
  written: readonly string[],
  outcomes: readonly SeedOutcome[],
  touched: ReadonlySet<Collection>,
): string[] {
  if (config.cdnInvalidation === 'changes') return [...written];
  if (!outcomes.some((outcome) => outcome.status === 'removed')) return [];
  // A collection's files are the same whatever its kind; only the main view has more.
  const views = [
    MAIN_VIEW,
    ...[...touched].map((c) => ({ kind: 'category' as const, path: collectionPath(c) })),
  ];
  return [...new Set([...written, ...views.flatMap(publicKeysOf)])];
}

/**
 * A failed invalidation is logged and counted, never a failed batch: the files at the origin are
 * already right, a retried batch would rewrite nothing (so invalidate nothing), and every cached copy
 * expires by its max-age anyway.
 */
async function invalidateChanged(deps: HandlerDeps, written: readonly string[]): Promise<void> {
  if (!deps.invalidate || written.length === 0) return;
  try {
    const { paths, id } = await deps.invalidate(written);
    deps.log.info('CDN invalidation created', { id, paths: paths.length });
  } catch (error) {
    deps.metrics?.count('invalidation-failed', 1);
    deps.log.error('CDN copies were not invalidated; they expire by their max-age', {
      error: describe(error),
      keys: written.length,
    });
  }
}

/** Public URLs of the changed feed documents (pages are not feeds: hubs are told only of feeds). */
function feedUrls(config: Config, written: readonly string[]): string[] {
  return written.filter(isFeedKey).map((key) => new URL(key, config.publicUrl).href);
}

interface SeedWork {
  /** The newest version the batch names: its run reads the seed as it is now, that version or newer. */
  version: string;
  /** When that version's change happened, as its event says. */
  time?: Date;
  messageIds: string[];
}

/** Several events for one key in a batch need one sync, labelled with the newest of their versions. */
function groupBySeed(events: SeedEvent[], config: Config, log: Log): Map<string, SeedWork> {
  const byKey = new Map<string, SeedWork>();
  for (const event of events) {
    if (event.bucket !== config.seedsBucket || !event.key.startsWith(config.seedsPrefix)) {
      log.warn('ignored an event outside the seeds prefix', { bucket: event.bucket, key: event.key });
      continue;
    }
    const work: SeedWork = byKey.get(event.key) ?? {
      version: event.version,
      ...(event.time ? { time: event.time } : {}),
      messageIds: [],
    };
    if (event.version > work.version) {
      work.version = event.version;
      if (event.time) work.time = event.time;
    }
    if (!work.messageIds.includes(event.messageId)) work.messageIds.push(event.messageId);
    byKey.set(event.key, work);
  }
  return byKey;
}

function logOutcome(log: Log, outcome: SeedOutcome): void {
  if (outcome.status === 'rejected') {
    log.warn('seed rejected', { seedKey: outcome.seedKey, reason: outcome.reason });
  } else if (outcome.status === 'published') {
    log.info('seed published', { seedKey: outcome.seedKey, link: outcome.link });
  } else if (outcome.status === 'removed') {
    log.info('seed removed', { seedKey: outcome.seedKey });
  } else {
    log.info('a newer version of the seed was recorded meanwhile', { seedKey: outcome.seedKey });
  }
}

function count(metrics: Metrics | undefined, outcomes: SeedOutcome[], failed: number): void {
  if (!metrics) return;
  const tally = (status: SeedOutcome['status']) => outcomes.filter((o) => o.status === status).length;
  metrics.count('published', tally('published'));
  metrics.count('rejected', tally('rejected'));
  metrics.count('removed', tally('removed'));
  metrics.count('failed', failed);
}

function describe(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { message: String(error) };
  return { name: error.name, message: error.message, ...(error.cause ? { cause: String(error.cause) } : {}) };
}
