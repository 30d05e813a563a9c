// `npm start` compares with this machine: the first run records a local baseline and says so,
// the second is compared with it. The verdict npm start prints is the report's. Real k6, the
// start job shortened to seconds (PROFILE_DURATION), its own reference server; run folders and
// the local baseline go to a temp folder (START_REPORTS_DIR, START_LOCAL_BASELINES).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { saveBaseline } from '../../cli/baseline/store.ts';
import { loadRun } from '../../cli/run/load-run.ts';
import type { MachineFingerprint } from '../../cli/run-folder/machine.ts';
import { chooseStartBaseline } from '../../tools/runner/start-baseline.ts';
import { projectRoot } from '../helpers/paths.ts';
import { cli, run, tempDir } from './helpers.ts';
import { writeSyntheticRun } from './synthetic-runs.ts';

const tmp = tempDir('npm-start');
after(() => tmp.cleanup());
before(() => {
  const build = spawnSync(process.execPath, [join(projectRoot, 'esbuild.config.mjs'), '--if-stale', '--quiet'], { cwd: projectRoot, encoding: 'utf8' });
  assert.equal(build.status, 0, build.stderr);
});

// The shipped reference as if made on another machine kind, whatever machine the repo's copy was
// recorded on: the first run must then record a local baseline and say why.
function shippedFromAnotherMachine(): string {
  const root = join(tmp.dir, 'shipped');
  const dir = join(root, 'npm-start');
  mkdirSync(dir, { recursive: true });
  for (const f of readdirSync(join(projectRoot, 'baselines', 'npm-start'))) {
    const doc = JSON.parse(readFileSync(join(projectRoot, 'baselines', 'npm-start', f), 'utf8')) as { meta?: { machine?: Record<string, unknown> } };
    if (doc.meta) doc.meta.machine = { cpuModel: 'another CPU', cores: 96, memoryGiB: 512, os: 'linux', node: 'v22.0.0', k6: 'v2.2.0' };
    writeFileSync(join(dir, f), JSON.stringify(doc));
  }
  return root;
}

const env = {
  PROFILE_DURATION: '3s',
  START_REPORTS_DIR: join(tmp.dir, 'reports'),
  START_LOCAL_BASELINES: join(tmp.dir, 'local'),
  START_SHIPPED_BASELINES: shippedFromAnotherMachine(),
  BASE_URL: '',
  START_BASELINE: '',
  K6_WEB_DASHBOARD: 'false',
};
const start = () => run(process.execPath, ['--import', 'tsx', join(projectRoot, 'tools', 'runner', 'start.ts')], env);
const runFolder = (stdout: string) => join(projectRoot, /▶ run folder: (.+)\/\n/.exec(stdout)![1]!);

test('the first npm start records a local baseline, the second is compared with it', { timeout: 120_000 }, async () => {
  const first = await start();
  assert.equal(first.code, 0, first.stdout + first.stderr);
  assert.match(first.stdout, /▶ baseline .*npm-start\/: first npm start on this machine; recorded this run as the local baseline; later runs are compared with it/);
  assert.match(first.stdout, /the shipped baselines\/npm-start is a reference for .* and gives no verdict on this machine/);
  const manifest = JSON.parse(readFileSync(join(tmp.dir, 'local', 'npm-start', 'baseline.json'), 'utf8')) as { runs: Array<{ source: string }> };
  assert.equal(manifest.runs.length, 1);
  const saved = JSON.parse(readFileSync(join(tmp.dir, 'local', 'npm-start', 'run-001.json'), 'utf8')) as { meta: { machine?: { cores: number } } };
  assert.ok(saved.meta.machine && saved.meta.machine.cores > 0, 'the baseline records the machine it ran on');

  const second = await start();
  assert.equal(second.code, 0, second.stdout + second.stderr);
  assert.match(second.stdout, /▶ compared with .*npm-start\/ \(this machine's baseline/);
  assert.match(second.stdout, /▶ comparison: (no regression|REGRESSION against the baseline)/);
  assert.doesNotMatch(second.stdout, /recorded this run/);

  // npm start's verdict is the report's, and the run folder holds the cached run summary that
  // compare read instead of k6.json.gz.
  const dir = runFolder(second.stdout);
  assert.ok(existsSync(join(dir, 'run-summary.json')));
  const report = await cli(['report', dir]);
  assert.equal(/▶ SLO verdict: (\w+)/.exec(second.stdout)?.[1], /SLO verdict: (\w+)/.exec(report.stdout)?.[1]);
});

test('which baseline: this machine only; the shipped reference only on its own machine kind', async () => {
  const machine = (cores: number): MachineFingerprint => ({ cpuModel: 'cpu', cores, memoryGiB: 8, os: 'linux', node: 'v22', k6: 'v1.8.1' });
  const runOn = async (name: string, cores: number) => loadRun(writeSyntheticRun(join(tmp.dir, 'unit', name), { seed: cores, medianMs: 5, runJson: { machine: machine(cores) } }));
  const places = (name: string) => ({ shippedRoot: join(tmp.dir, 'unit', name, 'shipped'), localRoot: join(tmp.dir, 'unit', name, 'local') });
  const here = await runOn('here', 2);
  const other = await runOn('other', 64);

  // Shipped reference from another machine kind, no local baseline: record one, no verdict from the reference.
  const a = places('a');
  saveBaseline(a.shippedRoot, 'npm-start', [other]);
  const first = chooseStartBaseline(here, 'pass', a);
  assert.equal(first.kind, 'recorded');
  assert.match(first.why, /shipped baselines\/npm-start is a reference for cpu, 64 cores.* gives no verdict on this machine/);
  assert.deepEqual(chooseStartBaseline(here, 'pass', a), {
    kind: 'compare',
    root: a.localRoot,
    name: 'npm-start',
    why: first.why.replace(/^.*later runs are compared with it/, "this machine's baseline"),
  });

  // The shipped reference on its own machine kind is compared with.
  const b = places('b');
  saveBaseline(b.shippedRoot, 'npm-start', [here]);
  const shipped = chooseStartBaseline(here, 'pass', b);
  assert.deepEqual([shipped.kind, shipped.kind === 'compare' && shipped.root], ['compare', b.shippedRoot]);

  // A local baseline of another machine is recorded anew; a failing run is never recorded.
  const c = places('c');
  saveBaseline(c.localRoot, 'npm-start', [other]);
  assert.equal(chooseStartBaseline(here, 'fail', c).kind, 'none');
  const again = chooseStartBaseline(here, 'pass', c);
  assert.equal(again.kind, 'recorded');
  assert.match(again.why, /the local baseline was recorded on cpu, 64 cores/);
  assert.equal(chooseStartBaseline(here, 'pass', c).kind, 'compare');
});
