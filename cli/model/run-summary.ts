// The compact, mergeable summary of one run: what ingest produces, what `merge` combines, what
// baselines store and what `report` and `compare` read. Raw points never leave ingest.

import type { ThresholdsFile } from '../../lib/shared/slo.ts';
import type { GeneratorSamples } from '../figures/generator.ts';
import type { ResourceFigures } from '../figures/resources.ts';
import type { SloVerdict } from '../report/report-types.ts';
import type { RunJson } from '../run-folder/run-json.ts';
import type { K6ThresholdResult } from '../run-folder/summary-json.ts';
import type { Histogram } from '../stats/histogram.ts';
import type { Moments } from '../stats/welford.ts';

export type MetricType = 'counter' | 'gauge' | 'rate' | 'trend';

/** What ran (run.json) plus where the run came from; the in-memory side of the run-folder contract. */
export interface RunMeta extends Omit<RunJson, 'schemaVersion' | 'sources' | 'segments'> {
  /** Where the run came from (run folders or files), for people reading reports. */
  sources: string[];
  /** Number of execution-segment outputs merged into this run (1 for a plain run). */
  segments: number;
}

export interface Series {
  metric: string;
  type: MetricType;
  contains: string;
  /** Tag set of this series; {} is the whole metric. */
  tags: Record<string, string>;
  moments: Moments;
  /** Rate metrics: how many values were non-zero (k6 counts those as "passes"). */
  nonZero: number;
  /** Gauges: the last value seen. */
  last: number;
  firstMs: number;
  lastMs: number;
  hist?: Histogram;
}

/** One time bucket of the chart series (whole run, not per tag set). */
export interface TimeBucket {
  index: number;
  /** Successful requests' durations (ms), by the time they finished. */
  latency: Histogram;
  /** Sum of those durations (ms): the exact window mean for an avg SLO. */
  latencySumMs: number;
  reqs: number;
  failed: number;
  failedChecked: number;
  /** Iterations by the bucket in which they finished (the `iterations` point's time). */
  iterations: number;
  /** Iterations by the bucket in which they started (point time minus `iteration_duration`). */
  started: number;
  dropped: number;
  /** `checks` values and how many of them passed. */
  checks: number;
  checksPassed: number;
  vus: number;
}

export interface TimeSeries {
  bucketMs: number;
  buckets: Map<number, TimeBucket>;
}

export type { K6ThresholdResult } from '../run-folder/summary-json.ts';

export interface IngestStats {
  files: string[];
  lines: number;
  points: number;
  badLines: number;
  truncated: string[];
  unknownMetricPoints: number;
  /** VUs of the progress guard (lib/k6/progress-guard.ts) when its samples were in the output: k6's vus gauges count them. */
  progressGuardVus?: number;
}

export interface RunSummary {
  meta: RunMeta;
  startMs: number;
  endMs: number;
  series: Map<string, Series>;
  timeseries?: TimeSeries;
  k6Thresholds: K6ThresholdResult[];
  /** The effective SLO set the run is judged by (run folder's thresholds.json); undefined: none recorded. */
  sloSet?: ThresholdsFile;
  /** The local server's process figures from the run folder's resources.csv (cli/figures/resources.ts). */
  resources?: ResourceFigures;
  /** k6's own CPU and memory samples from the run folder's generator.csv (cli/figures/generator.ts); undefined: not measured. */
  generator?: GeneratorSamples;
  /** Baseline runs: the verdict the judge gave the full run when it was saved (compact runs lack detail). */
  savedVerdict?: SloVerdict;
  ingest: IngestStats;
}

export function tagKey(tags: Record<string, string>): string {
  const keys = Object.keys(tags).sort();
  let s = '';
  for (const k of keys) s += `${(s ? ',' : '') + k}:${tags[k]}`;
  return s;
}

export function seriesKey(metric: string, tagsKey: string): string {
  return tagsKey ? `${metric}{${tagsKey}}` : metric;
}

export function durationSeconds(run: RunSummary): number {
  return Math.max((run.endMs - run.startMs) / 1000, 1e-9);
}

/** The whole-metric series (no tags), if the run has that metric. */
export function overall(run: RunSummary, metric: string): Series | undefined {
  return run.series.get(metric);
}

/** Tagged series of a metric whose tags include all of `filter`. */
export function seriesMatching(run: RunSummary, metric: string, filter: Record<string, string>): Series[] {
  const out: Series[] = [];
  const entries = Object.entries(filter);
  for (const s of run.series.values()) {
    if (s.metric !== metric || Object.keys(s.tags).length === 0) continue;
    if (entries.every(([k, v]) => s.tags[k] === v)) out.push(s);
  }
  return out;
}

/** Distinct values of a tag among a metric's series. */
export function tagValues(run: RunSummary, metric: string, tag: string): string[] {
  const values = new Set<string>();
  for (const s of run.series.values()) if (s.metric === metric && s.tags[tag] !== undefined) values.add(s.tags[tag]!);
  return [...values].sort();
}
