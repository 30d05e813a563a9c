// SLOs as JUnit test cases so CI systems show them like tests: fail level -> <failure>, warn
// level -> passing case with a note (a warning must not break the build).
import { declaredSlos } from '../slo/judge.ts';
import { xml } from './format.ts';
import type { Report } from './report-types.ts';

export function renderJunit(r: Report): string {
  const name = `ledger-perf SLOs${r.run.workload ? `: ${r.run.workload}` : ''}`;
  const failures = declaredSlos(r.slos).length === 0 ? 1 : r.slos.filter((s) => s.verdict === 'fail' || s.verdict === 'inconclusive').length;
  const skipped = r.slos.filter((s) => s.verdict === 'unknown').length;
  // No SLOs is no verdict: one failing case says so, rather than a green suite of 0 tests.
  const none = declaredSlos(r.slos).length === 0;
  const cases = none
    ? [
        `    <testcase classname="${xml(name)}" name="no SLOs" time="0"><failure message="no SLOs judged this run" type="no-slos">${xml('The run had no SLO set and k6 enforced no thresholds: nothing was judged, the verdict is unknown.')}</failure></testcase>`,
      ]
    : r.slos.map((s) => {
        const caseName = `${s.metric} ${s.expression}`;
        const observed = s.observed === null ? 'no data' : String(s.observed);
        let body = '';
        if (s.verdict === 'inconclusive') body = `<failure message="inconclusive" type="inconclusive">${xml(s.detail)}</failure>`;
        else if (s.verdict === 'fail') body = `<failure message="${xml(`observed ${observed}`)}" type="slo">${xml(s.detail)}</failure>`;
        else if (s.verdict === 'unknown') body = `<skipped message="${xml(s.detail)}"/>`;
        else if (s.verdict === 'warn') body = `<system-out>${xml(`WARN: ${s.detail} (observed ${observed})`)}</system-out>`;
        return `    <testcase classname="${xml(name)}" name="${xml(caseName)}" time="0">${body}</testcase>`;
      });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="ledger-perf" tests="${cases.length}" failures="${failures}" skipped="${skipped}">`,
    `  <testsuite name="${xml(name)}" tests="${cases.length}" failures="${failures}" skipped="${skipped}" timestamp="${xml(r.generatedAt)}">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
