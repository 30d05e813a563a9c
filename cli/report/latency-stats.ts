import type { Series } from '../model/run-summary.ts';
import { quantiles } from '../stats/histogram.ts';
import { stddev } from '../stats/welford.ts';
import type { LatencyStats } from './report-types.ts';

export function latencyStats(s: Series | undefined): LatencyStats | null {
  if (!s?.hist || s.moments.count === 0) return null;
  const m = s.moments;
  const [median, p90, p95, p99] = quantiles(s.hist, [0.5, 0.9, 0.95, 0.99], m.min, m.max) as [number, number, number, number];
  return { count: m.count, min: m.min, max: m.max, mean: m.mean, median, p90, p95, p99, stddev: stddev(m) };
}
