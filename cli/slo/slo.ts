// The typed SLO the evaluator judges: selector parsed once, aggregation typed, levels numbers.
// Two sources make them: an SLO set (thresholds/*.json, the run folder's thresholds.json) and,
// for runs without one or for thresholds k6 enforced beyond the set (profile abort rules), the
// thresholds k6 itself evaluated (summary.json).
import { type Aggregation, type Operator, parseAggregation, parseMetricSelector, type ThresholdsFile, thresholdExpression, thresholdKey } from '../../lib/shared/slo.ts';
import type { K6ThresholdResult } from '../run-folder/summary-json.ts';
import { DERIVED_METRICS } from './evaluate.ts';

export type SloSource = 'thresholds-file' | 'k6-summary';

export interface Slo {
  id: string | null;
  /** The k6 threshold key: metric plus sorted tag filter, e.g. "http_req_duration{name:submit}". */
  key: string;
  metric: string;
  tags: Record<string, string>;
  /** As written ("p(95)"), for display. */
  aggregationText: string;
  /** undefined: k6 would not accept it either; the SLO is then "unknown". */
  aggregation: Aggregation | undefined;
  operator: Operator;
  fail?: number;
  warn?: number;
  target?: number;
  unit?: string;
  /** A figure the report derives (recovery_time_s ...), not a k6 metric. */
  derived: boolean;
  source: SloSource;
  /** k6's own verdict on the fail level, when k6 enforced it; it wins over a recomputation. */
  k6Failed?: boolean | null;
}

/** The SLOs of a set, with k6's verdicts attached to the fail levels k6 enforced. */
export function slosFromSet(set: ThresholdsFile, k6: readonly K6ThresholdResult[]): Slo[] {
  return set.slos.map((e) => {
    const key = thresholdKey(e);
    const { name, tags } = parseMetricSelector(key)!;
    // evaluate: "report" on a k6 metric (checks{phase:burst}) is judged from the run's data;
    // only a DERIVED_METRICS name is a derived figure.
    const derived = name in DERIVED_METRICS;
    const enforced = e.evaluate !== 'report' && e.fail !== undefined ? k6.find((t) => t.metric === key && t.expression === thresholdExpression(e, e.fail!)) : undefined;
    return {
      id: e.id,
      key,
      metric: name,
      tags,
      aggregationText: e.aggregation,
      aggregation: parseAggregation(e.aggregation),
      operator: e.operator as Operator,
      ...(e.fail !== undefined ? { fail: e.fail } : {}),
      ...(e.warn !== undefined ? { warn: e.warn } : {}),
      ...(e.target !== undefined ? { target: e.target } : {}),
      ...(e.unit !== undefined ? { unit: e.unit } : {}),
      derived,
      source: 'thresholds-file',
      ...(enforced ? { k6Failed: enforced.failed } : {}),
    };
  });
}

const EXPRESSION_RE = /^\s*(.+?)\s*(<=|>=|===|==|!=|<|>)\s*(-?\d+(?:\.\d+)?(?:e[+-]?\d+)?)\s*$/i;

/** A k6 threshold from summary.json as a fail-level SLO; its verdict is k6's. */
export function sloFromK6Threshold(t: K6ThresholdResult): Slo {
  const m = EXPRESSION_RE.exec(t.expression);
  const sel = parseMetricSelector(t.metric);
  return {
    id: null,
    key: t.metric,
    metric: sel?.name ?? t.metric,
    tags: sel?.tags ?? {},
    aggregationText: m?.[1] ?? t.expression,
    aggregation: m ? parseAggregation(m[1]!) : undefined,
    operator: ((m?.[2] === '===' ? '==' : m?.[2]) ?? '<') as Operator,
    ...(m ? { fail: Number(m[3]) } : {}),
    derived: false,
    source: 'k6-summary',
    k6Failed: t.failed,
  };
}

/**
 * Everything a run is judged by: its SLO set, plus every threshold k6 enforced that the set
 * does not hold (a profile's abort rule, a workload's per-step rules), so the verdict can never
 * say pass where k6 failed the run. Without a set: k6's thresholds alone.
 */
export function slosForRun(set: ThresholdsFile | undefined, k6: readonly K6ThresholdResult[]): Slo[] {
  if (!set) return k6.map(sloFromK6Threshold);
  const fromSet = slosFromSet(set, k6);
  const covered = new Set(set.slos.filter((e) => e.fail !== undefined && e.evaluate !== 'report').map((e) => `${thresholdKey(e)} ${thresholdExpression(e, e.fail!)}`));
  return [...fromSet, ...k6.filter((t) => !covered.has(`${t.metric} ${t.expression}`)).map(sloFromK6Threshold)];
}
