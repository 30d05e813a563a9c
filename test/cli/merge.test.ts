// Distributed runs: two k6 execution segments of one test, merged, must count exactly what one
// full run counts, and percentiles must come from the merged histograms (not averages).

import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { gunzipSync, gzipSync } from 'node:zlib';
import { loadRun } from '../../cli/run/load-run.ts';
import { quantiles } from '../../cli/stats/histogram.ts';
import { cli, type EchoServer, runK6Fixture, startEchoServer, tempDir } from './helpers.ts';

const ITERATIONS = 400;
let server: EchoServer;
const tmp = tempDir('merge');
const dirs = { a: join(tmp.dir, 'seg-a'), b: join(tmp.dir, 'seg-b'), full: join(tmp.dir, 'full'), merged: join(tmp.dir, 'merged') };

before(async () => {
  server = await startEchoServer();
  for (const d of [dirs.a, dirs.b, dirs.full]) mkdirSync(d);
  const seq = ['--execution-segment-sequence', '0,1/2,1'];
  const env = { ITERATIONS: String(ITERATIONS), VUS: '4', TESTID: 'merge-1' };
  // The two segments run at the same time, as they would on two machines.
  const [a, b] = await Promise.all([runK6Fixture(dirs.a, server.url, ['--execution-segment', '0:1/2', ...seq], env), runK6Fixture(dirs.b, server.url, ['--execution-segment', '1/2:1', ...seq], env)]);
  const full = await runK6Fixture(dirs.full, server.url, [], env);
  for (const r of [a, b, full]) assert.ok(r.code === 0 || r.code === 99, r.stderr);
});
after(async () => {
  await server?.close();
  tmp.cleanup();
});

test('merged segment counts equal their sum and a full run', async () => {
  const r = await cli(['merge', dirs.a, dirs.b, '--out', dirs.merged]);
  assert.equal(r.code, 0, r.stderr);
  const [a, b, full, merged] = await Promise.all([loadRun(dirs.a), loadRun(dirs.b), loadRun(dirs.full), loadRun(dirs.merged)]);
  const count = (run: typeof a, m: string) => run.series.get(m)?.moments.sum ?? 0;
  assert.ok(count(a, 'iterations') > 0 && count(b, 'iterations') > 0, 'both segments did work');
  assert.equal(count(merged, 'iterations'), count(a, 'iterations') + count(b, 'iterations'));
  assert.equal(count(merged, 'iterations'), ITERATIONS);
  assert.equal(count(full, 'iterations'), ITERATIONS);
  assert.equal(count(merged, 'http_reqs'), count(full, 'http_reqs'));
  assert.equal(merged.series.get('http_req_duration')!.moments.count, a.series.get('http_req_duration')!.moments.count + b.series.get('http_req_duration')!.moments.count);
  assert.equal(merged.meta.segments, 2);
  // Failed requests per endpoint add up too (every 10th iteration hits /fail).
  const failed = merged.series.get('http_req_failed')!;
  assert.equal(failed.nonZero, ITERATIONS / 10);
});

test('merged percentiles equal those of all points ingested together, not an average of segments', async () => {
  // One file holding both segments' points is the ground truth for "all requests together".
  const both = Buffer.concat([gunzipSync(readFileSync(join(dirs.a, 'k6.json.gz'))), gunzipSync(readFileSync(join(dirs.b, 'k6.json.gz')))]);
  const together = join(tmp.dir, 'together');
  mkdirSync(together);
  writeFileSync(join(together, 'k6.json.gz'), gzipSync(both));
  const [merged, truth] = await Promise.all([loadRun(dirs.merged), loadRun(together)]);
  const ps = [0.5, 0.9, 0.95, 0.99];
  for (const metric of ['http_req_duration', 'iteration_duration', 'docket_finality']) {
    const m = merged.series.get(metric)!;
    const t = truth.series.get(metric)!;
    assert.deepEqual(quantiles(m.hist!, ps, m.moments.min, m.moments.max), quantiles(t.hist!, ps, t.moments.min, t.moments.max), metric);
    assert.ok(Math.abs(m.moments.mean - t.moments.mean) < 1e-9);
  }
  // The merged run reports like any other; k6's per-segment threshold verdicts are recomputed.
  const r = await cli(['report', dirs.merged, '--quiet']);
  assert.equal(r.code, 0, r.stderr);
  const report = JSON.parse(readFileSync(join(dirs.merged, 'report.json'), 'utf8'));
  assert.equal(report.run.segments, 2);
  assert.equal(report.totals.iterations, ITERATIONS);
  const slow = report.slos.find((s: { metric: string }) => s.metric === 'http_req_duration{name:slow}');
  assert.equal(slow.verdict, 'fail');
  assert.equal(slow.detail, 'fail level crossed: p(99)<1');
});

test('merge refuses segments of different scripts (exit 3)', async () => {
  const other = join(tmp.dir, 'other');
  mkdirSync(other);
  writeFileSync(join(other, 'k6.json.gz'), readFileSync(join(dirs.b, 'k6.json.gz')));
  writeFileSync(join(other, 'run.json'), JSON.stringify({ scriptHash: 'f'.repeat(64) }));
  const withHash = join(tmp.dir, 'with-hash');
  mkdirSync(withHash);
  writeFileSync(join(withHash, 'k6.json.gz'), readFileSync(join(dirs.a, 'k6.json.gz')));
  writeFileSync(join(withHash, 'run.json'), JSON.stringify({ scriptHash: 'e'.repeat(64) }));
  const r = await cli(['merge', withHash, other, '--out', join(tmp.dir, 'nope')]);
  assert.equal(r.code, 3);
  assert.match(r.stderr, /different scripts/);
});
