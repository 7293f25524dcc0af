import type { Results } from './results.js';

export interface Target {
  name: string;
  goal: string;
  measured: string;
  met: boolean | 'not measured';
}

const KB = 1_024;

/** The issue's targets, judged from the numbers of this run only. */
export function judge(results: Results): Target[] {
  const { scaling, burst, bundle, latency, steady, hostile } = results;
  const seedfeed = scaling.seedfeed;
  const first = seedfeed[0];
  const last = seedfeed.at(-1);
  const maxRequests = Math.max(...seedfeed.map((c) => c.totalRequests));
  const warm = seedfeed.find((c) => c.published >= results.itemsPerFeed * 10) ?? last;
  const ratio = first && last ? last.wallMs.median / first.wallMs.median : Number.NaN;
  // At 10 items the feeds hold 10-30 items, not K: from the first full feed on, only N changes.
  const full = seedfeed.find((c) => c.published >= results.itemsPerFeed);
  const fullRatio = full && last ? last.wallMs.median / full.wallMs.median : Number.NaN;
  const fullCpuRatio = full && last ? last.cpuMs.median / full.cpuMs.median : Number.NaN;
  const cpuRatio = first && last ? last.cpuMs.median / first.cpuMs.median : Number.NaN;
  const loadRatio = bundle.importRatio;
  const at10k = last !== undefined && last.published >= 10_000;
  return [
    {
      name: 'S3 requests per upload',
      goal: '≤ 10',
      measured: `${maxRequests} (${Object.entries(last?.requests ?? {})
        .map(([t, n]) => `${n} ${t}`)
        .join(', ')})`,
      met: maxRequests <= 10,
    },
    {
      name: 'Handler time at 10,000 items vs 10',
      goal: '≤ 1.2×',
      measured:
        `wall ${ratio.toFixed(2)}×, CPU ${cpuRatio.toFixed(2)}× at ${last?.published ?? '?'} items vs ${first?.published ?? '?'}; ` +
        `vs ${full?.published ?? '?'} (first full feed): wall ${fullRatio.toFixed(2)}×, CPU ${fullCpuRatio.toFixed(2)}×`,
      met: at10k ? ratio <= 1.2 : 'not measured',
    },
    {
      name: 'Warm upload: requests and sequential stages',
      goal: '≤ 8 requests, ≤ 4 stages',
      measured: `${scaling.realSized.totalRequests} requests, ${scaling.realSized.stages} stages (real-seed-sized, ${scaling.realSized.published} published)`,
      met: scaling.realSized.totalRequests <= 8 && scaling.realSized.stages <= 4,
    },
    {
      name: 'S3 requests per upload, fresh instance on a full feed',
      goal: '≤ 10',
      measured: scaling.fresh
        ? `${scaling.fresh.totalRequests} (${Object.entries(scaling.fresh.requests)
            .map(([t, n]) => `${n} ${t}`)
            .join(', ')}) at ${scaling.fresh.published} published`
        : 'not measured',
      met: scaling.fresh ? scaling.fresh.totalRequests <= 10 : 'not measured',
    },
    {
      name: 'First upload of a fresh process vs bare S3-client yardstick',
      goal: '≤ 2×',
      measured: scaling.firstUpload
        ? `${scaling.firstUpload.ratio.toFixed(2)}× (${scaling.firstUpload.handlerMs.toFixed(0)} vs ${scaling.firstUpload.yardstickMs.toFixed(0)} ms, median of ${scaling.firstUpload.runs} pairs)`
        : 'not measured',
      met: scaling.firstUpload ? scaling.firstUpload.ratio <= 2 : 'not measured',
    },
    {
      name: 'Simulated: requests and CPU per upload, first full feed → most published',
      goal: 'flat (requests equal, CPU ≤ 1.2×)',
      measured: results.simulation
        ? results.simulation.scale
            .map((run) => {
              // Below K items the feeds are not full yet: flat is judged from the first full feed on.
              const [low, high] = [
                run.levels.find((l) => l.published >= results.itemsPerFeed),
                run.levels.at(-1),
              ];
              return `${run.collections ? 'collections on' : 'default'}: ${low?.totalRequests} → ${high?.totalRequests} requests, CPU ${low?.cpuMs.toFixed(0)} → ${high?.cpuMs.toFixed(0)} ms at ${high?.published.toLocaleString('en')}`;
            })
            .join('; ')
        : 'not measured',
      met: results.simulation
        ? results.simulation.scale.every((run) => {
            const [low, high] = [
              run.levels.find((l) => l.published >= results.itemsPerFeed),
              run.levels.at(-1),
            ];
            return (
              low !== undefined &&
              high !== undefined &&
              high.totalRequests <= low.totalRequests &&
              high.cpuMs <= 1.2 * low.cpuMs
            );
          })
        : 'not measured',
    },
    {
      name: 'Regenerations for a burst of 1,000',
      goal: '≤ 50',
      measured: `${burst.regenerations} (${(burst.totalMs / 1_000).toFixed(1)} s, feeds ${burst.matchesScratch ? 'right' : 'WRONG'})`,
      met: burst.regenerations <= 50 && burst.matchesScratch,
    },
    {
      name: 'Bundle size (minified)',
      goal: '≤ 600 KB',
      measured: `${(bundle.handlerBytes / KB).toFixed(0)} KB`,
      met: bundle.handlerBytes <= 600 * KB,
    },
    {
      name: 'Bundle load time vs bare S3 client',
      goal: '≤ 1.3×',
      measured: `${loadRatio.toFixed(2)}× (median of ${bundle.runs} interleaved pairs; medians: import ${bundle.handler.importMs.toFixed(1)} vs ${bundle.floor.importMs.toFixed(1)} ms)`,
      met: loadRatio <= 1.3,
    },
    {
      name: 'Warm handler CPU, one seed, K = 50',
      goal: '≤ 15 ms',
      measured: steady
        ? `${steady.realSized.cpuMs.median.toFixed(1)} ms (median, real-seed-sized articles, after ${steady.warmups} uploads; ` +
          `main thread ${steady.realSized.mainCpuMs?.median.toFixed(1) ?? '?'} ms); ` +
          `${steady.generated.cpuMs.median.toFixed(1)} ms with generated 2–20 KB articles; ` +
          `early (uploads 2–21): ${results.scaling.realSized.cpuMs.median.toFixed(1)} ms real-sized, ${warm?.cpuMs.median.toFixed(1) ?? '?'} ms generated`
        : 'not measured',
      met: steady ? steady.realSized.cpuMs.median <= 15 : 'not measured',
    },
    {
      name: 'Hostile seeds: parse + clean, worst shape',
      goal: '≤ 1 s and ≤ 10× a normal article of its size',
      measured: hostile
        ? hostile
            .map(
              (h) =>
                `${(h.bytes / KB).toFixed(0)} KB: "${h.worst.name}" ${h.worst.cpuMs.toFixed(0)} ms CPU (${h.worst.wallMs.toFixed(0)} ms wall), ${h.ratio.toFixed(1)}× normal`,
            )
            .join('; ')
        : 'not measured',
      met: hostile ? hostile.every((h) => h.worst.cpuMs <= 1_000 && h.ratio <= 10) : 'not measured',
    },
    {
      name: 'Local upload → feed, p50',
      goal: '≤ 250 ms',
      measured: `${latency.median.toFixed(0)} ms (p95 ${latency.p95.toFixed(0)} ms)`,
      met: latency.median <= 250,
    },
  ];
}
