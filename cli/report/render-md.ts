import { describeGenerator } from '../figures/generator.ts';
import { describeServerClientCounts } from '../figures/server-metrics.ts';
import { declaredSlos } from '../slo/judge.ts';
import { cell, metricValue, ms, num, pct } from './format.ts';
import type { LatencyStats, MetricRow, Report } from './report-types.ts';

const mb = (bytes: number | null) => (bytes === null ? '–' : num(bytes / 1e6, 1));

const VERDICT_MARK = { pass: '✅ pass', warn: '⚠️ warn', fail: '❌ fail', unknown: '❔ unknown', inconclusive: '⛔ inconclusive' } as const;

function latencyCells(l: LatencyStats | null): string {
  if (!l) return '– | – | – | – | – | – | – | –';
  return [l.min, l.max, l.mean, l.median, l.p90, l.p95, l.p99, l.stddev].map(ms).join(' | ');
}

export function renderMarkdown(r: Report): string {
  const L: string[] = [];
  const title = [r.run.workload, r.run.profile].filter(Boolean).join(' / ') || r.run.testId || 'k6 run';
  L.push(`# Performance report: ${cell(title)}`, '');
  L.push(`- Run: ${r.run.startedAt} → ${r.run.endedAt} (${num(r.run.durationS, 1)} s)${r.run.segments > 1 ? `, merged from ${r.run.segments} segments` : ''}`);
  if (r.run.testId) L.push(`- testid: \`${r.run.testId}\``);
  if (r.run.scriptHash) L.push(`- script sha256: \`${r.run.scriptHash.slice(0, 16)}…\``);
  if (r.run.k6Version) L.push(`- k6 ${r.run.k6Version}`);
  if (r.run.exitCode !== null) L.push(`- k6 exit code: ${r.run.exitCode}`);
  L.push(`- SLO verdict: **${VERDICT_MARK[r.sloVerdict]}** (${r.run.sloSet ? `SLO set \`${r.run.sloSet}\` plus k6's own thresholds` : "k6's own thresholds only"})`, '');

  L.push('## Totals', '', '| requests | throughput | failed | error rate | iterations | iterations/s | dropped | max VUs | checks |', '|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  const t = r.totals;
  L.push(
    `| ${t.requests} | ${num(t.throughputPerS)}/s | ${t.failedRequests} | ${pct(t.errorRate)} | ${t.iterations} | ${num(t.iterationsPerS)} | ${t.droppedIterations} | ${t.vusMax} | ${pct(t.checksPassRate)} |`,
    '',
  );
  if (t.progressGuardVus > 0) L.push(`Max VUs are the workload's: k6's VU gauges also counted the ${t.progressGuardVus} VU of the progress guard, left out here.`, '');

  const of = r.latencyOf === 'successful' ? 'successful requests (expected_response:true); failed requests in their own rows' : 'all requests (the run has no expected_response tag)';
  L.push(
    `## Latency per endpoint (http_req_duration, ${of})`,
    '',
    '| endpoint | requests | req/s | errors | samples | min | max | mean | median | p90 | p95 | p99 | stddev |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  );
  const samples = (l: LatencyStats | null) => (l ? String(l.count) : '0');
  L.push(`| **all** | ${t.requests} | ${num(t.throughputPerS)} | ${pct(t.errorRate)} | ${samples(r.latency)} | ${latencyCells(r.latency)} |`);
  if (r.latencyFailed) L.push(`| **all (failed)** | | | | ${samples(r.latencyFailed)} | ${latencyCells(r.latencyFailed)} |`);
  for (const e of r.endpoints) {
    L.push(
      `| ${cell(e.name)}${e.methods.length && !e.methods.some((m) => e.name.startsWith(`${m} `)) ? ` (${e.methods.join(',')})` : ''} | ${e.requests} | ${num(e.throughputPerS)} | ${pct(e.errorRate)} | ${samples(e.latency)} | ${latencyCells(e.latency)} |`,
    );
    if (e.failedLatency) L.push(`| ${cell(e.name)} (failed) | | | | ${samples(e.failedLatency)} | ${latencyCells(e.failedLatency)} |`);
  }
  L.push('', `_${r.histogramError}._`, '');

  if (r.failures.length) {
    L.push('## Failed requests by status and k6 error code', '', '| endpoint | status | k6 error code | failed | share of endpoint |', '|---|---:|---:|---:|---:|');
    for (const f of r.failures) L.push(`| ${cell(f.endpoint)} | ${cell(f.status)} | ${f.errorCode ? cell(f.errorCode) : '–'} | ${f.count} | ${pct(f.share)} |`);
    L.push('');
  }
  if (r.checks.length) {
    L.push('## Checks', '', '| check | group | passes | fails | pass rate |', '|---|---|---:|---:|---:|');
    for (const c of r.checks) L.push(`| ${cell(c.name)} | ${c.group ? cell(c.group) : '–'} | ${c.passes} | ${c.fails} | ${pct(c.passRate)} |`);
    L.push('');
  }
  if (r.groups.length) {
    L.push('## Groups (group_duration)', '', '| group | count | min | max | mean | median | p90 | p95 | p99 | stddev |', '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
    for (const g of r.groups) L.push(`| ${cell(g.name)} | ${g.duration?.count ?? 0} | ${latencyCells(g.duration)} |`);
    L.push('');
  }

  L.push('## SLOs', '');
  if (declaredSlos(r.slos).length === 0) L.push('**No SLOs**: nothing judged this run (no SLO set, no k6 thresholds), so the verdict is unknown, not pass.', '');
  else {
    L.push('| SLO | metric | fail level | warn level | target | observed | verdict | source |', '|---|---|---|---|---|---:|---|---|');
    for (const s of r.slos) {
      const target = s.targetExpression ? `\`${cell(s.targetExpression)}\` ${s.targetMet === true ? '(met)' : s.targetMet === false ? '(not met)' : ''}` : '–';
      L.push(
        `| ${cell(s.id ?? '–')} | ${cell(s.metric)} | \`${cell(s.expression)}\` | ${s.warnExpression ? `\`${cell(s.warnExpression)}\`` : '–'} | ${target} | ${num(s.observed, 3)} | ${VERDICT_MARK[s.verdict]} | ${s.source} |`,
      );
    }
    L.push('');
  }
  // The implicit rows' reasons (docs/verdicts.md), also for a run without SLOs: a stall names its
  // window here, a saturated generator its sign and figures.
  const implicit = r.slos.filter((x) => x.source === 'implicit');
  for (const s of implicit) L.push(`- **${cell(s.id ?? s.metric)}** ${VERDICT_MARK[s.verdict]}: ${cell(s.detail)}`);
  if (implicit.length) L.push('');

  const d = r.derived;
  // A run that dropped nothing achieved its rate; the totals' "dropped 0" says so already.
  const shortOfRate = d.achievedRate && d.achievedRate.dropped > 0 ? d.achievedRate : null;
  if (d.recovery || d.concurrencyScaling || d.breakingPoint || shortOfRate || d.docketFinality || d.resources || d.generator) {
    L.push('## Derived figures', '');
    if (d.recovery)
      L.push(
        `- Recovery after burst: ${d.recovery.status === 'unknown' ? '**not judged**' : d.recovery.recoveryTimeS === null ? '**did not recover**' : `${num(d.recovery.recoveryTimeS, 1)} s`} (${d.recovery.detail})`,
      );
    if (d.concurrencyScaling) {
      const c = d.concurrencyScaling;
      L.push(`- Latency growth per 2.5x concurrency (worst step): ${c.worstGrowthPer2_5xPct === null ? '–' : `${num(c.worstGrowthPer2_5xPct, 1)} %`} — ${c.detail}`);
      for (const l of c.levels) L.push(`  - ${c.tag}=${cell(l.level)}: concurrency ${num(l.concurrency, 1)}, p95 ${ms(l.p95Ms)}`);
    }
    if (d.breakingPoint) L.push(`- Breaking point: ${num(d.breakingPoint.arrivalRatePerS, 1)} iterations/s at ${num(d.breakingPoint.atS, 1)} s (${d.breakingPoint.reason})`);
    if (shortOfRate) L.push(`- Achieved rate: ${pct(shortOfRate.ratio)} of the offered iterations (${shortOfRate.iterations} iterations, ${shortOfRate.dropped} dropped)`);
    if (d.resources)
      L.push(
        `- Server memory growth: ${d.resources.memoryGrowthMBPerS === null ? '–' : `${num(d.resources.memoryGrowthMBPerS, 3)} MB/s`} (${d.resources.detail}); RSS ${mb(d.resources.rssFirstBytes)} → ${mb(d.resources.rssLastBytes)} MB, max ${mb(d.resources.rssMaxBytes)} MB; CPU mean ${num(d.resources.cpuMeanPercent, 1)} %, max ${num(d.resources.cpuMaxPercent, 1)} %; open files max ${d.resources.openFilesMax ?? '–'} (${d.resources.file})`,
      );
    if (d.generator) L.push(`- Generator (k6 itself): ${describeGenerator(d.generator)}`);
    if (d.docketFinality)
      L.push(
        `- Docket finality (submit → sealed): median ${ms(d.docketFinality.median)}, p95 ${ms(d.docketFinality.p95)}, p99 ${ms(d.docketFinality.p99)}, max ${ms(d.docketFinality.max)} (n=${d.docketFinality.count})`,
      );
    L.push('');
  }

  if (r.serverCounts) L.push('## Server-side vs client-side', '', `- ${describeServerClientCounts(r.serverCounts)}`, '');

  L.push('## Recommendations', '');
  for (const rec of r.recommendations) L.push(`- **${rec.priority}** [${rec.type}] ${cell(rec.message)}`);
  L.push('');

  const metricTable = (title: string, rows: readonly MetricRow[]) => {
    L.push(title, '', '| metric | type | unit | count | value | per s | min | max | p95 |', '|---|---|---|---:|---:|---:|---:|---:|---:|');
    for (const m of rows) {
      const f = (x: number) => metricValue(m, x);
      L.push(
        `| ${cell(m.metric)}${
          Object.keys(m.tags).length
            ? `{${cell(
                Object.entries(m.tags)
                  .map(([k, v]) => `${k}:${v}`)
                  .join(','),
              )}}`
            : ''
        } | ${m.type} | ${m.unit} | ${m.count} | ${f(m.value)} | ${m.perSecond === null ? '–' : num(m.perSecond)} | ${m.type === 'rate' ? '–' : f(m.min)} | ${m.type === 'rate' ? '–' : f(m.max)} | ${m.stats ? f(m.stats.p95) : '–'} |`,
      );
    }
  };
  if (r.subMetrics.length) {
    metricTable('## Sub-metrics named by the SLOs', r.subMetrics);
    L.push('');
  }
  metricTable('## All metrics', r.metrics);
  if (r.ingest.badLines || r.ingest.truncated.length) L.push('', `> Input damaged: ${r.ingest.badLines} bad line(s) skipped${r.ingest.truncated.length ? '; input truncated' : ''}.`);
  L.push('');
  return L.join('\n');
}
