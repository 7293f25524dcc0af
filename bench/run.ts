/**
 * `npm run bench` (quick, about 3 minutes) or `npm run bench -- --full` (about 12: larger samples, 10,000
 * published items on s3rver, a million simulated, a simulated burst of 100,000).
 * Prints every figure, then writes docs/benchmarks.json and draws docs/cost-vs-items.svg from it.
 * `--chart` only redraws the chart from the JSON; `--no-write` leaves docs/ alone; `--hostile` runs
 * only section 9 (pathological seeds), `--cold` only the fresh-instance cost and `--simulate` only
 * section 10 (the in-memory simulation); those three write nothing.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { availableParallelism, cpus, release, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { benchBundle } from './bundle.js';
import { benchBurst } from './burst.js';
import { costChart } from './chart.js';
import { generateSeed, realSizedSeed } from './corpus.js';
import { benchFirstUpload, type FirstUploadResult } from './first-upload.js';
import { benchHostile, type HostileSize } from './hostile.js';
import { benchLatency } from './latency.js';
import { benchParse } from './parse.js';
import { benchRender, realSizedItems } from './render.js';
import { ScaleRig, type UploadCost } from './requests.js';
import type { Results, Simulation } from './results.js';
import { benchConfig, realSeed } from './settings.js';
import { simulateBurst, simulateScale } from './simulation.js';
import { ms, ratio } from './stats.js';
import { judge } from './targets.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const args = new Set(process.argv.slice(2));
const full = args.has('--full');
const JSON_FILE = fileURLToPath(new URL('../docs/benchmarks.json', import.meta.url));
const SVG_FILE = fileURLToPath(new URL('../docs/cost-vs-items.svg', import.meta.url));

// The quick mode keeps to about three minutes (each section prints when it began); the full mode
// takes the larger samples and the far points of every scale.
const PLAN = {
  parseSeeds: 600,
  realRuns: 300,
  latencyUploads: full ? 40 : 20,
  batchWindowMs: 5,
  burst: full ? 1_000 : 500,
  bundleRuns: full ? 31 : 15,
  levels: full ? [10, 100, 1_000, 10_000] : [10, 100, 1_000],
  uploads: 20,
  // A warm function that has served this many uploads has compiled its hot code: the steady state.
  steadyWarmups: full ? 200 : 100,
  steadyUploads: full ? 40 : 30,
  // At 10,000 one naive upload takes 30 s and is 500 times seedfeed's: a second sample changes nothing.
  naiveUploads: (level: number) => (level >= 10_000 ? 1 : 3),
  // 100 KB, and the default SEEDFEED_MAX_SEED_BYTES: the largest seed accepted.
  hostileSizes: [100 * 1_024, 1_048_576],
  hostileRuns: full ? 5 : 3,
  // Internet scale on the in-memory storage port (bench/simulation.ts).
  simulatedLevels: full ? [10, 1_000, 100_000, 1_000_000] : [10, 1_000, 10_000],
  // A million items with collections holds 4 GB, the default heap: measured once, by hand (docs/benchmarks.md).
  simulatedCollectionLevels: full ? [10, 1_000, 100_000] : [10, 1_000, 10_000],
  simulatedUploads: 20,
  firstUploads: full ? 15 : 9,
  simulatedBurst: full ? 100_000 : 1_000,
};

const log = (line = '') => console.log(line);
const benchStarted = performance.now();
// Each heading says when its section began, so the quick mode's time can be kept to its budget.
const section = (title: string) =>
  log(`\n== ${title} [at ${((performance.now() - benchStarted) / 1_000).toFixed(0)} s]`);
const kb = (bytes: number) => `${(bytes / 1_024).toFixed(0)} KB`;
const requests = (c: UploadCost) =>
  `${Object.entries(c.requests)
    .map(([type, n]) => `${type} ${n}`)
    .join(' · ')}; ${c.stages} sequential stages`;

const realSized = () => realSizedSeed(realSeed().toString('utf8'));

/** Per-upload cost with 100 articles published, after `warmups` uploads to the same warm handler. */
async function measureAt100(
  env: Record<string, string>,
  { seeds = realSized(), uploads = PLAN.uploads, warmups = 1 } = {},
): Promise<UploadCost> {
  const rig = await ScaleRig.start(seeds, env);
  try {
    await rig.grow(100);
    return await rig.measureSeedfeed(uploads, warmups);
  } finally {
    await rig.stop();
  }
}

/** Per-upload cost at 100 published (a full feed) when every upload meets a fresh instance. */
async function measureFreshAt100(uploads = PLAN.uploads): Promise<UploadCost> {
  const rig = await ScaleRig.start(realSized());
  try {
    await rig.grow(100);
    return await rig.measureFreshInstance(uploads);
  } finally {
    await rig.stop();
  }
}

function logFirstUpload(first: FirstUploadResult): void {
  log(
    `  first upload of a fresh process @ ${first.published}: ${ms(first.handlerMs)} ms spawn to exit, bare S3-client yardstick (GET + 4 PUT) ${ms(first.yardstickMs)} ms: ${ratio(first.ratio)} (median of ${first.runs} pairs)`,
  );
}

function logFresh(fresh: UploadCost): void {
  log(
    `  fresh instance every upload, real-seed-sized @ ${fresh.published}: ${fresh.totalRequests} requests (${requests(fresh)}); wall ${ms(fresh.wallMs.median)} ms (p95 ${ms(fresh.wallMs.p95)}), ${cpu(fresh)}`,
  );
}

const cpu = (c: UploadCost) =>
  `CPU ${ms(c.cpuMs.median)} ms (p95 ${ms(c.cpuMs.p95)})${c.mainCpuMs ? `, main thread ${ms(c.mainCpuMs.median)} ms (p95 ${ms(c.mainCpuMs.p95)})` : ''}`;

async function simulationSection(): Promise<Simulation> {
  section(
    `10. Internet scale, simulated on the in-memory storage port: ${PLAN.simulatedLevels.map((n) => n.toLocaleString('en')).join(' / ')} published, burst of ${PLAN.simulatedBurst.toLocaleString('en')}`,
  );
  const scale = [];
  for (const [collections, levels] of [
    [false, PLAN.simulatedLevels],
    [true, PLAN.simulatedCollectionLevels],
  ] as const) {
    const one = await simulateScale(levels, PLAN.simulatedUploads, collections);
    for (const level of one.levels) {
      log(
        `  ${collections ? 'categories + archives' : 'default settings    '} @ ${level.published.toLocaleString('en')}: ${level.totalRequests} requests (${Object.entries(
          level.requests,
        )
          .map(([t, n]) => `${t} ${n}`)
          .join(' · ')}), handler CPU ${ms(level.cpuMs)} ms`,
      );
    }
    scale.push(one);
  }
  const burst = await simulateBurst(PLAN.simulatedBurst);
  log(
    `  burst of ${burst.seeds.toLocaleString('en')} seeds, batches of ${burst.batchSize} on ${burst.instances} instances: ${burst.regenerations.toLocaleString('en')} regenerations (${burst.retried} batches sent back, ${burst.deadLetters} dead letters), feeds ${burst.matchesScratch ? 'equal' : 'NOT equal'} to a render from scratch, ${(burst.wallMs / 1_000).toFixed(0)} s`,
  );
  return { scale, burst };
}

function hostileSection(): HostileSize[] {
  section(
    `9. Hostile inputs: parse + clean of ${PLAN.hostileSizes.length} sizes × pathological shapes (tests/property/shapes.ts), median of ${PLAN.hostileRuns} samples, each beside one of the normal article`,
  );
  const hostile = benchHostile(PLAN.hostileSizes, PLAN.hostileRuns);
  for (const size of hostile) {
    log(
      `${kb(size.bytes)}: normal article ${ms(size.normal.cpuMs)} ms CPU (${ms(size.normal.wallMs)} ms wall); worst shape "${size.worst.name}" ${ms(size.worst.cpuMs)} ms CPU (${ms(size.worst.wallMs)} ms wall), ${ratio(size.ratio)} the normal article (paired)`,
    );
    for (const shape of size.shapes) {
      log(
        `  ${shape.name.padEnd(26)} ${ms(shape.cpuMs).padStart(7)} ms CPU ${ms(shape.wallMs).padStart(7)} ms wall ${ratio(shape.ratio).padStart(7)}  ${shape.outcome}`,
      );
    }
  }
  return hostile;
}

async function main(): Promise<void> {
  if (args.has('--chart')) {
    await writeFile(SVG_FILE, costChart(JSON.parse(await readFile(JSON_FILE, 'utf8')) as Results));
    log(`redrew ${SVG_FILE}`);
    return;
  }
  if (args.has('--hostile')) {
    hostileSection();
    return;
  }
  if (args.has('--simulate')) {
    await simulationSection();
    return;
  }
  if (args.has('--cold')) {
    section('Cold instance: each upload delivered to a new function instance');
    logFresh(await measureFreshAt100());
    logFirstUpload(await benchFirstUpload(PLAN.firstUploads));
    return;
  }
  const config = benchConfig();
  const machine = {
    cpus: availableParallelism(),
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    memoryGb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    os: `${process.platform} ${release()}`,
  };
  log(
    `seedfeed bench, ${full ? 'full' : 'quick'} mode — ${machine.cpus} × ${machine.cpuModel}, ${machine.memoryGb} GB, Node ${machine.node}`,
  );
  log('Medians of repeated runs on a shared machine: compare ratios within one run, not across machines.');
  const startedAt = performance.now();

  section(`1. Parse + clean per seed (${PLAN.parseSeeds} generated seeds; real seed ×${PLAN.realRuns})`);
  const { result: parse, items } = benchParse(PLAN.parseSeeds, PLAN.realRuns);
  log(
    `real seed (${kb(parse.real.bytes)}): median ${ms(parse.real.median)} ms, p95 ${ms(parse.real.p95)} ms`,
  );
  log(
    `corpus (median ${kb(parse.corpus.medianBytes)}, ${JSON.stringify(parse.corpus.languages)}): median ${ms(parse.corpus.median)} ms, p95 ${ms(parse.corpus.p95)} ms`,
  );
  log(
    `per KB (median): zh ${ms(parse.perKb.zh)} ms, en ${ms(parse.perKb.en)} ms, ar ${ms(parse.perKb.ar)} ms`,
  );

  section('2. Render every feed file (cold: no fragment memoized; warm: one new item on a memoized set)');
  const render = [
    benchRender(items, 50, 12, 40),
    benchRender(items, 500, 5, 12),
    benchRender(realSizedItems(600), 50, 12, 40, 'real-sized'),
    benchRender(realSizedItems(600), 500, 5, 12, 'real-sized'),
  ];
  for (const r of render) {
    log(
      `K = ${String(r.k).padEnd(3)} ${r.corpus.padEnd(10)}: cold ${ms(r.coldMs)} ms, warm ${ms(r.warmMs)} ms — ${r.files} files, ${kb(r.bytes)}, ${r.included} items within maxFeedBytes`,
    );
  }
  log(
    'rss.xml + atom.xml + feed.json against `feed` 6 with its defaults on the included items (CPU, median of per-pair ratios; page, sitemap and OPML left out):',
  );
  for (const { k, corpus, versusFeed: v } of render) {
    log(
      `  K = ${String(k).padEnd(3)} ${corpus.padEnd(10)}: feed ${ms(v.feedMs)} ms; cold ${ratio(v.cold)} (without the strict check ${ratio(v.coldUnchecked)}), warm ${ratio(v.warm)}; cold with records older than the clean seal ${ratio(v.coldUnsealed)}`,
    );
  }

  const hostile = hostileSection();
  const simulation = await simulationSection();

  section(
    `6. Lambda bundle (cdk/bundling.ts esbuildOptions), load time median of ${PLAN.bundleRuns} fresh processes`,
  );
  const bundle = await benchBundle(PLAN.bundleRuns);
  log(
    `handler: ${kb(bundle.handlerBytes)}, import ${ms(bundle.handler.importMs)} ms, process ${ms(bundle.handler.processMs)} ms`,
  );
  log(
    `bare S3 client: ${kb(bundle.floorBytes)}, import ${ms(bundle.floor.importMs)} ms, process ${ms(bundle.floor.processMs)} ms`,
  );
  log(`empty node process: ${ms(bundle.emptyProcessMs)} ms`);
  log(
    `ratio: size ${ratio(bundle.handlerBytes / bundle.floorBytes)}, import ${ratio(bundle.handler.importMs / bundle.floor.importMs)} (paired: ${ratio(bundle.importRatio)}), process ${ratio(bundle.handler.processMs / bundle.floor.processMs)}`,
  );
  log(`top packages: ${bundle.topPackages.map((p) => `${p.name} ${p.kb.toFixed(0)} KB`).join(', ')}`);
  log(`top files: ${bundle.topFiles.map((p) => `${p.name} ${p.kb.toFixed(0)} KB`).join(', ')}`);

  section(`3. Local upload → new item in rss.xml over HTTP (s3rver, batch window ${PLAN.batchWindowMs} ms)`);
  const latency = await benchLatency(PLAN.latencyUploads, PLAN.batchWindowMs);
  log(
    `${latency.n} uploads on a full feed (K = ${config.itemsPerFeed}): p50 ${ms(latency.median)} ms, p95 ${ms(latency.p95)} ms (poll every ${latency.pollMs} ms)`,
  );

  section(`5. Burst: ${PLAN.burst} seeds at once through the local queue (default settings)`);
  const burst = await benchBurst(PLAN.burst);
  log(
    `${burst.invocations} invocations, ${burst.regenerations} regenerations (${burst.wroteFiles} wrote files), uploads done in ${(burst.uploadMs / 1_000).toFixed(1)} s, feeds final after ${(burst.totalMs / 1_000).toFixed(1)} s`,
  );
  log(
    `final feeds: ${burst.itemsInFeed} items, newest first: ${burst.newestFirst}, equal to a from-scratch render: ${burst.matchesScratch}${burst.mismatched.length ? ` (differ: ${burst.mismatched.join(', ')})` : ''}, dead letters: ${burst.deadLetters}`,
  );

  // Before section 4, so that every size there is measured with code the JIT has already compiled.
  section(
    `8. Warm handler CPU in the steady state: ${PLAN.steadyUploads} uploads after ${PLAN.steadyWarmups} to the same handler, K = ${config.itemsPerFeed}`,
  );
  const steady = {
    warmups: PLAN.steadyWarmups,
    realSized: await measureAt100({}, { uploads: PLAN.steadyUploads, warmups: PLAN.steadyWarmups }),
    generated: await measureAt100(
      {},
      { seeds: generateSeed, uploads: PLAN.steadyUploads, warmups: PLAN.steadyWarmups },
    ),
  };
  log(`  real-seed-sized articles @ ${steady.realSized.published}: ${cpu(steady.realSized)}`);
  log(`  generated 2–20 KB articles @ ${steady.generated.published}: ${cpu(steady.generated)}`);

  section('4 & 7. Per upload as the archive grows (s3rver in its own process; handler CPU is this process)');
  const rig = await ScaleRig.start();
  const seedfeed: UploadCost[] = [];
  const naive: UploadCost[] = [];
  try {
    for (const level of PLAN.levels) {
      const started = performance.now();
      await rig.grow(level);
      log(`imported ${level} items in ${((performance.now() - started) / 1_000).toFixed(1)} s`);
      const cost = await rig.measureSeedfeed(PLAN.uploads);
      seedfeed.push(cost);
      const base = seedfeed[0] ?? cost;
      log(
        `  seedfeed @ ${cost.published}: ${cost.totalRequests} requests (${requests(cost)}); wall ${ms(cost.wallMs.median)} ms (p95 ${ms(cost.wallMs.p95)}), CPU ${ms(cost.cpuMs.median)} ms; ×${(cost.wallMs.median / base.wallMs.median).toFixed(2)} wall, ×${(cost.cpuMs.median / base.cpuMs.median).toFixed(2)} CPU vs first`,
      );
      log(
        `    s3rver round trips (median): ${Object.entries(cost.latencyMs)
          .map(([t, v]) => `${t} ${ms(v)} ms`)
          .join(', ')}`,
      );
      const slow = await rig.measureNaive(PLAN.naiveUploads(level));
      naive.push(slow);
      log(
        `  naive    @ ${slow.published}: ${slow.totalRequests} requests (${requests(slow)}); wall ${ms(slow.wallMs.median)} ms, CPU ${ms(slow.cpuMs.median)} ms — ${ratio(slow.wallMs.median / cost.wallMs.median)} the time, ${ratio(slow.totalRequests / cost.totalRequests)} the requests of seedfeed`,
      );
    }
  } finally {
    await rig.stop();
  }
  const realSizedCost = await measureAt100({});
  log(
    `  seedfeed, real-seed-sized articles @ ${realSizedCost.published}: ${realSizedCost.totalRequests} requests; wall ${ms(realSizedCost.wallMs.median)} ms (p95 ${ms(realSizedCost.wallMs.p95)}), ${cpu(realSizedCost)}`,
  );
  const fresh = await measureFreshAt100();
  logFresh(fresh);
  const firstUpload = await benchFirstUpload(PLAN.firstUploads);
  logFirstUpload(firstUpload);
  // The opt-in collections: every upload also renders its category's feeds and its month's archive.
  const withCollections = await measureAt100({ SEEDFEED_CATEGORY_FEEDS: 'true', SEEDFEED_ARCHIVES: 'true' });
  log(
    `  …with category feeds and archives on: ${withCollections.totalRequests} requests (${requests(withCollections)}); wall ${ms(withCollections.wallMs.median)} ms, CPU ${ms(withCollections.cpuMs.median)} ms`,
  );

  const results: Results = {
    mode: full ? 'full' : 'quick',
    date: new Date().toISOString(),
    machine,
    itemsPerFeed: config.itemsPerFeed,
    parse,
    render,
    latency,
    scaling: { seedfeed, naive, realSized: realSizedCost, withCollections, fresh, firstUpload },
    steady,
    burst,
    bundle,
    hostile,
    simulation,
  };
  section('Targets');
  for (const t of judge(results)) {
    const verdict = t.met === 'not measured' ? 'NOT MEASURED' : t.met ? 'met' : 'NOT MET';
    log(`${verdict.padEnd(12)} ${t.name} (${t.goal}): ${t.measured}`);
  }
  log(`\nfinished in ${((performance.now() - startedAt) / 1_000).toFixed(0)} s`);
  if (!args.has('--no-write')) {
    await writeFile(JSON_FILE, `${JSON.stringify(results, null, 2)}\n`);
    await writeFile(SVG_FILE, costChart(results));
    log(`wrote ${JSON_FILE} and ${SVG_FILE}`);
  }
}

await main();
