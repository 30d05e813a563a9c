// Generator saturation: when k6 itself is the bottleneck its figures describe k6, not the target
// (docs/verdicts.md). Three signs, any one of which makes the run inconclusive:
//   k6-cpu             k6's own CPU (generator.csv, sampled by the runner) was near the machine's
//                      capacity: its highest mean over any SUSTAINED_WINDOW_S of the load was at
//                      least CPU_SATURATION_SHARE of cores × 100 %. A mean over a window, not a
//                      single sample, so a GC pause or a burst of VU start-up is no saturation.
//   vus-at-max         iterations were dropped while the VUs sat at the scenario's maxVUs and every
//                      latency fail level held: the pool, not the target, was short.
//   dropped-iterations iterations were dropped while every latency fail level held (VUs below
//                      maxVUs, or maxVUs unknown): k6 did not start what it had VUs for.
// Drops that come with broken latency are the target's breaking point: a slow target fills any
// pool (Little's law), so VUs at maxVUs alone are no sign of a short generator.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeProfile } from '../../lib/shared/profiles.ts';
import { PROGRESS_GUARD_SCENARIO } from '../../lib/shared/progress-guard.ts';
import { overall, type RunSummary } from '../model/run-summary.ts';
import { sortedBuckets } from '../report/timeline.ts';
import { METRIC } from '../run-folder/metric-names.ts';
import { RUN_FILES } from '../run-folder/names.ts';
import { parseResources, RESOURCE_COLUMNS, type ResourceSample } from './resources.ts';

export const GENERATOR_FILE = RUN_FILES.generator;
/** generator.csv has the columns of resources.csv: one monitor (tools/runner/resource-monitor.ts) writes both. */
export const GENERATOR_COLUMNS = RESOURCE_COLUMNS;
/** Share of the machine's CPU (cores × 100 %) at which k6 counts as CPU-bound. */
export const CPU_SATURATION_SHARE = 0.9;
/** k6 must hold that share for this long (time-weighted mean over the window) to count. */
export const SUSTAINED_WINDOW_S = 5;

export type SaturationSign = 'k6-cpu' | 'vus-at-max' | 'dropped-iterations';

/** k6's own process samples (generator.csv) as the run folder holds them. */
export interface GeneratorSamples {
  file: string;
  samples: ResourceSample[];
}

export interface GeneratorCpu {
  file: string;
  /** Machine cores (run.json `machine`); null when the run did not record its machine. */
  cores: number | null;
  /** cores × 100 %: what k6 could use at most; null without cores. */
  capacityPercent: number | null;
  /** Samples whose interval lies in the load (timeline buckets with active VUs). */
  samples: number;
  loadSpanS: number;
  meanPercent: number | null;
  maxPercent: number | null;
  /** Highest time-weighted mean over any SUSTAINED_WINDOW_S of the load (the whole load when shorter). */
  sustainedPercent: number | null;
  rssMaxBytes: number | null;
}

export interface GeneratorFigures {
  droppedIterations: number;
  saturated: boolean;
  /** The sign that made the run saturated; null when none did. */
  sign: SaturationSign | null;
  reason: string;
  /** k6's own CPU; null when generator.csv is absent (cpuDetail says so). */
  cpu: GeneratorCpu | null;
  /** How k6's CPU was judged, or why it was not. */
  cpuDetail: string;
  /** Whether k6's CPU could be judged (samples in the load and the machine's cores known). */
  cpuMeasured: boolean;
  /** Largest maxVUs of the run's open-model steps (its profile's schedule); null when not known. */
  maxVUs: number | null;
  /** Most workload VUs active in a timeline bucket with dropped iterations; null without drops. */
  vusWhileDropping: number | null;
}

/** `<runDir>/generator.csv`, or undefined when the run has none (a k6 output not made by the runner). */
export function readGeneratorSamples(runDir: string | undefined): GeneratorSamples | undefined {
  if (!runDir) return undefined;
  const path = join(runDir, GENERATOR_FILE);
  if (!existsSync(path)) return undefined;
  // A malformed row is an InputError naming the file and line (parseResources).
  return { file: GENERATOR_FILE, samples: parseResources(readFileSync(path, 'utf8'), path) };
}

interface Interval {
  fromMs: number;
  toMs: number;
  cpu: number;
}

/** The load: from the first to the end of the last timeline bucket with active VUs; null without a timeline. */
function loadWindow(run: RunSummary): { fromMs: number; toMs: number } | null {
  if (!run.timeseries) return null;
  const bucketMs = run.timeseries.bucketMs;
  const active = sortedBuckets(run).filter((b) => b.vus > 0);
  if (!active.length) return null;
  return { fromMs: active[0]!.index * bucketMs, toMs: (active[active.length - 1]!.index + 1) * bucketMs };
}

/** Each sample is k6's mean CPU since the previous one (the first: since the monitor started). */
function intervalsOf(samples: readonly ResourceSample[]): Interval[] {
  return samples.map((s, i) => {
    const toMs = Date.parse(s.time);
    const spanS = i === 0 ? s.elapsedS : s.elapsedS - samples[i - 1]!.elapsedS;
    return { fromMs: toMs - spanS * 1000, toMs, cpu: s.cpuPercent };
  });
}

function weightedMean(list: readonly Interval[]): number {
  let w = 0;
  let sum = 0;
  for (const iv of list) {
    const d = iv.toMs - iv.fromMs;
    w += d;
    sum += d * iv.cpu;
  }
  return w > 0 ? sum / w : list.reduce((a, iv) => a + iv.cpu, 0) / Math.max(1, list.length);
}

/** Highest time-weighted mean over any window of at least `windowMs`; the whole list when shorter. */
export function sustainedMean(list: readonly Interval[], windowMs: number): number | null {
  if (!list.length) return null;
  const span = list[list.length - 1]!.toMs - list[0]!.fromMs;
  if (span < windowMs) return weightedMean(list);
  let best = -Infinity;
  for (let i = 0; i < list.length; i++) {
    let j = i;
    while (j < list.length - 1 && list[j]!.toMs - list[i]!.fromMs < windowMs) j++;
    if (list[j]!.toMs - list[i]!.fromMs < windowMs) break;
    best = Math.max(best, weightedMean(list.slice(i, j + 1)));
  }
  return best;
}

const p1 = (x: number) => x.toFixed(1);

export function generatorCpu(run: RunSummary, g: GeneratorSamples): GeneratorCpu {
  const cores = run.meta.machine?.cores && run.meta.machine.cores > 0 ? run.meta.machine.cores : null;
  const window = loadWindow(run);
  const all = intervalsOf(g.samples);
  // An interval belongs to the load when its middle does: k6's start-up (VU init) and its
  // end-of-test summary are not load.
  const inLoad = window ? all.filter((iv) => (iv.fromMs + iv.toMs) / 2 >= window.fromMs && (iv.fromMs + iv.toMs) / 2 <= window.toMs) : all;
  const cpu = inLoad.map((iv) => iv.cpu);
  return {
    file: g.file,
    cores,
    capacityPercent: cores === null ? null : cores * 100,
    samples: inLoad.length,
    loadSpanS: inLoad.length ? (inLoad[inLoad.length - 1]!.toMs - inLoad[0]!.fromMs) / 1000 : 0,
    meanPercent: inLoad.length ? weightedMean(inLoad) : null,
    maxPercent: cpu.length ? Math.max(...cpu) : null,
    sustainedPercent: sustainedMean(inLoad, SUSTAINED_WINDOW_S * 1000),
    rssMaxBytes: g.samples.length ? Math.max(...g.samples.map((s) => s.rssBytes)) : null,
  };
}

/** Largest maxVUs over the open-model steps of the run's profile, as the profile schedule sizes them; null when unknown. */
function maxVUsOf(run: RunSummary): number | null {
  const profile = run.meta.profile ?? run.meta.env?.['PROFILE'];
  if (!profile) return null;
  try {
    const open = describeProfile(profile, run.meta.env ?? {}).steps.filter((s) => s.model === 'open');
    return open.length ? Math.max(...open.map((s) => s.peakVUs)) : null;
  } catch {
    return null; // not one of our profiles (a plain k6 script): its maxVUs is not known here
  }
}

/** Most workload VUs in a bucket with dropped iterations; k6's vus gauge also counts the progress guard's VU. */
function vusWhileDropping(run: RunSummary): number | null {
  if (!run.timeseries) return null;
  const dropping = sortedBuckets(run).filter((b) => b.dropped > 0);
  if (!dropping.length) return null;
  const guard = run.k6Thresholds.some((t) => t.metric.includes(`scenario:${PROGRESS_GUARD_SCENARIO}`)) ? 1 : 0;
  return Math.max(0, Math.max(...dropping.map((b) => b.vus)) - guard);
}

function describeCpu(c: GeneratorCpu | null): { measured: boolean; detail: string } {
  if (!c)
    return {
      measured: false,
      detail: `k6's CPU was not measured (no ${GENERATOR_FILE} in the run folder: a k6 output not made by the runner, or a merged run), so a CPU-bound k6 cannot be ruled out`,
    };
  if (c.capacityPercent === null) return { measured: false, detail: `k6's CPU was not judged: run.json records no machine (its core count is the capacity ${GENERATOR_FILE} is measured against)` };
  if (c.sustainedPercent === null) return { measured: false, detail: `k6's CPU was not judged: ${GENERATOR_FILE} has no sample inside the load` };
  const share = c.sustainedPercent / c.capacityPercent;
  return {
    measured: true,
    detail: `k6 CPU: highest ${SUSTAINED_WINDOW_S} s mean ${p1(c.sustainedPercent)} % of ${c.capacityPercent} % (${c.cores} cores × 100 %) = ${p1(share * 100)} % of the machine (saturated at ≥ ${CPU_SATURATION_SHARE * 100} %); mean ${p1(c.meanPercent!)} %, max sample ${p1(c.maxPercent!)} % over ${c.samples} samples in ${p1(c.loadSpanS)} s of load (${c.file})`,
  };
}

export function generatorFigures(run: RunSummary, latencyHeld: boolean, samples: GeneratorSamples | undefined = run.generator): GeneratorFigures {
  const droppedIterations = overall(run, METRIC.dropped)?.moments.sum ?? 0;
  const cpu = samples ? generatorCpu(run, samples) : null;
  const { measured, detail: cpuDetail } = describeCpu(cpu);
  const maxVUs = maxVUsOf(run);
  const vus = vusWhileDropping(run);
  const atMax = maxVUs !== null && vus !== null && vus >= maxVUs;
  const base = { droppedIterations, cpu, cpuDetail, cpuMeasured: measured, maxVUs, vusWhileDropping: vus };
  const vuText = vus === null ? '' : maxVUs === null ? ` (up to ${vus} VUs active while dropping; maxVUs not known)` : ` (up to ${vus} of maxVUs ${maxVUs} VUs active while dropping)`;

  if (measured && cpu!.sustainedPercent! >= CPU_SATURATION_SHARE * cpu!.capacityPercent!) {
    return { ...base, saturated: true, sign: 'k6-cpu', reason: `k6's own CPU was near the machine's capacity: ${cpuDetail}` };
  }
  if (droppedIterations > 0 && latencyHeld) {
    if (atMax) {
      return {
        ...base,
        saturated: true,
        sign: 'vus-at-max',
        reason: `k6 dropped ${droppedIterations} iterations with its VUs at maxVUs (${vus} of ${maxVUs}) while every latency fail level held: the VU pool, not the target, was short`,
      };
    }
    return {
      ...base,
      saturated: true,
      sign: 'dropped-iterations',
      reason: `k6 dropped ${droppedIterations} iterations while every latency fail level held${vuText}: the generator, not the target, was short`,
    };
  }
  const signs = droppedIterations > 0 ? `${droppedIterations} dropped iterations came with latency past its fail level${vuText}: the target slowed down` : 'no dropped iterations';
  return { ...base, saturated: false, sign: null, reason: `${signs}; ${cpuDetail}` };
}

/** One line for the report's derived figures: the state, k6's CPU and memory, the VU figures. */
export function describeGenerator(g: GeneratorFigures): string {
  const state = g.saturated ? `saturated (${g.sign})` : g.cpuMeasured ? 'not saturated' : 'not fully judged';
  const rss = g.cpu?.rssMaxBytes ? `; k6 RSS max ${p1(g.cpu.rssMaxBytes / 1e6)} MB` : '';
  const vus = g.vusWhileDropping === null ? '' : `; up to ${g.vusWhileDropping} VUs active while dropping (maxVUs ${g.maxVUs ?? 'not known'})`;
  return `${state}: ${g.cpuDetail}${rss}; ${g.droppedIterations} dropped iterations${vus}`;
}
