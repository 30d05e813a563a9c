// What a suite records: one record per run with the figures and the SLO verdict of that run's
// report (cli/, the one judge), and the suite as a whole. suite.json is this, as JSON.
import type { Report, SloVerdict } from '../../cli/report/report-types.ts';

/** The figures a suite summary shows per run: taken from the run's report, never recomputed. */
export interface RunFigures {
  requests: number;
  requestRate: number;
  iterations: number;
  iterationRate: number;
  p95Ms: number | null;
  p99Ms: number | null;
  errorRate: number;
  checksRate: number | null;
  droppedIterations: number;
  /** SLOs at fail level, as "<id or metric>: <expression>". */
  failedSlos: string[];
  /** Why the run says nothing about the target (a saturated generator), as "<id>: <detail>"; empty otherwise. */
  inconclusive: string[];
  breakingPoint: Report['derived']['breakingPoint'];
}

export type RunOutcome = 'passed' | 'failed' | 'breaking-point' | 'error';

export interface SuiteRunRecord {
  label: string;
  workload: string;
  profile: string;
  repeat: number;
  repeats: number;
  env: Record<string, string>;
  /** Relative to the suite folder. */
  runDir: string | null;
  exitCode: number | null;
  outcome: RunOutcome;
  /** The run's report verdict (`ledger-perf report`); null when no report could be made. */
  sloVerdict: SloVerdict | null;
  durationSeconds: number;
  figures: RunFigures | null;
  error?: string;
}

export interface SuiteSummary {
  schemaVersion: 2;
  plan: string;
  planFile: string;
  description?: string;
  source?: string;
  baseUrl: string;
  target: 'local-reference' | 'external';
  startedAt: string;
  endedAt: string | null;
  stoppedEarly: boolean;
  plannedRuns: number;
  runs: SuiteRunRecord[];
  exitCode: number | null;
}

/** k6 exits 99 when thresholds are crossed (including an abortOnFail abort). */
export const K6_THRESHOLDS_FAILED = 99;

export function figuresOf(report: Report): RunFigures {
  const t = report.totals;
  return {
    requests: t.requests,
    requestRate: t.throughputPerS,
    iterations: t.iterations,
    iterationRate: t.iterationsPerS,
    p95Ms: report.latency?.p95 ?? null,
    p99Ms: report.latency?.p99 ?? null,
    errorRate: t.errorRate,
    checksRate: t.checksPassRate,
    droppedIterations: t.droppedIterations,
    failedSlos: report.slos.filter((s) => s.verdict === 'fail').map((s) => `${s.id ?? s.metric}: ${s.expression}`),
    inconclusive: report.slos.filter((s) => s.verdict === 'inconclusive').map((s) => `${s.id ?? s.metric}: ${s.detail}`),
    breakingPoint: report.derived.breakingPoint,
  };
}

/**
 * A run passes when k6 exited 0 and its report verdict is pass or warn. A ramp-to-failure run
 * that k6 stopped on its thresholds, with a breaking point found, did what it is for.
 */
export function outcomeOf(exitCode: number, report: Report, rampToFailure: boolean): RunOutcome {
  if (rampToFailure && exitCode === K6_THRESHOLDS_FAILED && report.derived.breakingPoint) return 'breaking-point';
  return exitCode === 0 && (report.sloVerdict === 'pass' || report.sloVerdict === 'warn') ? 'passed' : 'failed';
}

export const isBad = (r: SuiteRunRecord) => r.outcome === 'failed' || r.outcome === 'error';

export function suiteTimestamp(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
}

/** "01-<label>[-r<repeat>]": at least two digits, more when the plan has 100+ runs. */
export function runFolderName(n: number, total: number, label: string, repeat: number, repeats: number): string {
  const width = Math.max(2, String(total).length);
  return `${String(n).padStart(width, '0')}-${label}${repeats > 1 ? `-r${repeat}` : ''}`;
}
