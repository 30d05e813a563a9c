// A watched session with real parts: Debian's Prometheus (2.42) runs the repo's Prometheus
// config (the reference server's address swapped for the test's), two real k6 instances stream
// one test (same testid) to it by remote write with trends as native histograms, and then every
// query of every provisioned dashboard runs through Prometheus' HTTP API and must return data.
// The server panels' data is Prometheus' own scrape of the test's server's /metrics (its request
// counter must rise by exactly k6's request count). The merged-percentile claim is checked
// against the CLI's own p95 of both runs' raw points.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { overall } from '../../cli/model/run-summary.ts';
import { latencyStats } from '../../cli/report/latency-stats.ts';
import { loadRun } from '../../cli/run/load-run.ts';
import { mergeRuns } from '../../cli/run/merge.ts';
import { compatK6Version, ensureK6, pinnedK6Version } from '../../tools/install/k6.mjs';
import { nativeHistogramSwitch, prometheusOutput } from '../../tools/runner/prometheus-output.ts';
import { runWorkload } from '../../tools/runner/run-workload.ts';
import { projectRoot } from '../helpers/paths.ts';
import { type RunningReferenceServer, startReferenceServer } from '../helpers/reference-server.ts';
import { type MatrixSeries, type NativeHistogram, poll, prometheusBinary, prometheusVersion, type RunningPrometheus, startPrometheus } from './prometheus.ts';
import { allPanels, COMPOSE_SERVER_TARGET, dashboards, fillVariables, PROMETHEUS_CONFIG, variableQuery, variablesIn } from './watch-files.ts';

const WORKLOAD = 'mixed-workload';
/** Grafana derives $__rate_interval as max(4 × scrape interval, step + scrape interval); 5 s scrapes. */
const RATE_INTERVAL = '20s';

interface K6Run {
  code: number;
  output: string;
  jsonFile: string;
}

/** One k6 instance of the test, streaming to Prometheus and writing its raw points as JSON. */
function runK6Instance(k6: string, prom: RunningPrometheus, baseUrl: string, testId: string, instance: number, dir: string): Promise<K6Run> {
  const rw = prometheusOutput(pinnedK6Version(), prom.remoteWriteUrl, '1s');
  const jsonFile = join(dir, `k6-${instance}.json.gz`);
  const args = [
    'run',
    '--quiet',
    '--no-thresholds',
    ...rw.args,
    '--out',
    `json=${jsonFile}`,
    '--tag',
    `testid=${testId}`,
    '--tag',
    `instance_id=${instance}`,
    // An open model with too few VUs for its rate: 100 iterations/s offered, but 3 VUs that
    // think 50 ms each iteration can start at most 60/s on any machine, so iterations are dropped
    // on purpose. Busy enough (about 1,400 requests over both instances) that the tail around the
    // p95 is dense: the raw p95 is then a bucket's width or less from the dashboard's.
    '-e',
    `BASE_URL=${baseUrl}`,
    '-e',
    `TESTID=${testId}`,
    '-e',
    'PROFILE=tps-baseline',
    '-e',
    'RATE_SCALE=1',
    '-e',
    'PROFILE_DURATION=10s',
    '-e',
    'MAX_VUS=3',
    '-e',
    'THINK_TIME=0.05',
    join(projectRoot, 'dist', `${WORKLOAD}.js`),
  ];
  const child = spawn(k6, args, { cwd: projectRoot, env: { ...process.env, ...rw.env, K6_NO_USAGE_REPORT: 'true', K6_WEB_DASHBOARD: 'false' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (output += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (output += d));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code: code ?? 1, output, jsonFile })));
}

/** Every http_req_duration point of one k6 JSON output, in seconds. */
function rawDurationsS(jsonFile: string): number[] {
  const out: number[] = [];
  for (const line of gunzipSync(readFileSync(jsonFile)).toString('utf8').split('\n')) {
    if (!line.includes('"http_req_duration"')) continue;
    const p = JSON.parse(line) as { type: string; metric: string; data: { value: number } };
    if (p.type === 'Point' && p.metric === 'http_req_duration') out.push(p.data.value / 1000);
  }
  return out;
}

function hasData(series: MatrixSeries[]): boolean {
  return series.some((s) => (s.values ?? []).some(([, v]) => Number.isFinite(Number(v))) || (s.histograms ?? []).length > 0);
}

/** label_values(<selector>, <label>), the form the dashboards' variables use. */
function parseLabelValues(query: string): { match: string; label: string } {
  const m = /^label_values\((.+),\s*(\w+)\)$/.exec(query.trim());
  assert.ok(m, `variable query is not label_values(selector, label): ${query}`);
  return { match: m[1]!, label: m[2]! };
}

describe('a watched session on real Prometheus', { timeout: 240_000 }, () => {
  let target: RunningReferenceServer;
  let prom: RunningPrometheus;
  let dir: string;
  let runs: K6Run[];
  const testId = `watching-${Date.now()}`;
  let startS: number;
  let endS: number;

  before(async () => {
    prometheusBinary(); // stops here, with the install command, when Prometheus is missing
    const k6 = ensureK6();
    dir = mkdtempSync(join(tmpdir(), 'ledger-watching-'));
    // A tiny mempool: some submissions are refused (409), so the error panels have something to show.
    target = await startReferenceServer({ args: ['--mempool-max', '1', '--docket-time-ms', '2000'] });
    const config = readFileSync(PROMETHEUS_CONFIG, 'utf8');
    assert.ok(config.includes(COMPOSE_SERVER_TARGET), `${PROMETHEUS_CONFIG} no longer scrapes ${COMPOSE_SERVER_TARGET}`);
    prom = await startPrometheus(config.replaceAll(COMPOSE_SERVER_TARGET, `127.0.0.1:${target.port}`));
    await poll('the first scrape of the reference server', async () => ((await prom.query('up{job="reference-server"} == 1')).length === 1 ? true : undefined));

    startS = Date.now() / 1000;
    runs = await Promise.all([1, 2].map((i) => runK6Instance(k6, prom, target.url, testId, i, dir)));
    endS = Date.now() / 1000;
    for (const [i, r] of runs.entries()) assert.equal(r.code, 0, `k6 instance ${i + 1} failed:\n${r.output}`);
    // Server counters are final once a scrape after the load has landed.
    await poll('a scrape after the load', async () => {
      const r = await prom.query('timestamp(up{job="reference-server"})');
      return r.length === 1 && Number(r[0]!.value![1]) > endS ? true : undefined;
    });
  });

  after(async () => {
    await prom?.stop();
    await target?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('runs Prometheus 2.40 or newer (native histograms)', () => {
    const [major, minor] = prometheusVersion().split('.').map(Number) as [number, number];
    assert.ok(major > 2 || (major === 2 && minor >= 40), `prometheus ${prometheusVersion()} has no native histograms`);
  });

  it("every dashboard variable lists this session's values", async () => {
    for (const { file, dashboard } of dashboards()) {
      for (const v of dashboard.templating.list) {
        const { match, label } = parseLabelValues(variableQuery(v));
        const values = await prom.labelValues(label, fillVariables(match, { testid: testId }), startS - 60, Date.now() / 1000);
        const expected = { testid: testId, name: 'POST /transactions/validate', job: 'reference-server' }[label];
        assert.ok(expected, `${file}: no expectation for variable ${v.name}`);
        assert.ok(values.includes(expected), `${file} variable ${v.name}: ${JSON.stringify(values)} lacks ${expected}`);
      }
    }
  });

  it('every query of every provisioned dashboard returns data for the session', async () => {
    const values = { testid: testId, name: '.+', job: 'reference-server', __rate_interval: RATE_INTERVAL, __interval: '2s', __range: `${Math.ceil(endS - startS) + 30}s` };
    let queries = 0;
    const empty: string[] = [];
    for (const { file, dashboard } of dashboards()) {
      for (const p of allPanels(dashboard)) {
        for (const t of p.targets ?? []) {
          const expr = fillVariables(t.expr!, values);
          const result = await prom.queryRange(expr, Math.floor(startS), Math.ceil(Date.now() / 1000), 2);
          queries++;
          if (!hasData(result)) empty.push(`${file} "${p.title}" ${t.refId}: ${expr}`);
        }
      }
    }
    assert.ok(queries >= 25, `only ${queries} queries found`);
    assert.deepEqual(empty, [], `queries without data:\n${empty.join('\n')}`);
  });

  it('every query that filters by endpoint returns data with one endpoint picked, as Grafana fills it in', async () => {
    // Grafana escapes a picked value's regex characters for Prometheus (none in this one) and
    // substitutes it for $name; the submissions refused by the tiny mempool give its errors.
    const picked = 'POST /transactions/validate'.replace(/[\\^$*+?.()|[\]{}]/g, '\\\\$&');
    const values = { testid: testId, name: picked, job: 'reference-server', __rate_interval: RATE_INTERVAL };
    const empty: string[] = [];
    let queries = 0;
    for (const { file, dashboard } of dashboards()) {
      for (const p of allPanels(dashboard)) {
        for (const t of (p.targets ?? []).filter((x) => variablesIn(x.expr!).includes('name'))) {
          const expr = fillVariables(t.expr!, values);
          const result = await prom.queryRange(expr, Math.floor(startS), Math.ceil(Date.now() / 1000), 2);
          queries++;
          if (!hasData(result)) empty.push(`${file} "${p.title}" ${t.refId}: ${expr}`);
        }
      }
    }
    assert.ok(queries >= 8, `only ${queries} queries filter by endpoint`);
    assert.deepEqual(empty, [], `queries without data for one endpoint:\n${empty.join('\n')}`);
  });

  it("the server panels show the session's load, scraped by Prometheus from the server's own /metrics", async () => {
    const at = async (expr: string, timeS: number): Promise<number> => {
      const r = await prom.query(expr, timeS);
      assert.equal(r.length, 1, `${expr} at ${timeS}: ${JSON.stringify(r)}`);
      return Number(r[0]!.value![1]);
    };
    // Before the load a labelled counter may have no series yet (nothing answered): that is 0.
    const before = async (expr: string): Promise<number> => {
      const r = await prom.query(expr, startS);
      return r.length === 0 ? 0 : Number(r[0]!.value![1]);
    };
    const scraped = await prom.query('up{job="reference-server"}');
    assert.deepEqual(
      scraped.map((s) => s.metric.instance),
      [`127.0.0.1:${target.port}`],
      "Prometheus scrapes the test's reference server, as the repo's config names it",
    );
    // Every request both k6 instances made reached this server and was counted there, and
    // Prometheus read that count from /metrics: the server's counter rose by exactly k6's
    // request count between the scrape before the load and the one after (its own scrapes of
    // /metrics left out).
    const requests = 'sum(target_http_requests_total{job="reference-server", route!="/metrics"})';
    const nowS = Date.now() / 1000;
    const served = (await at(requests, nowS)) - (await before(requests));
    const made = runs.reduce((n, r) => n + rawDurationsS(r.jsonFile).length, 0);
    assert.equal(served, made, `the server counted ${served} requests during the session, k6 made ${made}`);
    const sealed = (await at('sum(target_dockets_sealed_total{job="reference-server"})', nowS)) - (await before('sum(target_dockets_sealed_total{job="reference-server"})'));
    assert.ok(sealed > 0, 'the server sealed no docket during the session');
    const cpuS = (await at('sum(process_cpu_seconds_total{job="reference-server"})', nowS)) - (await before('sum(process_cpu_seconds_total{job="reference-server"})'));
    assert.ok(cpuS > 0, 'the server used no CPU during the session');
  });

  it("two k6 instances in one Prometheus: the dashboard p95 is the CLI's p95 of both runs within the bucket error, in the bucket where the raw data crosses the 95 % rank", async (t) => {
    // The raw truth: both runs' points merged by the CLI (HdrHistogram, ±0.1 %).
    const loaded = await Promise.all(runs.map((r) => loadRun(r.jsonFile)));
    const merged = mergeRuns(loaded).run;
    const raw = latencyStats(overall(merged, 'http_req_duration'));
    assert.ok(raw, 'the CLI found no http_req_duration points');
    for (const [i, one] of loaded.entries()) assert.ok((overall(one, 'http_req_duration')?.moments.count ?? 0) > 0, `instance ${i + 1} made no requests`);

    const k6 = dashboards().find((d) => d.dashboard.uid === 'ledger-k6-overview')!.dashboard;
    const panel = allPanels(k6).find((p) => p.title.startsWith('Latency since the test started'))!;
    const p95Expr = panel.targets!.find((t) => t.expr!.startsWith('histogram_quantile(0.95,'))!.expr!;
    const nowS = Date.now() / 1000;
    const dash = await prom.query(fillVariables(p95Expr, { testid: testId, name: '.+' }), nowS);
    assert.equal(dash.length, 1, `dashboard p95 query returned ${JSON.stringify(dash)}`);
    const dashboardP95 = Number(dash[0]!.value![1]);

    const instances = await prom.query(`count by (instance_id) (k6_http_req_duration_seconds{testid="${testId}"})`, nowS);
    assert.deepEqual(instances.map((s) => s.metric.instance_id).sort(), ['1', '2'], 'both k6 instances must have streamed');

    const summed = await prom.query(`sum(k6_http_req_duration_seconds{testid="${testId}"})`, nowS);
    const h = summed[0]?.histogram?.[1] as NativeHistogram | undefined;
    assert.ok(h?.buckets?.length, `no native histogram for the session: ${JSON.stringify(summed)}`);
    assert.equal(Number(h.count), raw.count, 'Prometheus holds every request of both runs');

    const rawP95 = raw.p95 / 1000; // k6 trends are in ms, Prometheus in seconds
    const bucket = h.buckets.find(([, lo, hi]) => dashboardP95 >= Number(lo) * (1 - 1e-9) && dashboardP95 <= Number(hi) * (1 + 1e-9));
    assert.ok(bucket, `no bucket holds the dashboard p95 ${dashboardP95}`);
    const [, lo, hi] = bucket.map(Number) as [number, number, number, number];
    // The truth, read straight from both runs' raw points (independent of the CLI and of Prometheus).
    const values = runs.flatMap((r) => rawDurationsS(r.jsonFile)).sort((a, b) => a - b);
    assert.equal(values.length, raw.count, 'the CLI counted every raw http_req_duration point');
    const atOrBelow = (x: number) => values.filter((v) => v <= x).length;
    const rank = 0.95 * values.length;
    t.diagnostic(
      `requests ${values.length}; CLI p95 ${rawP95.toFixed(6)} s; dashboard p95 ${dashboardP95.toFixed(6)} s; bucket (${lo.toFixed(6)}, ${hi.toFixed(6)}] holds raw ranks ${atOrBelow(lo)}..${atOrBelow(hi)}, 95 % rank ${rank.toFixed(1)}`,
    );
    // histogram_quantile picks the bucket where the cumulative count first reaches 0.95·n and
    // interpolates inside it: so the bucket must be the one where the raw data crosses that rank.
    // (The CLI's p95 interpolates between the order statistics around 0.95·(n−1), which at a
    // sparse tail can sit a bucket or more lower: a different, equally honest, definition.)
    assert.ok(
      atOrBelow(lo) < rank && rank <= atOrBelow(hi),
      `the dashboard p95 ${dashboardP95}s lies in bucket (${lo}, ${hi}], but the raw data crosses the 95 % rank ${rank} elsewhere (${atOrBelow(lo)} at or below ${lo}, ${atOrBelow(hi)} at or below ${hi})`,
    );
    // And the CLI's p95 lies between the order statistics it interpolates (HdrHistogram: ±0.1 %).
    const r = 0.95 * (values.length - 1);
    const [below, above] = [values[Math.floor(r)]!, values[Math.ceil(r)]!];
    assert.ok(rawP95 >= below * (1 - 1e-3) && rawP95 <= above * (1 + 1e-3), `CLI p95 ${rawP95}s is outside the raw order statistics [${below}, ${above}]`);
    // The claim itself: the dashboard's p95 of both instances is the CLI's p95 of both runs'
    // raw points within the histogram's bucket error (the width of the bucket it lies in).
    assert.ok(Math.abs(dashboardP95 - rawP95) <= hi - lo, `dashboard p95 ${dashboardP95}s is ${Math.abs(dashboardP95 - rawP95)}s from the CLI's ${rawP95}s, more than the bucket error ${hi - lo}s`);
  });

  /** A runner run with PROMETHEUS_RW_URL on its own healthy server, by the given k6 build. */
  async function runnerRunStreams(k6?: { path: string; version: string }): Promise<void> {
    // Its own healthy server: the session's server refuses submissions on purpose (mempool of 1),
    // which would fail this smoke run whenever a docket is not sealed in time.
    const healthy = await startReferenceServer();
    process.env.PROMETHEUS_RW_URL = prom.remoteWriteUrl;
    let result: Awaited<ReturnType<typeof runWorkload>>;
    try {
      result = await runWorkload({ workload: WORKLOAD, profile: 'smoke', baseUrl: healthy.url, outDir: dir, quiet: true, env: { THINK_TIME: '0.2' }, ...(k6 ? { k6 } : {}) });
    } finally {
      delete process.env.PROMETHEUS_RW_URL;
      await healthy.stop();
    }
    assert.equal(result.exitCode, 0, readFileSync(join(result.runDir, 'k6.log'), 'utf8'));
    const { testId: runTestId } = JSON.parse(readFileSync(join(result.runDir, 'run.json'), 'utf8')) as { testId: string };
    // Native histograms only: k6 sends a trend as one, or as _p99-style gauges, never both.
    const summed = await prom.query(`sum(k6_http_req_duration_seconds{testid="${runTestId}"})`);
    const h = summed[0]?.histogram?.[1];
    assert.ok(h, `no native histogram for testid ${runTestId}: ${JSON.stringify(summed)}`);
    const raw = latencyStats(overall(await loadRun(result.runDir), 'http_req_duration'));
    assert.equal(Number(h.count), raw?.count, 'every request of the run reached Prometheus');
  }

  it('a runner run (npm start, the suite) with PROMETHEUS_RW_URL streams to Prometheus under its testid', async () => {
    await runnerRunStreams();
  });

  it(`the k6 v1 line (${compatK6Version()}) streams native histograms too, switched on by K6_PROMETHEUS_RW_TREND_AS_NATIVE_HISTOGRAM`, async () => {
    const version = compatK6Version();
    assert.deepEqual(nativeHistogramSwitch(version), { args: [], env: { K6_PROMETHEUS_RW_TREND_AS_NATIVE_HISTOGRAM: 'true' } });
    await runnerRunStreams({ path: ensureK6({ version }), version });
  });
});
