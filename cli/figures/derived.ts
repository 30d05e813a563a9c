// Figures the seeds ask for, computed only when the run's tags make them meaningful:
// recovery after a burst (phase tag, cli/figures/recovery.ts), latency growth per 2.5x concurrency (concurrency/step
// tag), the breaking point of a ramp-to-failure, and docket finality (Trend docket_finality).
import type { RunSummary } from '../model/run-summary.ts';
import { overall, seriesMatching, tagValues } from '../model/run-summary.ts';
import { combineSeries } from '../model/series-ops.ts';
import { latencyStats } from '../report/latency-stats.ts';
import type { Derived } from '../report/report-types.ts';
import { sortedBuckets } from '../report/timeline.ts';
import { METRIC, TAG } from '../run-folder/metric-names.ts';
import { quantiles } from '../stats/histogram.ts';
import { achievedRate } from './achieved-rate.ts';
import { breakingPoint } from './breaking-point.ts';
import { progressFigures } from './progress.ts';
import { recovery } from './recovery.ts';

const LATENCY = METRIC.duration;
function p95Of(run: RunSummary, filter: Record<string, string>): number | null {
  const s = combineSeries(seriesMatching(run, LATENCY, filter), filter);
  if (!s?.hist || s.moments.count === 0) return null;
  return quantiles(s.hist, [0.95], s.moments.min, s.moments.max)[0]!;
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
