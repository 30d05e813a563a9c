// Recovery time after a burst (phase tags baseline / burst / recovery): from the end of the burst
// (or from when load resumed, if the profile left an idle gap) until the p95 over a rolling
// window is back within what the baseline phase itself shows. Defined in docs/verdicts.md.
//
// The tolerance comes from the baseline's own noise, not a fixed percentage: a fixed 10 % of a
// 1.6 ms p95 is inside the jitter of a loaded loopback, so a run whose chart was back at baseline
// was called "did not recover". The same rolling-window p95 that judges the time after the burst
// is taken over every window of the baseline phase; the limit is their median plus 3 scaled MADs
// (1.4826 × MAD estimates σ for normal data, so a window at baseline exceeds the limit about one
// time in 700). Median and MAD rather than a high quantile or the maximum: the first seconds of a
// baseline (connection set-up, JIT) are slower, and a quantile would take that warm-up as normal;
// MAD ignores a few outliers. The limit is never below 10 % over the median (the old fixed
// tolerance, now a floor), so a perfectly steady baseline does not make recovery impossible.
//
// A baseline shorter than three whole windows cannot tell noise from signal, and a run that ends
// before one whole window after the burst cannot show recovery: both are "unknown", never
// recovered or not recovered; the SLO evaluator makes an SLO on it inconclusive
// (DERIVED_NOT_JUDGED in cli/slo/evaluate.ts), so it never passes a run.
import type { RunSummary, TimeBucket } from '../model/run-summary.ts';
import { seriesMatching, tagValues } from '../model/run-summary.ts';
import { combineSeries } from '../model/series-ops.ts';
import { sortedBuckets } from '../report/timeline.ts';
import { METRIC, TAG } from '../run-folder/metric-names.ts';
import { newHistogram, quantiles } from '../stats/histogram.ts';

/** Rolling window over which a p95 is judged; single seconds are too noisy. */
export const RECOVERY_WINDOW_MS = 5000;
/** Scaled MADs above the baseline windows' median p95 that still count as baseline. */
export const RECOVERY_NOISE_MADS = 3;
/** The limit is never closer than this fraction above the baseline windows' median p95. */
export const RECOVERY_MIN_TOLERANCE = 0.1;
/** The baseline must span this many whole windows for its noise to be estimated. */
export const RECOVERY_MIN_BASELINE_WINDOWS = 3;
/** A window's p95 needs this many requests to mean anything (p95 of 5 values is their maximum). */
export const RECOVERY_MIN_WINDOW_REQUESTS = 20;
/** MAD × this estimates the standard deviation of normally distributed values. */
const MAD_TO_SIGMA = 1.4826;

export type RecoveryStatus = 'recovered' | 'not-recovered' | 'unknown';

export interface RecoveryFigure {
  /** unknown: the run cannot tell (baseline too short, nothing measured after the burst). */
  status: RecoveryStatus;
  /** p95 of the whole baseline phase (successful requests). */
  baselineP95Ms: number;
  /** End of the burst phase, seconds from the run's start. */
  burstEndS: number;
  /**
   * When load resumed after the burst, seconds from the run's start: the recovery clock starts
   * here. burst-recovery's recovery step starts the moment the burst's schedule ends, but other
   * schedules (or any k6 output) may idle between phases; idle time under no load says nothing
   * about recovering under load.
   */
  loadResumedS: number | null;
  /** Seconds from loadResumedS to the start of the first window within the limit; null unless recovered. */
  recoveryTimeS: number | null;
  /** The p95 a window after the burst must not exceed; null when the baseline is too short to set one. */
  limitMs: number | null;
  /** Rolling baseline windows (with enough requests) the limit was estimated from. */
  baselineWindows: number;
  detail: string;
}

const LATENCY = METRIC.duration;
const f2 = (x: number) => x.toFixed(2);
const f1 = (x: number) => x.toFixed(1);

function median(sorted: readonly number[]): number {
  const n = sorted.length;
  return n % 2 ? sorted[(n - 1) / 2]! : (sorted[n / 2 - 1]! + sorted[n / 2]!) / 2;
}

/** p95 of each rolling window of `width` buckets starting at from..lastStart (bucket indices); null for windows with too few requests. */
function windowP95s(byIndex: Map<number, TimeBucket>, from: number, lastStart: number, width: number): Array<{ start: number; p95: number | null }> {
  const out: Array<{ start: number; p95: number | null }> = [];
  for (let start = from; start <= lastStart; start++) {
    const h = newHistogram();
    for (let i = start; i < start + width; i++) {
      const b = byIndex.get(i);
      if (b) h.add(b.latency);
    }
    out.push({ start, p95: h.totalCount >= RECOVERY_MIN_WINDOW_REQUESTS ? quantiles(h, [0.95], 0, Infinity)[0]! : null });
  }
  return out;
}

export interface RecoveryLimit {
  limitMs: number;
  medianMs: number;
  noiseMs: number;
  /** Whether the 10 % floor, not the noise, set the limit. */
  floored: boolean;
}

/** The limit from the baseline windows' p95s: median + 3 scaled MADs, never below median × 1.1. */
export function recoveryLimit(baselineWindowP95s: readonly number[]): RecoveryLimit {
  const sorted = [...baselineWindowP95s].sort((a, b) => a - b);
  const medianMs = median(sorted);
  const mad = median(sorted.map((x) => Math.abs(x - medianMs)).sort((a, b) => a - b));
  const noiseMs = RECOVERY_NOISE_MADS * MAD_TO_SIGMA * mad;
  const floorMs = medianMs * (1 + RECOVERY_MIN_TOLERANCE);
  const floored = medianMs + noiseMs < floorMs;
  return { limitMs: floored ? floorMs : medianMs + noiseMs, medianMs, noiseMs, floored };
}

export function recovery(run: RunSummary): RecoveryFigure | null {
  const phases = tagValues(run, LATENCY, TAG.phase);
  if (!phases.includes('baseline') || !phases.includes('burst')) return null;
  const baseline = combineSeries(seriesMatching(run, LATENCY, { [TAG.phase]: 'baseline' }), { [TAG.phase]: 'baseline' });
  const burst = combineSeries(seriesMatching(run, LATENCY, { [TAG.phase]: 'burst' }), { [TAG.phase]: 'burst' });
  if (!baseline?.hist || baseline.moments.count === 0 || !burst) return null;
  const baselineP95Ms = quantiles(baseline.hist, [0.95], baseline.moments.min, baseline.moments.max)[0]!;
  const burstEnd = burst.lastMs;
  const burstEndS = (burstEnd - run.startMs) / 1000;
  const unknown = (baselineWindows: number, why: string): RecoveryFigure => ({
    status: 'unknown',
    baselineP95Ms,
    burstEndS,
    loadResumedS: null,
    recoveryTimeS: null,
    limitMs: null,
    baselineWindows,
    detail: `cannot judge recovery: ${why}`,
  });
  if (!run.timeseries) return unknown(0, 'the run has no timeline');

  const bucketMs = run.timeseries.bucketMs;
  const width = Math.max(1, Math.round(RECOVERY_WINDOW_MS / bucketMs));
  const windowS = (width * bucketMs) / 1000;
  const buckets = sortedBuckets(run);
  const byIndex = new Map(buckets.map((b) => [b.index, b]));
  const lastIndex = buckets[buckets.length - 1]?.index ?? 0;

  // Baseline windows: buckets from the baseline's first sample up to (not into) the burst's first bucket.
  const baselineFrom = Math.floor(baseline.firstMs / bucketMs);
  const baselineEnd = Math.min(Math.floor(baseline.lastMs / bucketMs) + 1, Math.floor(burst.firstMs / bucketMs));
  const baselineP95s = windowP95s(byIndex, baselineFrom, baselineEnd - width, width)
    .map((w) => w.p95)
    .filter((p): p is number => p !== null);
  const needed = (RECOVERY_MIN_BASELINE_WINDOWS - 1) * width + 1;
  if (baselineP95s.length < needed) {
    return unknown(
      baselineP95s.length,
      `the baseline phase has ${baselineP95s.length} rolling ${windowS} s window(s) with at least ${RECOVERY_MIN_WINDOW_REQUESTS} requests; ` +
        `${needed} (${RECOVERY_MIN_BASELINE_WINDOWS * windowS} s of baseline) are needed to estimate its noise. Lengthen the baseline (PROFILE_DURATION or DURATION_SCALE).`,
    );
  }
  const limit = recoveryLimit(baselineP95s);
  const why = limit.floored
    ? `limit ${f2(limit.limitMs)} ms: the ${RECOVERY_MIN_TOLERANCE * 100} % floor over the median baseline ${windowS} s-window p95 ${f2(limit.medianMs)} ms (its noise, ${RECOVERY_NOISE_MADS} scaled MADs = ${f2(limit.noiseMs)} ms, is smaller; ${baselineP95s.length} baseline windows)`
    : `limit ${f2(limit.limitMs)} ms: median baseline ${windowS} s-window p95 ${f2(limit.medianMs)} ms + ${RECOVERY_NOISE_MADS} scaled MADs ${f2(limit.noiseMs)} ms over ${baselineP95s.length} baseline windows`;

  // Windows after the burst: from the first bucket that starts at or after the burst's last
  // sample to the recovery phase's last one (the timeline holds every request, and teardown's
  // come after the profile: they are no part of the recovery), or the run's last bucket.
  const recoveryPhase = combineSeries(seriesMatching(run, LATENCY, { [TAG.phase]: 'recovery' }), { [TAG.phase]: 'recovery' });
  const firstAfter = buckets.find((b) => b.index * bucketMs >= burstEnd && b.latency.totalCount > 0);
  const loadResumedMs = recoveryPhase && recoveryPhase.firstMs > burstEnd ? recoveryPhase.firstMs : firstAfter ? Math.max(burstEnd, firstAfter.index * bucketMs) : burstEnd;
  const afterFrom = Math.max(Math.ceil(burstEnd / bucketMs), Math.floor(loadResumedMs / bucketMs));
  const idleS = (loadResumedMs - burstEnd) / 1000;
  const since = idleS >= 1 ? `load resumed, ${f1(idleS)} s after the burst's end (an idle gap between the phases)` : "the burst's end";
  const afterLast = recoveryPhase && recoveryPhase.lastMs > burstEnd ? Math.floor(recoveryPhase.lastMs / bucketMs) : lastIndex;
  const after = windowP95s(byIndex, afterFrom, afterLast - width + 1, width).filter((w): w is { start: number; p95: number } => w.p95 !== null);
  const figure = { baselineP95Ms, burstEndS, loadResumedS: (loadResumedMs - run.startMs) / 1000, limitMs: limit.limitMs, baselineWindows: baselineP95s.length };
  if (after.length === 0) {
    return {
      ...unknown(
        baselineP95s.length,
        `no whole ${windowS} s window with at least ${RECOVERY_MIN_WINDOW_REQUESTS} requests after the burst (the measurements end ${f1(((afterLast + 1) * bucketMs - burstEnd) / 1000)} s after it); ${why}`,
      ),
      limitMs: limit.limitMs,
      loadResumedS: figure.loadResumedS,
    };
  }
  const back = after.find((w) => w.p95 <= limit.limitMs);
  if (back) {
    const recoveryTimeS = Math.max(0, (back.start * bucketMs - loadResumedMs) / 1000);
    return { ...figure, status: 'recovered', recoveryTimeS, detail: `p95 over a ${windowS} s window back at ${f2(back.p95)} ms ≤ ${why}; counted from ${since}` };
  }
  const lowest = Math.min(...after.map((w) => w.p95));
  const observedS = ((after[after.length - 1]!.start + width) * bucketMs - loadResumedMs) / 1000;
  return {
    ...figure,
    status: 'not-recovered',
    recoveryTimeS: null,
    detail: `no ${windowS} s window in the ${f1(observedS)} s observed had its p95 within the limit (lowest ${f2(lowest)} ms); ${why}; counted from ${since}`,
  };
}
