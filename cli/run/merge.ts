// Merges the outputs of N k6 execution segments (one test split across machines) into one
// run: counts and sums add, moments combine exactly, histograms add — so percentiles are those
// of all requests together, not an average of per-machine percentiles.

import { duplicateProblems, sameTestProblems } from '../compare/comparability.ts';
import { CliError, EXIT } from '../errors.ts';
import type { RunSummary, Series, TimeBucket } from '../model/run-summary.ts';
import { addSeriesInto, emptySeries } from '../model/series-ops.ts';
import { seriesBySelector } from '../slo/evaluate.ts';
import { addBucketInto, coarsen, emptyBucket, MAX_BUCKETS } from '../stats/timeseries.ts';

/** Gauges that count something per segment (VUs) add up; other gauges keep the maximum. */
const SUMMED_GAUGES = new Set(['vus', 'vus_max']);

export function mergeRuns(runs: RunSummary[]): { run: RunSummary; warnings: string[] } {
  if (runs.length === 0) throw new CliError('merge needs at least one input', EXIT.usage);
  const warnings: string[] = [];
  const testIds = new Set(runs.map((r) => r.meta.testId).filter(Boolean));
  if (testIds.size > 1) warnings.push(`inputs have different testid tags (${[...testIds].join(', ')}); merging anyway — make sure they are segments of one test`);
  // Segments of one test share a test id but never their measurements, a script or a load shape.
  const problems = [...duplicateProblems(runs, { sameTestIdAllowed: true }), ...sameTestProblems(runs, { ignoreSegments: true })];
  const sources = new Map<string, string>();
  for (const r of runs)
    for (const s of r.meta.sources) {
      if (sources.has(s)) problems.unshift({ rule: 'duplicate', message: `${s} is given twice: each segment counts once` });
      sources.set(s, s);
    }
  if (problems.length)
    throw new CliError(
      `these inputs are not segments of one test:\n  - ${problems.map((p) => `[${p.rule}] ${p.message}`).join('\n  - ')}\n  fix: merge the outputs of one k6 test split with --execution-segment, each once`,
      EXIT.incomparable,
    );

  const series = new Map<string, Series>();
  for (const r of runs) {
    for (const [k, s] of r.series) {
      let target = series.get(k);
      if (!target) {
        target = emptySeries(s.metric, s.type, s.contains, s.tags);
        series.set(k, target);
      }
      addSeriesInto(target, s, SUMMED_GAUGES.has(s.metric) ? 'sum' : 'max');
    }
  }

  let timeseries: RunSummary['timeseries'];
  const withTs = runs.filter((r) => r.timeseries);
  if (withTs.length) {
    const bucketMs = Math.max(...withTs.map((r) => r.timeseries!.bucketMs));
    const buckets = new Map<number, TimeBucket>();
    for (const r of withTs) {
      const ts = { bucketMs: r.timeseries!.bucketMs, buckets: new Map(r.timeseries!.buckets) };
      coarsen(ts, bucketMs);
      for (const b of ts.buckets.values()) {
        let target = buckets.get(b.index);
        if (!target) {
          target = emptyBucket(b.index);
          buckets.set(b.index, target);
        }
        addBucketInto(target, b, 'sum');
      }
    }
    timeseries = { bucketMs, buckets };
    // Inputs far apart in time (not segments of one test) must not blow up the chart series.
    const span = () => {
      const idx = [...timeseries!.buckets.keys()];
      return Math.max(...idx) - Math.min(...idx) + 1;
    };
    while (span() > MAX_BUCKETS) coarsen(timeseries, timeseries.bucketMs * 2);
  }

  const first = runs[0]!;
  const run: RunSummary = {
    meta: { ...first.meta, sources: runs.flatMap((r) => r.meta.sources), segments: runs.reduce((a, r) => a + r.meta.segments, 0), startedAt: undefined, endedAt: undefined },
    startMs: Math.min(...runs.map((r) => r.startMs)),
    endMs: Math.max(...runs.map((r) => r.endMs)),
    series,
    timeseries,
    // k6's per-segment verdicts do not hold for the whole: keep the expressions, recompute.
    k6Thresholds: [],
    // Segments of one test share one SLO set; if they disagree, none is the whole's.
    ...(runs.every((r) => JSON.stringify(r.sloSet) === JSON.stringify(first.sloSet)) && first.sloSet ? { sloSet: first.sloSet } : {}),
    ingest: {
      files: runs.flatMap((r) => r.ingest.files),
      lines: runs.reduce((a, r) => a + r.ingest.lines, 0),
      points: runs.reduce((a, r) => a + r.ingest.points, 0),
      badLines: runs.reduce((a, r) => a + r.ingest.badLines, 0),
      truncated: runs.flatMap((r) => r.ingest.truncated),
      unknownMetricPoints: runs.reduce((a, r) => a + r.ingest.unknownMetricPoints, 0),
      // k6 gives the guard's one VU to one execution segment; the merged vus gauge is the segments' sum.
      progressGuardVus: runs.reduce((a, r) => a + (r.ingest.progressGuardVus ?? 0), 0),
    },
  };
  run.k6Thresholds = uniqueThresholds(runs, (metric) => {
    const s = seriesBySelector(run, metric);
    return s === undefined || s.moments.count === 0;
  });
  run.meta.startedAt = new Date(run.startMs).toISOString();
  run.meta.endedAt = new Date(run.endMs).toISOString();
  return { run, warnings };
}

/**
 * Each threshold k6 enforced on a segment, its verdict dropped: a segment's k6 judged only its
 * share. Except where no segment has a single point of the metric: then every segment judged the
 * same empty data the whole has (a counter that never counted, like dropped_iterations of a run
 * that dropped none), so their common verdict is exactly the whole's — as one unsegmented run's
 * k6 would give it, where the evaluator alone has no data to judge by.
 */
function uniqueThresholds(runs: RunSummary[], noPoints: (metric: string) => boolean): RunSummary['k6Thresholds'] {
  const seen = new Map<string, { metric: string; expression: string; verdicts: Array<boolean | null> }>();
  for (const r of runs)
    for (const t of r.k6Thresholds) {
      const key = `${t.metric}\u0000${t.expression}`;
      const entry = seen.get(key) ?? { metric: t.metric, expression: t.expression, verdicts: [] };
      entry.verdicts.push(t.failed);
      seen.set(key, entry);
    }
  return [...seen.values()].map(({ metric, expression, verdicts }) => {
    const same = verdicts.length === runs.length && verdicts.every((v) => typeof v === 'boolean' && v === verdicts[0]);
    return { metric, expression, failed: same && noPoints(metric) ? verdicts[0]! : null };
  });
}
