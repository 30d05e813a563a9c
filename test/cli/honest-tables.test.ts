// Report tables that do not mislead, on a synthetic run with known content: an outage whose
// failed requests answer in ~0 ms, a busy endpoint losing 14 % against 6 set-up requests losing
// half, a failing named check, a custom count Trend, an open-model run (vus_max, no vus), and a
// first timeline bucket the run covers only partly.

import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { K6Ndjson } from '../../bench/cli-synthetic.ts';
import type { Report } from '../../cli/report/report-types.ts';
import { cli, tempDir } from './helpers.ts';
import { SYNTHETIC_MACHINE } from './synthetic-runs.ts';

const tmp = tempDir('honest');
after(() => tmp.cleanup());

const START = Date.UTC(2026, 0, 1, 0, 0, 0, 900); // 0.1 s before the first full 1 s bucket
const END = START + 10_100;

function writeRun(): string {
  const dir = join(tmp.dir, 'run');
  mkdirSync(dir, { recursive: true });
  const k6 = new K6Ndjson();
  // Set-up: 6 requests, 3 failed.
  for (let i = 0; i < 6; i++) k6.request(START + 10 + i, 20, { name: 'POST /setup' }, i % 2 === 0);
  // 949 submits from 1.0 s to 10.0 s at 100 ms latency; 133 fail (14 %), those answer in 0.1 ms.
  for (let i = 0; i < 949; i++) {
    const t = START + 100 + (i * 9000) / 949;
    const failed = i % 7 === 0 && i < 931;
    k6.request(t, failed ? 0.1 : 100, { name: 'POST /submit', ...(failed ? { status: '0', error_code: '1211' } : {}) }, failed);
    k6.point('checks', t, failed ? 0 : 1, { check: 'accepted', group: '', scenario: 'default' });
    k6.iteration(t, 110);
    k6.point('queue_depth', t, 3, { scenario: 'default' });
  }
  for (let s = 0; s < 10; s++) k6.point('vus_max', START + 100 + s * 1000, 50, {});
  writeFileSync(join(dir, 'k6.json'), k6.toString());
  writeFileSync(
    join(dir, 'run.json'),
    JSON.stringify({ workload: 'mixed-workload', profile: 'open', startedAt: new Date(START).toISOString(), endedAt: new Date(END).toISOString(), exitCode: 0, machine: SYNTHETIC_MACHINE }),
  );
  return dir;
}

test('tables weigh failures honestly and name what failed', async () => {
  const dir = writeRun();
  const r = await cli(['report', dir, '--quiet']);
  assert.equal(r.code, 0, r.stderr);
  const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as Report;

  // Latency of successful requests: the 0.1 ms failures do not pull it down.
  assert.equal(report.latencyOf, 'successful');
  assert.ok(report.latency!.min >= 20, `successful latency min ${report.latency!.min}`);
  const submit = report.endpoints.find((e) => e.name === 'POST /submit')!;
  assert.equal(submit.failed, 133);
  assert.ok(Math.abs(submit.latency!.median - 100) < 1);
  assert.ok(submit.failedLatency!.max < 1, 'failed requests in their own row');
  // No bucket's p50 is the failures' ~0 ms.
  for (const p of report.timeseries.points) if (p.p50 !== null) assert.ok(p.p50 >= 19, `bucket at ${p.t}s p50 ${p.p50}`);

  // Failures by status and k6 error code.
  assert.deepEqual(report.failures[0], { endpoint: 'POST /submit', status: '0', errorCode: '1211', count: 133, share: 133 / 949 });
  assert.equal(report.failures.find((f) => f.endpoint === 'POST /setup')?.count, 3);

  // The worst endpoint is the one that lost most requests, not the 6 set-up requests at 50 %.
  const worst = report.recommendations.find((x) => x.type === 'errors' && x.message.startsWith('Endpoint'))!;
  assert.match(worst.message, /^Endpoint "POST \/submit" fails 133 of its 949 requests \(14\.01 %\); most often status 0, k6 error 1211/);
  // The failed-checks advice names the check.
  assert.match(report.recommendations.find((x) => x.type === 'correctness')!.message, /failing: "accepted" \(133 of 949 failed\)/);
  assert.deepEqual(
    report.checks.map((c) => [c.name, c.passes, c.fails]),
    [['accepted', 816, 133]],
  );

  // A custom Trend of counts is no duration.
  assert.equal(report.metrics.find((m) => m.metric === 'queue_depth')?.unit, 'count');
  assert.equal(report.metrics.find((m) => m.metric === 'http_req_duration')?.unit, 'ms');
  // Open model: the VUs k6 allocated.
  assert.equal(report.totals.vusMax, 50);

  // First bucket: the run covers 0.1 s of it, and its rate is per covered second.
  const first = report.timeseries.points[0]!;
  assert.ok(Math.abs(first.coveredS - 0.1) < 1e-6, `covered ${first.coveredS}`);
  const md = readFileSync(join(dir, 'report.md'), 'utf8');
  assert.match(md, /## Failed requests by status and k6 error code/);
  assert.match(md, /\| POST \/submit \(failed\) \|/);
  assert.match(md, /\| queue_depth \| trend \| count \|/);
});

test('a run judged by no SLO says "no SLOs": unknown verdict, --check exits 1, JUnit has a failing case', async () => {
  const dir = writeRun();
  const r = await cli(['report', dir, '--check']);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stdout, /SLO verdict: unknown \(no SLOs: nothing judged this run\)/);
  const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as Report;
  assert.equal(report.slos.filter((s) => s.source !== 'implicit').length, 0, 'no declared SLO (only the implicit progress and generator rows)');
  assert.equal(report.sloVerdict, 'unknown');
  assert.match(readFileSync(join(dir, 'junit.xml'), 'utf8'), /tests="1" failures="1"[\s\S]*name="no SLOs"[^>]*><failure/);
  assert.match(readFileSync(join(dir, 'report.md'), 'utf8'), /\*\*No SLOs\*\*/);
});
