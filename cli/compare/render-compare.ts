// Comparison output: a benchstat-like Markdown table (ready for a PR comment), JSON, JUnit.
import { cell, xml } from '../report/format.ts';
import type { Comparison, MetricComparison, Verdict } from './compare-runs.ts';

function value(x: number | null, unit: MetricComparison['unit']): string {
  if (x === null || !Number.isFinite(x)) return '–';
  if (unit === 'ratio') return `${(x * 100).toFixed(2)}%`;
  if (unit === '/s') return `${x.toFixed(1)}/s`;
  return x >= 100 ? `${x.toFixed(0)}ms` : `${x.toFixed(2)}ms`;
}

function sideCell(r: MetricComparison, which: 'baseline' | 'candidate'): string {
  const s = r[which];
  if (s.median === null) return '–';
  if (!s.ci) return `${value(s.median, r.unit)} (n=${s.n})`;
  const half = Math.max(s.median - s.ci.low, s.ci.high - s.median);
  const rel = r.unit === 'ratio' ? `±${(half * 100).toFixed(2)}pp` : `±${s.median ? ((half / s.median) * 100).toFixed(0) : '∞'}%`;
  return `${value(s.median, r.unit)} ${rel} (n=${s.n})`;
}

function deltaText(d: number, scale: MetricComparison['scale']): string {
  if (!Number.isFinite(d)) return d > 0 ? '+∞' : '−∞';
  const sign = d > 0 ? '+' : d < 0 ? '−' : '';
  return scale === 'relative' ? `${sign}${Math.abs(d * 100).toFixed(1)}%` : `${sign}${Math.abs(d * 100).toFixed(2)}pp`;
}

function deltaCell(r: MetricComparison): string {
  if (!r.delta) return '–';
  if (r.test === 'fixed-tolerance') return deltaText(r.delta.estimate, r.scale);
  return `${deltaText(r.delta.estimate, r.scale)} [${deltaText(r.delta.low, r.scale)}, ${deltaText(r.delta.high, r.scale)}]`;
}

/** How the Markdown table shows each verdict (docs/cli.md's verdict table uses the same marks). */
export const MARK: Record<Verdict, string> = { regressed: '❌ regressed', improved: '✅ improved', equivalent: '≈ equivalent', inconclusive: '? inconclusive', 'n/a': 'n/a' };

function bandCell(r: MetricComparison): string {
  const b = r.scale === 'relative' ? `±${(r.band * 100).toFixed(1)}%` : `±${(r.band * 100).toFixed(2)}pp`;
  return r.bandSource === 'history' ? `${b}ʰ` : b;
}

function verdictCell(r: MetricComparison): string {
  const mark = r.verdict === 'equivalent' ? `${MARK[r.verdict]}: no change larger than ${bandCell(r).replace('±', '').replace('ʰ', '')}` : MARK[r.verdict]!;
  return `${r.gating ? '' : '(info) '}${mark}${r.note && r.test !== 'fixed-tolerance' ? ` (${cell(r.note)})` : ''}`;
}

export function renderCompareMarkdown(c: Comparison): string {
  const L: string[] = [];
  const stats = c.mode !== 'fixed-tolerance';
  const sides = c.mode === 'paired' ? `${c.baselineRuns.length} interleaved A/B pairs` : `${c.baselineRuns.length} baseline vs ${c.candidateRuns.length} candidate runs`;
  L.push(`### Performance comparison (${sides}${stats ? '' : ', no statistics'})`, '');
  for (const s of c.severe) L.push(`> ❌ **severe regression**: ${cell(s)}`, '');
  for (const w of c.warnings) L.push(`> ⚠️ ${cell(w)}`, '');
  const level = Math.round((1 - 2 * c.alpha) * 100);
  if (stats) L.push(`| metric | baseline | candidate | Δ (HL) [${level}% CI] | p (Holm) | band | verdict |`, '|---|---:|---:|---:|---:|---:|---|');
  else L.push('| metric | baseline | candidate | Δ | tolerance | verdict |', '|---|---:|---:|---:|---:|---|');
  for (const r of c.metrics) {
    const p = r.p === null ? '–' : `${fmtP(r.p)}${r.test.endsWith('normal') ? '*' : ''}${r.pAdjusted !== null && r.pAdjusted !== r.p ? ` (${fmtP(r.pAdjusted)})` : ''}`;
    L.push(`| ${cell(r.id)} | ${sideCell(r, 'baseline')} | ${sideCell(r, 'candidate')} | ${deltaCell(r)} | ${stats ? `${p} | ` : ''}${bandCell(r)} | ${verdictCell(r)} |`);
  }
  L.push('');
  if (stats) {
    const test = c.mode === 'paired' ? 'Wilcoxon signed-rank on the pairs (exact, also with ties)' : 'Mann–Whitney U (exact, also with ties, up to 50 runs per side)';
    const ci = c.mode === 'paired' ? 'Walsh-average' : 'Moses';
    L.push(
      `Each run is one sample; baseline/candidate: median of the per-run values ± half-width of its 95 % CI (when n ≥ 6). **Δ (HL)**: the Hodges–Lehmann change candidate vs baseline — the typical ratio − 1 for times and throughput, percentage points for rates — with its ${level} % ${ci} interval (each bound 95 % one-sided); it is not the ratio of the two medians. p: two-sided ${test} (* = normal approximation); in brackets Holm-adjusted. **Family-wise control**: Holm over the ${c.family.gating.length} gating row(s) (${c.family.gating.join(', ') || 'none'}; ${c.family.source}); only these decide the exit code. Rows marked (info) are adjusted over the whole table and do not gate. Verdicts: **regressed/improved** = adjusted p < ${c.alpha} and the whole interval beyond the band; **equivalent** = the whole interval inside ±band; **inconclusive** = neither (the note says how many runs would decide); **n/a** = not judged (no data, or too few tail observations: n·(1−q) < 20). ʰ = band widened to the baseline's recorded run-to-run spread.`,
    );
  } else L.push('One run per side: Δ compares the runs directly against a fixed tolerance (shown as band); run-to-run noise is unknown, so verdicts are hints and nothing can be shown equivalent.');
  L.push(
    '',
    `**${c.regressions} regressed${c.severe.length ? ` (${c.severe.length} severe)` : ''}, ${c.improvements} improved** (gating rows)${c.insufficient ? ' — insufficient data for a statistical verdict' : ''}`,
    '',
  );
  return L.join('\n');
}

function fmtP(p: number): string {
  return p < 0.001 ? p.toExponential(1) : p.toFixed(3);
}

export function renderCompareJson(c: Comparison): string {
  return `${JSON.stringify({ schemaVersion: 2, kind: 'ledger-perf-comparison', ...c }, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2)}\n`;
}

export function renderCompareJunit(c: Comparison): string {
  const failures = c.metrics.filter((r) => r.gating && r.verdict === 'regressed').length + c.severe.length;
  const cases = c.metrics.map((r) => {
    const detail = `baseline ${value(r.baseline.median, r.unit)} (n=${r.baseline.n}), candidate ${value(r.candidate.median, r.unit)} (n=${r.candidate.n}), Δ ${deltaCell(r)}${r.p !== null ? `, p=${r.p.toFixed(4)}` : ''}`;
    const body =
      r.verdict === 'regressed' && r.gating
        ? `<failure message="${xml(`regressed: ${detail}`)}" type="regression"/>`
        : r.verdict === 'n/a'
          ? `<skipped message="${xml(r.note)}"/>`
          : `<system-out>${xml(`${r.verdict}: ${detail}`)}</system-out>`;
    return `    <testcase classname="ledger-perf.compare" name="${xml(r.id)}" time="0">${body}</testcase>`;
  });
  const skipped = c.metrics.filter((r) => r.verdict === 'n/a').length;
  const severe = c.severe.map((s, i) => `    <testcase classname="ledger-perf.compare" name="severe regression ${i + 1}" time="0"><failure message="${xml(s)}" type="severe-regression"/></testcase>`);
  cases.push(...severe);
  const total = c.metrics.length + severe.length;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="ledger-perf compare" tests="${total}" failures="${failures}" skipped="${skipped}">`,
    `  <testsuite name="ledger-perf compare" tests="${total}" failures="${failures}" skipped="${skipped}">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
