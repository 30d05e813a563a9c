import type { RunSummary, TimeBucket } from '../model/run-summary.ts';
import { quantiles } from '../stats/histogram.ts';
import type { TimePoint } from './report-types.ts';

export function sortedBuckets(run: RunSummary): TimeBucket[] {
  return run.timeseries ? [...run.timeseries.buckets.values()].sort((a, b) => a.index - b.index) : [];
}

export function timelinePoints(run: RunSummary): { bucketS: number; points: TimePoint[] } {
  const ts = run.timeseries;
  if (!ts) return { bucketS: 1, points: [] };
  const bucketS = ts.bucketMs / 1000;
  const first = sortedBuckets(run)[0];
  if (!first) return { bucketS, points: [] };
  const points: TimePoint[] = [];
  // Empty buckets are emitted as zeros so charts show pauses instead of bridging them.
  const buckets = sortedBuckets(run);
  const byIndex = new Map(buckets.map((b) => [b.index, b]));
  const last = buckets[buckets.length - 1]!;
  for (let i = first.index; i <= last.index; i++) {
    const b = byIndex.get(i);
    const t = (i - first.index) * bucketS;
    if (!b) {
      points.push({ t, p50: null, p95: null, p99: null, rps: 0, errors: 0, errorRate: null, vus: 0, iterationsPerS: 0, dropped: 0, coveredS: bucketS });
      continue;
    }
    const has = b.latency.totalCount > 0;
    // First and last buckets are partly outside the run; a rate is per second of the bucket
    // inside it (a floor would turn 1 request in a sliver of a bucket into a made-up rate).
    const from = Math.max(i * ts.bucketMs, run.startMs);
    const to = Math.min((i + 1) * ts.bucketMs, run.endMs);
    const inside = (to - from) / 1000;
    const coveredS = inside > 0 ? Math.min(bucketS, inside) : bucketS;
    const [p50, p95, p99] = has ? quantiles(b.latency, [0.5, 0.95, 0.99], 0, Infinity) : [null, null, null];
    points.push({
      t,
      p50: p50 ?? null,
      p95: p95 ?? null,
      p99: p99 ?? null,
      rps: b.reqs / coveredS,
      errors: b.failed,
      errorRate: b.failedChecked ? b.failed / b.failedChecked : null,
      vus: b.vus,
      iterationsPerS: b.iterations / coveredS,
      dropped: b.dropped,
      coveredS,
    });
  }
  return { bucketS, points };
}
