// Plain-language advice derived from the report: what to look at first, in priority order.
import { declaredSlos } from '../slo/judge.ts';
import type { Recommendation, Report } from './report-types.ts';

const SHORT_RUN_S = 30;

export function recommend(r: Omit<Report, 'recommendations'>): Recommendation[] {
  const out: Recommendation[] = [];
  for (const slo of r.slos) {
    if (slo.verdict === 'fail') out.push({ type: 'slo', priority: 'high', message: `SLO failed: ${slo.metric} ${slo.expression}${slo.observed !== null ? ` (observed ${fmt(slo.observed)})` : ''}.` });
    else if (slo.verdict === 'warn')
      out.push({
        type: 'slo',
        priority: 'medium',
        message: `SLO at warn level: ${slo.metric} ${slo.warnExpression ?? slo.expression}${slo.observed !== null ? ` (observed ${fmt(slo.observed)})` : ''}; it still passes the fail level.`,
      });
  }
  if (r.totals.errorRate > 0.01)
    out.push({
      type: 'errors',
      priority: 'high',
      message: `${(r.totals.errorRate * 100).toFixed(2)} % of requests failed; latency figures of failing requests are not comparable — fix errors first.`,
    });
  // The worst endpoint is the one that lost most requests: a rate alone would name 6 failing
  // set-up requests over 133 failures among 949 requests.
  const worstEndpoint = r.endpoints.filter((e) => e.errorRate > 0.01).sort((a, b) => b.failed - a.failed || b.errorRate - a.errorRate)[0];
  if (worstEndpoint && r.endpoints.length > 1) {
    const top = r.failures.find((f) => f.endpoint === worstEndpoint.name);
    const cause = top ? `; most often status ${top.status}${top.errorCode ? `, k6 error ${top.errorCode}` : ''} (${top.count})` : '';
    out.push({
      type: 'errors',
      priority: 'high',
      message: `Endpoint "${worstEndpoint.name}" fails ${worstEndpoint.failed} of its ${worstEndpoint.requests} requests (${(worstEndpoint.errorRate * 100).toFixed(2)} %)${cause}.`,
    });
  }
  if (r.totals.droppedIterations > 0)
    out.push({
      type: 'capacity',
      priority: 'high',
      message: `k6 dropped ${r.totals.droppedIterations} iterations: the arrival rate was not met (too few preAllocatedVUs/maxVUs, or the target saturated). The run understates the offered load; do not compare it.`,
    });
  if (r.totals.checksPassRate !== null && r.totals.checksPassRate < 1) {
    const failing = r.checks.filter((c) => c.fails > 0);
    const named = failing.slice(0, 3).map((c) => `"${c.name}" (${c.fails} of ${c.passes + c.fails} failed)`);
    const more = failing.length > 3 ? ` and ${failing.length - 3} more` : '';
    out.push({
      type: 'correctness',
      priority: 'high',
      message: `Only ${(r.totals.checksPassRate * 100).toFixed(2)} % of checks passed${named.length ? `; failing: ${named.join(', ')}${more}` : ''}.`,
    });
  }
  for (const e of r.endpoints) {
    if (e.latency && e.latency.median > 0 && e.latency.p99 / e.latency.median > 10)
      out.push({
        type: 'tail-latency',
        priority: 'medium',
        message: `Endpoint "${e.name}": p99 is ${(e.latency.p99 / e.latency.median).toFixed(1)}x its median — look for queueing, GC pauses or lock contention.`,
      });
  }
  const scaling = r.derived.concurrencyScaling;
  if (scaling?.worstGrowthPer2_5xPct != null && scaling.worstGrowthPer2_5xPct > 20)
    out.push({ type: 'scalability', priority: 'medium', message: `p95 grows ${scaling.worstGrowthPer2_5xPct.toFixed(1)} % per 2.5x concurrency (target < 20 %).` });
  const rec = r.derived.recovery;
  if (rec?.status === 'not-recovered') out.push({ type: 'resilience', priority: 'high', message: 'Latency did not return to baseline after the burst before the run ended.' });
  else if (rec?.status === 'unknown') out.push({ type: 'resilience', priority: 'medium', message: `Recovery after the burst was not judged: ${rec.detail.replace(/^cannot judge recovery: /, '')}` });
  else if (rec?.recoveryTimeS != null && rec.recoveryTimeS > 30) out.push({ type: 'resilience', priority: 'medium', message: `Recovery after the burst took ${rec.recoveryTimeS.toFixed(1)} s.` });
  if (r.derived.breakingPoint)
    out.push({ type: 'capacity', priority: 'medium', message: `Breaking point near ${r.derived.breakingPoint.arrivalRatePerS.toFixed(1)} iterations/s (${r.derived.breakingPoint.reason}).` });
  if (r.ingest.badLines > 0 || r.ingest.truncated.length > 0)
    out.push({
      type: 'data-quality',
      priority: 'medium',
      message: `The k6 output was damaged (${r.ingest.badLines} bad line(s)${r.ingest.truncated.length ? ', truncated' : ''}); figures cover only what was readable.`,
    });
  if (r.run.durationS < SHORT_RUN_S)
    out.push({
      type: 'methodology',
      priority: 'low',
      message: `The run lasted ${r.run.durationS.toFixed(1)} s; tail percentiles of short runs are noisy. Compare several runs per side (ledger-perf compare) before drawing conclusions.`,
    });
  if (declaredSlos(r.slos).length === 0)
    out.push({
      type: 'slo',
      priority: 'high',
      message: 'No SLOs judged this run (no SLO set, no k6 thresholds): the verdict is "unknown", never pass. Record an SLO set (THRESHOLDS=<name>) or pass --thresholds.',
    });
  if (out.length === 0) out.push({ type: 'info', priority: 'low', message: 'No problems found: all SLOs pass, no errors, no dropped iterations.' });
  const order = { high: 0, medium: 1, low: 2 } as const;
  return out.sort((a, b) => order[a.priority] - order[b.priority]);
}

function fmt(x: number): string {
  return Number.isInteger(x) ? String(x) : x.toFixed(3);
}
