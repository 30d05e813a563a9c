// The shape of report.json (schemaVersion 1). report.schema.json must describe exactly this;
// the tests validate real reports against it with ajv.
import type { GeneratorFigures } from '../figures/generator.ts';
import type { ProgressFigures } from '../figures/progress.ts';
import type { RecoveryFigure } from '../figures/recovery.ts';
import type { ResourceFigures } from '../figures/resources.ts';
import type { ServerClientCounts } from '../figures/server-metrics.ts';

export interface LatencyStats {
  count: number;
  min: number;
  max: number;
  mean: number;
  median: number;
  p90: number;
  p95: number;
  p99: number;
  stddev: number;
}

export interface EndpointRow {
  name: string;
  methods: string[];
  requests: number;
  throughputPerS: number;
  failed: number;
  errorRate: number;
  /** Successful requests only (expected_response:true); a failure is no latency sample. */
  latency: LatencyStats | null;
  /** Failed requests (expected_response:false), their own row. */
  failedLatency: LatencyStats | null;
}

/** Failed requests of one endpoint with one HTTP status and k6 error code. */
export interface FailureRow {
  endpoint: string;
  /** HTTP status as k6 tags it ("0": no response). */
  status: string;
  /** k6 error_code tag (1xxx network, 1050 timeout ...); null when k6 set none. */
  errorCode: string | null;
  count: number;
  /** Share of the endpoint's requests. */
  share: number;
}

export interface CheckRow {
  name: string;
  group: string | null;
  passes: number;
  fails: number;
  passRate: number;
}

export interface GroupRow {
  name: string;
  duration: LatencyStats | null;
}

export interface MetricRow {
  metric: string;
  type: 'counter' | 'gauge' | 'rate' | 'trend';
  contains: string;
  tags: Record<string, string>;
  count: number;
  /** counter: sum; rate: fraction of non-zero values; gauge: last value; trend: mean. */
  value: number;
  perSecond: number | null;
  min: number;
  max: number;
  stats: LatencyStats | null;
  /** From the metric's type and k6 `contains`: ms only for time. */
  unit: MetricUnit;
}

export type MetricUnit = 'ms' | 'bytes' | 'ratio' | 'count';

export type SloLevel = 'fail' | 'warn';
/** inconclusive: the run says nothing about the target (generator saturated); never a pass. */
export type SloVerdict = 'pass' | 'warn' | 'fail' | 'unknown' | 'inconclusive';

export interface SloResult {
  id: string | null;
  metric: string;
  /** The fail-level expression (or warn/target when the SLO has no fail level). */
  expression: string;
  /** The warn-level expression, when the SLO has one besides a fail level. */
  warnExpression: string | null;
  targetExpression: string | null;
  /** Whether the target (goal) level holds; null without a target or data. */
  targetMet: boolean | null;
  observed: number | null;
  verdict: SloVerdict;
  /** implicit: a row every run gets (progress, generator), not from an SLO set. */
  source: 'k6-summary' | 'thresholds-file' | 'implicit';
  detail: string;
}

export interface Recommendation {
  type: string;
  priority: 'high' | 'medium' | 'low';
  message: string;
}

export interface Derived {
  recovery: RecoveryFigure | null;
  concurrencyScaling: {
    tag: string;
    levels: Array<{ level: string; concurrency: number; p95Ms: number }>;
    worstGrowthPer2_5xPct: number | null;
    detail: string;
  } | null;
  /** Offered arrival rate at the first fail-level break (cli/figures/breaking-point.ts); `cause` says which break. */
  breakingPoint: { arrivalRatePerS: number; atS: number; cause: 'slo' | 'dropped' | 'aborted'; reason: string } | null;
  docketFinality: LatencyStats | null;
  /** Iterations started ÷ offered (started + dropped), cli/figures/achieved-rate.ts; null: no iterations. */
  achievedRate?: { ratio: number; iterations: number; dropped: number } | null;
  /** The local server's process figures from resources.csv; null when the run has none. */
  resources?: ResourceFigures | null;
  /** Stall windows and guard stalls (the implicit `progress` row). */
  progress?: ProgressFigures | null;
  /** Whether k6 itself was the bottleneck (the implicit `generator` row); set by the judge. */
  generator?: GeneratorFigures | null;
}

export interface TimePoint {
  t: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  rps: number;
  errors: number;
  errorRate: number | null;
  vus: number;
  iterationsPerS: number;
  dropped: number;
  /** Seconds of the bucket inside the run; rates are per covered second. */
  coveredS: number;
}

export interface Report {
  schemaVersion: 1;
  generatedAt: string;
  tool: { name: 'ledger-perf'; version: string };
  run: {
    workload: string | null;
    profile: string | null;
    scriptHash: string | null;
    k6Version: string | null;
    testId: string | null;
    baseUrl: string | null;
    exitCode: number | null;
    startedAt: string;
    endedAt: string;
    durationS: number;
    segments: number;
    sources: string[];
    /** The SLO set the run was judged by; null: k6's own thresholds only. */
    sloSet: string | null;
  };
  ingest: { lines: number; points: number; badLines: number; truncated: string[] };
  histogramError: string;
  totals: {
    requests: number;
    throughputPerS: number;
    failedRequests: number;
    errorRate: number;
    iterations: number;
    iterationsPerS: number;
    droppedIterations: number;
    /** The workload's peak VUs: k6's vus/vus_max peak minus the progress guard's VUs. */
    vusMax: number;
    /** VUs of the progress guard left out of vusMax (0 when the output had no guard samples). */
    progressGuardVus: number;
    checksPassRate: number | null;
  };
  /** Successful requests (expected_response:true); all requests when the tag is absent. */
  latency: LatencyStats | null;
  /** Which requests `latency` covers. */
  latencyOf: 'successful' | 'all';
  latencyFailed: LatencyStats | null;
  endpoints: EndpointRow[];
  failures: FailureRow[];
  checks: CheckRow[];
  groups: GroupRow[];
  metrics: MetricRow[];
  /** Tagged series the SLOs name (k6 sub-metrics such as http_req_duration{name:submit}). */
  subMetrics: MetricRow[];
  slos: SloResult[];
  sloVerdict: SloVerdict;
  derived: Derived;
  recommendations: Recommendation[];
  timeseries: { bucketS: number; points: TimePoint[] };
  /** Server-side vs client-side counts, when the run folder holds the server's counters (cli/figures/server-metrics.ts). */
  serverCounts?: ServerClientCounts;
}
