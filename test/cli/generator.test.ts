// Generator saturation (docs/verdicts.md): k6's own CPU from generator.csv against the machine's
// cores, VUs at maxVUs while dropping, dropped iterations while latency held. Synthetic run
// folders with synthetic generator.csv files; the report, --check, JUnit and compare must all
// carry the reason, and a run without generator.csv must say its CPU was not measured.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { InputError } from '../../cli/errors.ts';
import { CPU_SATURATION_SHARE, GENERATOR_COLUMNS, SUSTAINED_WINDOW_S } from '../../cli/figures/generator.ts';
import type { Report } from '../../cli/report/report-types.ts';
import { loadRun } from '../../cli/run/load-run.ts';
import { judgeRun } from '../../cli/slo/judge.ts';
import { figuresOf, outcomeOf, type SuiteSummary } from '../../tools/runner/suite-model.ts';
import { renderSuiteMarkdown } from '../../tools/runner/suite-render.ts';
import { assertValidReport, cli, tempDir } from './helpers.ts';
import { type SyntheticRunOptions, writeSyntheticRun } from './synthetic-runs.ts';

const START = Date.UTC(2026, 0, 1);
const K6_PID = 31337;
const t = tempDir('ledger-generator-');
after(() => t.cleanup());

/**
 * generator.csv as the monitor writes it: one row a second, each row k6's mean CPU over the second
 * before it. `cpu[k]` covers second k of the load (the synthetic run's load is 10 s from START);
 * the monitor started 1 s before the load, and its first row (k6's start-up) is `startup`.
 */
function generatorCsv(cpu: number[], startup = 150): string {
  const rows = [GENERATOR_COLUMNS.join(',')];
  const row = (atMs: number, elapsedS: number, pct: number) => [new Date(atMs).toISOString(), elapsedS.toFixed(3), K6_PID, pct.toFixed(2), 80_000_000, 12].join(',');
  rows.push(row(START, 1, startup));
  cpu.forEach((pct, k) => rows.push(row(START + (k + 1) * 1000, k + 2, pct)));
  return `${rows.join('\n')}\n`;
}

let n = 0;
/** A 10 s synthetic run (1000 requests at 100/s, 10 VUs) with the given generator.csv, if any. */
function runFolder(csv: string | undefined, o: Partial<SyntheticRunOptions> = {}): string {
  const dir = writeSyntheticRun(join(t.dir, `run-${++n}`), { seed: 40 + n, medianMs: 5, requests: 1000, rps: 100, ...o });
  if (csv !== undefined) writeFileSync(join(dir, 'generator.csv'), csv);
  return dir;
}

async function generatorOf(dir: string) {
  const run = await loadRun(dir);
  const { derived, results, verdict } = judgeRun(run);
  return { g: derived.generator!, row: results.find((r) => r.id === 'generator')!, verdict };
}

const tenSeconds = (pct: number) => Array.from({ length: 10 }, () => pct);

describe('generator figure from generator.csv (2 cores: capacity 200 %)', () => {
  it(`k6 at 190 % of 200 % for the whole load is saturated (k6-cpu), with its figures in the reason`, async () => {
    const { g, row, verdict } = await generatorOf(runFolder(generatorCsv(tenSeconds(190))));
    assert.equal(g.saturated, true);
    assert.equal(g.sign, 'k6-cpu');
    assert.equal(g.cpu?.cores, 2);
    assert.equal(g.cpu?.capacityPercent, 200);
    assert.equal(g.cpu?.samples, 10, 'the start-up row is not load');
    assert.ok(Math.abs(g.cpu!.sustainedPercent! - 190) < 1e-9);
    assert.ok(Math.abs(g.cpu!.meanPercent! - 190) < 1e-9);
    assert.equal(row.verdict, 'inconclusive');
    assert.match(row.detail, /^inconclusive: generator saturated \(k6-cpu\): k6's own CPU was near the machine's capacity/);
    assert.match(row.detail, /190\.0 % of 200 % \(2 cores × 100 %\) = 95\.0 % of the machine/);
    assert.equal(verdict, 'inconclusive');
  });

  it('k6 at 60 % is not saturated: the row passes and names the figures it judged', async () => {
    const { g, row } = await generatorOf(runFolder(generatorCsv(tenSeconds(60))));
    assert.equal(g.saturated, false);
    assert.equal(g.sign, null);
    assert.equal(g.cpuMeasured, true);
    assert.equal(row.verdict, 'pass');
    assert.match(row.detail, /no dropped iterations; k6 CPU: highest 5 s mean 60\.0 % of 200 %/);
  });

  it(`short spikes are no saturation: the test is a mean over ${SUSTAINED_WINDOW_S} s`, async () => {
    // Alternating 200 % / 20 %: every 5 s window averages 92 % or 128 %, far below 180 %.
    const alternating = await generatorOf(runFolder(generatorCsv(Array.from({ length: 10 }, (_, k) => (k % 2 ? 20 : 200)))));
    assert.equal(alternating.g.saturated, false, alternating.row.detail);
    assert.equal(alternating.g.cpu?.maxPercent, 200, 'the spike is in the figures');
    assert.ok(alternating.g.cpu!.sustainedPercent! < CPU_SATURATION_SHARE * 200);
    // Two seconds flat out inside a calm load.
    const burst = await generatorOf(runFolder(generatorCsv([40, 40, 200, 200, 40, 40, 40, 40, 40, 40])));
    assert.equal(burst.g.saturated, false, burst.row.detail);
    // k6's start-up (initialising VUs before the load) burning both cores is not load either.
    const startup = await generatorOf(runFolder(generatorCsv(tenSeconds(30), 200)));
    assert.equal(startup.g.saturated, false, startup.row.detail);
    assert.ok(Math.abs(startup.g.cpu!.maxPercent! - 30) < 1e-9);
  });

  it(`${SUSTAINED_WINDOW_S} s flat out inside a longer load is saturated although the mean is not`, async () => {
    const { g, row } = await generatorOf(runFolder(generatorCsv([30, 30, 195, 195, 195, 195, 195, 30, 30, 30])));
    assert.ok(g.cpu!.meanPercent! < CPU_SATURATION_SHARE * 200, `mean ${g.cpu!.meanPercent}`);
    assert.equal(g.saturated, true, row.detail);
    assert.equal(g.sign, 'k6-cpu');
    assert.ok(Math.abs(g.cpu!.sustainedPercent! - 195) < 1e-9);
  });

  it('no generator.csv (a k6 output not made by the runner): CPU not measured, the row is unknown, never a pass', async () => {
    const { g, row } = await generatorOf(runFolder(undefined));
    assert.equal(g.cpu, null);
    assert.equal(g.cpuMeasured, false);
    assert.equal(g.saturated, false);
    assert.equal(row.verdict, 'unknown');
    assert.match(row.detail, /k6's CPU was not measured \(no generator\.csv in the run folder/);
    assert.match(row.detail, /a CPU-bound k6 cannot be ruled out/);
  });

  it('no machine in run.json: no capacity to judge k6 CPU against, said so', async () => {
    const dir = runFolder(generatorCsv(tenSeconds(190)), { runJson: { machine: undefined } });
    const { g, row } = await generatorOf(dir);
    assert.equal(g.cpu?.cores, null);
    assert.equal(g.saturated, false);
    assert.equal(row.verdict, 'unknown');
    assert.match(row.detail, /run\.json records no machine/);
  });

  it('a malformed generator.csv is an error naming the file and line', async () => {
    const bad = generatorCsv(tenSeconds(50)).split('\n');
    bad[3] = bad[3]!.replace(/,50\.00,/, ',busy,');
    const dir = runFolder(bad.join('\n'));
    await assert.rejects(loadRun(dir), (err: unknown) => {
      assert.ok(err instanceof InputError, String(err));
      assert.match(err.message, /generator\.csv:4: column cpu_percent must be a non-negative number, got "busy"/);
      return true;
    });
    const header = runFolder('when,cpu\n1,2\n');
    await assert.rejects(loadRun(header), /generator\.csv:1: unexpected header "when,cpu"/);
  });
});

describe('VUs at maxVUs while iterations were dropped', () => {
  // The synthetic run holds 10 VUs and drops 25 iterations in its first second; tps-baseline is
  // an open-model profile whose maxVUs is MAX_VUS (when smaller than its own sizing).
  it('VUs at maxVUs with latency held: saturated (vus-at-max), naming VUs and maxVUs', async () => {
    const dir = runFolder(generatorCsv(tenSeconds(40)), { dropped: 25, runJson: { profile: 'tps-baseline', env: { PROFILE: 'tps-baseline', MAX_VUS: '10' } } });
    const { g, row } = await generatorOf(dir);
    assert.equal(g.maxVUs, 10);
    assert.equal(g.vusWhileDropping, 10);
    assert.equal(g.sign, 'vus-at-max');
    assert.equal(row.verdict, 'inconclusive');
    assert.match(row.detail, /k6 dropped 25 iterations with its VUs at maxVUs \(10 of 10\)/);
  });

  it('VUs below maxVUs with latency held: still saturated, by the dropped-iterations sign', async () => {
    const dir = runFolder(generatorCsv(tenSeconds(40)), { dropped: 25, runJson: { profile: 'tps-baseline', env: { PROFILE: 'tps-baseline', MAX_VUS: '50' } } });
    const { g, row } = await generatorOf(dir);
    assert.equal(g.sign, 'dropped-iterations');
    assert.match(row.detail, /up to 10 of maxVUs 50 VUs active while dropping/);
  });

  it('VUs at maxVUs with latency past its fail level: the target slowed down, not saturation', async () => {
    const dir = runFolder(generatorCsv(tenSeconds(40)), { medianMs: 900, dropped: 25, runJson: { profile: 'tps-baseline', env: { PROFILE: 'tps-baseline', MAX_VUS: '10' } } });
    const r = await cli(['report', dir, '--thresholds', 'thresholds/api-default.json', '--quiet']);
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as Report;
    assert.equal(report.derived.generator?.saturated, false);
    assert.equal(report.slos.find((s) => s.id === 'generator')?.verdict, 'pass');
    assert.match(report.derived.generator!.reason, /25 dropped iterations came with latency past its fail level \(up to 10 of maxVUs 10 VUs/);
  });
});

describe('the reason reaches every output', () => {
  it('report.md, report.json, junit.xml and --check carry "inconclusive: generator saturated" with the sign', async () => {
    const dir = runFolder(generatorCsv(tenSeconds(190)));
    const r = await cli(['report', dir, '--thresholds', 'thresholds/api-default.json', '--check', '--quiet']);
    assert.equal(r.code, 1, 'an inconclusive run never passes --check');
    assert.match(r.stderr, /report --check: SLO verdict inconclusive\n {2}- generator: inconclusive: generator saturated \(k6-cpu\)/);
    const json = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as Report;
    assertValidReport(json);
    assert.equal(json.sloVerdict, 'inconclusive');
    assert.equal(json.derived.generator?.cpu?.capacityPercent, 200);
    const md = readFileSync(join(dir, 'report.md'), 'utf8');
    assert.match(md, /SLO verdict: \*\*⛔ inconclusive\*\*/);
    assert.match(md, /- \*\*generator\*\* ⛔ inconclusive: inconclusive: generator saturated \(k6-cpu\)/);
    assert.match(md, /- Generator \(k6 itself\): saturated \(k6-cpu\): k6 CPU: highest 5 s mean 190\.0 %/);
    const junit = readFileSync(join(dir, 'junit.xml'), 'utf8');
    assert.match(junit, /<failure message="inconclusive" type="inconclusive">inconclusive: generator saturated \(k6-cpu\)/);
    assert.match(
      readFileSync(join(dir, 'report.html'), 'utf8'),
      /<li><strong>generator<\/strong> <span class="verdict-inconclusive">inconclusive<\/span>: inconclusive: generator saturated \(k6-cpu\)/,
    );
  });

  it('a run without SLOs still shows the generator reason in report.md, and is inconclusive', async () => {
    const dir = runFolder(generatorCsv(tenSeconds(190)));
    const r = await cli(['report', dir, '--quiet', '--check']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /SLO verdict inconclusive\n {2}- generator: inconclusive: generator saturated \(k6-cpu\)/);
    assert.match(readFileSync(join(dir, 'report.md'), 'utf8'), /- \*\*generator\*\* ⛔ inconclusive: inconclusive: generator saturated \(k6-cpu\)/);
  });

  it("the suite records the reason and shows it in suite.md's notes; the run does not pass", async () => {
    const dir = runFolder(generatorCsv(tenSeconds(190)));
    const r = await cli(['report', dir, '--thresholds', 'thresholds/api-default.json', '--quiet']);
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as Report;
    const figures = figuresOf(report);
    assert.equal(figures.inconclusive.length, 1);
    assert.match(figures.inconclusive[0]!, /^generator: inconclusive: generator saturated \(k6-cpu\)/);
    assert.equal(outcomeOf(0, report, false), 'failed', 'k6 exit 0 is no pass when the generator was saturated');
    const summary: SuiteSummary = {
      schemaVersion: 2,
      plan: 'p',
      planFile: 'plans/p.json',
      baseUrl: 'http://127.0.0.1:1',
      target: 'local-reference',
      startedAt: report.run.startedAt,
      endedAt: report.run.endedAt,
      stoppedEarly: false,
      plannedRuns: 1,
      runs: [
        {
          label: 'burn',
          workload: 'mixed-workload',
          profile: 'smoke',
          repeat: 1,
          repeats: 1,
          env: {},
          runDir: 'run',
          exitCode: 0,
          outcome: 'failed',
          sloVerdict: report.sloVerdict,
          durationSeconds: 10,
          figures,
        },
      ],
      exitCode: 1,
    };
    const md = renderSuiteMarkdown(summary, () => false);
    assert.match(md, /\| failed \| inconclusive \|/);
    assert.match(md, /- burn \(repeat 1\) inconclusive: generator: inconclusive: generator saturated \(k6-cpu\): k6's own CPU was near the machine's capacity/);
  });

  it('--check on a run without SLOs and without generator.csv says "no SLOs", not the unmeasured CPU', async () => {
    const r = await cli(['report', runFolder(undefined), '--quiet', '--check']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /report --check: SLO verdict unknown\n {2}- no SLOs: nothing judged this run\n$/);
  });
});

describe('compare refuses a saturated run: incomparable, never a regression or a pass', () => {
  const base = () => [1, 2, 3].map(() => runFolder(generatorCsv(tenSeconds(50))));

  it('a CPU-saturated candidate: exit 3 with the [saturated] rule and the reason, even with --force', async () => {
    const cand = runFolder(generatorCsv(tenSeconds(190)));
    for (const extra of [[], ['--force']]) {
      const r = await cli(['compare', '-b', ...base(), '-c', cand, ...extra]);
      assert.equal(r.code, 3, `${r.stdout}\n${r.stderr}`);
      assert.match(r.stderr, /\[saturated\] .*run-\d+ is inconclusive: generator saturated \(k6-cpu\)/);
      assert.match(r.stderr, /its figures describe k6, not the target/);
    }
  });

  it('a candidate that dropped iterations because k6 was short is incomparable (exit 3), not a severe regression (exit 1)', async () => {
    const cand = runFolder(generatorCsv(tenSeconds(40)), { dropped: 25 });
    const r = await cli(['compare', '-b', ...base(), '-c', cand]);
    assert.equal(r.code, 3, `${r.stdout}\n${r.stderr}`);
    assert.match(r.stderr, /\[saturated\] .* is inconclusive: generator saturated \(dropped-iterations\)/);
  });

  it('healthy runs on both sides still compare (exit 0, fixed tolerance with one run a side)', async () => {
    const r = await cli(['compare', '-b', runFolder(generatorCsv(tenSeconds(50))), '-c', runFolder(generatorCsv(tenSeconds(50)))]);
    assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
  });
});
