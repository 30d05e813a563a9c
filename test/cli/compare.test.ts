// `compare` and `baseline` end to end on synthetic run folders: verdicts, exit codes, the
// small-sample warning, fixed-tolerance mode, refusal of incomparable runs, output formats.

import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { cli, tempDir } from './helpers.ts';
import { writeSyntheticRun } from './synthetic-runs.ts';

const tmp = tempDir('compare');
const base: string[] = [];
const same: string[] = [];
const slower: string[] = [];

before(() => {
  // Run-to-run noise: each run's median latency varies ±2 % around its side's level.
  const jitter = [1.0, 1.02, 0.98, 1.01, 0.99];
  jitter.forEach((j, i) => {
    base.push(writeSyntheticRun(join(tmp.dir, `base-${i}`), { seed: 100 + i, medianMs: 20 * j }));
    same.push(writeSyntheticRun(join(tmp.dir, `same-${i}`), { seed: 200 + i, medianMs: 20 * jitter[(i + 2) % 5]! }));
    slower.push(writeSyntheticRun(join(tmp.dir, `slow-${i}`), { seed: 300 + i, medianMs: 25 * j }));
  });
});
after(() => tmp.cleanup());

test('a 25 % slowdown over 5 vs 5 runs is a regression: exit 1, Markdown, JSON and JUnit agree', async () => {
  const json = join(tmp.dir, 'cmp.json');
  const junit = join(tmp.dir, 'cmp.xml');
  const r = await cli(['compare', '--baseline', ...base, '--candidate', ...slower, '--json', json, '--junit', junit]);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stdout, /\| http_req_duration p50 \|[^\n]*\+2\d\.\d%[^\n]*❌ regressed/);
  // One Δ, labelled, and the family-wise control stated.
  assert.match(r.stdout, /\| Δ \(HL\) \[90% CI\] \| p \(Holm\) \|/);
  assert.match(r.stdout, /Family-wise control\*\*: Holm over the \d+ gating row\(s\) \(http_req_duration p50, /);
  const c = JSON.parse(readFileSync(json, 'utf8'));
  assert.equal(c.mode, 'statistics');
  const p50 = c.metrics.find((m: { id: string }) => m.id === 'http_req_duration p50');
  assert.equal(p50.verdict, 'regressed');
  assert.equal(p50.baseline.n, 5);
  assert.ok(p50.p < 0.05);
  assert.ok(p50.delta.low > 0.05, 'the whole interval clears the 5 % band');
  // Same request count over the same time: throughput did not change, and the data show it.
  assert.equal(c.metrics.find((m: { id: string }) => m.id === 'http_reqs rate').verdict, 'equivalent');
  assert.match(readFileSync(junit, 'utf8'), /<testcase classname="ledger-perf.compare" name="http_req_duration p50" time="0"><failure/);
});

test('runs of the same distribution pass (exit 0, nothing regressed or improved)', async () => {
  const r = await cli(['compare', '--baseline', ...base, '--candidate', ...same, '--format', 'json']);
  assert.equal(r.code, 0, r.stderr + r.stdout);
  const c = JSON.parse(r.stdout);
  assert.equal(c.regressions, 0);
  assert.equal(c.improvements, 0);
});

test('2 vs 2 runs: warns that significance is impossible and exits 3', async () => {
  const r = await cli(['compare', '--baseline', ...base.slice(0, 2), '--candidate', ...slower.slice(0, 2)]);
  assert.equal(r.code, 3);
  assert.match(r.stdout, /2 vs 2 runs cannot show a significant difference: the smallest p-value Mann–Whitney can reach with these sizes is 0\.333/);
  assert.doesNotMatch(r.stdout, /❌ regressed/);
});

test('1 vs 1 run: fixed tolerance, labelled "no statistics"', async () => {
  const r = await cli(['compare', '--baseline', base[0]!, '--candidate', slower[0]!]);
  assert.equal(r.code, 1);
  assert.match(r.stdout, /no statistics/);
  assert.match(r.stdout, /http_req_duration p50 \|[^\n]*❌ regressed/);
  const within = await cli(['compare', '--baseline', base[0]!, '--candidate', base[1]!]);
  assert.equal(within.code, 0, within.stdout);
});

test('incomparable runs are refused with exit 3 unless --force', async () => {
  const other = writeSyntheticRun(join(tmp.dir, 'other-script'), { seed: 400, medianMs: 20, runJson: { scriptHash: 'b'.repeat(64) } });
  const r = await cli(['compare', '--baseline', ...base, '--candidate', other, ...same.slice(1)]);
  assert.equal(r.code, 3);
  assert.match(r.stderr, /runs are not comparable:\n {2}- \[script\] runs differ in scriptHash: aaaaaaaaaaaa/);
  assert.match(r.stderr, /--force/);
  const forced = await cli(['compare', '--baseline', ...base, '--candidate', other, ...same.slice(1), '--force']);
  assert.equal(forced.code, 0, forced.stderr);
  assert.match(forced.stdout, /forced past \[script\]: runs differ in scriptHash/);

  // A candidate that breaks down while the baseline did not is a regression (exit 1), not
  // "incomparable": a CI job gating on exit 1 must catch the worst regressions. Its drops come
  // with latency past the SLO's fail level (p99 < 1000 ms): the target broke down.
  const dropped = writeSyntheticRun(join(tmp.dir, 'dropped'), { seed: 401, medianMs: 900, dropped: 7, runJson: { thresholdsFile: 'thresholds/api-default.json' } });
  const d = await cli(['compare', '--baseline', ...base, '--candidate', dropped, ...same.slice(1)]);
  assert.equal(d.code, 1, d.stderr);
  assert.match(d.stdout, /❌ \*\*severe regression\*\*: candidate \S+dropped dropped 7 iterations \(the arrival rate was not delivered\), while no baseline run did/);
  // The same drops while latency held are the generator's (docs/verdicts.md): incomparable, not a regression.
  const short = writeSyntheticRun(join(tmp.dir, 'generator-short'), { seed: 403, medianMs: 20, dropped: 7 });
  const g = await cli(['compare', '--baseline', ...base, '--candidate', short, ...same.slice(1)]);
  assert.equal(g.code, 3, g.stderr);
  assert.match(g.stderr, /\[saturated\] \S+generator-short is inconclusive: generator saturated \(dropped-iterations\)/);

  const errors = writeSyntheticRun(join(tmp.dir, 'errors'), { seed: 402, medianMs: 20, errorRate: 0.2 });
  const e = await cli(['compare', '--baseline', ...base, '--candidate', errors, ...same.slice(1)]);
  assert.equal(e.code, 1, e.stderr);
  assert.match(e.stdout, /severe regression\*\*: candidate \S+errors has an error rate of \d+\.\d+ %, over the budget of 1\.00 %/);
  // The same breakdown in the baseline leaves nothing to judge against: exit 3.
  const b = await cli(['compare', '--baseline', errors, ...base.slice(1), '--candidate', ...same]);
  assert.equal(b.code, 3);
  assert.match(b.stderr, /\[unhealthy\] baseline \S+errors has an error rate/);
});

test('throughput is direction-aware: fewer requests per second is a regression', async () => {
  const fewer = [0, 1, 2, 3, 4].map((i) => writeSyntheticRun(join(tmp.dir, `fewer-${i}`), { seed: 500 + i, medianMs: 20, rps: 70 + i }));
  const more = [0, 1, 2, 3, 4].map((i) => writeSyntheticRun(join(tmp.dir, `more-${i}`), { seed: 600 + i, medianMs: 20, rps: 100 + i }));
  const r = await cli(['compare', '--baseline', ...more, '--candidate', ...fewer, '--format', 'json']);
  assert.equal(r.code, 1);
  const c = JSON.parse(r.stdout);
  assert.equal(c.metrics.find((m: { id: string }) => m.id === 'http_reqs rate').verdict, 'regressed');
  assert.equal(c.metrics.find((m: { id: string }) => m.id === 'http_req_duration p50').verdict, 'equivalent');
});

test('baseline save/list/show stores small committable summaries that compare can use by name', async () => {
  const root = join(tmp.dir, 'baselines');
  const saved = await cli(['baseline', 'save', 'main-smoke', ...base, '--baselines', root]);
  assert.equal(saved.code, 0, saved.stderr);
  const files = readdirSync(join(root, 'main-smoke')).sort();
  assert.deepEqual(files, ['baseline.json', 'run-001.json', 'run-002.json', 'run-003.json', 'run-004.json', 'run-005.json']);
  for (const f of files) assert.ok(statSync(join(root, 'main-smoke', f)).size < 40_000, `${f} is small`);
  const runFile = readFileSync(join(root, 'main-smoke', 'run-001.json'), 'utf8');
  assert.doesNotMatch(runFile, /"timeseries"|http_req_blocked/, 'no chart series, no sub-timings');

  const list = await cli(['baseline', 'list', '--baselines', root]);
  assert.match(list.stdout, /^main-smoke\t5 run\(s\)\tmixed-workload\/smoke\t/m);
  const show = await cli(['baseline', 'show', 'main-smoke', '--baselines', root]);
  assert.equal(show.code, 0, show.stderr);
  assert.equal(show.stdout.trim().split('\n').length, 2 + 5);

  const vsSlow = await cli(['compare', '--baseline', 'main-smoke', '--baselines', root, '--candidate', ...slower]);
  assert.equal(vsSlow.code, 1, vsSlow.stderr);
  const vsSame = await cli(['compare', '--baseline', 'main-smoke', '--baselines', root, '--candidate', ...same]);
  assert.equal(vsSame.code, 0, vsSame.stderr);
  // Per-endpoint rows survive the compaction.
  assert.match(vsSame.stdout, /http_req_duration\{name:submit\} p95/);

  // An existing baseline is not overwritten without --force, and stays as it was.
  const refused = await cli(['baseline', 'save', 'main-smoke', ...base.slice(0, 3), '--baselines', root]);
  assert.equal(refused.code, 2);
  assert.match(refused.stderr, /baseline "main-smoke" already exists .*refusing to overwrite it\n {2}fix: pass --force/);
  assert.equal(readdirSync(join(root, 'main-smoke')).length, 6);
  // Re-saving with fewer runs (--force) leaves no stale run files behind.
  const resaved = await cli(['baseline', 'save', 'main-smoke', ...base.slice(0, 3), '--baselines', root, '--force']);
  assert.equal(resaved.code, 0, resaved.stderr);
  assert.deepEqual(readdirSync(join(root, 'main-smoke')).sort(), ['baseline.json', 'run-001.json', 'run-002.json', 'run-003.json']);

  const bad = await cli(['baseline', 'save', '../escape', ...base, '--baselines', root]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /baseline name "..\/escape" is not allowed/);
  const unknown = await cli(['baseline', 'show', 'nope', '--baselines', root]);
  assert.equal(unknown.code, 2);
});

test('percentiles from too few requests per run are shown but not judged (--min-samples)', async () => {
  const json = join(tmp.dir, 'cmp-min.json');
  // 300 requests per run, 150 per endpoint name: a floor of 200 leaves only the overall rows judged.
  const r = await cli(['compare', '--baseline', ...base, '--candidate', ...slower, '--min-samples', '200', '--json', json]);
  assert.equal(r.code, 1, r.stderr);
  const c = JSON.parse(readFileSync(json, 'utf8'));
  const byId = (id: string) => c.metrics.find((m: { id: string }) => m.id === id);
  assert.equal(byId('http_req_duration p50').verdict, 'regressed');
  const perName = byId('http_req_duration{name:submit} p50');
  assert.equal(perName.verdict, 'n/a');
  assert.match(perName.note, /only 150 observation\(s\) in a run \(< --min-samples 200\)/);
  // With the default floor (100) the same rows are judged; they are informational (not gating),
  // Holm-adjusted over the whole table, where 5 vs 5 runs cannot reach significance.
  const d = await cli(['compare', '--baseline', ...base, '--candidate', ...slower, '--json', json]);
  const judged = JSON.parse(readFileSync(json, 'utf8')).metrics.find((m: { id: string }) => m.id === 'http_req_duration{name:submit} p50');
  assert.equal(judged.gating, false, d.stderr);
  assert.equal(judged.verdict, 'inconclusive');
  assert.ok(judged.pAdjusted > judged.p);
});
