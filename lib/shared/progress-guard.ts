// The progress guard's names and rules, shared by the k6 side (lib/k6/progress-guard.ts, which
// makes a stall fail `k6 run` on its own) and the CLI (which keeps the guard's own iterations
// out of the workload's figures). Pure: no k6/*, no node:*.

/** The k6 scenario the guard runs in; the CLI drops its iterations from every figure. */
export const PROGRESS_GUARD_SCENARIO = 'progress_guard';
/** The guard's VUs. k6's vus and vus_max gauges count them; the report's max VUs leaves them out. */
export const PROGRESS_GUARD_VUS = 1;
/** The exported function the guard scenario executes (each workload re-exports it). */
export const PROGRESS_GUARD_EXEC = 'progressGuard';
/** Counter the guard adds 1 to per stall; the threshold `count<1` makes k6 exit 99. */
export const PROGRESS_STALLS_METRIC = 'progress_stalls';
/** Shortest no-progress window that is a stall (GC pauses and single slow requests are shorter). */
export const STALL_MIN_SECONDS = 5;
/** A window must also span this many mean gaps between completions (think times, long iterations). */
export const STALL_GAPS = 5;

/**
 * The request timeout a workload's SLO set implies when HTTP_TIMEOUT is unset: ten times the
 * largest fail level on a latency (ms) SLO, bounded to [5 s, 60 s]; 30 s without one. A hung
 * request then ends as a failed request inside the run instead of holding its VU forever.
 */
export function derivedHttpTimeout(slos: ReadonlyArray<{ metric: string; fail?: number; unit?: string }>): string {
  const levels = slos.filter((s) => s.fail !== undefined && s.metric.startsWith('http_req_') && s.metric !== 'http_req_failed' && (s.unit === undefined || s.unit === 'ms')).map((s) => s.fail!);
  if (levels.length === 0) return '30s';
  const ms = Math.min(60_000, Math.max(5_000, 10 * Math.max(...levels)));
  return `${Math.round(ms)}ms`;
}

/** Seconds without a completed workload iteration, with workload VUs active, that make a stall. */
export function stallWindowSeconds(activeSeconds: number, completed: number): number {
  const meanGap = completed > 0 ? activeSeconds / completed : 0;
  return Math.max(STALL_MIN_SECONDS, STALL_GAPS * meanGap);
}
