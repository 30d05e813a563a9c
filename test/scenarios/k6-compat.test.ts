// The workloads stay right on the older k6 line too: every run of the quick plan (each workload's
// smoke run, scaled to seconds) goes through the runner once with the pinned k6 and once with the
// compatibility build (package.json config.k6CompatVersion, built into .tools/ like the pinned
// one); any difference in exit codes or in the set of metric names fails.
// Which metrics get samples must not depend on chance, or the comparison would measure luck: every
// run uses one register (CORRIDOR_WEIGHTS=1; a random register choice decides whether a docket
// cadence is seen), the mixed workload runs enough iterations that its 40 % submit operation
// (the only one with metrics of its own) is all but certain to be picked (1 - 0.6^40), and every
// user-classes VU is of the one class with metrics of its own (blockchain): its quick run has two
// VUs, and on a loaded machine the second one, the only writer, sometimes never got to start.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { loadPlanFile, plansDir, resolveRuns } from '../../cli/config/plan.ts';
import { compatK6Version, ensureK6, pinnedK6Version } from '../../tools/install/k6.mjs';
import { runWorkload } from '../../tools/runner/run-workload.ts';
import { startReferenceServer } from '../helpers/reference-server.ts';

interface Outcome {
  exitCode: number;
  /** Metric names with at least one sample in k6's JSON output. */
  metrics: string[];
  /** Metric (and sub-metric) keys of k6's summary export, which the CLI reads thresholds from. */
  summaryKeys: string[];
}

function outcomeOf(runDir: string, exitCode: number): Outcome {
  const lines = gunzipSync(readFileSync(join(runDir, 'k6.json.gz')))
    .toString('utf8')
    .split('\n');
  const metrics = new Set<string>();
  for (const line of lines) if (line.includes('"type":"Metric"')) metrics.add((JSON.parse(line) as { data: { name: string } }).data.name);
  const summary = JSON.parse(readFileSync(join(runDir, 'summary.json'), 'utf8')) as { metrics: Record<string, unknown> };
  return { exitCode, metrics: [...metrics].sort(), summaryKeys: Object.keys(summary.metrics).sort() };
}

const out = mkdtempSync(join(tmpdir(), 'ledger-k6-compat-'));
const DETERMINISTIC: Record<string, Record<string, string>> = {
  '*': { CORRIDOR_WEIGHTS: '1' },
  'mixed-workload': { ITERATIONS: '40' },
  'user-classes': { USER_CLASS_WEIGHTS: '{"api":0,"blockchain":1,"session":0,"admin":0}' },
};
const runs = resolveRuns(loadPlanFile(join(plansDir, 'quick.json'))).map((r) => ({ ...r, env: { ...r.env, ...DETERMINISTIC['*'], ...DETERMINISTIC[r.workload] } }));
const versions = [pinnedK6Version(), compatK6Version()];
const outcomes = new Map<string, Map<string, Outcome>>();

before(async () => {
  for (const version of versions) {
    const k6 = { path: ensureK6({ version }), version };
    // A fresh reference server per k6 build: both see the same state at every run.
    const target = await startReferenceServer();
    const byRun = new Map<string, Outcome>();
    try {
      for (const run of runs) {
        const result = await runWorkload({ workload: run.workload, profile: run.profile, baseUrl: target.url, outDir: join(out, version), env: run.env, quiet: true, runName: run.label, k6 });
        byRun.set(run.label, outcomeOf(result.runDir, result.exitCode));
      }
    } finally {
      await target.stop();
    }
    outcomes.set(version, byRun);
  }
});

after(() => rmSync(out, { recursive: true, force: true }));

describe(`k6 ${versions[0]} and ${versions[1]} agree on the quick plan`, () => {
  it('the two builds are the versions they are meant to be, and different', () => {
    assert.notEqual(versions[0], versions[1]);
    assert.equal(Number(versions[0]!.slice(1).split('.')[0]), 2, 'the pinned k6 is the v2 line');
  });

  for (const run of runs) {
    it(`${run.label}: same exit code, same metric names`, () => {
      const [current, older] = versions.map((v) => outcomes.get(v)!.get(run.label)!);
      assert.ok(current && older, 'both builds ran it');
      assert.equal(current.exitCode, 0, `${versions[0]} exit code`);
      assert.equal(older.exitCode, current.exitCode, 'exit codes differ');
      assert.ok(current.metrics.includes('http_reqs') && current.metrics.includes('iterations'), current.metrics.join(', '));
      assert.deepEqual(older.metrics, current.metrics, 'metric names in k6.json.gz differ');
      assert.deepEqual(older.summaryKeys, current.summaryKeys, 'metric keys in summary.json differ');
    });
  }
});
