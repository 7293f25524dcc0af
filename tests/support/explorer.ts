import { type Call, dependent, MemoryStore } from './memory-bucket.js';
import type { Random } from './random.js';

/**
 * Runs several actors (function instances, an uploader) against one MemoryStore while deciding the
 * order of every storage call: each call is held until the explorer lets exactly one go, and the next
 * choice is made only once every actor is waiting again. So one run is one interleaving, chosen call by
 * call, and replaying the same choices replays the same run.
 */

/** What one run needs: actors that use the store, and a check of where they ended. */
export interface Scenario {
  actors: (() => Promise<void>)[];
  /** Called after each call has taken effect: a place to check what a reader would see then. */
  after?(call: Call): void;
  /** What the scenario's watchers remember (part of the state, for pruning). */
  signature?(): string;
  /** Called once every actor has finished. Throws when the end state is wrong. */
  check(): void | Promise<void>;
}

export type Build = (store: MemoryStore) => Scenario;

interface Pending {
  /** Stable across replays: the actor's name and how many calls it had made before. */
  id: string;
  /** The id without its count: what the call does. */
  base: string;
  call: Call;
  go(): void;
}

/**
 * Picks the next call, or none to stop the run. `footprint` is every call made since the last choice:
 * the call chosen then, and the unscheduled calls that ran before every actor was waiting again.
 */
type Choose = (
  pending: readonly Pending[],
  step: number,
  signature: () => string,
  footprint: readonly Call[],
) => Pending | undefined;

export interface RunResult {
  /** False when the chooser stopped the run (it reached a state whose continuations were tried). */
  completed: boolean;
  steps: number;
  /** What the last choice made happen (see Choose). */
  footprint: readonly Call[];
}

export interface RunOptions {
  pageSize?: number;
  /** Keep every answer, for the state signature (see MemoryStore). */
  tracking?: boolean;
  /**
   * Which calls are choice points; the others go ahead as soon as they are made, in the order the
   * actors make them. All are by default.
   */
  scheduled?: (call: Call) => boolean;
}

// Continuations of an admitted call are promise jobs; one macrotask turn runs them all, so afterwards
// every actor is waiting on its next call (or done).
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

export async function runOnce(build: Build, choose: Choose, options: RunOptions = {}): Promise<RunResult> {
  const pending: Pending[] = [];
  /** How many calls of each name are waiting, so that repeats are told apart. */
  const waiting = new Map<string, number>();
  let footprint: Call[] = [];
  const store = new MemoryStore(
    {
      admit: (call) => {
        if (options.scheduled && !options.scheduled(call)) {
          footprint.push(call);
          return Promise.resolve();
        }
        return new Promise<void>((go) => {
          // Named by what it does, so the same call reached by another path has the same name.
          const base = `${call.actor} ${call.op} ${call.bucket}/${call.target}`;
          const twins = waiting.get(base) ?? 0;
          waiting.set(base, twins + 1);
          pending.push({ id: `${base}#${twins}`, base, call, go });
        });
      },
    },
    options.pageSize,
    options.tracking,
  );
  const scenario = build(store);
  let failure: unknown;
  let finished = false;
  void Promise.all(
    scenario.actors.map((actor) =>
      actor().catch((error: unknown) => {
        failure ??= error;
      }),
    ),
  ).then(() => {
    finished = true;
  });
  let released: Call | undefined;
  for (let step = 0; ; step++) {
    await settle();
    if (failure !== undefined) throw failure;
    if (released) scenario.after?.(released);
    if (pending.length === 0) {
      if (!finished) throw new Error('the actors wait on something other than storage');
      await scenario.check();
      return { completed: true, steps: step, footprint };
    }
    const next = choose(
      pending,
      step,
      () => [store.signature(), scenario.signature?.() ?? '', ...pending.map((p) => p.id).sort()].join(' '),
      footprint,
    );
    if (!next) return { completed: false, steps: step, footprint };
    pending.splice(pending.indexOf(next), 1);
    waiting.set(next.base, (waiting.get(next.base) ?? 1) - 1);
    released = next.call;
    footprint = [next.call];
    next.go();
  }
}

export interface Exploration {
  /** Runs that reached the end. */
  runs: number;
  /** Distinct states reached: each one's every continuation was tried. */
  states: number;
  /** Runs cut short on reaching a state whose continuations were tried already. */
  pruned: number;
}

/** What one choice makes happen: the call chosen and the unscheduled calls it set off (see Choose). */
type Footprint = readonly Call[];

interface Node {
  enabled: Map<string, Call>;
  /** The calls to try here, in order, and which one this run takes. */
  tries: string[];
  next: number;
  /** What each call tried here made happen, once it has been tried. */
  footprints: Map<string, Footprint>;
  /** Calls that need no trying here (an order starting with them was explored already), with their footprints. */
  sleep: Map<string, Footprint>;
}

export interface ExploreOptions {
  pageSize?: number;
  /** Runs allowed before giving up (a guard against a scenario far larger than meant). */
  limit?: number;
  /** Pairs of calls whose order matters to the scenario's own watchers, besides storage's own. */
  dependent?: (a: Call, b: Call) => boolean;
  /** Which calls are choice points (see RunOptions); all are by default. */
  scheduled?: (call: Call) => boolean;
}

/**
 * Every interleaving of the scenario's calls, up to equivalence: a depth-first search over which
 * waiting call goes next, replaying each prefix from the start (an actor's state cannot be copied),
 * with two reductions that keep every reachable outcome (Godefroid 1996): sleep sets skip an order that
 * only swaps independent choices of one already tried, and a state reached again (same objects,
 * sequencers, clocks, answers, waiting calls and watcher memory) is not expanded again beyond the calls
 * that slept on its first visit. Two choices are independent when no call of one's footprint is
 * dependent on a call of the other's (different keys, or both reads): then either order makes the same
 * calls with the same answers. The state graph has no cycles (every choice adds an answer or retires
 * an actor), so the two combine soundly. With `scheduled`, this is every interleaving of the scheduled
 * calls, the others running as soon as they are made: what that leaves out is the caller's to argue.
 */
export async function exploreAll(build: Build, options: ExploreOptions = {}): Promise<Exploration> {
  const isDependent = (a: Call, b: Call) => dependent(a, b) || (options.dependent?.(a, b) ?? false);
  const clash = (a: Footprint | undefined, b: Footprint | undefined) =>
    a === undefined || b === undefined || a.some((x) => b.some((y) => isDependent(x, y)));
  const stack: Node[] = [];
  const visited = new Map<string, Set<string>>();
  const result: Exploration = { runs: 0, states: 0, pruned: 0 };
  const limit = options.limit ?? 200_000;
  const noteFootprint = (step: number, footprint: Footprint) => {
    const node = stack[step - 1];
    if (node) node.footprints.set(node.tries[node.next] as string, footprint);
  };
  for (;;) {
    const run = await runOnce(
      build,
      (pending, step, signature, footprint) => {
        noteFootprint(step, footprint);
        const known = stack[step];
        if (known) {
          const id = known.tries[known.next];
          const found = pending.find((p) => p.id === id);
          if (!found) throw new Error(`replay diverged at step ${step}: ${id} is not waiting`);
          return found;
        }
        const enabled = new Map(pending.map((p) => [p.id, p.call]));
        const parent = stack[step - 1];
        const sleep = parent ? childSleep(parent, enabled, clash) : new Map<string, Footprint>();
        const state = signature();
        const slept = visited.get(state);
        const awake = [...enabled.keys()].filter((id) => !sleep.has(id)).sort();
        // Not seen: try every awake call. Seen: only those that slept then and are awake now.
        const tries = slept ? awake.filter((id) => slept.has(id)) : awake;
        visited.set(state, new Set(slept ? [...slept].filter((id) => sleep.has(id)) : sleep.keys()));
        if (tries.length === 0) return undefined;
        stack.push({ enabled, tries, next: 0, footprints: new Map(), sleep });
        return pending.find((p) => p.id === tries[0]);
      },
      {
        ...(options.pageSize ? { pageSize: options.pageSize } : {}),
        ...(options.scheduled ? { scheduled: options.scheduled } : {}),
        tracking: true,
      },
    ).catch((error: unknown) => {
      // The choices that led there, so that the failing interleaving can be read and replayed.
      const schedule = stack.map((node) => node.tries[node.next]).join('\n  ');
      throw new Error(`${error instanceof Error ? error.message : String(error)}\nafter:\n  ${schedule}`, {
        cause: error,
      });
    });
    if (run.completed) {
      noteFootprint(run.steps, run.footprint);
      result.runs++;
    } else result.pruned++;
    if (result.runs + result.pruned >= limit)
      throw new Error(`more than ${limit} runs (${visited.size} states, depth ${stack.length})`);
    while (stack.length > 0) {
      const node = stack.at(-1) as Node;
      if (node.next + 1 < node.tries.length) {
        node.next++;
        break;
      }
      stack.pop();
    }
    if (stack.length === 0) {
      result.states = visited.size;
      return result;
    }
  }
}

/** What sleeps below a node: what slept there and the siblings tried before, if independent of its choice. */
function childSleep(
  parent: Node,
  waiting: Map<string, Call>,
  clash: (a: Footprint | undefined, b: Footprint | undefined) => boolean,
): Map<string, Footprint> {
  const chosenId = parent.tries[parent.next] as string;
  const chosen = parent.footprints.get(chosenId);
  const sleep = new Map<string, Footprint>();
  const tried = parent.tries
    .slice(0, parent.next)
    .map((id): [string, Footprint | undefined] => [id, parent.footprints.get(id)]);
  for (const [id, footprint] of [...parent.sleep, ...tried]) {
    if (id !== chosenId && waiting.has(id) && footprint && !clash(footprint, chosen))
      sleep.set(id, footprint);
  }
  return sleep;
}

/** One interleaving chosen at random, call by call; the seed replays it. */
export function runRandom(build: Build, random: Random, pageSize?: number): Promise<RunResult> {
  return runOnce(build, (pending) => random.pick(pending), pageSize ? { pageSize } : {});
}
