// The one list of metrics an SLO may name: k6's built-ins (k6 v2.2.0 and v1.8; the same set)
// and the project's custom metrics. lib/k6/metrics.ts and lib/k6/workload-metrics.ts create
// their k6 metrics from this data, so a metric cannot exist in a script without being listed
// here; the SLO loader (cli/slo/load.ts) and the report's units read it too. Pure data.

export type MetricType = 'counter' | 'gauge' | 'rate' | 'trend';
/** k6's `contains`: what a value is; a Trend of counts is "default", not milliseconds. */
export type MetricContains = 'time' | 'data' | 'default';

export interface MetricInfo {
  type: MetricType;
  contains: MetricContains;
  description: string;
}

// No side effects: k6 bundles that use only CUSTOM_METRICS drop the other tables.
const m = /* @__NO_SIDE_EFFECTS__ */ (type: MetricType, contains: MetricContains, description: string): MetricInfo => ({ type, contains, description });

/** k6 built-in metrics (https://grafana.com/docs/k6/latest/using-k6/metrics/reference/). */
export const K6_BUILTIN_METRICS: Readonly<Record<string, MetricInfo>> = {
  checks: m('rate', 'default', 'share of successful checks'),
  data_received: m('counter', 'data', 'bytes received'),
  data_sent: m('counter', 'data', 'bytes sent'),
  dropped_iterations: m('counter', 'default', 'iterations the executor could not start'),
  group_duration: m('trend', 'time', 'time to run a group'),
  http_req_blocked: m('trend', 'time', 'time blocked before the request'),
  http_req_connecting: m('trend', 'time', 'TCP connect time'),
  http_req_duration: m('trend', 'time', 'request time (sending + waiting + receiving)'),
  http_req_failed: m('rate', 'default', 'share of failed requests (responseCallback)'),
  http_req_receiving: m('trend', 'time', 'time receiving the response'),
  http_req_sending: m('trend', 'time', 'time sending the request'),
  http_req_tls_handshaking: m('trend', 'time', 'TLS handshake time'),
  http_req_waiting: m('trend', 'time', 'time to first byte'),
  http_reqs: m('counter', 'default', 'HTTP requests'),
  iteration_duration: m('trend', 'time', 'time of one full iteration'),
  iterations: m('counter', 'default', 'completed iterations'),
  vus: m('gauge', 'default', 'active virtual users'),
  vus_max: m('gauge', 'default', 'allocated virtual users'),
  // Other k6 protocols, so an SLO set written for them is not rejected as a typo.
  ws_connecting: m('trend', 'time', 'WebSocket connect time'),
  ws_msgs_received: m('counter', 'default', 'WebSocket messages received'),
  ws_msgs_sent: m('counter', 'default', 'WebSocket messages sent'),
  ws_ping: m('trend', 'time', 'WebSocket ping round trip'),
  ws_session_duration: m('trend', 'time', 'WebSocket session time'),
  ws_sessions: m('counter', 'default', 'WebSocket sessions'),
  grpc_req_duration: m('trend', 'time', 'gRPC request time'),
  grpc_streams: m('counter', 'default', 'gRPC streams'),
  grpc_streams_msgs_received: m('counter', 'default', 'gRPC stream messages received'),
  grpc_streams_msgs_sent: m('counter', 'default', 'gRPC stream messages sent'),
};

/**
 * The project's custom metrics (type and contains; names are part of the report contract). The
 * descriptions are a separate table so k6 bundles, which need only these two, do not carry them.
 */
export const CUSTOM_METRICS = {
  transactions_accepted: { type: 'counter', contains: 'default' },
  transactions_rejected: { type: 'counter', contains: 'default' },
  transaction_success: { type: 'rate', contains: 'default' },
  signing_duration: { type: 'trend', contains: 'time' },
  docket_finality: { type: 'trend', contains: 'time' },
  docket_cadence: { type: 'trend', contains: 'time' },
  docket_sealed: { type: 'rate', contains: 'default' },
  docket_verification: { type: 'rate', contains: 'default' },
  dockets_verified: { type: 'counter', contains: 'default' },
  malformed_rejected: { type: 'rate', contains: 'default' },
  malformed_server_errors: { type: 'counter', contains: 'default' },
} as const satisfies Record<string, Omit<MetricInfo, 'description'>>;

const CUSTOM_METRIC_DESCRIPTIONS: Readonly<Record<keyof typeof CUSTOM_METRICS, string>> = {
  transactions_accepted: 'transactions the system under test acknowledged with isValid && added',
  transactions_rejected: 'transactions answered with anything else (rejections, conflicts, errors)',
  transaction_success: 'share of submissions accepted (the business error rate)',
  signing_duration: 'generator time spent signing one transaction locally (SIGNING=local)',
  docket_finality: 'submission sent -> transaction observed with a docketNumber',
  docket_cadence: "time between consecutive dockets' timeStamp",
  docket_sealed: 'share of submissions seen sealed before FINALITY_TIMEOUT_S',
  docket_verification: 'share of sealed dockets whose Merkle root, hash and chain link verified',
  dockets_verified: 'dockets verified client-side',
  malformed_rejected: 'share of malformed requests answered with a 4xx',
  malformed_server_errors: 'malformed requests answered with a 5xx',
};

export type CustomMetricName = keyof typeof CUSTOM_METRICS;

/** Every metric a k6 run of this project can emit. */
export const KNOWN_METRICS: Readonly<Record<string, MetricInfo>> = /* @__PURE__ */ withCustomMetrics(K6_BUILTIN_METRICS);

/* @__NO_SIDE_EFFECTS__ */
function withCustomMetrics(builtins: Readonly<Record<string, MetricInfo>>): Record<string, MetricInfo> {
  const all: Record<string, MetricInfo> = { ...builtins };
  for (const name of Object.keys(CUSTOM_METRICS) as Array<keyof typeof CUSTOM_METRICS>) all[name] = { ...CUSTOM_METRICS[name], description: CUSTOM_METRIC_DESCRIPTIONS[name] };
  return all;
}

/** Aggregations k6 accepts per metric type (k6 thresholds). */
export const AGGREGATIONS_BY_TYPE: Readonly<Record<MetricType, readonly string[]>> = {
  trend: ['avg', 'min', 'max', 'med', 'p(N)'],
  rate: ['rate'],
  counter: ['count', 'rate'],
  gauge: ['value', 'min', 'max'],
};

/** k6 system tags (options.systemTags can enable any of them). */
export const K6_SYSTEM_TAGS = [
  'check',
  'error',
  'error_code',
  'expected_response',
  'group',
  'ip',
  'iter',
  'method',
  'name',
  'ocsp_status',
  'proto',
  'scenario',
  'service',
  'status',
  'subproto',
  'tls_version',
  'url',
  'vu',
  'rpc_type',
] as const;

/** Tags the project's scripts set (options.tags, request tags, scenario tags). */
export const PROJECT_TAGS = ['testid', 'workload', 'profile', 'corridor', 'concurrency', 'level', 'malformed', 'pacing', 'payload_size', 'phase', 'step', 'user_class', 'instance_id'] as const;

export const KNOWN_TAGS: readonly string[] = /* @__PURE__ */ ([] as string[]).concat(K6_SYSTEM_TAGS, PROJECT_TAGS);

/** Levenshtein distance, for "did you mean" hints. */
export function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j]!;
      prev[j] = Math.min(up + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length]!;
}

/** The closest candidate when it is plausibly a typo (distance at most a third of the length, min 2). */
export function nearestName(name: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const d = editDistance(name.toLowerCase(), c.toLowerCase());
    if (d < bestD) [best, bestD] = [c, d];
  }
  return best !== undefined && bestD <= Math.max(2, Math.floor(name.length / 3)) ? best : undefined;
}
