// One real k6 run against a local server, then: our percentiles vs k6's own summary, the
// report files (schema, CSV round trip, JUnit, Markdown), SLO levels from a thresholds file,
// and the HTML charts rendered by headless Chromium.

import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import Papa from 'papaparse';
import type { Report } from '../../cli/report/report-types.ts';
import { loadRun } from '../../cli/run/load-run.ts';
import { seriesBySelector as selectSeries } from '../../cli/slo/evaluate.ts';
import { loadThresholdsFile } from '../../cli/slo/load.ts';
import { quantiles } from '../../cli/stats/histogram.ts';
import { projectRoot } from '../helpers/paths.ts';
import { headlessChromiumFlags } from '../watch/screenshot.ts';
import { assertValidReport, cli, type EchoServer, run, runK6Fixture, startEchoServer, tempDir } from './helpers.ts';

const ITERATIONS = 1500;
let server: EchoServer;
let tmp: ReturnType<typeof tempDir>;
let runDir: string;

before(async () => {
  server = await startEchoServer();
  tmp = tempDir('real');
  runDir = join(tmp.dir, '20260101T000000-echo');
  mkdirSync(runDir);
  const k6 = await runK6Fixture(runDir, server.url, [], { ITERATIONS: String(ITERATIONS), VUS: '4', TESTID: 'accuracy-1' });
  // The fixture's {name:slow} threshold is meant to fail: k6 exits 99 (thresholds crossed).
  assert.equal(k6.code, 99, k6.stderr);
});

after(async () => {
  await server?.close();
  tmp?.cleanup();
});

test('p50/p90/p95/p99 from our ingest agree with k6 summary.json within 0.5 %', async () => {
  const summary = JSON.parse(readFileSync(join(runDir, 'summary.json'), 'utf8')) as { metrics: Record<string, Record<string, number>> };
  const runSummary = await loadRun(runDir);
  for (const selector of ['http_req_duration', 'http_req_duration{name:slow}', 'http_req_duration{name:fast}', 'iteration_duration']) {
    const k6 = summary.metrics[selector];
    assert.ok(k6, `k6 summary has ${selector}`);
    const s = selectSeries(runSummary, selector)!;
    const [med, p90, p95, p99] = quantiles(s.hist!, [0.5, 0.9, 0.95, 0.99], s.moments.min, s.moments.max);
    for (const [name, ours] of [
      ['med', med],
      ['p(90)', p90],
      ['p(95)', p95],
      ['p(99)', p99],
    ] as const) {
      const theirs = k6[name]!;
      assert.ok(Math.abs(ours! - theirs) / theirs <= 0.005, `${selector} ${name}: ours ${ours} vs k6 ${theirs}`);
    }
    // min/max/avg are exact (Welford), not histogram estimates.
    assert.ok(Math.abs(s.moments.min - k6['min']!) < 1e-9);
    assert.ok(Math.abs(s.moments.max - k6['max']!) < 1e-9);
    assert.ok(Math.abs(s.moments.mean - k6['avg']!) / k6['avg']! < 1e-9);
  }
  assert.equal(runSummary.series.get('iterations')!.moments.sum, ITERATIONS);
  assert.equal(runSummary.series.get('http_reqs')!.moments.sum, summary.metrics['http_reqs']!['count']);
  assert.equal(runSummary.meta.testId, 'accuracy-1', 'testid comes from the points when there is no run.json');
});

test('report writes schema-valid report.json, CSV that parses back, JUnit and Markdown', async () => {
  const r = await cli(['report', runDir]);
  assert.equal(r.code, 0, r.stderr);
  const report = JSON.parse(readFileSync(join(runDir, 'report.json'), 'utf8')) as Report;
  assertValidReport(report);
  assert.equal(report.schemaVersion, 1);
  assert.deepEqual(
    report.endpoints.map((e) => e.name),
    ['fail', 'fast', 'slow'],
  );
  const fail = report.endpoints.find((e) => e.name === 'fail')!;
  assert.equal(fail.errorRate, 1);
  assert.equal(fail.requests, ITERATIONS / 10);
  // Honest tables: a 500 is no latency sample of the endpoint; it is counted by status instead.
  assert.equal(fail.latency, null, 'no successful request, no latency');
  assert.equal(fail.failedLatency?.count, ITERATIONS / 10);
  assert.equal(report.latencyOf, 'successful');
  assert.equal(report.latency?.count, report.totals.requests - ITERATIONS / 10);
  assert.deepEqual(
    report.failures.map((f) => [f.endpoint, f.status, f.count, f.share]),
    [['fail', '500', ITERATIONS / 10, 1]],
  );
  assert.deepEqual(
    report.checks.map((c) => [c.name, c.group, c.passes, c.fails]),
    [['status 200', '::submit', ITERATIONS, 0]],
  );
  assert.deepEqual(
    report.groups.map((g) => [g.name, g.duration?.count]),
    [['::submit', ITERATIONS]],
  );
  assert.deepEqual(
    report.subMetrics.map((m) => m.metric + JSON.stringify(m.tags)),
    ['http_req_duration{"name":"fast"}', 'http_req_duration{"name":"slow"}'],
  );
  const unit = (name: string) => report.metrics.find((m) => m.metric === name)?.unit;
  assert.deepEqual([unit('http_req_duration'), unit('docket_finality'), unit('iterations'), unit('checks'), unit('data_received')], ['ms', 'ms', 'count', 'ratio', 'bytes']);
  assert.ok(report.totals.vusMax >= 1, 'max VUs from vus_max/vus');
  assert.equal(report.derived.docketFinality?.count, ITERATIONS);

  const csv = Papa.parse<Record<string, string>>(readFileSync(join(runDir, 'report.csv'), 'utf8'), { header: true, skipEmptyLines: true });
  assert.deepEqual(csv.errors, []);
  assert.deepEqual(
    csv.data.map((row) => `${row['endpoint']}/${row['outcome']}`),
    ['all/successful', 'all/failed', 'fail/successful', 'fail/failed', 'fast/successful', 'slow/successful'],
    'failed requests have their own rows',
  );
  const slowRow = csv.data.find((row) => row['endpoint'] === 'slow')!;
  const slow = report.endpoints.find((e) => e.name === 'slow')!;
  assert.equal(Number(slowRow['p95_ms']), slow.latency!.p95);
  assert.equal(Number(slowRow['requests']), slow.requests);

  // k6 itself reported the {name:slow} threshold as crossed: one failing JUnit case.
  const junit = readFileSync(join(runDir, 'junit.xml'), 'utf8');
  // 3 SLOs plus the implicit progress and generator rows (docs/verdicts.md).
  assert.match(junit, /tests="5" failures="1"/);
  assert.match(junit, /name="http_req_duration\{name:slow\} p\(99\)&lt;1"[^>]*><failure/);
  const md = readFileSync(join(runDir, 'report.md'), 'utf8');
  assert.match(md, /\| slow \(GET\) \| 1500 \|/);
  assert.equal(report.sloVerdict, 'fail');
  // --check turns a failed SLO into exit code 1.
  assert.equal((await cli(['report', runDir, '--check', '--quiet'])).code, 1);
  assert.deepEqual(
    readdirSync(runDir).filter((f) => f.endsWith('.tmp')),
    [],
    'no temp files left',
  );
});

test('a thresholds file named in run.json gives warn and fail levels; k6 thresholds it lacks still count', async () => {
  const dir = join(tmp.dir, 'with-runjson');
  mkdirSync(dir);
  for (const f of ['k6.json.gz', 'summary.json']) writeFileSync(join(dir, f), readFileSync(join(runDir, f)));
  writeFileSync(
    join(dir, 'slo.json'),
    JSON.stringify({
      name: 'slo',
      slos: [
        { id: 'fast', metric: 'http_req_duration{name:fast}', aggregation: 'p(95)', operator: '<', fail: 5000, warn: 0.001 },
        { id: 'slow', metric: 'http_req_duration{name:slow}', aggregation: 'p(99)', operator: '<', fail: 5000, warn: 4000 },
        { id: 'errors', metric: 'http_req_failed', aggregation: 'rate', operator: '<', fail: 0.01 },
      ],
    }),
  );
  writeFileSync(
    join(dir, 'run.json'),
    JSON.stringify({
      workload: 'echo',
      profile: 'smoke',
      scriptHash: 'ab'.repeat(32),
      k6Version: 'v1.8.1',
      startedAt: '2026-01-01T00:00:00Z',
      endedAt: '2026-01-01T00:00:10Z',
      exitCode: 99,
      thresholdsFile: 'slo.json',
    }),
  );
  const r = await cli(['report', dir, '--quiet']);
  assert.equal(r.code, 0, r.stderr);
  const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8'));
  const verdicts = Object.fromEntries(report.slos.map((s: { id: string | null; metric: string; expression: string; verdict: string }) => [s.id ?? `${s.metric} ${s.expression}`, s.verdict]));
  // The script's own k6 thresholds that slo.json lacks were enforced by k6, so they are judged too
  // (k6 exited 99 because {name:slow} p(99)<1 was crossed: the verdict may not say pass); the
  // one slo.json holds ({name:fast} p(95)<5000) is its entry "fast", not a second row.
  // progress: a few seconds of timeline are too short to judge (unknown, never pass on its own).
  // generator: a plain k6 run leaves no generator.csv, so k6's CPU was not measured (unknown).
  assert.deepEqual(verdicts, {
    fast: 'warn',
    slow: 'pass',
    errors: 'fail',
    'http_req_duration p(95)<2000': 'pass',
    'http_req_duration{name:slow} p(99)<1': 'fail',
    progress: 'unknown',
    generator: 'unknown',
  });
  assert.equal(report.run.durationS, 10, 'duration comes from run.json');
  assert.equal(report.run.workload, 'echo');
  assert.ok(report.recommendations.some((x: { type: string; priority: string }) => x.type === 'slo' && x.priority === 'medium'));
  const junit = readFileSync(join(dir, 'junit.xml'), 'utf8');
  // Two fail-level failures (errors; k6's own {name:slow} p(99)<1); the warn on "fast" is no failure.
  assert.match(junit, /tests="7" failures="2"/, 'warn level never fails the build');
});

test('the project thresholds file (copied into the run folder by the runner) drives the SLO verdicts', async () => {
  const dir = join(tmp.dir, 'project-slos');
  mkdirSync(dir);
  for (const f of ['k6.json.gz', 'summary.json']) writeFileSync(join(dir, f), readFileSync(join(runDir, f)));
  const projectFormat = {
    name: 'echo',
    slos: [
      { id: 'latency-p95', metric: 'http_req_duration', aggregation: 'p(95)', operator: '<', fail: 5000, warn: 4000, target: 0.001, unit: 'ms' },
      { id: 'errors', metric: 'http_req_failed', aggregation: 'rate', operator: '<', fail: 0.01, warn: 0.005 },
      { id: 'checks', metric: 'checks', aggregation: 'rate', operator: '>', fail: 0.99 },
    ],
  };
  writeFileSync(join(dir, 'thresholds.json'), JSON.stringify(projectFormat));
  writeFileSync(join(dir, 'run.json'), JSON.stringify({ workload: 'echo', profile: 'smoke', thresholdsFile: 'thresholds/api-default.json' }));
  const r = await cli(['report', dir, '--quiet']);
  assert.equal(r.code, 0, r.stderr);
  const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as Report;
  const byId = Object.fromEntries(report.slos.map((s) => [s.id, s]));
  // Every 10th iteration hits /fail: 150 of 3150 requests fail, over the 1 % fail level.
  assert.equal(byId['errors']!.verdict, 'fail');
  assert.equal(byId['errors']!.expression, 'rate<0.01');
  assert.equal(byId['errors']!.warnExpression, 'rate<0.005');
  assert.ok(Math.abs(byId['errors']!.observed! - 150 / 3150) < 1e-12);
  assert.equal(byId['latency-p95']!.verdict, 'pass');
  assert.equal(byId['latency-p95']!.targetMet, false, 'a 1 µs target is not met');
  assert.equal(byId['checks']!.verdict, 'pass');
  assert.equal(report.slos[0]!.source, 'thresholds-file');

  // A broken thresholds file is an input error with the JSON pointer of the problem.
  writeFileSync(join(dir, 'thresholds.json'), JSON.stringify({ name: 'x', slos: [{ id: 'a', metric: 'http_req_duration', aggregation: 'p(95)', operator: '<', fail: 100, warn: 200 }] }));
  const bad = await cli(['report', dir]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /thresholds\.json:\d+: \/slos\/0\/warn: warn 200 trips after fail 100/);
});

test("every SLO file in thresholds/ is readable by the report's SLO reader", () => {
  const dir = join(projectRoot, 'thresholds');
  const files = readdirSync(dir).filter((f) => f.endsWith('.json') && f !== 'schema.json');
  assert.ok(files.length > 0);
  for (const f of files) {
    const set = loadThresholdsFile(join(dir, f));
    assert.ok(set.slos.length > 0 && set.slos.every((s) => s.fail !== undefined || s.warn !== undefined || s.target !== undefined), f);
  }
});

test('report.html is self-contained and Chromium renders its four charts', async () => {
  await cli(['report', runDir, '--quiet']);
  const html = readFileSync(join(runDir, 'report.html'), 'utf8');
  assert.doesNotMatch(html, /<script|<link|<img|src=|href=|url\(/i, 'no scripts, no external resources');
  const chromium = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
  assert.ok(chromium, 'chromium must be installed (apt-get install -y chromium)');
  const profile = tempDir('chromium');
  try {
    const r = await run(chromium, [...headlessChromiumFlags(profile.dir), '--dump-dom', `file://${join(runDir, 'report.html')}`]);
    assert.equal(r.code, 0, r.stderr);
    for (const id of ['chart-latency', 'chart-throughput', 'chart-errors', 'chart-vus']) assert.match(r.stdout, new RegExp(`<svg[^>]*id="${id}"`), `chart ${id} rendered`);
    const latency = /<svg[^>]*id="chart-latency"[\s\S]*?<\/svg>/.exec(r.stdout)![0];
    const paths = [...latency.matchAll(/<path d="([^"]*)"[^>]*data-series="(p\d+)"/g)];
    assert.deepEqual(
      paths.map((m) => m[2]),
      ['p50', 'p95', 'p99'],
    );
    for (const m of paths) assert.match(m[1]!, /^M[\d.]+ [\d.]+/, `series ${m[2]} has points`);
    assert.match(r.stdout, /<table id="endpoints">/);
    // The failed endpoint's 500s are their own row, broken down by status; checks and groups have tables.
    assert.match(r.stdout, /<tr class="failed"><td>fail <span class="muted">\(failed\)<\/span>/);
    assert.match(r.stdout, /<table id="failures">[\s\S]*?<td>fail<\/td><td>500<\/td>/);
    assert.match(r.stdout, /<table id="checks">[\s\S]*?<td>status 200<\/td><td>::submit<\/td>/);
    assert.match(r.stdout, /<table id="groups">[\s\S]*?<td>::submit<\/td>/);
    assert.match(r.stdout, /<table id="sub-metrics">[\s\S]*?http_req_duration\{name:slow\}/);
  } finally {
    profile.cleanup();
  }
});
