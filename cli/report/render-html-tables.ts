import { describeGenerator } from '../figures/generator.ts';
import { metricValue, ms, num, pct, xml } from './format.ts';
import type { LatencyStats, Report } from './report-types.ts';

function lat(l: LatencyStats | null): string {
  return (l ? [l.min, l.max, l.mean, l.median, l.p90, l.p95, l.p99, l.stddev] : Array(8).fill(NaN)).map((v) => `<td>${ms(v)}</td>`).join('');
}

export function renderHtmlTables(r: Report): string {
  const failedRow = (label: string, l: LatencyStats | null) =>
    l ? `<tr class="failed"><td>${label} <span class="muted">(failed)</span></td><td></td><td></td><td></td><td>${l.count}</td>${lat(l)}</tr>` : '';
  const rows = [
    `<tr><td><strong>all</strong></td><td>${r.totals.requests}</td><td>${num(r.totals.throughputPerS)}</td><td>${pct(r.totals.errorRate)}</td><td>${r.latency?.count ?? 0}</td>${lat(r.latency)}</tr>`,
    failedRow('<strong>all</strong>', r.latencyFailed),
    ...r.endpoints.map(
      (e) =>
        `<tr><td>${xml(e.name)}${e.methods.length ? ` <span class="muted">${xml(e.methods.join(','))}</span>` : ''}</td><td>${e.requests}</td><td>${num(e.throughputPerS)}</td><td>${pct(e.errorRate)}</td><td>${e.latency?.count ?? 0}</td>${lat(e.latency)}</tr>` +
        failedRow(xml(e.name), e.failedLatency),
    ),
  ].join('');
  const failures = r.failures.length
    ? `<h2>Failed requests by status and k6 error code</h2><table id="failures"><tr><th>endpoint</th><th>status</th><th>k6 error code</th><th>failed</th><th>share of endpoint</th></tr>${r.failures
        .map((f) => `<tr><td>${xml(f.endpoint)}</td><td>${xml(f.status)}</td><td>${xml(f.errorCode ?? '–')}</td><td>${f.count}</td><td>${pct(f.share)}</td></tr>`)
        .join('')}</table>`
    : '';
  const checks = r.checks.length
    ? `<h2>Checks</h2><table id="checks"><tr><th>check</th><th>group</th><th>passes</th><th>fails</th><th>pass rate</th></tr>${r.checks
        .map((c) => `<tr><td>${xml(c.name)}</td><td>${xml(c.group ?? '–')}</td><td>${c.passes}</td><td>${c.fails}</td><td>${pct(c.passRate)}</td></tr>`)
        .join('')}</table>`
    : '';
  const groups = r.groups.length
    ? `<h2>Groups</h2><table id="groups"><tr><th>group</th><th>count</th><th>min</th><th>max</th><th>mean</th><th>median</th><th>p90</th><th>p95</th><th>p99</th><th>stddev</th></tr>${r.groups
        .map((g) => `<tr><td>${xml(g.name)}</td><td>${g.duration?.count ?? 0}</td>${lat(g.duration)}</tr>`)
        .join('')}</table>`
    : '';
  const slos = r.slos.length
    ? `<table id="slos"><tr><th>metric</th><th>fail level</th><th>warn level</th><th>observed</th><th>verdict</th><th>source</th></tr>${r.slos
        .map(
          (s) =>
            `<tr><td>${xml(s.metric)}</td><td>${xml(s.expression)}</td><td>${xml(s.warnExpression ?? '–')}</td><td>${num(s.observed, 3)}</td><td class="verdict-${s.verdict}">${s.verdict}</td><td>${s.source}</td></tr>`,
        )
        .join('')}</table>`
    : '<p><strong>No SLOs</strong>: nothing judged this run (no SLO set, no k6 thresholds), so the verdict is unknown, not pass.</p>';
  // The implicit rows' reasons (docs/verdicts.md): a stall's window, a saturated generator's sign and figures.
  const implicit = r.slos.filter((s) => s.source === 'implicit');
  const reasons = implicit.length
    ? `<ul id="implicit-verdicts">${implicit.map((s) => `<li><strong>${xml(s.id ?? s.metric)}</strong> <span class="verdict-${s.verdict}">${s.verdict}</span>: ${xml(s.detail)}</li>`).join('')}</ul>`
    : '';
  const sub = r.subMetrics.length
    ? `<h2>Sub-metrics named by the SLOs</h2><table id="sub-metrics"><tr><th>metric</th><th>type</th><th>unit</th><th>count</th><th>value</th><th>p95</th></tr>${r.subMetrics
        .map(
          (m) =>
            `<tr><td>${xml(
              `${m.metric}{${Object.entries(m.tags)
                .map(([k, v]) => `${k}:${v}`)
                .join(',')}}`,
            )}</td><td>${m.type}</td><td>${m.unit}</td><td>${m.count}</td><td>${metricValue(m, m.value)}</td><td>${m.stats ? metricValue(m, m.stats.p95) : '–'}</td></tr>`,
        )
        .join('')}</table>`
    : '';
  const d = r.derived;
  const derived: string[] = [];
  if (d.recovery)
    derived.push(
      `<li>Recovery after burst: ${d.recovery.status === 'unknown' ? '<strong>not judged</strong>' : d.recovery.recoveryTimeS === null ? '<strong>did not recover</strong>' : `${num(d.recovery.recoveryTimeS, 1)} s`} <span class="muted">(${xml(d.recovery.detail)})</span></li>`,
    );
  if (d.concurrencyScaling)
    derived.push(
      `<li>Latency growth per 2.5x concurrency (worst step): ${d.concurrencyScaling.worstGrowthPer2_5xPct === null ? '–' : `${num(d.concurrencyScaling.worstGrowthPer2_5xPct, 1)} %`} <span class="muted">(${xml(d.concurrencyScaling.detail)})</span></li>`,
    );
  if (d.breakingPoint) derived.push(`<li>Breaking point: ${num(d.breakingPoint.arrivalRatePerS, 1)} iterations/s <span class="muted">(${xml(d.breakingPoint.reason)})</span></li>`);
  if (d.achievedRate && d.achievedRate.dropped > 0)
    derived.push(
      `<li>Achieved rate: ${pct(d.achievedRate.ratio)} of the offered iterations <span class="muted">(${d.achievedRate.iterations} iterations, ${d.achievedRate.dropped} dropped)</span></li>`,
    );
  if (d.resources) {
    const res = d.resources;
    const mb = (b: number | null) => (b === null ? '–' : num(b / 1e6, 1));
    derived.push(
      `<li>Server memory growth: ${res.memoryGrowthMBPerS === null ? '–' : `${num(res.memoryGrowthMBPerS, 3)} MB/s`} <span class="muted">(${xml(res.detail)})</span>; RSS ${mb(res.rssFirstBytes)} → ${mb(res.rssLastBytes)} MB, max ${mb(res.rssMaxBytes)} MB; CPU mean ${num(res.cpuMeanPercent, 1)} %, max ${num(res.cpuMaxPercent, 1)} %; open files max ${res.openFilesMax ?? '–'}</li>`,
    );
  }
  if (d.generator) derived.push(`<li>Generator (k6 itself): ${xml(describeGenerator(d.generator))}</li>`);
  if (d.docketFinality) derived.push(`<li>Docket finality: median ${ms(d.docketFinality.median)}, p95 ${ms(d.docketFinality.p95)}, p99 ${ms(d.docketFinality.p99)} (n=${d.docketFinality.count})</li>`);
  const of = r.latencyOf === 'successful' ? 'successful requests; failed ones in their own rows' : 'all requests';
  return `<h2>Latency per endpoint <span class="muted">(${of})</span></h2>
<table id="endpoints"><tr><th>endpoint</th><th>requests</th><th>req/s</th><th>errors</th><th>samples</th><th>min</th><th>max</th><th>mean</th><th>median</th><th>p90</th><th>p95</th><th>p99</th><th>stddev</th></tr>${rows}</table>
${failures}${checks}${groups}
<h2>SLOs</h2>${slos}${reasons}${sub}
${derived.length ? `<h2>Derived figures</h2><ul>${derived.join('')}</ul>` : ''}`;
}
