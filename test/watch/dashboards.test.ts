// The provisioned Grafana dashboards, checked structurally: what Grafana needs to load them and
// what makes their percentiles true ones. Their queries are run against real Prometheus in
// prometheus-session.test.ts.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { allPanels, BUILTIN_VARIABLES, DASHBOARD_PROVIDERS_FILE, DATASOURCES_FILE, dashboards, readYaml, variableQuery, variablesIn } from './watch-files.ts';

const PANEL_TYPES = new Set(['timeseries', 'stat', 'text', 'row', 'table', 'gauge', 'bargauge']);
/** Panels that show something without a query. */
const QUERYLESS = new Set(['text', 'row']);

interface DatasourcesFile {
  datasources: Array<{ uid: string; type: string; url: string }>;
}

const provisioned = readYaml<DatasourcesFile>(DATASOURCES_FILE).datasources;
const all = dashboards();

describe('provisioned dashboards', () => {
  it('there are the k6 overview and the reference-server dashboards', () => {
    const uids = all.map((d) => d.dashboard.uid).sort();
    assert.deepEqual(uids, ['ledger-k6-overview', 'ledger-reference-server']);
  });

  it('dashboard uids are unique and panel ids are unique within each dashboard', () => {
    assert.equal(new Set(all.map((d) => d.dashboard.uid)).size, all.length);
    for (const { file, dashboard } of all) {
      const ids = allPanels(dashboard).map((p) => p.id);
      assert.equal(new Set(ids).size, ids.length, `${file}: duplicate panel ids ${ids.join(',')}`);
      assert.ok(dashboard.uid.length <= 40, `${file}: Grafana uids are at most 40 characters`);
    }
  });

  it('are our own, not imports of the AGPL grafana.com dashboards', () => {
    for (const { file, dashboard } of all) assert.equal(dashboard.gnetId, undefined, `${file} carries a grafana.com gnetId`);
  });

  it('every panel has a known type, fits the 24-column grid, and queries a provisioned Prometheus datasource', () => {
    const uids = new Set(provisioned.filter((d) => d.type === 'prometheus').map((d) => d.uid));
    assert.ok(uids.size > 0, 'no Prometheus datasource provisioned');
    for (const { file, dashboard } of all) {
      for (const p of allPanels(dashboard)) {
        const where = `${file} panel ${p.id} "${p.title}"`;
        assert.ok(PANEL_TYPES.has(p.type), `${where}: unknown panel type ${p.type}`);
        assert.ok(p.gridPos.x >= 0 && p.gridPos.w > 0 && p.gridPos.x + p.gridPos.w <= 24, `${where}: gridPos outside the 24-column grid`);
        if (QUERYLESS.has(p.type)) {
          assert.equal(p.targets, undefined, `${where}: a ${p.type} panel has queries`);
          continue;
        }
        assert.ok(p.targets && p.targets.length > 0, `${where}: no queries`);
        assert.ok(p.datasource?.uid && uids.has(p.datasource.uid), `${where}: datasource ${JSON.stringify(p.datasource)} is not provisioned`);
        const refIds = p.targets.map((t) => t.refId);
        assert.equal(new Set(refIds).size, refIds.length, `${where}: duplicate refIds`);
        for (const t of p.targets) {
          assert.ok(t.expr && t.expr.trim() !== '', `${where} ${t.refId}: empty expr`);
          if (t.datasource) assert.ok(t.datasource.uid && uids.has(t.datasource.uid), `${where} ${t.refId}: datasource not provisioned`);
        }
      }
      for (const v of dashboard.templating.list) {
        if (v.type !== 'query') continue;
        assert.ok(v.datasource?.uid && uids.has(v.datasource.uid), `${file} variable ${v.name}: datasource not provisioned`);
      }
    }
  });

  it('queries use only variables the dashboard defines (or Grafana built-ins)', () => {
    for (const { file, dashboard } of all) {
      const defined = new Set([...dashboard.templating.list.map((v) => v.name), ...BUILTIN_VARIABLES]);
      const texts = [...allPanels(dashboard).flatMap((p) => (p.targets ?? []).map((t) => t.expr!)), ...dashboard.templating.list.map(variableQuery)];
      for (const text of texts) for (const name of variablesIn(text)) assert.ok(defined.has(name), `${file}: $${name} in ${text} is not defined`);
    }
  });

  it('k6 latency percentiles come from summed native histograms; server ones from classic buckets summed by le', () => {
    let k6Quantiles = 0;
    for (const { file, dashboard } of all) {
      for (const p of allPanels(dashboard)) {
        for (const t of p.targets ?? []) {
          const expr = t.expr!;
          if (!expr.includes('histogram_quantile')) continue;
          if (/k6_\w+_seconds/.test(expr)) {
            k6Quantiles++;
            // Native histograms carry their buckets inside each sample: no `le`, no _bucket series.
            assert.doesNotMatch(expr, /\ble\b|_bucket/, `${file} "${p.title}": a k6 native histogram is not queried by le`);
            assert.match(expr, /histogram_quantile\(0?\.\d+, sum\b/, `${file} "${p.title}": percentiles of several k6 instances need the histograms summed first`);
          } else {
            assert.match(expr, /sum by \(le\b[^)]*\) \(rate\(\w+_bucket/, `${file} "${p.title}": a classic histogram quantile needs sum by (le) of the bucket rates`);
          }
        }
      }
    }
    assert.ok(k6Quantiles >= 4, 'the k6 overview shows p50/p95/p99 from native histograms');
  });

  it('panels showing k6 Rate or trend-stat gauges (cumulative since start) say so', () => {
    for (const { file, dashboard } of all) {
      for (const p of allPanels(dashboard)) {
        const cumulative = (p.targets ?? []).some((t) => /k6_(?!vus_max\b)\w+_(rate|p\d+|avg|med|min|max)\b/.test(t.expr!));
        if (cumulative) assert.match(`${p.title} ${p.description ?? ''}`, /cumulative/i, `${file} "${p.title}" shows a cumulative k6 figure without saying so`);
      }
    }
  });

  it('the k6 overview is filtered by testid and shows what a session is watched for', () => {
    const k6 = all.find((d) => d.dashboard.uid === 'ledger-k6-overview')!.dashboard;
    assert.ok(k6.templating.list.some((v) => v.name === 'testid' && variableQuery(v).includes('testid')));
    const exprs = allPanels(k6).flatMap((p) => (p.targets ?? []).map((t) => t.expr!));
    for (const expr of exprs) assert.match(expr, /testid=~"\$testid"/, `not filtered by testid: ${expr}`);
    for (const metric of ['k6_http_reqs_total', 'k6_http_req_duration_seconds', 'k6_checks_rate', 'k6_vus', 'k6_dropped_iterations_total', 'k6_iteration_duration_seconds']) {
      assert.ok(
        exprs.some((e) => e.includes(metric)),
        `no panel shows ${metric}`,
      );
    }
    for (const q of ['0.5', '0.95', '0.99'])
      assert.ok(
        exprs.some((e) => e.startsWith(`histogram_quantile(${q}, sum by (name)`)),
        `no p${q} per endpoint name`,
      );
  });

  it('the reference-server panels cover requests, latency, mempool, dockets, CPU and memory', () => {
    const srv = all.find((d) => d.dashboard.uid === 'ledger-reference-server')!.dashboard;
    const exprs = allPanels(srv).flatMap((p) => (p.targets ?? []).map((t) => t.expr!));
    for (const metric of [
      'target_http_requests_total',
      'target_http_request_duration_seconds_bucket',
      'target_mempool_transactions',
      'target_dockets_sealed_total',
      'process_cpu_seconds_total',
      'process_resident_memory_bytes',
    ]) {
      assert.ok(
        exprs.some((e) => e.includes(metric)),
        `no panel shows ${metric}`,
      );
    }
  });

  it('the dashboard provider loads the folder docker-compose.yml mounts', () => {
    const providers = readYaml<{ providers: Array<{ type: string; options: { path: string } }> }>(DASHBOARD_PROVIDERS_FILE).providers;
    assert.equal(providers.length, 1);
    assert.equal(providers[0]!.type, 'file');
    assert.equal(providers[0]!.options.path, '/var/lib/grafana/dashboards/ledger-perf');
  });
});
