// SLO verdicts at two levels: fail (what k6 enforces as a threshold) and warn (an early
// warning k6 has no notion of). Sources: the thresholds file named in run.json, else the
// thresholds k6 itself evaluated (summary.json).
import type { RunSummary } from '../model/run-summary.ts';
import type { Derived, SloResult, SloVerdict } from './report-types.ts';
import { holds, observe, parseExpression, selectSeries } from './threshold-expr.ts';

/**
 * Figures the report derives, usable as SLO metrics (thresholds entries with
 * "evaluate": "report"); the aggregation is ignored, the figure is the value. A recovery that
 * never happens counts as an infinite recovery time.
 */
export const DERIVED_METRICS: Record<string, (d: Derived) => number | null> = {
  recovery_time_s: (d) => (d.recovery ? (d.recovery.recoveryTimeS ?? Infinity) : null),
  /** Percent (thresholds/workload-concurrency.json: "unit": "%"). */
  latency_growth_per_2_5x: (d) => d.concurrencyScaling?.worstGrowthPer2_5xPct ?? null,
  breaking_point_rps: (d) => d.breakingPoint?.arrivalRatePerS ?? null,
  /** Bytes/s (thresholds/system-stress.json), from resources.csv. */
  target_memory_growth_bytes_per_s: (d) => d.resources?.memoryGrowthBytesPerS ?? null,
};

export interface SloSpec {
  id?: string;
  /** Metric selector, e.g. "http_req_duration{name:submit}". */
  metric: string;
  fail: string | null;
  warn: string | null;
  target?: string | null;
  /** The metric is a figure the report derives (recovery_time_s ...), not a k6 metric. */
  derived?: boolean;
  source: SloResult['source'];
  /** For k6-summary SLOs: k6's own verdict, which wins over our recomputation. */
  k6Failed?: boolean;
}

export function specsFromK6Summary(run: RunSummary): SloSpec[] {
  return run.k6Thresholds.map((t) => ({ metric: t.metric, fail: t.expression, warn: null, source: 'k6-summary', k6Failed: t.failed ?? undefined }));
}

function check(run: RunSummary, metric: string, expression: string, derived?: Derived): { observed: number | null; ok: boolean | null } {
  const parsed = parseExpression(expression);
  const figure = derived ? DERIVED_METRICS[metric] : undefined;
  if (figure) {
    const observed = parsed ? figure(derived!) : null;
    return { observed, ok: observed === null || !parsed ? null : holds(observed, parsed) };
  }
  const s = selectSeries(run, metric);
  if (!parsed || !s || s.moments.count === 0) return { observed: null, ok: null };
  const observed = observe(run, s, parsed);
  return { observed, ok: observed === null ? null : holds(observed, parsed) };
}

export function evaluateSlos(run: RunSummary, specs: readonly SloSpec[], derived?: Derived): SloResult[] {
  return specs.map((spec) => {
    const expr = spec.fail ?? spec.warn ?? spec.target ?? '';
    const d = spec.derived || DERIVED_METRICS[spec.metric] ? derived : undefined;
    const failCheck = spec.fail ? check(run, spec.metric, spec.fail, d) : { observed: null, ok: null };
    const warnCheck = spec.warn ? check(run, spec.metric, spec.warn, d) : { observed: null, ok: null };
    const targetCheck = spec.target ? check(run, spec.metric, spec.target, d) : { observed: null, ok: null };
    let verdict: SloVerdict;
    let detail: string;
    const failed = spec.k6Failed ?? (failCheck.ok === null ? null : !failCheck.ok);
    if (failed === true) {
      verdict = 'fail';
      detail = spec.k6Failed !== undefined ? 'k6 reported this threshold as crossed' : `fail level crossed: ${spec.fail}`;
    } else if (warnCheck.ok === false) {
      verdict = 'warn';
      detail = `warn level crossed: ${spec.warn}`;
    } else if (failed === false || warnCheck.ok === true || targetCheck.ok !== null) {
      verdict = 'pass';
      detail = spec.k6Failed !== undefined ? 'k6 reported this threshold as met' : 'within all levels';
    } else {
      verdict = 'unknown';
      detail = parseExpression(expr) ? 'the run has no data for this metric' : `cannot evaluate expression ${JSON.stringify(expr)}`;
    }
    if (targetCheck.ok === false) detail += `; target not met (${spec.target})`;
    return {
      id: spec.id ?? null,
      metric: spec.metric,
      expression: expr,
      warnExpression: spec.fail ? spec.warn : null,
      targetExpression: spec.target ?? null,
      targetMet: targetCheck.ok,
      observed: failCheck.observed ?? warnCheck.observed ?? targetCheck.observed,
      verdict,
      source: spec.source,
      detail,
    };
  });
}

export function overallVerdict(results: readonly SloResult[]): SloVerdict {
  if (results.some((r) => r.verdict === 'fail')) return 'fail';
  if (results.some((r) => r.verdict === 'warn')) return 'warn';
  if (results.length > 0 && results.every((r) => r.verdict === 'unknown')) return 'unknown';
  return 'pass';
}
