// The resource monitor samples a real reference server from /proc, and a run started by the
// runner with a local server leaves resources.csv beside k6's files, readable by the CLI.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseResources, readRunResources } from '../../cli/figures/resources.ts';
import { startResourceMonitor } from '../../tools/runner/resource-monitor.ts';
import { runWorkload } from '../../tools/runner/run-workload.ts';
import { type RunningReferenceServer, startReferenceServer } from '../helpers/reference-server.ts';
import { poll } from './prometheus.ts';

describe('resource monitor', () => {
  let target: RunningReferenceServer;
  let dir: string;

  before(async () => {
    target = await startReferenceServer();
    dir = mkdtempSync(join(tmpdir(), 'ledger-resources-'));
  });
  after(async () => {
    await target?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("samples the server's CPU, RSS and open files by pid", async () => {
    const file = join(dir, 'direct.csv');
    const monitor = startResourceMonitor({ pid: target.process.pid!, file, intervalMs: 100 });
    // Work for the server while the monitor samples it.
    await poll('three samples', async () => {
      await Promise.all(Array.from({ length: 20 }, () => fetch(`${target.url}/health`).then((r) => r.arrayBuffer())));
      return monitor.samples() >= 3 ? true : undefined;
    });
    await monitor.stop();
    const samples = parseResources(readFileSync(file, 'utf8'), file);
    assert.ok(samples.length >= 4, `${samples.length} samples (3 sampled plus the last one at stop)`);
    for (const s of samples) {
      assert.equal(s.pid, target.process.pid);
      assert.ok(s.rssBytes > 10e6, `a Node server's RSS is above 10 MB, got ${s.rssBytes}`);
      assert.ok(s.openFiles >= 3, `stdio at least, got ${s.openFiles}`);
    }
    assert.ok(
      samples.some((s) => s.cpuPercent > 0),
      'answering requests costs CPU',
    );
  });

  it('stops with a warning when the process goes away, keeping what it sampled', async () => {
    const other = await startReferenceServer();
    const file = join(dir, 'gone.csv');
    const warnings: string[] = [];
    const monitor = startResourceMonitor({ pid: other.process.pid!, file, intervalMs: 50, warn: (m) => warnings.push(m) });
    await poll('one sample', async () => (monitor.samples() >= 1 ? true : undefined));
    await other.kill();
    await poll('the monitor noticing', async () => (warnings.length ? true : undefined));
    await monitor.stop();
    await other.stop();
    assert.match(warnings[0]!, new RegExp(`pid ${other.process.pid} can no longer be read`));
    assert.ok(parseResources(readFileSync(file, 'utf8'), file).length >= 1);
  });

  it('a runner run against a local server leaves resources.csv (and dashboard.html) in its run folder', async () => {
    const { exitCode, runDir } = await runWorkload({
      workload: 'mixed-workload',
      profile: 'smoke',
      baseUrl: target.url,
      outDir: dir,
      quiet: true,
      env: { THINK_TIME: '0.3' },
      monitorPid: target.process.pid,
    });
    assert.equal(exitCode, 0, readFileSync(join(runDir, 'k6.log'), 'utf8'));
    const figures = readRunResources(runDir);
    assert.ok(figures, 'no resources.csv in the run folder');
    assert.ok(figures.samples >= 1, 'at least the sample taken when k6 ended');
    assert.ok(figures.rssMaxBytes! > 10e6);
    assert.ok(existsSync(join(runDir, 'dashboard.html')), 'dashboard.html is written also for a run of a few seconds');
  });
});
