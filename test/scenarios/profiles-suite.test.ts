// The suite runner end to end: `tsx tools/runner/suite.ts <plan>` with the real k6 runner
// (tools/runner/run-workload.ts) against the reference server it starts itself, a two-run plan scaled
// to seconds. Checks the exit code, progress lines, the suite folder and its summaries.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { SuiteSummary } from '../../tools/runner/suite-model.ts';
import { projectRoot } from '../helpers/paths.ts';

let dir: string;

function suiteCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(projectRoot, 'tools', 'runner', 'suite.ts'), ...args], {
      cwd: projectRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, BASE_URL: '' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'suite-e2e-'));
  const build = spawnSync(process.execPath, [join(projectRoot, 'esbuild.config.mjs'), '--if-stale', '--quiet'], { cwd: projectRoot, encoding: 'utf8' });
  assert.equal(build.status, 0, build.stderr);
});
after(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('npm run suite', () => {
  it('runs a plan against the local reference server and writes the suite folder', async () => {
    const plan = join(dir, 'e2e.json');
    writeFileSync(
      plan,
      JSON.stringify({
        name: 'e2e',
        runs: [
          { workload: 'throughput', profile: 'tps-baseline', env: { RATE_SCALE: '0.05', DURATION_SCALE: '0.01' } },
          { name: 'mix', workload: 'mixed-workload', profile: 'smoke', repeats: 2, env: { ITERATIONS: '2' } },
        ],
      }),
    );
    const out = join(dir, 'reports');
    const r = await suiteCli([plan, '--out-dir', out, '--stop-on-failure']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /started the local reference server at http:\/\/127\.0\.0\.1:\d+/);
    assert.match(r.stderr, /\[1\/3\] throughput × tps-baseline: passed \(exit 0, SLO verdict pass\)/);
    assert.match(r.stderr, /\[3\/3\] mixed-workload × smoke \(repeat 2\/2\): passed \(exit 0, SLO verdict pass\)/);

    const [suiteDir, ...others] = readdirSync(out);
    assert.equal(others.length, 0);
    assert.match(suiteDir!, /^suite-\d{8}T\d{6}Z-e2e$/);
    const root = join(out, suiteDir!);
    assert.deepEqual(readdirSync(root).sort(), ['01-throughput-tps-baseline', '02-mix-r1', '03-mix-r2', 'suite.json', 'suite.md']);
    for (const run of ['01-throughput-tps-baseline', '02-mix-r1', '03-mix-r2']) {
      for (const f of ['run.json', 'summary.json', 'k6.json.gz', 'thresholds.json', 'run-summary.json', 'report.json', 'resources.csv']) assert.ok(existsSync(join(root, run, f)), `${run}/${f}`);
    }
    const summary = JSON.parse(readFileSync(join(root, 'suite.json'), 'utf8')) as SuiteSummary;
    assert.deepEqual(
      summary.runs.map((x) => [x.label, x.outcome, x.sloVerdict, x.exitCode]),
      [
        ['throughput-tps-baseline', 'passed', 'pass', 0],
        ['mix', 'passed', 'pass', 0],
        ['mix', 'passed', 'pass', 0],
      ],
    );
    // 5 it/s for 3 s: about 15 submissions, all timed; smoke: 2 iterations per repeat.
    const tps = summary.runs[0]!.figures!;
    assert.ok(tps.iterations! >= 10 && tps.iterations! <= 20, `iterations ${tps.iterations}`);
    assert.equal(tps.droppedIterations, 0);
    assert.equal(summary.runs[1]!.figures!.iterations, 2);
    const runJson = JSON.parse(readFileSync(join(root, '01-throughput-tps-baseline', 'run.json'), 'utf8')) as {
      profile: string;
      env: Record<string, string>;
      sloSet: string;
      machine: { cores: number };
    };
    assert.equal(runJson.profile, 'tps-baseline');
    // The SLO set is the one dist/manifest.json recorded for the bundle, copied as it was built.
    assert.equal(runJson.sloSet, 'workload-throughput');
    const manifest = JSON.parse(readFileSync(join(projectRoot, 'dist', 'manifest.json'), 'utf8')) as { sloSets: Record<string, { set: unknown }> };
    assert.deepEqual(JSON.parse(readFileSync(join(root, '01-throughput-tps-baseline', 'thresholds.json'), 'utf8')), manifest.sloSets['workload-throughput']!.set);
    assert.ok(runJson.machine.cores > 0);
    assert.equal(runJson.env.RATE_SCALE, '0.05');
    assert.match(readFileSync(join(root, 'suite.md'), 'utf8'), /\| 1 \| \[throughput-tps-baseline\]\(01-throughput-tps-baseline\/\) \| throughput \| tps-baseline \| 1\/1 \| passed \| pass \| 0 \|/);
  });

  it('a bad plan exits 2 with file, pointer and fix, before any run', async () => {
    const plan = join(dir, 'bad.json');
    writeFileSync(plan, JSON.stringify({ name: 'bad', runs: [{ workload: 'throughput', profile: 'spiky' }] }));
    const r = await suiteCli([plan, '--out-dir', join(dir, 'none')]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /bad\.json:\d+: \/runs\/0\/profile: unknown profile "spiky" — fix: use one of smoke, average/);
    assert.ok(!existsSync(join(dir, 'none')), 'nothing written');
  });
});
