// One row per endpoint (plus "all") and outcome: latency columns of successful requests, and a
// "failed" row per endpoint with failed requests' latency; papaparse does the quoting.
import Papa from 'papaparse';
import type { Report } from './report-types.ts';

export const CSV_COLUMNS = [
  'endpoint',
  'outcome',
  'methods',
  'requests',
  'throughput_per_s',
  'failed',
  'error_rate',
  'min_ms',
  'max_ms',
  'mean_ms',
  'median_ms',
  'p90_ms',
  'p95_ms',
  'p99_ms',
  'stddev_ms',
] as const;

export function renderCsv(r: Report): string {
  const rows: Array<Record<(typeof CSV_COLUMNS)[number], string | number>> = [];
  const ok = r.latencyOf === 'successful' ? 'successful' : 'all';
  const add = (endpoint: string, outcome: string, methods: string[], requests: number | string, tput: number | string, failed: number | string, errorRate: number | string, l: Report['latency']) =>
    rows.push({
      endpoint,
      outcome,
      methods: methods.join(' '),
      requests,
      throughput_per_s: tput,
      failed,
      error_rate: errorRate,
      min_ms: l?.min ?? '',
      max_ms: l?.max ?? '',
      mean_ms: l?.mean ?? '',
      median_ms: l?.median ?? '',
      p90_ms: l?.p90 ?? '',
      p95_ms: l?.p95 ?? '',
      p99_ms: l?.p99 ?? '',
      stddev_ms: l?.stddev ?? '',
    });
  add('all', ok, [], r.totals.requests, r.totals.throughputPerS, r.totals.failedRequests, r.totals.errorRate, r.latency);
  if (r.latencyFailed) add('all', 'failed', [], '', '', r.totals.failedRequests, '', r.latencyFailed);
  for (const e of r.endpoints) {
    add(e.name, ok, e.methods, e.requests, e.throughputPerS, e.failed, e.errorRate, e.latency);
    if (e.failedLatency) add(e.name, 'failed', e.methods, '', '', e.failed, '', e.failedLatency);
  }
  return `${Papa.unparse({ fields: [...CSV_COLUMNS], data: rows.map((row) => CSV_COLUMNS.map((c) => row[c])) })}\n`;
}
