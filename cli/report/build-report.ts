// RunSummary -> Report (the data behind every report format).

import { parseMetricSelector } from '../../lib/shared/slo.ts';
import type { RunSummary, Series } from '../model/run-summary.ts';
import { durationSeconds, overall, seriesMatching } from '../model/run-summary.ts';
import { combineSeries } from '../model/series-ops.ts';
import { METRIC, TAG } from '../run-folder/metric-names.ts';
import { judgeRun } from '../slo/judge.ts';
import { HISTOGRAM_ERROR_NOTE } from '../stats/histogram.ts';
import { TOOL_VERSION } from '../version.ts';
import { latencyStats } from './latency-stats.ts';
import { recommend } from './recommendations.ts';
import type { CheckRow, EndpointRow, FailureRow, GroupRow, MetricRow, MetricUnit, Report } from './report-types.ts';
import { timelinePoints } from './timeline.ts';

const UNNAMED = '(no name tag)';

function byName(run: RunSummary, metric: string): Map<string, Series[]> {
  const groups = new Map<string, Series[]>();
  for (const s of run.series.values()) {
    if (s.metric !== metric || Object.keys(s.tags).length === 0) continue;
    const name = s.tags[TAG.name] ?? UNNAMED;
    const list = groups.get(name) ?? [];
    list.push(s);
    groups.set(name, list);
  }
  return groups;
}

const EXPECTED = 'expected_response';

/** Latency of one outcome: expected_response true (successful) or false (failed). */
function outcome(list: readonly Series[], ok: boolean, tags: Record<string, string>): Series | undefined {
  return combineSeries(
    list.filter((s) => s.tags[EXPECTED] === String(ok)),
    tags,
  );
}

function endpoints(run: RunSummary): EndpointRow[] {
  const durations = byName(run, METRIC.duration);
  const failed = byName(run, METRIC.failed);
  const duration = durationSeconds(run);
  const rows: EndpointRow[] = [];
  for (const [name, list] of durations) {
    const all = combineSeries(list, { name });
    const tagged = list.some((s) => s.tags[EXPECTED] !== undefined);
    const fail = combineSeries(failed.get(name) ?? [], { name });
    const requests = all?.moments.count ?? 0;
    const methods = [...new Set(list.map((s) => s.tags[TAG.method]).filter((m): m is string => !!m))].sort();
    rows.push({
      name,
      methods,
      requests,
      throughputPerS: requests / duration,
      failed: fail?.nonZero ?? 0,
      errorRate: fail?.moments.count ? fail.nonZero / fail.moments.count : 0,
      latency: latencyStats(tagged ? outcome(list, true, { name }) : all),
      failedLatency: tagged ? latencyStats(outcome(list, false, { name })) : null,
    });
  }
  return rows.sort((a, b) => a.name.localeCompare(b.name));
}

/** Failed requests by endpoint, HTTP status and k6 error code, most first. */
function failures(run: RunSummary, rows: readonly EndpointRow[]): FailureRow[] {
  const counts = new Map<string, FailureRow>();
  for (const s of run.series.values()) {
    if (s.metric !== METRIC.failed || s.nonZero === 0 || Object.keys(s.tags).length === 0) continue;
    const endpoint = s.tags[TAG.name] ?? UNNAMED;
    const status = s.tags.status ?? '–';
    const errorCode = s.tags.error_code ?? null;
    const key = `${endpoint}\u0000${status}\u0000${errorCode}`;
    const row = counts.get(key) ?? { endpoint, status, errorCode, count: 0, share: 0 };
    row.count += s.nonZero;
    counts.set(key, row);
  }
  const requests = new Map(rows.map((r) => [r.name, r.requests]));
  return [...counts.values()]
    .map((r) => ({ ...r, share: (requests.get(r.endpoint) ?? 0) > 0 ? r.count / requests.get(r.endpoint)! : 0 }))
    .sort((a, b) => b.count - a.count || a.endpoint.localeCompare(b.endpoint));
}

function checkRows(run: RunSummary): CheckRow[] {
  const rows = new Map<string, CheckRow>();
  for (const s of run.series.values()) {
    if (s.metric !== METRIC.checks || s.tags.check === undefined) continue;
    const group = s.tags.group ? s.tags.group : null;
    const key = `${group ?? ''}\u0000${s.tags.check}`;
    const row = rows.get(key) ?? { name: s.tags.check, group, passes: 0, fails: 0, passRate: 0 };
    row.passes += s.nonZero;
    row.fails += s.moments.count - s.nonZero;
    rows.set(key, row);
  }
  return [...rows.values()].map((r) => ({ ...r, passRate: r.passes + r.fails ? r.passes / (r.passes + r.fails) : 0 })).sort((a, b) => b.fails - a.fails || a.name.localeCompare(b.name));
}

function groupRows(run: RunSummary): GroupRow[] {
  const groups = new Map<string, Series[]>();
  for (const s of run.series.values()) {
    if (s.metric !== 'group_duration' || !s.tags.group) continue;
    groups.set(s.tags.group, [...(groups.get(s.tags.group) ?? []), s]);
  }
  return [...groups].map(([name, list]) => ({ name, duration: latencyStats(combineSeries(list, { group: name })) })).sort((a, b) => a.name.localeCompare(b.name));
}

/** What a metric's values are: its type and k6 `contains` decide, never its name. */
export function metricUnit(type: Series['type'], contains: string): MetricUnit {
  if (type === 'rate') return 'ratio';
  if (contains === 'time') return 'ms';
  if (contains === 'data') return 'bytes';
  return 'count';
}

function metricRow(s: Series, duration: number): MetricRow {
  const m = s.moments;
  const value = s.type === 'counter' ? m.sum : s.type === 'rate' ? (m.count ? s.nonZero / m.count : 0) : s.type === 'gauge' ? s.last : m.mean;
  return {
    metric: s.metric,
    type: s.type,
    contains: s.contains,
    tags: s.tags,
    count: m.count,
    value,
    perSecond: s.type === 'counter' ? m.sum / duration : null,
    min: m.min,
    max: m.max,
    stats: s.type === 'trend' ? latencyStats(s) : null,
    unit: metricUnit(s.type, s.contains),
  };
}

function metricRows(run: RunSummary): MetricRow[] {
  const duration = durationSeconds(run);
  const rows: MetricRow[] = [];
  for (const s of run.series.values()) if (Object.keys(s.tags).length === 0) rows.push(metricRow(s, duration));
  return rows.sort((a, b) => a.metric.localeCompare(b.metric));
}

/** The sub-metrics the run's SLOs name, combined as k6 does (every series matching the filter). */
function subMetricRows(run: RunSummary, keys: readonly string[]): MetricRow[] {
  const duration = durationSeconds(run);
  const rows: MetricRow[] = [];
  for (const key of [...new Set(keys)].sort()) {
    const sel = parseMetricSelector(key);
    if (!sel || Object.keys(sel.tags).length === 0) continue;
    const s = combineSeries(seriesMatching(run, sel.name, sel.tags), sel.tags);
    if (s) rows.push(metricRow(s, duration));
  }
  return rows;
}

/** The report of a run, judged by its recorded SLO set (run.sloSet) plus k6's own thresholds. */
export function buildReport(run: RunSummary): Report {
  const duration = durationSeconds(run);
  const reqs = overall(run, METRIC.requests);
  const failed = overall(run, METRIC.failed);
  const iterations = overall(run, METRIC.iterations);
  const checks = overall(run, METRIC.checks);
  // vus_max is what an open model allocates; vus what ran. The larger is the VUs the run held.
  // Both gauges count the progress guard's VU, which runs through the whole schedule, so the
  // workload's peak is the gauges' peak minus the guard's VUs (when its samples were ingested).
  const progressGuardVus = run.ingest.progressGuardVus ?? 0;
  const vusMax = Math.max(overall(run, 'vus_max')?.moments.max ?? 0, overall(run, METRIC.vus)?.moments.max ?? 0, 0);
  const workloadVusMax = Math.max(0, vusMax - progressGuardVus);
  const durations = [...run.series.values()].filter((s) => s.metric === METRIC.duration && Object.keys(s.tags).length > 0);
  const outcomeTagged = durations.some((s) => s.tags[EXPECTED] !== undefined);
  const endpointRows = endpoints(run);
  const { results: slos, verdict, derived } = judgeRun(run);
  const requests = reqs?.moments.sum ?? overall(run, METRIC.duration)?.moments.count ?? 0;
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
      sloSet: run.sloSet?.name ?? null,
    },
    ingest: { lines: run.ingest.lines, points: run.ingest.points, badLines: run.ingest.badLines, truncated: run.ingest.truncated },
    histogramError: HISTOGRAM_ERROR_NOTE,
    totals: {
      requests,
      throughputPerS: requests / duration,
      failedRequests: failed?.nonZero ?? 0,
      errorRate: failed?.moments.count ? failed.nonZero / failed.moments.count : 0,
      iterations: iterations?.moments.sum ?? 0,
      iterationsPerS: (iterations?.moments.sum ?? 0) / duration,
      droppedIterations: overall(run, METRIC.dropped)?.moments.sum ?? 0,
      vusMax: workloadVusMax,
      progressGuardVus,
      checksPassRate: checks?.moments.count ? checks.nonZero / checks.moments.count : null,
    },
    latency: latencyStats(outcomeTagged ? outcome(durations, true, {}) : overall(run, METRIC.duration)),
    latencyOf: outcomeTagged ? 'successful' : 'all',
    latencyFailed: outcomeTagged ? latencyStats(outcome(durations, false, {})) : null,
    endpoints: endpointRows,
    failures: failures(run, endpointRows),
    checks: checkRows(run),
    groups: groupRows(run),
    metrics: metricRows(run),
    subMetrics: subMetricRows(
      run,
      slos.map((r) => r.metric),
    ),
    slos,
    sloVerdict: verdict,
    derived,
    timeseries: timelinePoints(run),
  };
  return { ...base, recommendations: recommend(base) };
}
