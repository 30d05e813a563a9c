// The report's max VUs is the workload's: every workload runs the 1-VU progress guard
// (lib/k6/progress-guard.ts) beside it, which k6's vus gauge counts. Real k6, real workload
// bundle (smoke: 1 VU), real reference server.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import type { Report } from '../../cli/report/report-types.ts';
import { describeProfile } from '../../lib/shared/profiles.ts';
import { type RunningReferenceServer, startLocalReferenceServer } from '../../tools/runner/reference-server.ts';
import { runWorkload } from '../../tools/runner/run-workload.ts';
import { cli } from '../cli/helpers.ts';

let server: RunningReferenceServer;
let outDir: string;
before(async () => {
  server = await startLocalReferenceServer();
  outDir = mkdtempSync(join(tmpdir(), 'ledger-max-vus-'));
});
after(async () => {
  await server?.stop();
  if (outDir) rmSync(outDir, { recursive: true, force: true });
});

test('max VUs leaves out the progress guard: smoke runs 1 workload VU, k6’s gauges counted 2', async () => {
  const { runDir } = await runWorkload({ workload: 'mixed-workload', profile: 'smoke', baseUrl: server.url, outDir, quiet: true });
  const r = await cli(['report', runDir, '--quiet']);
  assert.ok(r.code === 0 || r.code === 1, r.stderr);
  const report = JSON.parse(readFileSync(join(runDir, 'report.json'), 'utf8')) as Report;
  const rawVus = gunzipSync(readFileSync(join(runDir, 'k6.json.gz')))
    .toString('utf8')
    .split('\n')
    .filter((l) => /^\{"metric":"vus(_max)?"/.test(l) && l.includes('"type":"Point"'))
    .map((l) => (JSON.parse(l) as { data: { value: number } }).data.value);
  const workloadVus = describeProfile('smoke').peakVUs;
  assert.equal(Math.max(...rawVus), workloadVus + 1, "k6's vus/vus_max gauges count the guard's VU");
  assert.equal(report.totals.progressGuardVus, 1);
  assert.equal(report.totals.vusMax, workloadVus);
  assert.match(readFileSync(join(runDir, 'report.md'), 'utf8'), /1 VU of the progress guard, left out here/);
});
