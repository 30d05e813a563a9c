// Checks an SLO set against what exists: metric names (k6 built-ins and the project's custom
// metrics, lib/shared/metric-catalog.ts), aggregations the metric's type has, the figures the
// report derives (DERIVED_METRICS) and tag filters on known tags. A typo here would otherwise
// validate, show as an "unknown" row and never fail a run. Each problem says the nearest name.
import { AGGREGATIONS_BY_TYPE, KNOWN_METRICS, KNOWN_TAGS, nearestName } from '../../lib/shared/metric-catalog.ts';
import { parseAggregation, parseMetricSelector, type SloProblem, type ThresholdsFile } from '../../lib/shared/slo.ts';
import type { FileProblem } from '../config/json-source.ts';
import { DERIVED_METRICS } from './evaluate.ts';

const didYouMean = (name: string, candidates: Iterable<string>) => {
  const near = nearestName(name, candidates);
  return near ? `did you mean ${near}? ` : '';
};

/** Aggregation kinds as AGGREGATIONS_BY_TYPE spells them ("p(N)" for every percentile). */
function aggregationWord(text: string): string | undefined {
  const a = parseAggregation(text);
  return a === undefined ? undefined : a.kind === 'percentile' ? 'p(N)' : a.kind;
}

export function sloCatalogProblems(file: ThresholdsFile): FileProblem[] {
  const problems: SloProblem[] = [];
  const derivedNames = Object.keys(DERIVED_METRICS);
  file.slos.forEach((slo, i) => {
    const at = (field: string) => `/slos/${i}/${field}`;
    const parsed = parseMetricSelector(slo.metric);
    if (!parsed) return; // checkSloSemantics reports a malformed selector
    const name = parsed.name;
    if (name in DERIVED_METRICS) {
      if (slo.evaluate !== 'report')
        problems.push({ pointer: at('metric'), message: `"${name}" is a figure the report derives, not a k6 metric (k6 would reject the threshold)`, fix: 'add "evaluate": "report" to this entry' });
      return;
    }
    const info = KNOWN_METRICS[name];
    if (!info) {
      problems.push({
        pointer: at('metric'),
        message: `unknown metric "${name}": not a k6 built-in, not a custom metric of this project (lib/shared/metric-catalog.ts), not a derived figure (${derivedNames.join(', ')})`,
        fix: `${didYouMean(name, [...Object.keys(KNOWN_METRICS), ...derivedNames])}name an existing metric (docs/thresholds.md lists them)`,
      });
      return;
    }
    const word = aggregationWord(slo.aggregation);
    const valid = AGGREGATIONS_BY_TYPE[info.type];
    if (word === undefined) {
      problems.push({
        pointer: at('aggregation'),
        message: `"${slo.aggregation}" is not a k6 aggregation`,
        fix: `${didYouMean(slo.aggregation, valid)}for the ${info.type} ${name} use one of ${valid.join(', ')}`,
      });
    } else if (!valid.includes(word)) {
      problems.push({ pointer: at('aggregation'), message: `${name} is a ${info.type}: it has no "${slo.aggregation}"`, fix: `use one of ${valid.join(', ')}` });
    }
    const tagged: Array<[string, string, string]> = [
      ...Object.entries(parsed.tags).map(([k, v]): [string, string, string] => [k, v, at('metric')]),
      ...Object.entries(slo.tags ?? {}).map(([k, v]): [string, string, string] => [k, v, at(`tags/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`)]),
    ];
    for (const [key, value, pointer] of tagged) {
      if (!KNOWN_TAGS.includes(key)) {
        problems.push({
          pointer,
          message: `unknown tag "${key}" in the filter of ${name}: no k6 system tag and no tag this project sets`,
          fix: `${didYouMean(key, KNOWN_TAGS)}filter on one of ${KNOWN_TAGS.join(', ')}`,
        });
      } else if (key === 'expected_response' && value !== 'true' && value !== 'false') {
        problems.push({ pointer, message: `expected_response is "true" or "false", not "${value}"`, fix: 'write expected_response:true (successful requests) or expected_response:false' });
      }
    }
  });
  return problems;
}
