// SLOs as data. A thresholds file lists SLO entries; each names a k6 metric (optionally a tag
// filter, k6 submetric syntax), an aggregation, an operator and up to three levels:
//   fail   -> compiled into a k6 threshold (the run fails; optional abortOnFail),
//   warn   -> evaluated after the run by the report CLI,
//   target -> the goal, reported as met / not met.
// A level passes when `<aggregation(metric)> <operator> <level>` holds. Pure: runs inside k6
// (compileThresholds) and under Node (validation; the evaluator is cli/slo/evaluate.ts).

export type Operator = '<' | '<=' | '>' | '>=' | '==' | '!=';

export interface SloEntry {
  /** Short stable id, unique in the file, e.g. "submit-p95". */
  id: string;
  /** k6 metric, optionally with a tag filter: "http_req_duration" or "http_req_duration{name:submit}". */
  metric: string;
  /** Tag filter as an object; the alternative to writing it inside `metric`. */
  tags?: Record<string, string>;
  /** k6 aggregation: avg, min, max, med, p(N), rate, count, value. */
  aggregation: string;
  /** One of Operator; typed as string so a JSON import type-checks (schema validation guarantees it). */
  operator: Operator | (string & {});
  fail?: number;
  warn?: number;
  target?: number;
  /** Unit of the levels, for reports only (k6 uses ms for durations, 0..1 for rates). */
  unit?: string;
  description?: string;
  /** Stop the test as soon as the fail level is crossed. */
  abortOnFail?: boolean;
  /** Let the test run this long before abortOnFail may trigger, e.g. "30s". */
  delayAbortEval?: string;
  /**
   * "k6" (default): fail becomes a k6 threshold. "report": the figure is derived by the report
   * CLI after the run (e.g. recovery_time_s, latency_growth_per_2_5x) and all levels are its job.
   */
  evaluate?: 'k6' | 'report' | (string & {});
}

export interface ThresholdsFile {
  $schema?: string;
  name: string;
  description?: string;
  /** Where the numbers come from (seed, document, decision). */
  source?: string;
  slos: SloEntry[];
}

/**
 * The SLO set THRESHOLDS=<name> selects: the workload's own set when unset or naming it, else the
 * named set if selectable. One rule for k6 (slo-registry.ts) and the runner (which copies the
 * chosen set into the run folder). An unknown name is an Error listing the valid ones.
 */
export function selectedSloSetName(env: { [key: string]: string | undefined }, workloadDefault: string, selectable: readonly string[]): string {
  const name = env.THRESHOLDS?.trim();
  if (!name || name === workloadDefault) return workloadDefault;
  if (!selectable.includes(name)) {
    const valid = [workloadDefault, ...selectable.filter((n) => n !== workloadDefault)];
    throw new Error(`THRESHOLDS=${JSON.stringify(name)} is not a known SLO set. Valid: ${valid.join(', ')} (files in thresholds/)`);
  }
  return name;
}

export type K6ThresholdRule = string | { threshold: string; abortOnFail?: boolean; delayAbortEval?: string };

// Like k6's ParseMetricName: the filter runs from the first { to the last }, pairs split on , then the first :.
const METRIC_RE = /^([A-Za-z_][A-Za-z0-9_]*)(?:\{(.*)\})?$/;

/** Splits "metric{k:v,k2:v2}" into its name and tag filter; undefined when malformed. */
export function parseMetricSelector(selector: string): { name: string; tags: Record<string, string> } | undefined {
  const m = METRIC_RE.exec(selector.trim());
  if (!m) return undefined;
  const tags: Record<string, string> = {};
  if (m[2] !== undefined) {
    for (const pair of m[2].split(',')) {
      const idx = pair.indexOf(':');
      if (idx <= 0) return undefined;
      const key = pair.slice(0, idx).trim();
      const value = pair.slice(idx + 1).trim();
      if (!key || !value) return undefined;
      tags[key] = value;
    }
  }
  return { name: m[1]!, tags };
}

/** The k6 threshold key of an entry: metric name plus the merged tag filter, tags sorted. */
export function thresholdKey(slo: Pick<SloEntry, 'metric' | 'tags'>): string {
  const parsed = parseMetricSelector(slo.metric);
  if (!parsed) throw new Error(`metric ${JSON.stringify(slo.metric)} is not a k6 metric selector (name or name{tag:value,...})`);
  const tags = { ...parsed.tags, ...(slo.tags ?? {}) };
  const keys = Object.keys(tags).sort();
  return keys.length ? `${parsed.name}{${keys.map((k) => `${k}:${tags[k]}`).join(',')}}` : parsed.name;
}

/** The k6 threshold expression for one level, e.g. "p(95)<500". */
export function thresholdExpression(slo: Pick<SloEntry, 'aggregation' | 'operator'>, level: number): string {
  return `${slo.aggregation}${slo.operator}${level}`;
}

/** Fail levels as k6 thresholds; entries without a fail level or evaluated by the report are left out. */
export function compileThresholds(file: ThresholdsFile): Record<string, K6ThresholdRule[]> {
  const out: Record<string, K6ThresholdRule[]> = {};
  for (const slo of file.slos) {
    if (slo.fail === undefined || slo.evaluate === 'report') continue;
    const expression = thresholdExpression(slo, slo.fail);
    const rule: K6ThresholdRule =
      slo.abortOnFail || slo.delayAbortEval
        ? { threshold: expression, ...(slo.abortOnFail ? { abortOnFail: true } : {}), ...(slo.delayAbortEval ? { delayAbortEval: slo.delayAbortEval } : {}) }
        : expression;
    const key = thresholdKey(slo);
    (out[key] ??= []).push(rule);
  }
  return out;
}

/** Does `value <op> level` hold? */
export function holds(value: number, operator: string, level: number): boolean {
  switch (operator) {
    case '<':
      return value < level;
    case '<=':
      return value <= level;
    case '>':
      return value > level;
    case '>=':
      return value >= level;
    case '==':
      return value === level;
    case '!=':
      return value !== level;
    default:
      throw new Error(`unknown threshold operator ${JSON.stringify(operator)}: use one of < <= > >= == !=`);
  }
}

export interface SloProblem {
  /** JSON pointer into the file, e.g. "/slos/2/warn". */
  pointer: string;
  message: string;
  fix: string;
}

/** An aggregation, typed: what the report computes and k6 checks. */
export type Aggregation = { kind: 'avg' | 'min' | 'max' | 'med' | 'count' | 'rate' | 'value' } | { kind: 'percentile'; percentile: number };

const AGGREGATION_RE = /^\s*(avg|min|max|med|count|rate|value|p\(\s*(\d+(?:\.\d+)?)\s*\))\s*$/;

/** "p(95)" -> { kind: 'percentile', percentile: 95 }; undefined when k6 would not accept it. */
export function parseAggregation(text: string): Aggregation | undefined {
  const m = AGGREGATION_RE.exec(text);
  if (!m) return undefined;
  if (m[2] !== undefined) return { kind: 'percentile', percentile: Number(m[2]) };
  return { kind: m[1] as 'avg' | 'min' | 'max' | 'med' | 'count' | 'rate' | 'value' };
}

/**
 * Checks a schema-valid file for what a JSON Schema cannot say: unique ids, parseable selectors,
 * levels ordered so warn trips before fail (and target is stricter than warn), percentiles in range.
 */
export function checkSloSemantics(file: ThresholdsFile): SloProblem[] {
  const problems: SloProblem[] = [];
  const seen = new Map<string, number>();
  file.slos.forEach((slo, i) => {
    const at = (field: string) => `/slos/${i}/${field}`;
    const first = seen.get(slo.id);
    if (first !== undefined) {
      problems.push({ pointer: at('id'), message: `duplicate id "${slo.id}" (also /slos/${first}/id)`, fix: 'give every SLO entry its own id' });
    } else seen.set(slo.id, i);

    const parsed = parseMetricSelector(slo.metric);
    if (!parsed) {
      problems.push({ pointer: at('metric'), message: `"${slo.metric}" is not a metric selector`, fix: 'write name or name{tag:value,tag2:value2}, e.g. http_req_duration{name:submit}' });
    } else if (slo.tags) {
      for (const k of Object.keys(slo.tags)) {
        if (k in parsed.tags) problems.push({ pointer: at('tags'), message: `tag "${k}" is given both in metric and in tags`, fix: 'keep the tag filter in one place' });
      }
    }

    const agg = parseAggregation(slo.aggregation);
    if (agg?.kind === 'percentile') {
      const p = agg.percentile;
      if (p <= 0 || p >= 100) problems.push({ pointer: at('aggregation'), message: `percentile ${p} is outside (0, 100)`, fix: 'use p(90), p(95), p(99) or p(99.9)' });
    }

    if (slo.fail === undefined && slo.warn === undefined && slo.target === undefined) {
      problems.push({ pointer: `/slos/${i}`, message: 'no level: none of fail, warn, target is set', fix: 'add at least a fail or warn level' });
    }
    if ((slo.abortOnFail || slo.delayAbortEval) && (slo.fail === undefined || slo.evaluate === 'report')) {
      problems.push({ pointer: at('abortOnFail'), message: 'abortOnFail/delayAbortEval need a fail level evaluated by k6', fix: 'add a fail level, or remove abortOnFail and delayAbortEval' });
    }

    // For "<" a stricter level is a smaller number; for ">" a bigger one. target ⊑ warn ⊑ fail.
    const lowerIsStricter = slo.operator === '<' || slo.operator === '<=';
    const higherIsStricter = slo.operator === '>' || slo.operator === '>=';
    const ordered = (stricter: number, looser: number) => (lowerIsStricter ? stricter <= looser : higherIsStricter ? stricter >= looser : true);
    const word = lowerIsStricter ? 'at most' : 'at least';
    if (slo.warn !== undefined && slo.fail !== undefined && !ordered(slo.warn, slo.fail)) {
      problems.push({
        pointer: at('warn'),
        message: `warn ${slo.warn} trips after fail ${slo.fail} for operator "${slo.operator}"`,
        fix: `make warn ${word} the fail level, so a warning comes before a failure`,
      });
    }
    const looser = slo.warn ?? slo.fail;
    if (slo.target !== undefined && looser !== undefined && !ordered(slo.target, looser)) {
      problems.push({
        pointer: at('target'),
        message: `target ${slo.target} is looser than ${slo.warn !== undefined ? 'warn' : 'fail'} ${looser} for operator "${slo.operator}"`,
        fix: `make target ${word} the ${slo.warn !== undefined ? 'warn' : 'fail'} level`,
      });
    }
  });
  return problems;
}
