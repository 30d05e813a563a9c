// Comparison output: a benchstat-like Markdown table (ready for a PR comment), JSON, JUnit.
import { cell, xml } from '../report/format.ts';
import type { Comparison, MetricComparison } from './compare-runs.ts';

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

const MARK: Record<string, string> = { regressed: '❌ regressed', improved: '✅ improved', '~': '~', 'n/a': 'n/a' };

export function renderCompareMarkdown(c: Comparison): string {
  const L: string[] = [];
  const stats = c.mode === 'statistics';
  L.push(`### Performance comparison (${c.baselineRuns.length} baseline vs ${c.candidateRuns.length} candidate runs${stats ? '' : ', no statistics'})`, '');
  for (const w of c.warnings) L.push(`> ⚠️ ${cell(w)}`, '');
  if (stats) L.push(`| metric | baseline | candidate | Δ [${Math.round(c.deltaLevel * 100)}% one-sided bounds] | p | band | verdict |`, '|---|---:|---:|---:|---:|---:|---|');
  else L.push('| metric | baseline | candidate | Δ | tolerance | verdict |', '|---|---:|---:|---:|---:|---|');
  for (const r of c.metrics) {
    const band = r.scale === 'relative' ? `±${(r.band * 100).toFixed(1)}%` : `±${(r.band * 100).toFixed(2)}pp`;
    const p = r.p === null ? '–' : `${r.p < 0.001 ? r.p.toExponential(1) : r.p.toFixed(3)}${r.test === 'mann-whitney-normal' ? '*' : ''}`;
    L.push(`| ${cell(r.id)} | ${sideCell(r, 'baseline')} | ${sideCell(r, 'candidate')} | ${deltaCell(r)} | ${stats ? `${p} | ` : ''}${band} | ${MARK[r.verdict]}${r.note && r.test !== 'fixed-tolerance' ? ` (${cell(r.note)})` : ''} |`);
  }
  if (c.geomean) L.push(`| **geomean (cost)** | | | ${c.geomean.deltaPct >= 0 ? '+' : '−'}${Math.abs(c.geomean.deltaPct).toFixed(1)}% |${stats ? ' |' : ''} | over ${c.geomean.metrics} metrics |`);
  L.push('');
  L.push(
    stats
      ? `Each run is one sample. Medians ± half-width of their 95 % CI (shown when n ≥ 6). p: two-sided Mann–Whitney U (* = normal approximation). Δ: Hodges–Lehmann change with ${Math.round(c.deltaLevel * 100)} % one-sided confidence bounds. A verdict needs p < ${c.alpha} **and** the change's bound beyond the noise band; otherwise \`~\` (no evidence of a change that matters). geomean: direction-normalised (positive = worse).`
      : 'One run per side: Δ compares the two runs directly against a fixed tolerance (shown as band); run-to-run noise is unknown, so treat verdicts as hints.',
  );
  L.push('', `**${c.regressions} regressed, ${c.improvements} improved**${c.insufficient ? ' — insufficient data for a statistical verdict' : ''}`, '');
  return L.join('\n');
}

export function renderCompareJson(c: Comparison): string {
  return JSON.stringify({ schemaVersion: 1, kind: 'ledger-perf-comparison', ...c }, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2) + '\n';
}

export function renderCompareJunit(c: Comparison): string {
  const failures = c.metrics.filter((r) => r.verdict === 'regressed').length;
  const cases = c.metrics.map((r) => {
    const detail = `baseline ${value(r.baseline.median, r.unit)} (n=${r.baseline.n}), candidate ${value(r.candidate.median, r.unit)} (n=${r.candidate.n}), Δ ${deltaCell(r)}${r.p !== null ? `, p=${r.p.toFixed(4)}` : ''}`;
    const body = r.verdict === 'regressed' ? `<failure message="${xml(`regressed: ${detail}`)}" type="regression"/>` : r.verdict === 'n/a' ? `<skipped message="${xml(r.note)}"/>` : `<system-out>${xml(`${r.verdict}: ${detail}`)}</system-out>`;
    return `    <testcase classname="ledger-perf.compare" name="${xml(r.id)}" time="0">${body}</testcase>`;
  });
  const skipped = c.metrics.filter((r) => r.verdict === 'n/a').length;
  return ['<?xml version="1.0" encoding="UTF-8"?>', `<testsuites name="ledger-perf compare" tests="${c.metrics.length}" failures="${failures}" skipped="${skipped}">`, `  <testsuite name="ledger-perf compare" tests="${c.metrics.length}" failures="${failures}" skipped="${skipped}">`, ...cases, '  </testsuite>', '</testsuites>', ''].join('\n');
}
