// The rows that gate `compare`'s exit code, declared per workload: what the workload exists to
// measure. Holm's family-wise control runs over these rows only, so the family stays small
// enough for 5 vs 5 runs (smallest p 0.008 < 0.05/6) and every other row is informational.
// `--primary` overrides the declaration.

/** Any workload without its own declaration: latency at the median and the tail, throughput, errors, checks. */
export const DEFAULT_PRIMARY = ['http_req_duration p50', 'http_req_duration p95', 'http_reqs rate', 'iterations rate', 'http_req_failed rate', 'checks rate'];

const BY_WORKLOAD: Record<string, string[]> = {
  // Time from submission to a sealed docket is the figure; request latency is secondary.
  'docket-finality': ['docket_finality p50', 'docket_finality p95', 'iterations rate', 'http_req_failed rate', 'checks rate'],
  // Delivered rate first, then what it cost in latency.
  throughput: ['http_reqs rate', 'iterations rate', 'http_req_duration p95', 'http_req_failed rate', 'checks rate'],
};

export function primaryMetricsFor(workload: string | undefined): { ids: string[]; source: string } {
  const declared = workload !== undefined ? BY_WORKLOAD[workload] : undefined;
  return declared ? { ids: declared, source: `declared for workload ${workload}` } : { ids: DEFAULT_PRIMARY, source: 'default' };
}
