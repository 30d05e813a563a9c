// Recovery time under real k6 against the reference server: the `recovery` workload's
// burst-recovery profile, shortened to ~45 s (baseline 2 VUs 18 s, burst 20 VUs 9 s, recovery
// 2 VUs 18 s), once as it is (latency comes back after the burst) and once through a TCP proxy
// that starts delaying every response once the burst is running and keeps doing so (a target
// that stays slow after a burst). The burst is detected from k6's own REST API (--address), never
// by sleeping. The figure and its SLO come from the one judge via `ledger-perf report`.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { type AddressInfo, connect, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Report } from '../../cli/report/report-types.ts';
import { freeLoopbackPort, type MetricsDocument } from '../../tools/runner/progress.ts';
import { type RunningReferenceServer, startLocalReferenceServer } from '../../tools/runner/reference-server.ts';
import { runWorkload } from '../../tools/runner/run-workload.ts';
import { cli } from '../cli/helpers.ts';
import { eventually } from '../helpers/eventually.ts';

/** burst-recovery is 60 s + 30 s + 60 s at 10/100/10 VUs; this keeps its shape at 45 s and 2/20/2 VUs. */
const SHAPE = { PROFILE_DURATION: '45s', VUS_SCALE: '0.2' };
const RECOVERY_PHASE_S = 18;
/** Added to every response once the burst runs: far above a loopback p95 of a few ms. */
const STAY_SLOW_MS = 25;

interface DelayingProxy {
  url: string;
  /** From now on every response chunk is held back `ms` (order kept: equal timeouts fire in order). */
  slowDown(ms: number): void;
  close(): Promise<void>;
}

/** A loopback TCP proxy to `target` that can start delaying the target's responses. */
async function delayingProxy(target: URL): Promise<DelayingProxy> {
  let delayMs = 0;
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(Number(target.port), target.hostname);
    sockets.add(client).add(upstream);
    const later = (f: () => void) => (delayMs > 0 ? setTimeout(f, delayMs) : f());
    client.on('data', (chunk) => upstream.write(chunk));
    client.on('end', () => upstream.end());
    upstream.on('data', (chunk) => later(() => client.destroyed || client.write(chunk)));
    upstream.on('end', () => later(() => client.end()));
    for (const [a, b] of [
      [client, upstream],
      [upstream, client],
    ] as const) {
      a.on('error', () => b.destroy());
      a.on('close', () => {
        sockets.delete(a);
        later(() => b.destroy());
      });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    slowDown: (ms) => {
      delayMs = ms;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

async function k6Vus(address: string): Promise<number | undefined> {
  try {
    const res = await fetch(`http://${address}/v1/metrics`, { signal: AbortSignal.timeout(1000) });
    if (!res.ok) return undefined;
    const doc = (await res.json()) as MetricsDocument;
    return doc.data?.find((m) => m.id === 'vus')?.attributes?.sample?.value;
  } catch {
    return undefined; // k6 not listening yet (set-up)
  }
}

async function reportOf(runDir: string): Promise<{ report: Report; check: number | null }> {
  const r = await cli(['report', runDir, '--check', '--quiet']);
  const report = JSON.parse(readFileSync(join(runDir, 'report.json'), 'utf8')) as Report;
  return { report, check: r.code };
}

describe('recovery time under real k6', () => {
  let server: RunningReferenceServer;
  let outDir: string;
  before(async () => {
    server = await startLocalReferenceServer({ args: ['--docket-time-ms', '200'] });
    outDir = mkdtempSync(join(tmpdir(), 'ledger-recovery-'));
  });
  after(async () => {
    await server?.stop();
    if (outDir) rmSync(outDir, { recursive: true, force: true });
  });

  it('a target that comes back after the burst recovers, within the recovery phase', async (t) => {
    const { exitCode, runDir } = await runWorkload({ workload: 'recovery', profile: 'burst-recovery', baseUrl: server.url, outDir, quiet: true, env: SHAPE, runName: 'recovers' });
    assert.equal(exitCode, 0, readFileSync(join(runDir, 'k6.log'), 'utf8').slice(-3000));
    const { report } = await reportOf(runDir);
    const rec = report.derived.recovery!;
    t.diagnostic(`recovery: ${rec.status}, ${rec.recoveryTimeS} s; ${rec.detail}`);
    assert.equal(rec.status, 'recovered', rec.detail);
    assert.ok(rec.baselineWindows >= 11, `${rec.baselineWindows} baseline windows`);
    assert.ok(rec.recoveryTimeS !== null && rec.recoveryTimeS < RECOVERY_PHASE_S, `recovered ${rec.recoveryTimeS} s after the burst`);
    const slo = report.slos.find((s) => s.id === 'recovery-time')!;
    assert.equal(slo.observed, rec.recoveryTimeS);
    assert.equal(slo.verdict, 'pass', slo.detail);
  });

  it('a target that stays slow after the burst does not recover: the recovery SLO fails and report --check exits non-zero', async (t) => {
    const proxy = await delayingProxy(new URL(server.url));
    try {
      const address = `127.0.0.1:${await freeLoopbackPort()}`;
      const running = runWorkload({ workload: 'recovery', profile: 'burst-recovery', baseUrl: proxy.url, outDir, quiet: true, env: SHAPE, k6Args: ['--address', address], runName: 'stays-slow' });
      // Burst: 20 workload VUs (plus the progress guard's one); the baseline has 2 (+1).
      await eventually('the burst phase to start', async () => ((await k6Vus(address)) ?? 0) >= 10 || undefined, 90_000);
      proxy.slowDown(STAY_SLOW_MS);
      const { exitCode, runDir } = await running;
      assert.equal(exitCode, 0, readFileSync(join(runDir, 'k6.log'), 'utf8').slice(-3000));
      const { report, check } = await reportOf(runDir);
      const rec = report.derived.recovery!;
      t.diagnostic(`recovery: ${rec.status}; ${rec.detail}`);
      assert.equal(rec.status, 'not-recovered', rec.detail);
      assert.equal(rec.recoveryTimeS, null);
      assert.ok(rec.limitMs !== null && rec.limitMs < STAY_SLOW_MS, `limit ${rec.limitMs} ms: the baseline was measured before the slow-down`);
      const slo = report.slos.find((s) => s.id === 'recovery-time')!;
      assert.equal(slo.verdict, 'fail', slo.detail);
      assert.equal(slo.observed, null, 'an infinite recovery time is null in JSON');
      assert.equal(report.sloVerdict, 'fail');
      assert.notEqual(check, 0, 'report --check fails a run that did not recover');
    } finally {
      await proxy.close();
    }
  });
});
