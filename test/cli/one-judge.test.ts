// One judge: the suite summary, `ledger-perf report` and `ledger-perf compare` print the same
// verdicts for every run of the quick plan, because all three call the same judge
// (cli/slo/judge.ts) and the same derived figures (cli/figures/). Real k6 runs the whole quick
// plan (every workload, the closed- and open-model profiles, and the runs whose verdicts depend on
// derived figures: concurrency growth and recovery) against the reference server this test starts.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Report } from '../../cli/report/report-types.ts';
import { figuresOf, type SuiteSummary } from '../../tools/runner/suite-model.ts';
import { projectRoot } from '../helpers/paths.ts';
import { type RunningReferenceServer, startReferenceServer } from '../helpers/reference-server.ts';
import { cli, run, tempDir } from './helpers.ts';

const QUICK = join(projectRoot, 'plans', 'quick.json');
const QUICK_WORKLOADS = (JSON.parse(readFileSync(QUICK, 'utf8')) as { runs: Array<{ workload: string }> }).runs.map((r) => r.workload);

let target: RunningReferenceServer;
const tmp = tempDir('one-judge');

before(async () => {
  const build = spawnSync(process.execPath, [join(projectRoot, 'esbuild.config.mjs'), '--if-stale', '--quiet'], { cwd: projectRoot, encoding: 'utf8' });
  assert.equal(build.status, 0, build.stderr);
  target = await startReferenceServer();
});
after(async () => {
  await target?.stop();
  tmp.cleanup();
});

test('suite, report and compare give every run of the quick plan the same verdicts and figures', { timeout: 420_000 }, async () => {
  const out = join(tmp.dir, 'reports');
  const suite = await run(process.execPath, ['--import', 'tsx', join(projectRoot, 'tools', 'runner', 'suite.ts'), QUICK, '--base-url', target.url, '--out-dir', out]);
  assert.ok(suite.code === 0 || suite.code === 1, `suite exit ${suite.code}\n${suite.stderr}`);
  const suiteDir = join(out, readdirSync(out)[0]!);
  const summary = JSON.parse(readFileSync(join(suiteDir, 'suite.json'), 'utf8')) as SuiteSummary;
  assert.deepEqual(
    summary.runs.map((r) => r.workload),
    QUICK_WORKLOADS,
  );

  for (const r of summary.runs) {
    assert.ok(r.runDir, `${r.label}: ${r.error}`);
    const dir = join(suiteDir, r.runDir);
    assert.ok(['pass', 'warn', 'fail', 'unknown', 'inconclusive'].includes(r.sloVerdict ?? ''), `${r.label}: suite verdict ${r.sloVerdict}`);
    // The suite's pass/fail is that verdict (plus k6's exit code), not a judgement of its own.
    assert.equal(r.outcome === 'passed', r.exitCode === 0 && (r.sloVerdict === 'pass' || r.sloVerdict === 'warn'), `${r.label}: outcome ${r.outcome}`);

    const reportOut = join(tmp.dir, 'again', r.runDir);
    const report = await cli(['report', dir, '--out', reportOut]);
    assert.equal(report.code, 0, report.stderr);
    assert.equal(/SLO verdict: (\w+)/.exec(report.stdout)?.[1], r.sloVerdict, `${r.label}: report vs suite`);
    // The figures too: every SLO row (the derived ones, recovery time and latency growth, among
    // them) and the breaking point are the report's, not the suite's own.
    const again = JSON.parse(readFileSync(join(reportOut, 'report.json'), 'utf8')) as Report;
    assert.deepEqual(figuresOf(again).failedSlos, r.figures?.failedSlos, `${r.label}: failed SLOs`);
    assert.deepEqual(figuresOf(again).inconclusive, r.figures?.inconclusive, `${r.label}: inconclusive SLOs`);
    assert.deepEqual(again.derived.breakingPoint, r.figures?.breakingPoint, `${r.label}: breaking point`);
    if (r.workload === 'recovery' || r.workload === 'concurrency') {
      const derivedRow = again.slos.find((s) => s.metric === (r.workload === 'recovery' ? 'recovery_time_s' : 'latency_growth_per_2_5x'));
      assert.ok(derivedRow, `${r.label}: the derived SLO is judged`);
    }

    const compare = await cli(['compare', '--baseline', dir, '--candidate', dir, '--force']);
    assert.ok([0, 1, 3].includes(compare.code ?? -1), compare.stderr);
    const verdicts = [...compare.stderr.matchAll(/^\s+(baseline|candidate) +(.+): (\w+)$/gm)].map((m) => [m[1], m[3]]);
    assert.deepEqual(
      verdicts,
      [
        ['baseline', r.sloVerdict],
        ['candidate', r.sloVerdict],
      ],
      `${r.label}: compare vs suite\n${compare.stderr}`,
    );
  }
  const md = readFileSync(join(suiteDir, 'suite.md'), 'utf8');
  for (const r of summary.runs) assert.match(md, new RegExp(`\\(${r.runDir}/\\) \\| ${r.workload} \\| ${r.profile} \\| 1/1 \\| ${r.outcome} \\| ${r.sloVerdict} \\|`));
});
