// Figures the seeds ask for, computed only when the run's tags make them meaningful:
// recovery after a burst (phase tag), latency growth per 2.5x concurrency (concurrency/step
// tag), the breaking point of a ramp-to-failure, and docket finality (Trend docket_finality).
import type { RunSummary } from '../model/run-summary.ts';
import { overall, seriesMatching, tagValues } from '../model/run-summary.ts';
import { combineSeries } from '../model/series-ops.ts';
import { latencyStats } from '../report/latency-stats.ts';
import type { Derived } from '../report/report-types.ts';
import { sortedBuckets } from '../report/timeline.ts';
import { METRIC, TAG } from '../run-folder/metric-names.ts';
import { newHistogram, quantiles } from '../stats/histogram.ts';
import { achievedRate } from './achieved-rate.ts';
import { breakingPoint } from './breaking-point.ts';
import { progressFigures } from './progress.ts';

const LATENCY = METRIC.duration;
/** Rolling window over which recovery p95 is judged; single seconds are too noisy. */
const RECOVERY_WINDOW_MS = 5000;
const RECOVERY_TOLERANCE = 0.1;

function p95Of(run: RunSummary, filter: Record<string, string>): number | null {
  const s = combineSeries(seriesMatching(run, LATENCY, filter), filter);
  if (!s?.hist || s.moments.count === 0) return null;
  return quantiles(s.hist, [0.95], s.moments.min, s.moments.max)[0]!;
}

function recovery(run: RunSummary): Derived['recovery'] {
  const phases = tagValues(run, LATENCY, TAG.phase);
  if (!phases.includes('baseline') || !phases.includes('burst')) return null;
  const baselineP95 = p95Of(run, { [TAG.phase]: 'baseline' });
  const burst = combineSeries(seriesMatching(run, LATENCY, { [TAG.phase]: 'burst' }), { [TAG.phase]: 'burst' });
  if (baselineP95 === null || !burst || !run.timeseries) return null;
  const burstEnd = burst.lastMs;
  const bucketMs = run.timeseries.bucketMs;
  const window = Math.max(1, Math.round(RECOVERY_WINDOW_MS / bucketMs));
  const after = sortedBuckets(run).filter((b) => b.index * bucketMs >= burstEnd);
  const limit = baselineP95 * (1 + RECOVERY_TOLERANCE);
  const burstEndS = (burstEnd - run.startMs) / 1000;
  for (let i = 0; i + window <= after.length; i++) {
    const h = newHistogram(2);
    for (let k = i; k < i + window; k++) h.add(after[k]!.latency);
    if (h.totalCount === 0) continue;
    const p95 = quantiles(h, [0.95], 0, Infinity)[0]!;
    if (p95 <= limit) {
      // Recovered at the start of the first whole window that stays within the limit.
      const recoveredAt = after[i]!.index * bucketMs;
      return {
        baselineP95Ms: baselineP95,
        burstEndS,
        recoveryTimeS: Math.max(0, (recoveredAt - burstEnd) / 1000),
        detail: `p95 over a ${RECOVERY_WINDOW_MS / 1000} s window back within ${RECOVERY_TOLERANCE * 100} % of baseline p95 (${baselineP95.toFixed(2)} ms)`,
      };
    }
  }
  return {
    baselineP95Ms: baselineP95,
    burstEndS,
    recoveryTimeS: null,
    detail: `rolling p95 never returned within ${RECOVERY_TOLERANCE * 100} % of baseline p95 (${baselineP95.toFixed(2)} ms) before the run ended`,
  };
}

function meanVusBetween(run: RunSummary, fromMs: number, toMs: number): number {
  if (!run.timeseries) return NaN;
  const bucketMs = run.timeseries.bucketMs;
  const vus = sortedBuckets(run)
    .filter((b) => (b.index + 1) * bucketMs > fromMs && b.index * bucketMs <= toMs && b.vus > 0)
    .map((b) => b.vus);
  return vus.length ? vus.reduce((a, b) => a + b, 0) / vus.length : NaN;
}

function concurrencyScaling(run: RunSummary): Derived['concurrencyScaling'] {
  for (const tag of [TAG.concurrency, TAG.step]) {
    // The ramp-to-failure step ('stress') is not a held level: its p95 at saturation is the
    // breaking point's business, not the scaling figure's.
    const values = tagValues(run, LATENCY, tag).filter((v) => !(tag === TAG.step && v === 'stress'));
    if (values.length < 2) continue;
    const levels = values
      .map((level) => {
        const s = combineSeries(seriesMatching(run, LATENCY, { [tag]: level }), { [tag]: level });
        const numeric = Number(level);
        const concurrency = tag === TAG.concurrency && Number.isFinite(numeric) ? numeric : s ? meanVusBetween(run, s.firstMs, s.lastMs) : NaN;
        const p95 = p95Of(run, { [tag]: level });
        return { level, concurrency, p95Ms: p95 ?? NaN };
      })
      .filter((l) => Number.isFinite(l.concurrency) && l.concurrency > 0 && Number.isFinite(l.p95Ms) && l.p95Ms > 0)
      .sort((a, b) => a.concurrency - b.concurrency);
    if (levels.length < 2) continue;
    let worst: number | null = null;
    for (let i = 1; i < levels.length; i++) {
      const a = levels[i - 1]!;
      const b = levels[i]!;
      if (b.concurrency <= a.concurrency) continue;
      // Normalise each step's growth to a 2.5x concurrency increase (the seed's yardstick).
      const growth = (b.p95Ms / a.p95Ms) ** (Math.log(2.5) / Math.log(b.concurrency / a.concurrency)) - 1;
      worst = worst === null ? growth : Math.max(worst, growth);
    }
    const how = tag === TAG.concurrency ? 'tag value' : 'mean VUs while the step ran';
    return { tag, levels, worstGrowthPer2_5xPct: worst === null ? null : worst * 100, detail: `p95 per ${tag} level (concurrency from ${how}), growth normalised to 2.5x concurrency` };
  }
  return null;
}

export function deriveFigures(run: RunSummary): Derived {
  return {
    recovery: recovery(run),
    concurrencyScaling: concurrencyScaling(run),
    breakingPoint: breakingPoint(run),
    achievedRate: achievedRate(run),
    docketFinality: latencyStats(overall(run, METRIC.docketFinality)),
    resources: run.resources ?? null,
    progress: progressFigures(run),
  };
}
