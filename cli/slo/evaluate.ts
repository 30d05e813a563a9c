// The one SLO evaluator: every verdict (report, compare, suite, npm start) comes from here.
// A level holds when `<aggregation(metric)> <operator> <level>` does (lib/shared/slo.ts holds);
// fail beats warn beats pass; no data is "unknown", and an empty SLO set is never a pass.
import { holds, parseMetricSelector, thresholdExpression } from '../../lib/shared/slo.ts';
import type { RunSummary, Series } from '../model/run-summary.ts';
import { durationSeconds, overall, seriesMatching } from '../model/run-summary.ts';
import { combineSeries } from '../model/series-ops.ts';
import type { Derived, SloResult, SloVerdict } from '../report/report-types.ts';
import { quantiles } from '../stats/histogram.ts';
import type { Slo } from './slo.ts';

/**
 * Figures the report derives, usable as SLO metrics ("evaluate": "report"); the aggregation is
 * ignored, the figure is the value. A recovery that never happens is an infinite recovery time;
 * one the run cannot judge (baseline too short, nothing measured after the burst) is no data.
 */
export const DERIVED_METRICS: Record<string, (d: Derived) => number | null> = {
  recovery_time_s: (d) => (!d.recovery || d.recovery.status === 'unknown' ? null : (d.recovery.recoveryTimeS ?? Infinity)),
  /** Percent (thresholds/workload-concurrency.json: "unit": "%"). */
  latency_growth_per_2_5x: (d) => d.concurrencyScaling?.worstGrowthPer2_5xPct ?? null,
  breaking_point_rps: (d) => d.breakingPoint?.arrivalRatePerS ?? null,
  /** Ratio 0..1: iterations ÷ (iterations + dropped_iterations), seed 004's "TPS achieved". */
  achieved_rate_ratio: (d) => d.achievedRate?.ratio ?? null,
  /** Bytes/s (thresholds/system-stress.json), from the run folder's resources.csv. */
  target_memory_growth_bytes_per_s: (d) => d.resources?.memoryGrowthBytesPerS ?? null,
};

/**
 * Derived figures the run has but could not judge, with the reason: their SLOs are
 * "inconclusive" (never a pass, --check exits non-zero), not "unknown", which a run's other
 * passing SLOs would outvote. A missing figure (no phase tags) stays unknown.
 */
export const DERIVED_NOT_JUDGED: Record<string, (d: Derived) => string | null> = {
  recovery_time_s: (d) => (d.recovery?.status === 'unknown' ? d.recovery.detail : null),
};

/** The series an SLO's selector names: the whole metric, or its tagged series combined. */
export function selectSeries(run: RunSummary, metric: string, tags: Record<string, string>): Series | undefined {
  if (Object.keys(tags).length === 0) return overall(run, metric);
  return combineSeries(seriesMatching(run, metric, tags), tags);
}

function observe(run: RunSummary, slo: Slo, derived: Derived): number | null {
  if (slo.derived || DERIVED_METRICS[slo.metric]) return DERIVED_METRICS[slo.metric]?.(derived) ?? null;
  const s = selectSeries(run, slo.metric, slo.tags);
  const a = slo.aggregation;
  if (!s || !a || s.moments.count === 0) return null;
  const m = s.moments;
  switch (a.kind) {
    case 'avg':
      return m.mean;
    case 'min':
      return m.min;
    case 'max':
      return m.max;
    case 'med':
      return s.hist ? quantiles(s.hist, [0.5], m.min, m.max)[0]! : null;
    case 'percentile':
      return s.hist ? quantiles(s.hist, [a.percentile / 100], m.min, m.max)[0]! : null;
    case 'count':
      return s.type === 'counter' ? m.sum : m.count;
    case 'rate':
      if (s.type === 'rate') return m.count ? s.nonZero / m.count : 0;
      if (s.type === 'counter') return m.sum / durationSeconds(run);
      return null;
    case 'value':
      return s.last;
  }
}

function expression(slo: Slo, level: number | undefined): string | null {
  return level === undefined ? null : thresholdExpression({ aggregation: slo.aggregationText, operator: slo.operator }, level);
}

export function evaluateSlo(run: RunSummary, slo: Slo, derived: Derived): SloResult {
  const observed = observe(run, slo, derived);
  const check = (level: number | undefined): boolean | null => (level === undefined || observed === null ? null : holds(observed, slo.operator, level));
  const failed = slo.fail === undefined ? null : typeof slo.k6Failed === 'boolean' ? slo.k6Failed : check(slo.fail) === null ? null : !check(slo.fail);
  const warnOk = check(slo.warn);
  const targetOk = check(slo.target);
  const fromK6 = typeof slo.k6Failed === 'boolean';
  let verdict: SloVerdict;
  let detail: string;
  if (failed === true) {
    verdict = 'fail';
    detail = fromK6 ? 'k6 reported this threshold as crossed' : `fail level crossed: ${expression(slo, slo.fail)}`;
  } else if (warnOk === false) {
    verdict = 'warn';
    detail = `warn level crossed: ${expression(slo, slo.warn)}`;
  } else if (failed === false || warnOk === true || targetOk !== null) {
    verdict = 'pass';
    detail = fromK6 ? 'k6 reported this threshold as met' : 'within all levels';
  } else {
    verdict = 'unknown';
    detail = slo.aggregation || slo.derived ? 'the run has no data for this metric' : `cannot evaluate aggregation ${JSON.stringify(slo.aggregationText)}`;
  }
  const notJudged = observed === null && (slo.derived || DERIVED_METRICS[slo.metric]) ? DERIVED_NOT_JUDGED[slo.metric]?.(derived) : null;
  if (notJudged) {
    verdict = 'inconclusive';
    detail = `inconclusive: ${notJudged}`;
  }
  if (targetOk === false) detail += `; target not met (${expression(slo, slo.target)})`;
  return {
    id: slo.id,
    metric: slo.key,
    expression: expression(slo, slo.fail ?? slo.warn ?? slo.target) ?? slo.aggregationText,
    warnExpression: slo.fail !== undefined ? expression(slo, slo.warn) : null,
    targetExpression: expression(slo, slo.target),
    targetMet: targetOk,
    observed,
    verdict,
    source: slo.source,
    detail,
  };
}

export function evaluateSlos(run: RunSummary, slos: readonly Slo[], derived: Derived): SloResult[] {
  return slos.map((s) => evaluateSlo(run, s, derived));
}

/**
 * inconclusive > fail > warn > pass: a saturated generator says nothing about the target, so not
 * even its fails are the target's. No SLOs, or none with data, is "unknown" (fails closed); the
 * implicit rows (progress, generator) never make a run without SLOs pass.
 */
export function overallVerdict(results: readonly SloResult[]): SloVerdict {
  // A saturated generator voids every figure of the run, a failed target SLO included; a single
  // SLO that could not be judged (recovery after too short a baseline) must not hide a real fail.
  if (results.some((r) => r.verdict === 'inconclusive' && r.source === 'implicit')) return 'inconclusive';
  if (results.some((r) => r.verdict === 'fail')) return 'fail';
  if (results.some((r) => r.verdict === 'inconclusive')) return 'inconclusive';
  if (results.some((r) => r.verdict === 'warn')) return 'warn';
  const declared = results.filter((r) => r.source !== 'implicit');
  if (declared.length === 0 || declared.every((r) => r.verdict === 'unknown')) return 'unknown';
  return 'pass';
}

/** Whether a verdict lets a run pass a gate (report --check, suite, segments): only pass and warn. */
export function verdictPasses(v: SloVerdict): boolean {
  return v === 'pass' || v === 'warn';
}

/** selectSeries for a selector string ("metric{tag:value}"); undefined when it is malformed. */
export function seriesBySelector(run: RunSummary, selector: string): Series | undefined {
  const parsed = parseMetricSelector(selector);
  return parsed ? selectSeries(run, parsed.name, parsed.tags) : undefined;
}
