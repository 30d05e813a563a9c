// `compare` as a CI gate: refusals with their own message and exit 3 (duplicates, load shape,
// k6 version, machine), a blown error budget in the candidate is a regression (exit 1), an A/A
// of 10 vs 10 runs reads "equivalent", a saved baseline's run-to-run spread widens the band;
// `merge` refuses duplicates and mismatched runs.

import assert from 'node:assert/strict';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { sameTestProblems } from '../../cli/compare/comparability.ts';
import { loadRun } from '../../cli/run/load-run.ts';
import { cli, tempDir } from './helpers.ts';
import { SYNTHETIC_MACHINE, writeSyntheticRun } from './synthetic-runs.ts';

const tmp = tempDir('gating');
const base: string[] = [];
const cand: string[] = [];
const jitter = [1.0, 1.02, 0.98, 1.01, 0.99, 1.005, 0.995, 1.015, 0.985, 1.0];

before(() => {
  jitter.forEach((j, i) => {
    base.push(writeSyntheticRun(join(tmp.dir, `a-${i}`), { seed: 1000 + i, medianMs: 20 * j, requests: 1000, rps: 200 }));
    cand.push(writeSyntheticRun(join(tmp.dir, `b-${i}`), { seed: 2000 + i, medianMs: 20 * jitter[(i + 3) % 10]!, requests: 1000, rps: 200 }));
  });
});
after(() => tmp.cleanup());

test('A/A with 10 vs 10 runs reads "equivalent" on every gating row (exit 0)', async () => {
  const r = await cli(['compare', '--baseline', ...base, '--candidate', ...cand, '--format', 'json']);
  assert.equal(r.code, 0, r.stderr);
  const c = JSON.parse(r.stdout);
  const gating = c.metrics.filter((m: { gating: boolean; verdict: string }) => m.gating && m.verdict !== 'n/a');
  assert.deepEqual(c.family.gating.sort(), gating.map((m: { id: string }) => m.id).sort());
  assert.ok(gating.length >= 4, `gating rows: ${c.family.gating}`);
  for (const m of gating) assert.equal(m.verdict, 'equivalent', `${m.id}: ${m.verdict} Δ ${JSON.stringify(m.delta)} ${m.note}`);
  // p99 of 1000 requests rests on 10 tail points: not judged.
  const p99 = c.metrics.find((m: { id: string }) => m.id === 'http_req_duration p99');
  assert.equal(p99.verdict, 'n/a');
  assert.match(p99.note, /rests on 10 tail point\(s\) \(< 20; needs ≥ 2000 per run\)/);
  const md = await cli(['compare', '--baseline', ...base, '--candidate', ...cand]);
  assert.match(md.stdout, /\| http_req_duration p50 \|[^\n]*≈ equivalent: no change larger than 5\.0%/);
});

test('the same run twice, or a copy of it, is refused (exit 3), even with --force', async () => {
  const twice = await cli(['compare', '--baseline', ...base.slice(0, 4), base[0]!, '--candidate', ...cand.slice(0, 5), '--force']);
  assert.equal(twice.code, 3);
  assert.match(twice.stderr, /\[duplicate\] \S+a-0 is the same run as \S+a-0 \(test id "synthetic-1000"\): a run is one sample and counts once/);
  // A copied folder with another test id: caught by its identical measurements.
  const copy = join(tmp.dir, 'copy-of-b-0');
  cpSync(cand[0]!, copy, { recursive: true });
  const meta = JSON.parse(readFileSync(join(copy, 'run.json'), 'utf8'));
  writeFileSync(join(copy, 'run.json'), JSON.stringify({ ...meta, testId: 'renamed' }));
  const copied = await cli(['compare', '--baseline', ...base.slice(0, 5), '--candidate', ...cand.slice(0, 4), copy]);
  assert.equal(copied.code, 3);
  assert.match(copied.stderr, /\[duplicate\] \S+copy-of-b-0 has exactly the measurements of \S+b-0 \(a copy of one run\?\)/);
});

test('another load shape or k6 version is refused with its own message (exit 3)', async () => {
  const scaled = writeSyntheticRun(join(tmp.dir, 'scaled'), { seed: 3000, medianMs: 20, requests: 1000, rps: 200, runJson: { env: { VUS_SCALE: '2' } } });
  const shape = await cli(['compare', '--baseline', ...base.slice(0, 5), '--candidate', scaled, ...cand.slice(1, 5)]);
  assert.equal(shape.code, 3);
  assert.match(shape.stderr, /\[shape\] runs differ in load shape: profile=smoke \(.*\) vs profile=smoke VUS_SCALE=2 \(\S+scaled\)/);
  const profile = writeSyntheticRun(join(tmp.dir, 'average'), { seed: 3001, medianMs: 20, requests: 1000, rps: 200, runJson: { profile: 'average' } });
  const p = await cli(['compare', '--baseline', ...base.slice(0, 5), '--candidate', profile, ...cand.slice(1, 5)]);
  assert.equal(p.code, 3);
  assert.match(p.stderr, /\[shape\] runs differ in load shape: profile=smoke .* vs profile=average/);
  const k6 = writeSyntheticRun(join(tmp.dir, 'k6-other'), { seed: 3002, medianMs: 20, requests: 1000, rps: 200, runJson: { k6Version: 'v1.7.0' } });
  const v = await cli(['compare', '--baseline', ...base.slice(0, 5), '--candidate', k6, ...cand.slice(1, 5)]);
  assert.equal(v.code, 3);
  assert.match(v.stderr, /\[k6-version\] runs differ in k6 version: v1\.8\.1 \(.*\) vs v1\.7\.0 \(\S+k6-other\); another k6 build/);
});

test('every scale knob, executor, rate and VU setting, workload knob and load-changing k6 flag is part of the load shape', async () => {
  let seed = 3100;
  const runWith = async (runJson: Record<string, unknown>) => loadRun(writeSyntheticRun(join(tmp.dir, `shape-${seed}`), { seed: seed++, medianMs: 20, requests: 300, runJson }));
  const reference = await runWith({ env: { PROFILE: 'smoke', BASE_URL: 'http://127.0.0.1:1', TESTID: 'a' } });
  const differing: Array<[string, Record<string, unknown>]> = [
    ...[
      'VUS_SCALE',
      'RATE_SCALE',
      'DURATION_SCALE',
      'PROFILE_DURATION',
      'ITERATIONS',
      'MAX_VUS',
      'CONCURRENCY_LEVELS',
      'EXECUTOR',
      'RATE',
      'VUS',
      'DURATION',
      'PAYLOAD_SIZES',
      'MIX',
      'PACING',
      'THINK_TIME',
      'USER_CLASS_WEIGHTS',
      'MY_OWN_KNOB',
    ].map((k): [string, Record<string, unknown>] => [k, { env: { PROFILE: 'smoke', BASE_URL: 'http://127.0.0.1:1', TESTID: 'b', [k]: '7' } }]),
    ['--vus', { k6Args: ['--vus', '5'] }],
    ['--duration', { k6Args: ['--duration=10s'] }],
    ['--iterations', { k6Args: ['-i', '9'] }],
    ['--stage', { k6Args: ['--stage', '5s:10'] }],
    ['profile', { profile: 'average' }],
  ];
  for (const [knob, runJson] of differing) {
    const other = await runWith(runJson);
    const problems = sameTestProblems([reference, other]);
    assert.deepEqual(
      problems.map((p) => p.rule),
      ['shape'],
      `${knob}: ${JSON.stringify(problems)}`,
    );
    assert.match(problems[0]!.message, /^runs differ in load shape: /, knob);
  }
  // Where and as whom a run ran is no load: an A/B differs in BASE_URL by design.
  const elsewhere = await runWith({ env: { PROFILE: 'smoke', BASE_URL: 'http://127.0.0.1:2', TESTID: 'c', THRESHOLDS: 'api-default', TRACE_CONTEXT: 'w3c', REGISTER_URL: 'http://127.0.0.1:3' } });
  assert.deepEqual(sameTestProblems([reference, elsewhere]), []);
});

test('runs from another or an unrecorded machine are refused unless --allow-other-machine, which the table states', async () => {
  const other = writeSyntheticRun(join(tmp.dir, 'other-machine'), {
    seed: 4000,
    medianMs: 20,
    requests: 1000,
    rps: 200,
    runJson: { machine: { ...SYNTHETIC_MACHINE, cpuModel: 'Bigger CPU', cores: 16 } },
  });
  const r = await cli(['compare', '--baseline', ...base.slice(0, 5), '--candidate', other, ...cand.slice(1, 5)]);
  assert.equal(r.code, 3);
  assert.match(
    r.stderr,
    /\[machine\] runs ran on different machines: Synthetic CPU @ 3\.0GHz, 2 cores, 8 GiB, .* vs Bigger CPU, 16 cores, 8 GiB, .*\(\S+other-machine\); a difference may be the hardware/,
  );
  assert.match(r.stderr, /--allow-other-machine/);
  const unknown = writeSyntheticRun(join(tmp.dir, 'no-machine'), { seed: 4001, medianMs: 20, requests: 1000, rps: 200, runJson: { machine: undefined } });
  const u = await cli(['compare', '--baseline', ...base.slice(0, 5), '--candidate', unknown, ...cand.slice(1, 5)]);
  assert.equal(u.code, 3);
  assert.match(u.stderr, /\[machine\] cannot tell that all runs ran on the same machine: .*unknown machine \(no `machine` in run\.json\) \(\S+no-machine\)/);
  const allowed = await cli(['compare', '--baseline', ...base.slice(0, 5), '--candidate', other, ...cand.slice(1, 5), '--allow-other-machine']);
  assert.equal(allowed.code, 0, allowed.stderr);
  assert.match(allowed.stdout, /> ⚠️ other machine \(--allow-other-machine\): runs ran on different machines/);
});

test('a candidate that blew the error budget is "regressed" (exit 1) with the reason, in every format', async () => {
  const broken = writeSyntheticRun(join(tmp.dir, 'broken'), { seed: 5000, medianMs: 20, requests: 1000, rps: 200, errorRate: 0.1 });
  const junit = join(tmp.dir, 'broken.xml');
  const r = await cli(['compare', '--baseline', ...base.slice(0, 5), '--candidate', broken, ...cand.slice(1, 5), '--format', 'json', '--junit', junit]);
  assert.equal(r.code, 1, r.stderr);
  const c = JSON.parse(r.stdout);
  assert.equal(c.severe.length, 1);
  assert.match(c.severe[0], /candidate \S+broken has an error rate of \d+\.\d+ %, over the budget of 1\.00 % \(--error-budget\), while no baseline run did/);
  assert.ok(c.regressions >= 1);
  assert.match(readFileSync(junit, 'utf8'), /<failure message="candidate [^"]*broken has an error rate[^"]*" type="severe-regression"\/>/);
});

test("a saved baseline of ≥ 5 runs records each metric's spread, and compare widens the band to it", async () => {
  const root = join(tmp.dir, 'baselines');
  // Runs that scatter by ~10 % run to run: a 5 % band would be narrower than the noise.
  const noisy = [0.88, 1.1, 0.95, 1.06, 1.0, 0.92].map((j, i) => writeSyntheticRun(join(tmp.dir, `noisy-${i}`), { seed: 6000 + i, medianMs: 20 * j, requests: 1000, rps: 200 }));
  const saved = await cli(['baseline', 'save', 'noisy', ...noisy, '--baselines', root]);
  assert.equal(saved.code, 0, saved.stderr);
  assert.match(saved.stdout, /recorded each metric's run-to-run spread/);
  const manifest = JSON.parse(readFileSync(join(root, 'noisy', 'baseline.json'), 'utf8'));
  const spread = manifest.noise['http_req_duration p50'];
  assert.ok(spread > 0.06 && spread < 0.15, `p50 spread ${spread}`);
  const r = await cli(['compare', '--baseline', 'noisy', '--baselines', root, '--candidate', ...cand.slice(0, 5), '--format', 'json']);
  const p50 = JSON.parse(r.stdout).metrics.find((m: { id: string }) => m.id === 'http_req_duration p50');
  assert.equal(p50.bandSource, 'history', r.stderr);
  assert.equal(p50.band, spread);
  // A baseline cannot hold the same run twice or runs of other shapes.
  const dup = await cli(['baseline', 'save', 'dup', base[0]!, base[0]!, '--baselines', root]);
  assert.equal(dup.code, 3);
  assert.match(dup.stderr, /\[duplicate\]/);
});

test('merge refuses the same input twice and runs of different profiles (exit 3)', async () => {
  const twice = await cli(['merge', base[0]!, base[0]!, '--out', join(tmp.dir, 'm1')]);
  assert.equal(twice.code, 3);
  assert.match(twice.stderr, /\[duplicate\] \S+a-0 is given twice: each segment counts once/);
  const avg = writeSyntheticRun(join(tmp.dir, 'avg-seg'), { seed: 7000, medianMs: 20, runJson: { profile: 'average' } });
  const mixed = await cli(['merge', base[1]!, avg, '--out', join(tmp.dir, 'm2')]);
  assert.equal(mixed.code, 3);
  assert.match(mixed.stderr, /these inputs are not segments of one test:\n {2}- \[shape\] runs differ in load shape: profile=smoke \(\S+a-1\) vs profile=average \(\S+avg-seg\)/);
});

test('--paired: pairs cancel drift that hides a 10 % slowdown from the unpaired test', async () => {
  // The machine drifts ±15 % over the session; each pair shares its moment of the drift.
  const drift = [1.0, 1.15, 0.87, 1.1, 0.9, 1.2, 0.85, 1.05];
  const a = drift.map((d, i) => writeSyntheticRun(join(tmp.dir, `pa-${i}`), { seed: 8000 + i, medianMs: 20 * d, requests: 1000, rps: 200 }));
  const b = drift.map((d, i) => writeSyntheticRun(join(tmp.dir, `pb-${i}`), { seed: 9000 + i, medianMs: 22 * d, requests: 1000, rps: 200 }));
  const byId = (out: string) => JSON.parse(out).metrics.find((m: { id: string }) => m.id === 'http_req_duration p50');
  const paired = await cli(['compare', '--paired', '--baseline', ...a, '--candidate', ...b, '--format', 'json']);
  assert.equal(paired.code, 1, paired.stderr);
  assert.equal(JSON.parse(paired.stdout).mode, 'paired');
  const p50 = byId(paired.stdout);
  assert.equal(p50.test, 'signed-rank-exact');
  assert.equal(p50.verdict, 'regressed');
  assert.ok(p50.delta.estimate > 0.07 && p50.delta.estimate < 0.13, JSON.stringify(p50.delta));
  const unpaired = await cli(['compare', '--baseline', ...a, '--candidate', ...b, '--format', 'json']);
  assert.equal(byId(unpaired.stdout).verdict, 'inconclusive', unpaired.stderr);
  const uneven = await cli(['compare', '--paired', '--baseline', ...a, '--candidate', ...b.slice(1)]);
  assert.equal(uneven.code, 2);
  assert.match(uneven.stderr, /--paired needs as many baseline as candidate runs \(pair i = baseline i, candidate i\), got 8 vs 7/);
});

test('--primary declares the gating rows; a metric id that is not in the runs is an input error', async () => {
  const r = await cli(['compare', '--baseline', ...base.slice(0, 5), '--candidate', ...cand.slice(0, 5), '--primary', 'http_req_duration p50', 'iteration_duration p50', '--format', 'json']);
  assert.equal(r.code, 0, r.stderr);
  const c = JSON.parse(r.stdout);
  assert.deepEqual(c.family.gating, ['http_req_duration p50', 'iteration_duration p50']);
  assert.equal(c.metrics.find((m: { id: string }) => m.id === 'http_reqs rate').gating, false);
  const typo = await cli(['compare', '--baseline', ...base.slice(0, 5), '--candidate', ...cand.slice(0, 5), '--primary', 'http_req_duraton p50']);
  assert.equal(typo.code, 2);
  assert.match(typo.stderr, /--primary: no metric "http_req_duraton p50" in these runs\n {2}fix: use metric ids as the table's first column spells them: http_req_duration p50, /);
});

test('the gating rows are declared per workload (throughput: delivered rate first)', async () => {
  const mk = (prefix: string, seed: number) =>
    [0, 1, 2, 3, 4].map((i) => writeSyntheticRun(join(tmp.dir, `${prefix}-${i}`), { seed: seed + i, medianMs: 20 * jitter[i]!, requests: 1000, rps: 200, runJson: { workload: 'throughput' } }));
  const r = await cli(['compare', '--baseline', ...mk('tp-a', 10_000), '--candidate', ...mk('tp-b', 11_000), '--format', 'json']);
  assert.equal(r.code, 0, r.stderr);
  const c = JSON.parse(r.stdout);
  assert.equal(c.family.source, 'declared for workload throughput');
  assert.deepEqual(c.family.gating, ['http_req_duration p95', 'http_reqs rate', 'iterations rate', 'http_req_failed rate']);
  assert.equal(c.metrics.find((m: { id: string }) => m.id === 'http_req_duration p50').gating, false);
});
