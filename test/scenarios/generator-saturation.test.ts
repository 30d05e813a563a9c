// A VU pool too small for the arrival rate (MAX_VUS=1, 0.2 s think time, 50 iterations/s offered)
// makes k6 drop iterations while the target answers in milliseconds: the judge must call the run
// "inconclusive: generator saturated" (VUs at maxVUs), not pass or fail it on the target. Real k6,
// real server.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Report } from '../../cli/report/report-types.ts';
import { type RunningReferenceServer, startLocalReferenceServer } from '../../tools/runner/reference-server.ts';
import { runWorkload } from '../../tools/runner/run-workload.ts';
import { cli } from '../cli/helpers.ts';

let server: RunningReferenceServer;
let outDir: string;
before(async () => {
  server = await startLocalReferenceServer();
  outDir = mkdtempSync(join(tmpdir(), 'ledger-saturated-'));
});
after(async () => {
  await server?.stop();
  if (outDir) rmSync(outDir, { recursive: true, force: true });
});

test('dropped iterations with healthy latency: verdict inconclusive (generator saturated), --check fails', async () => {
  const { runDir } = await runWorkload({
    workload: 'mixed-workload',
    profile: 'tps-baseline',
    baseUrl: server.url,
    outDir,
    quiet: true,
    env: { PROFILE_DURATION: '6s', RATE_SCALE: '0.5', MAX_VUS: '1', THINK_TIME: '0.2' },
  });
  const r = await cli(['report', runDir, '--check', '--quiet']);
  assert.notEqual(r.code, 0, 'an inconclusive run never passes --check');
  const report = JSON.parse(readFileSync(join(runDir, 'report.json'), 'utf8')) as Report;
  assert.ok(report.totals.droppedIterations > 0, 'one VU with 0.2 s think time cannot start 50 iterations/s');
  const generator = report.slos.find((s) => s.id === 'generator')!;
  assert.equal(generator.verdict, 'inconclusive', generator.detail);
  assert.match(generator.detail, /^inconclusive: generator saturated/);
  assert.equal(report.sloVerdict, 'inconclusive');
  assert.equal(report.derived.generator?.saturated, true);
  // The one VU sat at maxVUs (MAX_VUS=1) while the target answered in time.
  assert.equal(report.derived.generator?.sign, 'vus-at-max', generator.detail);
  assert.equal(report.derived.generator?.maxVUs, 1);
  assert.equal(report.derived.generator?.vusWhileDropping, 1);
  assert.match(generator.detail, /with its VUs at maxVUs \(1 of 1\)/);
  // k6's own CPU was sampled by the runner (generator.csv) and judged against the machine.
  assert.equal(report.derived.generator?.cpuMeasured, true, report.derived.generator?.cpuDetail);
});
