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

/** The phases of one HTTP request that k6 reports beside http_req_duration (its sub-timings). */
export const HTTP_SUB_TIMINGS = ['http_req_blocked', 'http_req_connecting', 'http_req_tls_handshaking', 'http_req_sending', 'http_req_waiting', 'http_req_receiving'] as const;
