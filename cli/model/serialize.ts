// The on-disk form of a RunSummary (run-summary.json): plain JSON with histograms as HdrHistogram
// compressed base64. Used for merged runs and baselines; small enough to commit.
import { InputError } from '../errors.ts';
import { decodeHistogram, encodeHistogram } from '../stats/histogram.ts';
import type { Moments } from '../stats/welford.ts';
import type { RunSummary, Series, TimeBucket } from './run-summary.ts';
import { seriesKey, tagKey } from './run-summary.ts';

export const SUMMARY_FORMAT = 'ledger-perf-run-summary';
export const SUMMARY_VERSION = 1;

/** A series' moments stand flat beside its other fields (the format's version 1 layout). */
interface SeriesJson extends Moments {
  metric: string;
  type: Series['type'];
  contains: string;
  tags: Record<string, string>;
  nonZero: number;
  last: number;
  firstMs: number;
  lastMs: number;
  hist?: string;
}

interface BucketJson {
  i: number;
  lat: string;
  /** Absent in summaries written before the breaking point counted started iterations. */
  latSum?: number;
  reqs: number;
  failed: number;
  checked: number;
  iters: number;
  started?: number;
  dropped: number;
  checks?: number;
  checksPassed?: number;
  vus: number;
}

export interface RunSummaryJson {
  format: typeof SUMMARY_FORMAT;
  version: number;
  meta: RunSummary['meta'];
  startMs: number;
  endMs: number;
  k6Thresholds: RunSummary['k6Thresholds'];
  sloSet?: RunSummary['sloSet'];
  ingest: RunSummary['ingest'];
  series: SeriesJson[];
  timeseries?: { bucketMs: number; buckets: BucketJson[] };
}

export function summaryToJson(run: RunSummary, options: { timeseries: boolean }): RunSummaryJson {
  const series: SeriesJson[] = [];
  for (const s of run.series.values()) {
    if (s.moments.count === 0) continue;
    series.push({
      metric: s.metric,
      type: s.type,
      contains: s.contains,
      tags: s.tags,
      count: s.moments.count,
      mean: s.moments.mean,
      m2: s.moments.m2,
      min: s.moments.min,
      max: s.moments.max,
      sum: s.moments.sum,
      nonZero: s.nonZero,
      last: s.last,
      firstMs: s.firstMs,
      lastMs: s.lastMs,
      ...(s.hist ? { hist: encodeHistogram(s.hist) } : {}),
    });
  }
  const out: RunSummaryJson = {
    format: SUMMARY_FORMAT,
    version: SUMMARY_VERSION,
    meta: run.meta,
    startMs: run.startMs,
    endMs: run.endMs,
    k6Thresholds: run.k6Thresholds,
    ...(run.sloSet ? { sloSet: run.sloSet } : {}),
    ingest: run.ingest,
    series,
  };
  if (options.timeseries && run.timeseries) {
    const buckets = [...run.timeseries.buckets.values()]
      .sort((a, b) => a.index - b.index)
      .map((b) => ({
        i: b.index,
        lat: encodeHistogram(b.latency),
        latSum: b.latencySumMs,
        reqs: b.reqs,
        failed: b.failed,
        checked: b.failedChecked,
        iters: b.iterations,
        started: b.started,
        dropped: b.dropped,
        checks: b.checks,
        checksPassed: b.checksPassed,
        vus: b.vus,
      }));
    out.timeseries = { bucketMs: run.timeseries.bucketMs, buckets };
  }
  return out;
}

export function summaryFromJson(json: unknown, file: string): RunSummary {
  const j = json as Partial<RunSummaryJson>;
  if (!j || j.format !== SUMMARY_FORMAT) throw new InputError(file, undefined, `not a ledger-perf run summary (missing "format": "${SUMMARY_FORMAT}")`);
  if (j.version !== SUMMARY_VERSION)
    throw new InputError(file, undefined, `run summary version ${String(j.version)} is not supported (this CLI reads version ${SUMMARY_VERSION})`, 're-create it with this version of the CLI');
  if (!Array.isArray(j.series) || typeof j.startMs !== 'number' || typeof j.endMs !== 'number' || !j.meta) throw new InputError(file, undefined, 'run summary is missing series/startMs/endMs/meta');
  const series = new Map<string, Series>();
  j.series.forEach((s, i) => {
    let hist;
    try {
      hist = s.hist ? decodeHistogram(s.hist) : undefined;
    } catch {
      throw new InputError(file, undefined, `series[${i}] (${s.metric}) has a corrupt histogram`);
    }
    series.set(seriesKey(s.metric, tagKey(s.tags)), {
      metric: s.metric,
      type: s.type,
      contains: s.contains,
      tags: s.tags,
      moments: { count: s.count, mean: s.mean, m2: s.m2, min: s.min, max: s.max, sum: s.sum },
      nonZero: s.nonZero,
      last: s.last,
      firstMs: s.firstMs,
      lastMs: s.lastMs,
      hist,
    });
  });
  let timeseries: RunSummary['timeseries'];
  if (j.timeseries) {
    const buckets = new Map<number, TimeBucket>();
    for (const b of j.timeseries.buckets)
      buckets.set(b.i, {
        index: b.i,
        latency: decodeHistogram(b.lat),
        latencySumMs: b.latSum ?? 0,
        reqs: b.reqs,
        failed: b.failed,
        failedChecked: b.checked,
        iterations: b.iters,
        started: b.started ?? 0,
        dropped: b.dropped,
        checks: b.checks ?? 0,
        checksPassed: b.checksPassed ?? 0,
        vus: b.vus,
      });
    timeseries = { bucketMs: j.timeseries.bucketMs, buckets };
  }
  return {
    meta: j.meta,
    startMs: j.startMs,
    endMs: j.endMs,
    series,
    timeseries,
    k6Thresholds: j.k6Thresholds ?? [],
    ...(j.sloSet ? { sloSet: j.sloSet } : {}),
    ingest: j.ingest ?? { files: [], lines: 0, points: 0, badLines: 0, truncated: [], unknownMetricPoints: 0 },
  };
}
