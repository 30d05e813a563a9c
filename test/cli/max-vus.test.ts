// The report's max VUs leaves out the progress guard's VU (k6's vus gauges count it) only when
// the output holds the guard's samples; synthetic runs, one with the guard and one without.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { K6Ndjson } from '../../bench/cli-synthetic.ts';
import { buildReport } from '../../cli/report/build-report.ts';
import { renderMarkdown } from '../../cli/report/render-md.ts';
import { loadRun } from '../../cli/run/load-run.ts';
import { assertValidReport, tempDir } from './helpers.ts';

const T0 = Date.UTC(2026, 0, 1);

async function reportOf(withGuard: boolean) {
  const out = new K6Ndjson();
  for (let s = 0; s < 5; s++) {
    // 10 workload VUs, plus the guard's one in the gauges when it runs.
    out.point('vus', T0 + s * 1000, withGuard ? 11 : 10, {});
    out.point('vus_max', T0 + s * 1000, withGuard ? 11 : 10, {});
    for (let i = 0; i < 10; i++) out.request(T0 + s * 1000 + i * 100, 5, { name: 'submit' }).iteration(T0 + s * 1000 + i * 100, 6);
    if (withGuard) out.iteration(T0 + s * 1000, 1000, { scenario: 'progress_guard' });
  }
  const tmp = tempDir('max-vus');
  try {
    const dir = join(tmp.dir, 'run');
    mkdirSync(dir);
    writeFileSync(join(dir, 'k6.json'), out.toString());
    return buildReport(await loadRun(dir));
  } finally {
    tmp.cleanup();
  }
}

test('with the guard: max VUs is the workload’s 10, and the report says the guard was left out', async () => {
  const r = await reportOf(true);
  assertValidReport(JSON.parse(JSON.stringify(r)));
  assert.equal(r.totals.vusMax, 10);
  assert.equal(r.totals.progressGuardVus, 1);
  assert.match(renderMarkdown(r), /also counted the 1 VU of the progress guard, left out here/);
});

test('without guard samples nothing is subtracted', async () => {
  const r = await reportOf(false);
  assert.equal(r.totals.vusMax, 10);
  assert.equal(r.totals.progressGuardVus, 0);
  assert.doesNotMatch(renderMarkdown(r), /progress guard/);
});
