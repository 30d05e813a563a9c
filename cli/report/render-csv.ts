// One row per endpoint (plus "all"), flat columns for spreadsheets; papaparse does the quoting.
import Papa from 'papaparse';
import type { Report } from './report-types.ts';

export const CSV_COLUMNS = ['endpoint', 'methods', 'requests', 'throughput_per_s', 'failed', 'error_rate', 'min_ms', 'max_ms', 'mean_ms', 'median_ms', 'p90_ms', 'p95_ms', 'p99_ms', 'stddev_ms'] as const;

export function renderCsv(r: Report): string {
  const rows: Array<Record<(typeof CSV_COLUMNS)[number], string | number>> = [];
  const add = (endpoint: string, methods: string[], requests: number, tput: number, failed: number, errorRate: number, l: Report['latency']) =>
    rows.push({
      endpoint,
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
  add('all', [], r.totals.requests, r.totals.throughputPerS, r.totals.failedRequests, r.totals.errorRate, r.latency);
  for (const e of r.endpoints) add(e.name, e.methods, e.requests, e.throughputPerS, e.failed, e.errorRate, e.latency);
  return Papa.unparse({ fields: [...CSV_COLUMNS], data: rows.map((row) => CSV_COLUMNS.map((c) => row[c])) }) + '\n';
}
