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
  call: Call;
  go(): void;
}

type Choose = (pending: readonly Pending[], step: number, signature: () => string) => Pending | undefined;

export interface RunResult {
  /** False when the chooser stopped the run (it reached a state whose continuations were tried). */
  completed: boolean;
  steps: number;
}

// Continuations of an admitted call are promise jobs; one macrotask turn runs them all, so afterwards
// every actor is waiting on its next call (or done).
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

export async function runOnce(
  build: Build,
  choose: Choose,
  pageSize = 1000,
  tracking = false,
): Promise<RunResult> {
  const pending: Pending[] = [];
  const store = new MemoryStore(
    {
      admit: (call) =>
        new Promise<void>((go) => {
          // Named by what it does, so the same call reached by another path has the same name.
          const base = `${call.actor} ${call.op} ${call.bucket}/${call.target}`;
          const twins = pending.filter((p) => p.id.startsWith(`${base}#`)).length;
          pending.push({ id: `${base}#${twins}`, call, go });
        }),
    },
    pageSize,
    tracking,
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
      return { completed: true, steps: step };
    }
    const next = choose(pending, step, () =>
      [store.signature(), scenario.signature?.() ?? '', ...pending.map((p) => p.id).sort()].join(' '),
    );
    if (!next) return { completed: false, steps: step };
    pending.splice(pending.indexOf(next), 1);
    released = next.call;
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

interface Node {
  enabled: Map<string, Call>;
  /** The calls to try here, in order, and which one this run takes. */
  tries: string[];
  next: number;
  /** Calls that need no trying here: an order starting with them was explored already. */
  sleep: Map<string, Call>;
}

export interface ExploreOptions {
  pageSize?: number;
  /** Runs allowed before giving up (a guard against a scenario far larger than meant). */
  limit?: number;
  /** Pairs of calls whose order matters to the scenario's own watchers, besides storage's own. */
  dependent?: (a: Call, b: Call) => boolean;
}

/**
 * Every interleaving of the scenario's calls, up to equivalence: a depth-first search over which
 * waiting call goes next, replaying each prefix from the start (an actor's state cannot be copied),
 * with two reductions that keep every reachable outcome (Godefroid 1996): sleep sets skip an order that
 * only swaps independent calls (different keys, or both reads) of one already tried, and a state
 * reached again (same objects, sequencers, clocks, answers, waiting calls and watcher memory) is not
 * expanded again beyond the calls that slept on its first visit. The state graph has no cycles (answers
 * only accumulate), so the two combine soundly.
 */
export async function exploreAll(build: Build, options: ExploreOptions = {}): Promise<Exploration> {
  const isDependent = (a: Call, b: Call) => dependent(a, b) || (options.dependent?.(a, b) ?? false);
  const stack: Node[] = [];
  const visited = new Map<string, Set<string>>();
  const result: Exploration = { runs: 0, states: 0, pruned: 0 };
  const limit = options.limit ?? 200_000;
  for (;;) {
    const run = await runOnce(
      build,
      (pending, step, signature) => {
        const known = stack[step];
        if (known) {
          const id = known.tries[known.next];
          const found = pending.find((p) => p.id === id);
          if (!found) throw new Error(`replay diverged at step ${step}: ${id} is not waiting`);
          return found;
        }
        const enabled = new Map(pending.map((p) => [p.id, p.call]));
        const parent = stack[step - 1];
        const sleep = parent ? childSleep(parent, enabled, isDependent) : new Map<string, Call>();
        const state = signature();
        const slept = visited.get(state);
        const awake = [...enabled.keys()].filter((id) => !sleep.has(id)).sort();
        // Not seen: try every awake call. Seen: only those that slept then and are awake now.
        const tries = slept ? awake.filter((id) => slept.has(id)) : awake;
        visited.set(state, new Set(slept ? [...slept].filter((id) => sleep.has(id)) : sleep.keys()));
        if (tries.length === 0) return undefined;
        stack.push({ enabled, tries, next: 0, sleep });
        return pending.find((p) => p.id === tries[0]);
      },
      options.pageSize,
      true,
    );
    if (run.completed) result.runs++;
    else result.pruned++;
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
  isDependent: (a: Call, b: Call) => boolean,
): Map<string, Call> {
  const chosenId = parent.tries[parent.next] as string;
  const chosen = parent.enabled.get(chosenId) as Call;
  const sleep = new Map<string, Call>();
  const tried = parent.tries
    .slice(0, parent.next)
    .map((id): [string, Call] => [id, parent.enabled.get(id) as Call]);
  for (const [id, call] of [...parent.sleep, ...tried]) {
    if (id !== chosenId && waiting.has(id) && !isDependent(call, chosen)) sleep.set(id, call);
  }
  return sleep;
}

/** One interleaving chosen at random, call by call; the seed replays it. */
export function runRandom(build: Build, random: Random, pageSize?: number): Promise<RunResult> {
  return runOnce(build, (pending) => random.pick(pending), pageSize);
}
