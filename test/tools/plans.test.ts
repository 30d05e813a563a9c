// Plans: every shipped plan is valid against the real scenarios/ and profiles; bad plans get
// file + JSON pointer + fix; the suite runner (with a stand-in for k6) writes one folder per
// suite with suite.json/suite.md, honours --stop-on-failure, and records each run's report
// verdict and figures (the CLI's, never recomputed).
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { K6Ndjson } from '../../bench/cli-synthetic.ts';
import { ConfigFileError } from '../../cli/config/json-source.ts';
import { availableWorkloads, loadPlanFile, plansDir, resolvePlanPath, resolveRuns, shippedPlanNames } from '../../cli/config/plan.ts';
import { describeProfile, profileNames } from '../../lib/shared/profiles.ts';
import type { SuiteSummary } from '../../tools/runner/suite-model.ts';
import { type RunWorkloadFn, runSuite } from '../../tools/runner/suite-run.ts';

const tmp = mkdtempSync(join(tmpdir(), 'plans-test-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

function writePlan(name: string, value: unknown): string {
  const path = join(tmp, `${name}.json`);
  writeFileSync(path, JSON.stringify(value, null, 2));
  return path;
}

const WORKLOADS = ['mixed-workload', 'payload-size', 'throughput', 'latency', 'concurrency', 'docket-finality', 'error-handling', 'user-classes', 'recovery'];

describe('shipped plans', () => {
  it('exist for every seed, full and quick, plus quick', () => {
    const names = shippedPlanNames();
    for (const seed of ['seed000-walkthrough', 'seed001-k6-guide', 'seed002-erlang', 'seed003-locust', 'seed004-tps-progression']) {
      assert.ok(names.includes(seed) && names.includes(`${seed}-quick`), seed);
    }
    assert.ok(names.includes('quick'));
  });

  it('are valid against scenarios/*.ts and the profile list', () => {
    for (const n of shippedPlanNames()) assert.doesNotThrow(() => loadPlanFile(join(plansDir, `${n}.json`)), n);
  });

  it('quick runs every workload, and every quick variant stays seconds-long', () => {
    const quick = loadPlanFile(join(plansDir, 'quick.json'));
    assert.deepEqual(new Set(quick.runs.map((r) => r.workload)), new Set(availableWorkloads()));
    for (const n of shippedPlanNames().filter((n) => n.endsWith('quick'))) {
      for (const r of resolveRuns(loadPlanFile(join(plansDir, `${n}.json`)))) {
        const d = describeProfile(r.profile, r.env);
        // smoke is bounded by its iterations; its time cap is only a safety net.
        if (r.profile !== 'smoke') assert.ok(d.maxWallSeconds <= 20, `${n}/${r.label}: ${d.maxWallSeconds}s`);
        // Open-model pools may grow to rate × 2 s (allocated only when latency demands it).
        assert.ok(d.peakVUs <= (d.model === 'open' ? 100 : 50) && d.peakRate <= 50, `${n}/${r.label}: ${d.peakVUs} VUs, ${d.peakRate}/s`);
      }
    }
  });

  it('seed 004 progression runs the five tests in order against the TPS tiers', () => {
    const plan = loadPlanFile(join(plansDir, 'seed004-tps-progression.json'));
    assert.deepEqual(
      plan.runs.map((r) => r.profile),
      ['tps-baseline', 'tps-scale', 'tps-target', 'tps-endurance', 'breakpoint'],
    );
    assert.equal(plan.env?.THRESHOLDS, 'tps-tiers');
  });

  it('a bare plan name resolves to plans/<name>.json', () => {
    assert.equal(resolvePlanPath('quick'), join(plansDir, 'quick.json'));
  });
});

describe('bad plans', () => {
  const base = { name: 'p', runs: [{ workload: 'throughput', profile: 'smoke' }] };
  const cases: Array<[string, Record<string, unknown>, RegExp]> = [
    [
      'unknown workload',
      { runs: [{ workload: 'thruput', profile: 'smoke' }] },
      /\/runs\/0\/workload: unknown workload "thruput" \(no scenarios\/thruput\.ts\) — fix: use one of mixed-workload, payload-size/,
    ],
    ['unknown profile', { runs: [{ workload: 'throughput', profile: 'spiky' }] }, new RegExp(`/runs/0/profile: unknown profile "spiky" — fix: use one of ${profileNames.join(', ')}`)],
    ['bad env value', { runs: [{ workload: 'throughput', profile: 'smoke', env: { VUS_SCALE: 'lots' } }] }, /\/runs\/0\/env\/VUS_SCALE: VUS_SCALE="lots" is not valid/],
    ['bad plan env value', { env: { RATE_SCALE: '0' }, runs: [{ workload: 'throughput', profile: 'tps-baseline' }] }, /p\.json:\d+: \/env\/RATE_SCALE: RATE_SCALE="0" is not valid/],
    [
      'reserved env',
      { runs: [{ workload: 'throughput', profile: 'smoke', env: { PROFILE: 'spike' } }] },
      /\/runs\/0\/env\/PROFILE: PROFILE is set by the suite — fix: remove it: set the run's "profile" field/,
    ],
    ['secret env', { env: { ADMIN_PASSWORD: 'x' } }, /\/env\/ADMIN_PASSWORD: .*looks like a secret/],
    [
      'env not string',
      { runs: [{ workload: 'throughput', profile: 'smoke', env: { VUS_SCALE: 0.1 } }] },
      /\/runs\/0\/env\/VUS_SCALE: must be string, got 0\.1 — fix: write a string here \(env values are strings/,
    ],
    ['repeats', { runs: [{ workload: 'throughput', profile: 'smoke', repeats: 0 }] }, /\/runs\/0\/repeats: must be >= 1/],
    ['no runs', { runs: [] }, /\/runs: must NOT have fewer than 1 items/],
    [
      'duplicate label',
      {
        runs: [
          { workload: 'throughput', profile: 'smoke' },
          { workload: 'throughput', profile: 'smoke' },
        ],
      },
      /\/runs\/1\/name: run label "throughput-smoke" repeats \/runs\/0 — fix: give one of them a distinct "name" \(or use "repeats"\)/,
    ],
    ['unknown thresholds', { env: { THRESHOLDS: 'tpstiers' } }, /\/env\/THRESHOLDS: unknown SLO set "tpstiers"/],
  ];
  for (const [what, over, re] of cases) {
    it(`${what}: file, pointer and fix`, () => {
      const path = writePlan('p', { ...base, ...over });
      assert.throws(
        () => loadPlanFile(path, WORKLOADS),
        (err: unknown) => {
          assert.ok(err instanceof ConfigFileError);
          assert.match(err.message, re);
          return true;
        },
      );
    });
  }
});

/**
 * A stand-in for tools/runner/run-workload.ts: makes a run folder as the runner does (k6 output,
 * summary.json with k6's threshold verdicts, thresholds.json, run.json), so the suite reports it
 * with the real CLI. Run n has 10·n requests; k6 marks `rate<0.01` crossed where `crossed(n)`
 * (undefined: k6 did not enforce it, as for an SLO the report evaluates).
 */
function fakeRunner(
  exitCodes: number[],
  crossed: (n: number) => boolean | undefined = () => false,
  points?: (out: K6Ndjson, t0: number) => void,
): { fn: RunWorkloadFn; calls: Array<Parameters<RunWorkloadFn>[0]> } {
  const calls: Array<Parameters<RunWorkloadFn>[0]> = [];
  const fn: RunWorkloadFn = async (opts) => {
    calls.push(opts);
    const runDir = join(opts.outDir, opts.runName ?? opts.workload);
    mkdirSync(runDir, { recursive: true });
    const n = calls.length;
    const exitCode = exitCodes[n - 1] ?? 0;
    const t0 = Date.UTC(2026, 0, 1);
    const out = new K6Ndjson();
    if (points) points(out, t0);
    else for (let i = 0; i < 10 * n; i++) out.request(t0 + i * 100, 12, { name: 'submit' }).iteration(t0 + i * 100, 13);
    writeFileSync(join(runDir, 'k6.json.gz'), gzipSync(out.toString()));
    const verdict = crossed(n);
    writeFileSync(join(runDir, 'summary.json'), JSON.stringify({ metrics: { http_req_failed: { value: 0, ...(verdict === undefined ? {} : { thresholds: { 'rate<0.01': verdict } }) } } }));
    writeFileSync(join(runDir, 'thresholds.json'), JSON.stringify({ name: 'fake', slos: [{ id: 'errors', metric: 'http_req_failed', aggregation: 'rate', operator: '<', fail: 0.01 }] }));
    writeFileSync(
      join(runDir, 'run.json'),
      JSON.stringify({ workload: opts.workload, profile: opts.profile, exitCode, startedAt: new Date(t0).toISOString(), endedAt: new Date(t0 + 10_000).toISOString() }),
    );
    return { exitCode, runDir };
  };
  return { fn, calls };
}

function fakeTarget() {
  const state = { started: 0, stopped: 0 };
  return {
    state,
    start: async () => {
      state.started++;
      return { url: 'http://127.0.0.1:1', stop: async () => void state.stopped++ };
    },
  };
}

describe('runSuite', () => {
  const plan = writePlan('two', {
    name: 'two',
    env: { DURATION_SCALE: '0.01' },
    runs: [
      { workload: 'throughput', profile: 'tps-baseline', repeats: 2, env: { RATE_SCALE: '0.05' } },
      { name: 'mix', workload: 'mixed-workload', profile: 'smoke' },
    ],
  });

  it('runs every repeat in order, starts and stops the local target, writes suite.json and suite.md', async () => {
    const runner = fakeRunner([0, 99, 0], (n) => n === 2);
    const target = fakeTarget();
    const lines: string[] = [];
    const outDir = join(tmp, 'out1');
    const summary = await runSuite(
      { planFile: plan, outDir, stopOnFailure: false, quiet: true, log: (l) => lines.push(l), now: () => new Date('2026-01-02T03:04:05Z') },
      { runWorkload: runner.fn, startLocalReferenceServer: target.start },
    );
    assert.deepEqual(target.state, { started: 1, stopped: 1 });
    assert.deepEqual(
      runner.calls.map((c) => [c.workload, c.profile, c.runName, c.baseUrl, c.env]),
      [
        ['throughput', 'tps-baseline', '01-throughput-tps-baseline-r1', 'http://127.0.0.1:1', { DURATION_SCALE: '0.01', RATE_SCALE: '0.05' }],
        ['throughput', 'tps-baseline', '02-throughput-tps-baseline-r2', 'http://127.0.0.1:1', { DURATION_SCALE: '0.01', RATE_SCALE: '0.05' }],
        ['mixed-workload', 'smoke', '03-mix', 'http://127.0.0.1:1', { DURATION_SCALE: '0.01' }],
      ],
    );
    assert.deepEqual(readdirSync(outDir), ['suite-20260102T030405Z-two']);
    const dir = join(outDir, 'suite-20260102T030405Z-two');
    const onDisk = JSON.parse(readFileSync(join(dir, 'suite.json'), 'utf8')) as SuiteSummary;
    assert.deepEqual(onDisk, JSON.parse(JSON.stringify(summary)));
    assert.deepEqual(
      summary.runs.map((r) => [r.outcome, r.sloVerdict, r.exitCode, r.runDir]),
      [
        ['passed', 'pass', 0, '01-throughput-tps-baseline-r1'],
        ['failed', 'fail', 99, '02-throughput-tps-baseline-r2'],
        ['passed', 'pass', 0, '03-mix'],
      ],
    );
    assert.equal(summary.exitCode, 1);
    assert.equal(summary.target, 'local-reference');
    // The figures are the run's report, which the suite wrote into the run folder.
    const report = JSON.parse(readFileSync(join(dir, '02-throughput-tps-baseline-r2', 'report.json'), 'utf8')) as { totals: { requests: number; throughputPerS: number }; sloVerdict: string };
    assert.equal(report.sloVerdict, summary.runs[1]!.sloVerdict);
    const f = summary.runs[1]!.figures!;
    assert.deepEqual([f.requests, f.requestRate, f.iterations, f.errorRate, f.droppedIterations, f.failedSlos], [20, report.totals.throughputPerS, 20, 0, 0, ['errors: rate<0.01']]);
    const md = readFileSync(join(dir, 'suite.md'), 'utf8');
    assert.match(md, /\| 2 \| \[throughput-tps-baseline\]\(02-throughput-tps-baseline-r2\/\) \| throughput \| tps-baseline \| 2\/2 \| failed \| fail \| 99 \|/);
    assert.match(md, /failed SLOs: errors: rate<0\.01/);
    assert.match(lines.join('\n'), /\[2\/3\] throughput × tps-baseline \(repeat 2\/2\): failed \(exit 99, SLO verdict fail\)/);
  });

  it('k6 exit 0 is not enough: a run whose report verdict is fail fails the suite', async () => {
    // k6 exited 0 (it did not enforce this level), but by the SLO set every request failed.
    const runner = fakeRunner(
      [0],
      () => undefined,
      (out, t0) => {
        for (let i = 0; i < 20; i++) out.request(t0 + i * 100, 5, { name: 'submit' }, true).iteration(t0 + i * 100, 6);
      },
    );
    const one = writePlan('one', { name: 'one', runs: [{ workload: 'mixed-workload', profile: 'smoke' }] });
    const summary = await runSuite(
      { planFile: one, baseUrl: 'http://127.0.0.1:2', outDir: join(tmp, 'out5'), stopOnFailure: false, quiet: true, log: () => {} },
      { runWorkload: runner.fn, startLocalReferenceServer: fakeTarget().start },
    );
    assert.deepEqual(
      summary.runs.map((r) => [r.exitCode, r.sloVerdict, r.outcome]),
      [[0, 'fail', 'failed']],
    );
    assert.equal(summary.exitCode, 1);
  });

  it('--stop-on-failure stops after the first failure and says how many runs were skipped', async () => {
    const runner = fakeRunner([0, 1, 0]);
    const lines: string[] = [];
    const summary = await runSuite(
      { planFile: plan, baseUrl: 'http://127.0.0.1:2', outDir: join(tmp, 'out2'), stopOnFailure: true, quiet: true, log: (l) => lines.push(l) },
      { runWorkload: runner.fn, startLocalReferenceServer: () => Promise.reject(new Error('must not start a target when a base URL is given')) },
    );
    assert.equal(runner.calls.length, 2);
    assert.deepEqual([summary.stoppedEarly, summary.exitCode, summary.target, summary.baseUrl], [true, 1, 'external', 'http://127.0.0.1:2']);
    assert.match(lines.join('\n'), /1 run\(s\) not started/);
  });

  it('a runner error is recorded as an error run, not a crash', async () => {
    const summary = await runSuite(
      { planFile: plan, baseUrl: 'http://127.0.0.1:2', outDir: join(tmp, 'out3'), stopOnFailure: false, quiet: true, log: () => {} },
      { runWorkload: () => Promise.reject(new Error('no bundle for workload')), startLocalReferenceServer: fakeTarget().start },
    );
    assert.deepEqual(
      summary.runs.map((r) => [r.outcome, r.error]),
      [
        ['error', 'no bundle for workload'],
        ['error', 'no bundle for workload'],
        ['error', 'no bundle for workload'],
      ],
    );
    assert.equal(summary.exitCode, 1);
  });

  it('a breakpoint run aborted by its thresholds is a breaking point: the same figure as its report', async () => {
    const bp = writePlan('bp', { name: 'bp', runs: [{ workload: 'throughput', profile: 'breakpoint', env: { DURATION_SCALE: '0.01' } }] });
    // 9 s of iterations at 10/s, then k6 aborted on a threshold (exit 99).
    const runner = fakeRunner(
      [99],
      () => false,
      (out, t0) => {
        for (let ms = 0; ms < 9000; ms += 100) out.request(t0 + ms, 5, { name: 'submit', scenario: 'breakpoint' }).iteration(t0 + ms, 6, { scenario: 'breakpoint' });
      },
    );
    const summary = await runSuite(
      { planFile: bp, baseUrl: 'http://127.0.0.1:2', outDir: join(tmp, 'out4'), stopOnFailure: true, quiet: true, log: () => {} },
      { runWorkload: runner.fn, startLocalReferenceServer: fakeTarget().start },
    );
    const run = summary.runs[0]!;
    assert.equal(run.outcome, 'breaking-point');
    const dir = join(tmp, 'out4', readdirSync(join(tmp, 'out4'))[0]!, run.runDir!);
    const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as { derived: { breakingPoint: unknown } };
    assert.ok(run.figures!.breakingPoint, 'breaking point found');
    assert.deepEqual(run.figures!.breakingPoint, report.derived.breakingPoint);
    assert.ok(Math.abs(run.figures!.breakingPoint.arrivalRatePerS - 10) < 0.5, JSON.stringify(run.figures!.breakingPoint));
    assert.equal(summary.exitCode, 0, 'finding the breaking point is what a breakpoint run is for');
  });
});
