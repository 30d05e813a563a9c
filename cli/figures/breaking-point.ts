// The breaking point: the offered arrival rate at the run's first fail-level break. Offered load
// is counted by when iterations START (k6 writes an iteration's points when it ends, so counting
// by finish time lags the schedule by an iteration duration) plus the iterations k6 dropped.
// The break is the earliest of: a fail-level SLO crossed over a short rolling window of the
// timeline, the first dropped iteration, or (fallback) the run's abort. docs/verdicts.md.
import { PROGRESS_GUARD_SCENARIO, PROGRESS_STALLS_METRIC } from '../../lib/shared/progress-guard.ts';
import type { RunSummary, Series, TimeBucket } from '../model/run-summary.ts';
import { overall, tagValues } from '../model/run-summary.ts';
import type { Derived } from '../report/report-types.ts';
import { sortedBuckets } from '../report/timeline.ts';
import { METRIC, TAG } from '../run-folder/metric-names.ts';
import { evaluateSlo } from '../slo/evaluate.ts';
import { type Slo, slosForRun } from '../slo/slo.ts';
import { newHistogram, quantiles, VALUE_SCALE } from '../stats/histogram.ts';
import { emptyMoments } from '../stats/welford.ts';

export type BreakingPoint = NonNullable<Derived['breakingPoint']>;

/** Rolling window over which a fail-level SLO is judged on the timeline; single seconds are too noisy. */
export const SLO_WINDOW_MS = 5000;
/** Fewest values a window needs before its SLO verdict counts (one slow request is no break). */
export const MIN_WINDOW_SAMPLES = 10;
/**
 * The offered rate at the break is measured over the shortest window ending at the break's
 * bucket that holds this many offered iterations (a count is off by at most one at each edge, so
 * the error stays under ~7 %), but never longer than SLO_WINDOW_MS: a longer window would
 * average over load the target saw before the break.
 */
export const MIN_OFFERED_ITERATIONS = 15;
/** Iterations still running when the run ends never report: the tail this long (a high iteration duration) is never judged. */
const TAIL_QUANTILE = 0.95;

const NO_FIGURES: Derived = { recovery: null, concurrencyScaling: null, breakingPoint: null, docketFinality: null };

/** The aggregations a timeline bucket holds the data for, per metric (untagged, or successful requests only). */
function judgeablePerWindow(slo: Slo): boolean {
  if (slo.fail === undefined || slo.derived || !slo.aggregation) return false;
  const tags = Object.entries(slo.tags);
  const kind = slo.aggregation.kind;
  if (slo.metric === METRIC.duration) {
    // The timeline's latency is of successful requests, which is what {expected_response:true} names.
    const onlySuccess = tags.length === 0 || (tags.length === 1 && tags[0]![0] === 'expected_response' && tags[0]![1] === 'true');
    return onlySuccess && ['percentile', 'med', 'avg', 'min', 'max'].includes(kind);
  }
  if (slo.metric === METRIC.failed || slo.metric === METRIC.checks) return tags.length === 0 && kind === 'rate';
  return false;
}

function series(metric: string, type: Series['type'], moments: Series['moments'], nonZero: number, hist?: Series['hist']): Series {
  return { metric, type, contains: type === 'trend' ? 'time' : 'default', tags: {}, moments, nonZero, last: 0, firstMs: 0, lastMs: 0, ...(hist ? { hist } : {}) };
}

/**
 * The timeline window as a run of its own, so the engine's evaluator (cli/slo/evaluate.ts)
 * judges it exactly as it judges a whole run; no second comparison.
 */
function windowRun(run: RunSummary, window: readonly TimeBucket[]): RunSummary {
  const hist = newHistogram(2);
  let sum = 0;
  let failed = 0;
  let failedChecked = 0;
  let checks = 0;
  let passed = 0;
  for (const b of window) {
    hist.add(b.latency);
    sum += b.latencySumMs;
    failed += b.failed;
    failedChecked += b.failedChecked;
    checks += b.checks;
    passed += b.checksPassed;
  }
  const latency = emptyMoments();
  latency.count = hist.totalCount;
  latency.sum = sum;
  latency.mean = hist.totalCount ? sum / hist.totalCount : 0;
  latency.min = hist.totalCount ? hist.minNonZeroValue / VALUE_SCALE : 0;
  latency.max = hist.totalCount ? hist.maxValue / VALUE_SCALE : 0;
  const counted = (count: number) => ({ ...emptyMoments(), count });
  const windowSeries = new Map<string, Series>([
    [METRIC.duration, series(METRIC.duration, 'trend', latency, 0, hist)],
    [`${METRIC.duration}{expected_response:true}`, { ...series(METRIC.duration, 'trend', latency, 0, hist), tags: { expected_response: 'true' } }],
    [METRIC.failed, series(METRIC.failed, 'rate', counted(failedChecked), failed)],
    [METRIC.checks, series(METRIC.checks, 'rate', counted(checks), passed)],
  ]);
  return { ...run, series: windowSeries };
}

function samplesFor(slo: Slo, window: readonly TimeBucket[]): number {
  let n = 0;
  for (const b of window) n += slo.metric === METRIC.duration ? b.latency.totalCount : slo.metric === METRIC.failed ? b.failedChecked : b.checks;
  return n;
}

interface SloBreak {
  bucket: TimeBucket;
  slo: Slo;
  detail: string;
}

/** The first bucket whose rolling window (ending with it) crosses a fail level, and which SLO. */
function firstSloBreak(run: RunSummary, buckets: readonly TimeBucket[], bucketMs: number): SloBreak | null {
  const k6 = run.k6Thresholds.filter((t) => t.metric !== PROGRESS_STALLS_METRIC && !t.metric.includes(`scenario:${PROGRESS_GUARD_SCENARIO}`));
  // k6's verdict is on the whole run; per window the engine recomputes from the window's data.
  const slos = slosForRun(run.sloSet, k6)
    .filter(judgeablePerWindow)
    .map(({ k6Failed: _, ...slo }) => slo);
  if (slos.length === 0) return null;
  const size = Math.max(1, Math.round(SLO_WINDOW_MS / bucketMs));
  for (let i = 0; i < buckets.length; i++) {
    const window = buckets.slice(Math.max(0, i - size + 1), i + 1).filter((b) => b.index > buckets[i]!.index - size);
    const asRun = windowRun(run, window);
    for (const slo of slos) {
      if (samplesFor(slo, window) < MIN_WINDOW_SAMPLES) continue;
      const r = evaluateSlo(asRun, slo, NO_FIGURES);
      if (r.verdict === 'fail')
        return { bucket: buckets[i]!, slo, detail: `SLO ${slo.id ?? slo.key} (${r.expression}) crossed over a ${(size * bucketMs) / 1000} s window (observed ${r.observed?.toPrecision(4)})` };
    }
  }
  return null;
}

/** How long the run's slow iterations take (ms): the run's last stretch this long is never judged. */
function tailMs(run: RunSummary): number {
  const d = overall(run, 'iteration_duration');
  if (!d?.hist || d.moments.count === 0) return 0;
  return quantiles(d.hist, [TAIL_QUANTILE], d.moments.min, d.moments.max)[0]!;
}

/**
 * When k6 stopped: its last sample. run.json's end can be later (teardown, output flush), and
 * iterations cut off at the stop never report.
 */
function lastSampleMs(run: RunSummary): number {
  let last = -Infinity;
  for (const s of run.series.values()) if (Object.keys(s.tags).length === 0 && s.moments.count > 0 && s.lastMs > last) last = s.lastMs;
  return Number.isFinite(last) ? Math.min(last, run.endMs) : run.endMs;
}

/**
 * 108: the script called test.abort(). 99 (thresholds crossed) is an abort only in a
 * ramp-to-failure run (profile "breakpoint", or a step tagged "stress" as in "tps-steps"),
 * where abortOnFail thresholds stop the ramp at the breaking point.
 */
function aborted(run: RunSummary): boolean {
  const rampToFailure = /break|failure/i.test(run.meta.profile ?? '') || tagValues(run, METRIC.duration, TAG.step).includes('stress');
  return run.meta.exitCode === 108 || (run.meta.exitCode === 99 && rampToFailure);
}

export function breakingPoint(run: RunSummary): BreakingPoint | null {
  if (!run.timeseries) return null;
  const bucketMs = run.timeseries.bucketMs;
  const buckets = sortedBuckets(run);
  const first = buckets[0];
  if (!first) return null;
  // Without iteration_duration points there is no start time, and a finish-time count would lie.
  if (buckets.every((b) => b.started === 0) && buckets.some((b) => b.iterations > 0)) return null;

  const sloBreak = firstSloBreak(run, buckets, bucketMs);
  const firstDrop = buckets.find((b) => b.dropped > 0) ?? null;
  const candidates: Array<{ bucket: TimeBucket; cause: BreakingPoint['cause']; why: string }> = [];
  if (sloBreak) candidates.push({ bucket: sloBreak.bucket, cause: 'slo', why: `first fail-level break: ${sloBreak.detail}` });
  if (firstDrop) candidates.push({ bucket: firstDrop, cause: 'dropped', why: 'first dropped iterations: the target (or the VU pool) stopped keeping up with the arrival rate' });
  candidates.sort((a, b) => a.bucket.index - b.bucket.index);
  let chosen = candidates[0];
  if (!chosen) {
    if (!aborted(run)) return null;
    const last = buckets[buckets.length - 1]!;
    chosen = { bucket: last, cause: 'aborted', why: `run aborted (k6 exit code ${run.meta.exitCode})` };
  }

  // Judge the offered rate on the window ending at the break, but never on the run's last
  // stretch: iterations that started there and were still running at the end never reported.
  const tail = tailMs(run);
  const cutoffMs = lastSampleMs(run) - tail;
  const judgeable = buckets.filter((b) => b.index <= chosen.bucket.index && (b.index + 1) * bucketMs <= cutoffMs);
  const lastJudgeable = judgeable[judgeable.length - 1];
  if (!lastJudgeable) return null;
  const byIndex = new Map(buckets.map((b) => [b.index, b]));
  const maxBuckets = Math.max(1, Math.round(SLO_WINDOW_MS / bucketMs));
  let offered = 0;
  let seconds = 0;
  for (let i = lastJudgeable.index; i >= first.index && i > lastJudgeable.index - maxBuckets && offered < MIN_OFFERED_ITERATIONS; i--) {
    const b = byIndex.get(i);
    offered += b ? b.started + b.dropped : 0;
    // The run's first bucket is partly before it started: a rate is per second inside the run.
    const from = Math.max(i * bucketMs, run.startMs);
    seconds += Math.max(0, (i + 1) * bucketMs - from) / 1000;
  }
  if (seconds <= 0) return null;
  const shifted = lastJudgeable.index !== chosen.bucket.index;
  const where = shifted
    ? `offered rate (started + dropped iterations) over the ${seconds.toFixed(1)} s ending with the last second that can be judged before it (iterations started in the run's last ${(tail / 1000).toFixed(1)} s had not reported)`
    : `offered rate (started + dropped iterations) over the ${seconds.toFixed(1)} s ending there`;
  return {
    arrivalRatePerS: offered / seconds,
    atS: chosen.cause === 'aborted' ? (run.endMs - run.startMs) / 1000 : (chosen.bucket.index - first.index) * (bucketMs / 1000),
    cause: chosen.cause,
    reason: `${chosen.why}; ${where}`,
  };
}
