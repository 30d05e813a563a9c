// k6 built-in metric names and the tags the analysis reads, spelled once.

export const METRIC = {
  duration: 'http_req_duration',
  requests: 'http_reqs',
  failed: 'http_req_failed',
  iterations: 'iterations',
  dropped: 'dropped_iterations',
  checks: 'checks',
  vus: 'vus',
  docketFinality: 'docket_finality',
} as const;

export const TAG = {
  name: 'name',
  method: 'method',
  scenario: 'scenario',
  /** recovery workload: baseline / burst / recovery. */
  phase: 'phase',
  /** stepped profiles: the step's label ("stress" is a ramp to failure). */
  step: 'step',
  /** concurrency workload: the level's VU count. */
  concurrency: 'concurrency',
} as const;
