// What `compare` measures per run: one number per metric per run (each run is one sample).
import { K6_BUILTIN_METRICS } from '../../lib/shared/metric-catalog.ts';
import type { RunSummary } from '../model/run-summary.ts';
import { durationSeconds, overall, tagValues } from '../model/run-summary.ts';
import { seriesBySelector as selectSeries } from '../slo/evaluate.ts';
import { quantiles } from '../stats/histogram.ts';

export interface MetricDef {
  id: string;
  unit: 'ms' | '/s' | 'ratio';
  /** Which way is good. */
  better: 'lower' | 'higher';
  /** relative: Δ in % of the baseline; absolute: Δ in percentage points (for rates near 0). */
  scale: 'relative' | 'absolute';
  value(run: RunSummary): number | null;
  /** Observations behind the value in a run (requests for a percentile); absent: not counted. */
  samples?(run: RunSummary): number;
  /** For a percentile row: its q (the tail rule needs n·min(q, 1−q) observations beyond it). */
  quantile?: number;
}

/** k6's own Trends (the metric catalog's one list); every other Trend is a workload's custom one. */
const BUILTIN_TRENDS = new Set(
  Object.entries(K6_BUILTIN_METRICS)
    .filter(([, info]) => info.type === 'trend')
    .map(([name]) => name),
);

function percentile(selector: string, p: number) {
  return (run: RunSummary): number | null => {
    const s = selectSeries(run, selector);
    if (!s?.hist || s.moments.count === 0) return null;
    return quantiles(s.hist, [p], s.moments.min, s.moments.max)[0]!;
  };
}

function trendDefs(selector: string, ps: Array<[string, number]>): MetricDef[] {
  const samples = (run: RunSummary): number => selectSeries(run, selector)?.moments.count ?? 0;
  return ps.map(([label, p]) => ({ id: `${selector} ${label}`, unit: 'ms', better: 'lower', scale: 'relative', value: percentile(selector, p), samples, quantile: p }));
}

const P3: Array<[string, number]> = [
  ['p50', 0.5],
  ['p95', 0.95],
  ['p99', 0.99],
];

/** Counter per second over the run: higher is better. */
function throughputDef(metric: string): MetricDef {
  return {
    id: `${metric} rate`,
    unit: '/s',
    better: 'higher',
    scale: 'relative',
    value: (r) => {
      const s = overall(r, metric);
      return s ? s.moments.sum / durationSeconds(r) : null;
    },
  };
}

/** The metrics to compare, given every run of both sides (endpoints seen anywhere count). */
export function metricDefs(runs: readonly RunSummary[]): MetricDef[] {
  const defs: MetricDef[] = [...trendDefs('http_req_duration', P3)];
  const names = new Set<string>();
  const customTrends = new Set<string>();
  let hasChecks = false;
  for (const r of runs) {
    for (const n of tagValues(r, 'http_req_duration', 'name')) names.add(n);
    for (const s of r.series.values()) {
      if (s.type === 'trend' && !BUILTIN_TRENDS.has(s.metric)) customTrends.add(s.metric);
      if (s.metric === 'checks') hasChecks = true;
    }
  }
  if ([...names].length > 1) for (const n of [...names].sort()) defs.push(...trendDefs(`http_req_duration{name:${n}}`, P3));
  defs.push(...trendDefs('iteration_duration', [P3[0]!, P3[1]!]));
  for (const m of [...customTrends].sort()) defs.push(...trendDefs(m, [P3[0]!, P3[1]!]));
  defs.push(throughputDef('http_reqs'), throughputDef('iterations'));
  defs.push({ id: 'http_req_failed rate', unit: 'ratio', better: 'lower', scale: 'absolute', value: (r) => errorRate(r) });
  if (hasChecks)
    defs.push({
      id: 'checks rate',
      unit: 'ratio',
      better: 'higher',
      scale: 'absolute',
      value: (r) => {
        const s = overall(r, 'checks');
        return s?.moments.count ? s.nonZero / s.moments.count : null;
      },
    });
  return defs;
}

export function errorRate(run: RunSummary): number | null {
  const s = overall(run, 'http_req_failed');
  return s?.moments.count ? s.nonZero / s.moments.count : null;
}

export function droppedIterations(run: RunSummary): number {
  return overall(run, 'dropped_iterations')?.moments.sum ?? 0;
}
