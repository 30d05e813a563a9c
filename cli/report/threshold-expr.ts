// Evaluates k6 threshold expressions ("p(95)<500", "rate<0.01", "count>10", "avg<=200") on a
// RunSummary, so SLOs can be checked after the fact, on merged runs and at a warn level that
// k6 itself does not have.
import type { RunSummary, Series } from '../model/run-summary.ts';
import { durationSeconds, overall, seriesMatching } from '../model/run-summary.ts';
import { combineSeries } from '../model/series-ops.ts';
import { quantiles } from '../stats/histogram.ts';

export interface ParsedExpression {
  aggregation: string;
  percentile?: number;
  op: '<' | '<=' | '>' | '>=' | '==' | '===' | '!=';
  limit: number;
}

const EXPR = /^\s*(avg|min|max|med|count|rate|value|p\(\s*(\d+(?:\.\d+)?)\s*\))\s*(<=|>=|===|==|!=|<|>)\s*(-?\d+(?:\.\d+)?(?:e[+-]?\d+)?)\s*$/i;

export function parseExpression(expr: string): ParsedExpression | undefined {
  const m = EXPR.exec(expr);
  if (!m) return undefined;
  const aggregation = m[1]!.toLowerCase().startsWith('p(') ? 'p' : m[1]!.toLowerCase();
  return { aggregation, percentile: m[2] ? Number(m[2]) : undefined, op: m[3] as ParsedExpression['op'], limit: Number(m[4]) };
}

/** Splits "http_req_duration{name:submit,method:POST}" into the metric and its tag filter. */
export function parseMetricSelector(selector: string): { metric: string; filter: Record<string, string> } {
  const m = /^([^{]+)(?:\{(.*)\})?$/.exec(selector.trim());
  if (!m) return { metric: selector, filter: {} };
  const filter: Record<string, string> = {};
  if (m[2]) {
    for (const part of m[2].split(',')) {
      const i = part.indexOf(':');
      if (i > 0) filter[part.slice(0, i).trim()] = part.slice(i + 1).trim();
    }
  }
  return { metric: m[1]!.trim(), filter };
}

export function selectSeries(run: RunSummary, selector: string): Series | undefined {
  const { metric, filter } = parseMetricSelector(selector);
  if (Object.keys(filter).length === 0) return overall(run, metric);
  return combineSeries(seriesMatching(run, metric, filter), filter);
}

export function observe(run: RunSummary, s: Series, e: ParsedExpression): number | null {
  const m = s.moments;
  switch (e.aggregation) {
    case 'avg':
      return m.mean;
    case 'min':
      return m.min;
    case 'max':
      return m.max;
    case 'med':
      return s.hist ? quantiles(s.hist, [0.5], m.min, m.max)[0]! : null;
    case 'p':
      return s.hist ? quantiles(s.hist, [(e.percentile ?? 0) / 100], m.min, m.max)[0]! : null;
    case 'count':
      return s.type === 'counter' ? m.sum : m.count;
    case 'rate':
      if (s.type === 'rate') return m.count ? s.nonZero / m.count : 0;
      if (s.type === 'counter') return m.sum / durationSeconds(run);
      return null;
    case 'value':
      return s.last;
    default:
      return null;
  }
}

export function holds(observed: number, e: ParsedExpression): boolean {
  switch (e.op) {
    case '<':
      return observed < e.limit;
    case '<=':
      return observed <= e.limit;
    case '>':
      return observed > e.limit;
    case '>=':
      return observed >= e.limit;
    case '==':
    case '===':
      return observed === e.limit;
    case '!=':
      return observed !== e.limit;
  }
}
