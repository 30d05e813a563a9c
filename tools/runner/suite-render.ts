// suite.md: the suite summary for people, one row per run with its report verdict.
import type { SuiteSummary } from './suite-model.ts';

const fmt = (v: number | null | undefined, digits = 1) => (v === null || v === undefined ? '–' : v.toFixed(digits));
const pct = (v: number | null | undefined) => (v === null || v === undefined ? '–' : `${(v * 100).toFixed(2)} %`);

export function formatSeconds(s: number): string {
  return s >= 3600 ? `${(s / 3600).toFixed(1)} h` : s >= 120 ? `${Math.round(s / 60)} min` : `${Math.round(s)} s`;
}

export function renderSuiteMarkdown(s: SuiteSummary, hasBreakpoint: (profile: string, env: Record<string, string>) => boolean): string {
  const passed = s.runs.filter((r) => r.outcome === 'passed' || r.outcome === 'breaking-point').length;
  const out = [
    `# Suite ${s.plan}`,
    '',
    s.description ? `${s.description}\n` : '',
    `- plan: \`${s.planFile}\`${s.source ? ` (${s.source})` : ''}`,
    `- target: ${s.baseUrl} (${s.target})`,
    `- started: ${s.startedAt}${s.endedAt ? `, ended: ${s.endedAt}` : ' (still running or interrupted)'}`,
    `- runs: ${s.runs.length} of ${s.plannedRuns} done, ${passed} passed${s.stoppedEarly ? ', stopped early (--stop-on-failure)' : ''}`,
    `- exit code: ${s.exitCode ?? '–'}`,
    "- SLO verdict: the run's report verdict (`npx ledger-perf report <run folder>` prints the same)",
    '',
    '| # | run | workload | profile | repeat | outcome | SLO verdict | exit | duration | requests | req/s | p95 ms | p99 ms | errors | checks | dropped |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  s.runs.forEach((r, i) => {
    const f = r.figures;
    const dir = r.runDir ? `[${r.label}](${r.runDir}/)` : r.label;
    out.push(
      `| ${i + 1} | ${dir} | ${r.workload} | ${r.profile} | ${r.repeat}/${r.repeats} | ${r.outcome} | ${r.sloVerdict ?? '–'} | ${r.exitCode ?? '–'} | ${r.durationSeconds.toFixed(1)} s | ${f?.requests ?? '–'} | ${fmt(f?.requestRate)} | ${fmt(f?.p95Ms)} | ${fmt(f?.p99Ms)} | ${pct(f?.errorRate)} | ${pct(f?.checksRate)} | ${f?.droppedIterations ?? '–'} |`,
    );
  });
  const notes: string[] = [];
  for (const r of s.runs) {
    const bp = r.figures?.breakingPoint;
    if (bp) notes.push(`- ${r.label} (repeat ${r.repeat}): breaking point at ${bp.arrivalRatePerS.toFixed(1)} iterations/s offered, ${bp.atS.toFixed(0)} s in (${bp.reason})`);
    else if (r.figures && hasBreakpoint(r.profile, r.env)) notes.push(`- ${r.label} (repeat ${r.repeat}): no breaking point within the ramp (the target held the whole schedule)`);
    if (r.figures?.failedSlos.length) notes.push(`- ${r.label} (repeat ${r.repeat}) failed SLOs: ${r.figures.failedSlos.join('; ')}`);
    if (r.figures?.inconclusive?.length) notes.push(`- ${r.label} (repeat ${r.repeat}) inconclusive: ${r.figures.inconclusive.join('; ')}`);
    if (r.error) notes.push(`- ${r.label} (repeat ${r.repeat}) error: ${r.error}`);
  }
  if (notes.length) out.push('', '## Notes', '', ...notes);
  out.push('', 'Per-run detail: report.md in each run folder (`npx ledger-perf report <run folder>`).', '');
  return out.join('\n');
}
