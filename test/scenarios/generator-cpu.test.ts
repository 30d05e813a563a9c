// A runner run samples the k6 process it spawned into generator.csv (docs/verdicts.md): k6's pid,
// its CPU and memory once a second. Real k6 against the local reference server; the report then
// judges k6's CPU against the machine's cores instead of saying it was not measured.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { parseResources } from '../../cli/figures/resources.ts';
import type { Report } from '../../cli/report/report-types.ts';
import { type RunningReferenceServer, startLocalReferenceServer } from '../../tools/runner/reference-server.ts';
import { runWorkload } from '../../tools/runner/run-workload.ts';
import { cli } from '../cli/helpers.ts';

let server: RunningReferenceServer;
let outDir: string;
before(async () => {
  server = await startLocalReferenceServer();
  outDir = mkdtempSync(join(tmpdir(), 'ledger-generator-cpu-'));
});
after(async () => {
  await server?.stop();
  if (outDir) rmSync(outDir, { recursive: true, force: true });
});

test("a runner run leaves generator.csv with k6's pid, CPU and memory, and the report judges it", async () => {
  const { exitCode, runDir, k6Pid } = await runWorkload({
    workload: 'mixed-workload',
    profile: 'average',
    baseUrl: server.url,
    outDir,
    quiet: true,
    env: { PROFILE_DURATION: '4s', VUS_SCALE: '0.2', THINK_TIME: '0.1' },
  });
  assert.equal(exitCode, 0, readFileSync(join(runDir, 'k6.log'), 'utf8'));
  assert.ok(k6Pid !== undefined && k6Pid !== process.pid, `k6 ran as its own process (pid ${k6Pid})`);
  assert.ok(!existsSync(`/proc/${k6Pid}/stat`), 'the sampled process is the one that ended with the run');

  const file = join(runDir, 'generator.csv');
  const samples = parseResources(readFileSync(file, 'utf8'), file);
  const capacity = cpus().length * 100;
  assert.ok(samples.length >= 3, `a run of several seconds sampled once a second, got ${samples.length} rows`);
  for (const s of samples) {
    assert.equal(s.pid, k6Pid, 'every row is the k6 process');
    assert.ok(s.cpuPercent >= 0, `CPU ${s.cpuPercent}`);
    // A row is k6's CPU over ~1 s summed over cores; /proc ticks are 10 ms, so a little above
    // the capacity is rounding, far above it would be another unit.
    assert.ok(s.cpuPercent <= capacity * 1.2, `CPU ${s.cpuPercent} % on ${cpus().length} cores`);
    assert.ok(s.rssBytes > 10e6, `k6's RSS is above 10 MB, got ${s.rssBytes}`);
    assert.ok(s.openFiles >= 3, `stdio at least, got ${s.openFiles}`);
  }
  assert.ok(
    samples.some((s) => s.cpuPercent > 0),
    'running VUs costs k6 CPU',
  );

  const r = await cli(['report', runDir, '--quiet']);
  assert.equal(r.code, 0, r.stderr);
  const report = JSON.parse(readFileSync(join(runDir, 'report.json'), 'utf8')) as Report;
  const g = report.derived.generator!;
  assert.equal(g.cpuMeasured, true, g.cpuDetail);
  assert.equal(g.cpu?.cores, cpus().length, "the machine's cores from run.json");
  assert.ok(g.cpu!.samples >= 1 && g.cpu!.samples <= samples.length, 'the load is part of what was sampled');
  const row = report.slos.find((s) => s.id === 'generator')!;
  assert.notEqual(row.verdict, 'unknown', row.detail);
  assert.match(row.detail, new RegExp(`of ${capacity} % \\(${cpus().length} cores × 100 %\\)`));
});
