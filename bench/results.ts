import type { BundleResult } from './bundle.js';
import type { BurstResult } from './burst.js';
import type { FirstUploadResult } from './first-upload.js';
import type { HostileSize } from './hostile.js';
import type { LatencyResult } from './latency.js';
import type { ParseResult } from './parse.js';
import type { RenderPoint } from './render.js';
import type { UploadCost } from './requests.js';
import type { SimulatedBurst, SimulatedScale } from './simulation.js';

/** Section 10: the handler on the in-memory storage port, from ten to a million items. */
export interface Simulation {
  scale: SimulatedScale[];
  burst: SimulatedBurst;
}

export interface Machine {
  cpus: number;
  cpuModel: string;
  memoryGb: number;
  node: string;
  os: string;
}

/** What a run writes to docs/benchmarks.json; the chart is drawn from this alone. */
export interface Results {
  mode: 'quick' | 'full';
  date: string;
  machine: Machine;
  itemsPerFeed: number;
  parse: ParseResult;
  render: RenderPoint[];
  latency: LatencyResult;
  scaling: {
    seedfeed: UploadCost[];
    naive: UploadCost[];
    /** The same measurement with seeds the size of the real one, at about 100 items. */
    realSized: UploadCost;
    withCollections?: UploadCost;
    /** Real-seed-sized articles at about 100 items, each upload handled by a fresh instance. */
    fresh?: UploadCost;
    firstUpload?: FirstUploadResult;
  };
  /** The per-upload cost once the handler has served `warmups` uploads and compiled its hot code. */
  steady?: { warmups: number; realSized: UploadCost; generated: UploadCost };
  burst: BurstResult;
  bundle: BundleResult;
  /** Parse + clean of pathological seeds against a normal article of the same size. */
  hostile?: HostileSize[];
  simulation?: Simulation;
}
