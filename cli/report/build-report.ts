// RunSummary -> Report (the data behind every report format).
import type { RunSummary, Series } from '../model/run-summary.ts';
import { durationSeconds, overall } from '../model/run-summary.ts';
import { combineSeries } from '../model/series-ops.ts';
import { HISTOGRAM_ERROR_NOTE } from '../stats/histogram.ts';
import { TOOL_VERSION } from '../version.ts';
import { deriveFigures } from './derived.ts';
import { latencyStats } from './latency-stats.ts';
import { recommend } from './recommendations.ts';
import type { EndpointRow, MetricRow, Report } from './report-types.ts';
import type { ResourceFigures } from './resources.ts';
import { evaluateSlos, overallVerdict, specsFromK6Summary, type SloSpec } from './slo.ts';
import { timelinePoints } from './timeline.ts';

const UNNAMED = '(no name tag)';

function byName(run: RunSummary, metric: string): Map<string, Series[]> {
  const groups = new Map<string, Series[]>();
  for (const s of run.series.values()) {
    if (s.metric !== metric || Object.keys(s.tags).length === 0) continue;
    const name = s.tags['name'] ?? UNNAMED;
    const list = groups.get(name) ?? [];
    list.push(s);
    groups.set(name, list);
  }
  return groups;
}

function endpoints(run: RunSummary): EndpointRow[] {
  const durations = byName(run, 'http_req_duration');
  const failed = byName(run, 'http_req_failed');
  const duration = durationSeconds(run);
  const rows: EndpointRow[] = [];
  for (const [name, list] of durations) {
    const lat = combineSeries(list, { name });
    const fail = combineSeries(failed.get(name) ?? [], { name });
    const requests = lat?.moments.count ?? 0;
    const methods = [...new Set(list.map((s) => s.tags['method']).filter((m): m is string => !!m))].sort();
    rows.push({ name, methods, requests, throughputPerS: requests / duration, failed: fail?.nonZero ?? 0, errorRate: fail && fail.moments.count ? fail.nonZero / fail.moments.count : 0, latency: latencyStats(lat) });
  }
  return rows.sort((a, b) => a.name.localeCompare(b.name));
}

function metricRows(run: RunSummary): MetricRow[] {
  const duration = durationSeconds(run);
  const rows: MetricRow[] = [];
  for (const s of run.series.values()) {
    if (Object.keys(s.tags).length !== 0) continue;
    const m = s.moments;
    const value = s.type === 'counter' ? m.sum : s.type === 'rate' ? (m.count ? s.nonZero / m.count : 0) : s.type === 'gauge' ? s.last : m.mean;
    rows.push({ metric: s.metric, type: s.type, contains: s.contains, tags: s.tags, count: m.count, value, perSecond: s.type === 'counter' ? m.sum / duration : null, min: m.min, max: m.max, stats: s.type === 'trend' ? latencyStats(s) : null });
  }
  return rows.sort((a, b) => a.metric.localeCompare(b.metric));
}

/** `resources`: the run folder's resources.csv figures (cli/report/resources.ts), when it has one. */
export function buildReport(run: RunSummary, sloSpecs?: SloSpec[], resources: ResourceFigures | null = null): Report {
  const duration = durationSeconds(run);
  const reqs = overall(run, 'http_reqs');
  const failed = overall(run, 'http_req_failed');
  const iterations = overall(run, 'iterations');
  const checks = overall(run, 'checks');
  const vusMax = Math.max(overall(run, 'vus')?.moments.max ?? 0, 0);
  const derived = { ...deriveFigures(run), resources };
  const slos = evaluateSlos(run, sloSpecs ?? specsFromK6Summary(run), derived);
  const requests = reqs?.moments.sum ?? overall(run, 'http_req_duration')?.moments.count ?? 0;
  const base: Omit<Report, 'recommendations'> = {
    schemaVersion: 1,
    generatedAt: new Date().toISOString(),
    tool: { name: 'ledger-perf', version: TOOL_VERSION },
    run: {
      workload: run.meta.workload ?? null,
      profile: run.meta.profile ?? null,
      scriptHash: run.meta.scriptHash ?? null,
      k6Version: run.meta.k6Version ?? null,
      testId: run.meta.testId ?? null,
      baseUrl: run.meta.baseUrl ?? null,
      exitCode: run.meta.exitCode ?? null,
      startedAt: new Date(run.startMs).toISOString(),
      endedAt: new Date(run.endMs).toISOString(),
      durationS: duration,
      segments: run.meta.segments,
      sources: run.meta.sources,
    },
    ingest: { lines: run.ingest.lines, points: run.ingest.points, badLines: run.ingest.badLines, truncated: run.ingest.truncated },
    histogramError: HISTOGRAM_ERROR_NOTE,
    totals: {
      requests,
      throughputPerS: requests / duration,
      failedRequests: failed?.nonZero ?? 0,
      errorRate: failed && failed.moments.count ? failed.nonZero / failed.moments.count : 0,
      iterations: iterations?.moments.sum ?? 0,
      iterationsPerS: (iterations?.moments.sum ?? 0) / duration,
      droppedIterations: overall(run, 'dropped_iterations')?.moments.sum ?? 0,
      vusMax,
      checksPassRate: checks && checks.moments.count ? checks.nonZero / checks.moments.count : null,
    },
    latency: latencyStats(overall(run, 'http_req_duration')),
    endpoints: endpoints(run),
    metrics: metricRows(run),
    slos,
    sloVerdict: overallVerdict(slos),
    derived,
    timeseries: timelinePoints(run),
  };
  return { ...base, recommendations: recommend(base) };
}

