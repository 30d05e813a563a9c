// The achieved-rate figure (iterations ÷ (iterations + dropped_iterations)) and its SLO in
// tps-tiers (seed 004: TPS achieved, warning < 950 and critical < 900 of 1000), on synthetic runs.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { K6Ndjson } from '../../bench/cli-synthetic.ts';
import { achievedRate } from '../../cli/figures/achieved-rate.ts';
import { buildReport } from '../../cli/report/build-report.ts';
import { renderMarkdown } from '../../cli/report/render-md.ts';
import { loadRun } from '../../cli/run/load-run.ts';
import { sloCatalogProblems } from '../../cli/slo/catalog-check.ts';
import type { ThresholdsFile } from '../../lib/shared/slo.ts';
import { projectRoot } from '../helpers/paths.ts';
import { tempDir } from './helpers.ts';

const T0 = Date.UTC(2026, 0, 1);
const tpsTiers = JSON.parse(readFileSync(join(projectRoot, 'thresholds', 'tps-tiers.json'), 'utf8')) as ThresholdsFile;

async function runWith(iterations: number, dropped: number, extra: (out: K6Ndjson) => void = () => {}) {
  const out = new K6Ndjson();
  for (let i = 0; i < iterations; i++) out.request(T0 + i * 10, 5, { name: 'submit' }).iteration(T0 + i * 10, 6);
  if (dropped) out.point('dropped_iterations', T0 + 500, dropped, { scenario: 'default' });
  extra(out);
  const tmp = tempDir('achieved');
  try {
    const dir = join(tmp.dir, 'run');
    mkdirSync(dir);
    writeFileSync(join(dir, 'k6.json'), out.toString());
    writeFileSync(join(dir, 'thresholds.json'), JSON.stringify(tpsTiers));
    return await loadRun(dir);
  } finally {
    tmp.cleanup();
  }
}

const row = (r: ReturnType<typeof buildReport>) => r.slos.find((s) => s.id === 'tps-achieved')!;

test('achieved rate: iterations over iterations plus dropped', async () => {
  assert.deepEqual(achievedRate(await runWith(930, 70)), { ratio: 0.93, iterations: 930, dropped: 70 });
  assert.deepEqual(achievedRate(await runWith(200, 0)), { ratio: 1, iterations: 200, dropped: 0 });
  // Nothing offered: no figure, so an SLO on it is unknown rather than a pass.
  const empty = await runWith(0, 0, (out) => out.request(T0, 5, { name: 'submit' }));
  assert.equal(achievedRate(empty), null);
  assert.equal(row(buildReport(empty)).verdict, 'unknown');
});

test('the progress guard’s own iterations are not the workload’s', async () => {
  const run = await runWith(90, 10, (out) => {
    for (let s = 0; s < 5; s++) out.iteration(T0 + s * 1000, 1000, { scenario: 'progress_guard' });
  });
  assert.equal(achievedRate(run)!.ratio, 0.9);
});

test('tps-tiers judges it: fail below 0.90, warn below 0.95, target 1', async () => {
  const fail = buildReport(await runWith(880, 120));
  assert.equal(row(fail).verdict, 'fail', row(fail).detail);
  assert.equal(row(fail).observed, 0.88);
  assert.equal(row(buildReport(await runWith(930, 70))).verdict, 'warn');
  const short = buildReport(await runWith(970, 30));
  assert.equal(row(short).verdict, 'pass');
  assert.equal(row(short).targetMet, false, 'below the 1000-of-1000 target');
  assert.equal(row(buildReport(await runWith(300, 0))).targetMet, true);
  assert.match(renderMarkdown(fail), /Achieved rate: 88(\.0+)? % of the offered iterations \(880 iterations, 120 dropped\)/);
});

test('the SLO catalog check knows the figure and names it for a typo', () => {
  assert.deepEqual(sloCatalogProblems(tpsTiers), []);
  const typo = { name: 't', slos: [{ id: 'a', metric: 'achieved_rate_ration', aggregation: 'value', operator: '>=', fail: 0.9, evaluate: 'report' }] } as ThresholdsFile;
  const problems = sloCatalogProblems(typo);
  assert.equal(problems.length, 1);
  assert.match(problems[0]!.fix, /did you mean achieved_rate_ratio/);
});
