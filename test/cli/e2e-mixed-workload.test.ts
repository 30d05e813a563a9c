// End to end: the real mixed workload (dist/mixed-workload.js, PROFILE=smoke) against the
// reference server, then `ledger-perf report` on its output.

import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Report } from '../../cli/report/report-types.ts';
import { runWorkload } from '../../tools/runner/run-workload.ts';
import { projectRoot } from '../helpers/paths.ts';
import { type RunningReferenceServer, startReferenceServer } from '../helpers/reference-server.ts';
import { assertValidReport, cli, k6Path, run, tempDir } from './helpers.ts';

let target: RunningReferenceServer;
const tmp = tempDir('e2e');
const runDir = join(tmp.dir, 'mixed-smoke');

before(async () => {
  const script = join(projectRoot, 'dist', 'mixed-workload.js');
  assert.ok(existsSync(script), 'dist/mixed-workload.js must be built first (node esbuild.config.mjs)');
  target = await startReferenceServer();
  mkdirSync(runDir);
  const k6 = await run(
    k6Path(),
    [
      'run',
      '--quiet',
      '--no-usage-report',
      '-e',
      'PROFILE=smoke',
      '-e',
      `BASE_URL=${target.url}`,
      '--out',
      `json=${join(runDir, 'k6.json.gz')}`,
      '--summary-export',
      join(runDir, 'summary.json'),
      script,
    ],
    { K6_NO_USAGE_REPORT: 'true' },
  );
  assert.equal(k6.code, 0, k6.stderr.slice(-2000));
});
after(async () => {
  await target?.stop();
  tmp.cleanup();
});

test('report on a real mixed-workload smoke run: valid, named endpoints, counts match k6', async () => {
  const r = await cli(['report', runDir]);
  assert.equal(r.code, 0, r.stderr);
  const report = JSON.parse(readFileSync(join(runDir, 'report.json'), 'utf8')) as Report;
  assertValidReport(report);
  const summary = JSON.parse(readFileSync(join(runDir, 'summary.json'), 'utf8')) as { metrics: Record<string, Record<string, number>> };
  assert.equal(report.totals.requests, summary.metrics['http_reqs']!['count']);
  // k6's total includes the progress guard's ticks (its own scenario); the report leaves them out.
  const guardTicks = summary.metrics['iterations{scenario:progress_guard}']!['count']!;
  assert.ok(guardTicks >= 1, 'the progress guard ran');
  assert.equal(report.totals.iterations, summary.metrics['iterations']!['count']! - guardTicks);
  // Every request carries a stable name tag (architecture: no high-cardinality URLs).
  assert.ok(report.endpoints.length > 1);
  assert.ok(
    report.endpoints.every((e) => e.name !== '(no name tag)'),
    report.endpoints.map((e) => e.name).join(', '),
  );
  assert.equal(
    report.endpoints.reduce((a, e) => a + e.requests, 0),
    report.totals.requests,
  );
  const k6p95 = summary.metrics['http_req_duration']!['p(95)']!;
  assert.ok(Math.abs(report.latency!.p95 - k6p95) / k6p95 < 0.005, `p95 ${report.latency!.p95} vs k6 ${k6p95}`);
  assert.equal(report.sloVerdict, 'pass');
});

test("the suite runner's run folder (run.json + thresholds.json) gets SLO verdicts from its thresholds file", async () => {
  const { exitCode, runDir: dir } = await runWorkload({ workload: 'mixed-workload', profile: 'smoke', baseUrl: target.url, outDir: tmp.dir, quiet: true });
  assert.equal(exitCode, 0);
  const r = await cli(['report', dir, '--quiet']);
  assert.equal(r.code, 0, r.stderr);
  const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as Report;
  const runJson = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as { workload: string; scriptHash: string; thresholdsFile: string | null };
  assert.equal(report.run.workload, runJson.workload);
  assert.equal(report.run.scriptHash, runJson.scriptHash);
  assert.ok(runJson.thresholdsFile, 'the runner names the thresholds file');
  assert.equal(report.run.sloSet, 'api-default', "judged by the workload's own set, as the bundle recorded it");
  const thresholds = JSON.parse(readFileSync(join(dir, 'thresholds.json'), 'utf8')) as { slos: Array<{ id: string }> };
  // Every run also gets the implicit rows (docs/verdicts.md): progress and generator.
  assert.deepEqual(
    report.slos.map((s) => s.id),
    [...thresholds.slos.map((s) => s.id), 'progress', 'generator'],
  );
  assert.ok(report.slos.every((s) => s.source === (s.id === 'progress' || s.id === 'generator' ? 'implicit' : 'thresholds-file')));
  // Every whole-metric SLO on a metric the run recorded gets a verdict (tag-filtered ones may
  // name endpoints a smoke run does not reach).
  const recorded = new Set(report.metrics.map((m) => m.metric));
  const onRecorded = report.slos.filter((s) => recorded.has(s.metric));
  assert.ok(onRecorded.length > 0);
  for (const s of onRecorded) assert.notEqual(s.verdict, 'unknown', JSON.stringify(s));
});
