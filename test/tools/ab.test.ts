// Interleaved A/B (tools/runner/ab.ts) with real k6 against real reference servers on
// 127.0.0.1: a server slowed by its latency fault knob (20 ms per /api request) is flagged as
// a regression by the paired comparison; two identical servers (A/A) are not.

import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { runAb } from '../../tools/runner/ab.ts';
import { type RunningReferenceServer, startLocalReferenceServer } from '../../tools/runner/reference-server.ts';
import { run } from '../cli/helpers.ts';
import { projectRoot } from '../helpers/paths.ts';

let plain: RunningReferenceServer;
let slowed: RunningReferenceServer;
// The A/A pair has its own two fresh servers: reusing one that served the first test would give
// A a warmed JIT and caches that B lacks, a real difference the paired test rightly finds.
let twinA: RunningReferenceServer;
let twinB: RunningReferenceServer;
const out = mkdtempSync(join(tmpdir(), 'ledger-ab-'));
// Short, bounded runs: 1 VU, 100 iterations (~200 requests: enough for a judged p50, ≥ 100 per run).
const common = { workload: 'mixed-workload', profile: 'smoke', pairs: 8, env: { ITERATIONS: '100' }, quiet: true, primary: ['http_req_duration p50', 'iterations rate', 'http_req_failed rate'] };

before(async () => {
  const args = ['--docket-time-ms', '200'];
  [plain, slowed, twinA, twinB] = await Promise.all([
    startLocalReferenceServer({ args }),
    startLocalReferenceServer({ args: [...args, '--fault-latency-ms', '20'] }),
    startLocalReferenceServer({ args }),
    startLocalReferenceServer({ args }),
  ]);
});
after(async () => {
  await Promise.all([plain?.stop(), slowed?.stop(), twinA?.stop(), twinB?.stop()]);
  rmSync(out, { recursive: true, force: true });
});

test('is the documented `npm run ab` (docs/cli.md): bad input refused with exit 2 before any run', async () => {
  const r = await run('npm', ['run', '-s', 'ab', '--', '--a', plain.url, '--b', plain.url, '--out', join(out, 'same')], {}, projectRoot);
  assert.equal(r.code, 2, r.stdout + r.stderr);
  assert.match(r.stderr, /--a and --b are the same deployment/);
  assert.equal(existsSync(join(out, 'same')), false, 'nothing ran');
});

test('a 20 ms injected delay on B is a regression in the paired comparison (exit 1)', async () => {
  const dir = join(out, 'ab');
  const r = await runAb({ ...common, a: plain.url, b: slowed.url, outDir: dir });
  assert.equal(r.comparison.mode, 'paired');
  assert.equal(r.runs.a.length, 8);
  assert.equal(r.runs.b.length, 8);
  // Interleaved: pair 2 ran B before A (abba), and every run targeted its own deployment.
  assert.equal(JSON.parse(readFileSync(join(r.runs.b[1]!, 'run.json'), 'utf8')).baseUrl, slowed.url);
  assert.ok(Date.parse(JSON.parse(readFileSync(join(r.runs.b[1]!, 'run.json'), 'utf8')).startedAt) < Date.parse(JSON.parse(readFileSync(join(r.runs.a[1]!, 'run.json'), 'utf8')).startedAt));
  const p50 = r.comparison.metrics.find((m) => m.id === 'http_req_duration p50')!;
  assert.equal(p50.test, 'signed-rank-exact');
  assert.equal(p50.verdict, 'regressed', r.markdown);
  assert.ok(p50.delta!.low > 0.05, `Δ ${JSON.stringify(p50.delta)}`);
  assert.equal(r.exitCode, 1, r.markdown);
  assert.ok(existsSync(join(dir, 'compare.md')) && existsSync(join(dir, 'compare.json')));
  assert.match(readFileSync(join(dir, 'compare.md'), 'utf8'), /8 interleaved A\/B pairs/);
});

test('A/A: two identical servers are not called different (no gating row regressed or improved)', async () => {
  const r = await runAb({ ...common, a: twinA.url, b: twinB.url, outDir: join(out, 'aa') });
  const flagged = r.comparison.metrics.filter((m) => m.gating && (m.verdict === 'regressed' || m.verdict === 'improved'));
  assert.deepEqual(
    flagged.map((m) => m.id),
    [],
    r.markdown,
  );
  assert.notEqual(r.exitCode, 1, r.markdown);
  assert.equal(r.comparison.severe.length, 0);
});
