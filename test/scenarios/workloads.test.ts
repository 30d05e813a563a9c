// Every workload of the catalog runs its quick variant under real k6 against one reference
// server (dockets every 200 ms), and each run is checked for the figure that workload exists for.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { deriveFigures } from '../../cli/figures/derived.ts';
import { loadRun } from '../../cli/run/load-run.ts';
import { MALFORMED_CASES } from '../../lib/shared/malformed.ts';
import { PACING_LEVELS } from '../../lib/shared/pacing.ts';
import { describeProfile } from '../../lib/shared/profiles.ts';
import { USER_CLASSES } from '../../lib/shared/user-classes.ts';
import { runWorkload } from '../../tools/runner/run-workload.ts';
import { type RunningReferenceServer, startReferenceServer } from '../helpers/reference-server.ts';

type Metrics = Record<string, Record<string, number>>;
interface Point {
  metric: string;
  type: string;
  data: { tags?: Record<string, string>; value: number };
}

const SUBMIT = 'POST /transactions/validate';

/**
 * Forwards everything to the server but flips the last hex digit of `hash` in every single-docket
 * read: a register whose dockets do not hash to what they claim.
 */
async function tamperingProxy(targetUrl: string): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const headers = Object.fromEntries(Object.entries(req.headers).filter(([k]) => !['host', 'content-length', 'connection'].includes(k))) as Record<string, string>;
    const upstream = await fetch(targetUrl + req.url, { method: req.method, headers, body: chunks.length ? Buffer.concat(chunks) : undefined });
    let body = Buffer.from(await upstream.arrayBuffer());
    if (req.method === 'GET' && /^\/api\/registers\/[^/]+\/dockets\/\d+$/.test(req.url ?? '') && upstream.status === 200) {
      const docket = JSON.parse(body.toString('utf8')) as { hash: string };
      docket.hash = docket.hash.slice(0, -1) + (docket.hash.endsWith('0') ? '1' : '0');
      body = Buffer.from(JSON.stringify(docket));
    }
    res.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'application/json', 'content-length': body.length });
    res.end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise<void>((r) => server.close(() => r())) };
}

describe('workload catalog under real k6 (quick variants)', () => {
  let server: RunningReferenceServer;
  let outDir: string;

  before(async () => {
    server = await startReferenceServer({ args: ['--docket-time-ms', '200'] });
    outDir = mkdtempSync(join(tmpdir(), 'ledger-workloads-'));
  });
  after(async () => {
    await server?.stop();
    if (outDir) rmSync(outDir, { recursive: true, force: true });
  });

  /** Runs a workload; asserts exit 0, no failed check and no unexpected status; returns its outputs. */
  async function run(workload: string, profile: string, env: Record<string, string>) {
    const { exitCode, runDir } = await runWorkload({ workload, profile, baseUrl: server.url, outDir, quiet: true, env });
    const log = () => readFileSync(join(runDir, 'k6.log'), 'utf8');
    assert.equal(exitCode, 0, log());
    const metrics = (JSON.parse(readFileSync(join(runDir, 'summary.json'), 'utf8')) as { metrics: Metrics }).metrics;
    assert.equal(metrics.checks!.fails, 0, `every check passes\n${log()}`);
    assert.ok(metrics.checks!.passes! > 0);
    assert.equal(metrics.http_req_failed!.passes ?? 0, 0, 'no request got a status it did not expect');
    const meta = JSON.parse(readFileSync(join(runDir, 'run.json'), 'utf8')) as { thresholdsFile: string | null; profile: string };
    assert.equal(meta.thresholdsFile, `thresholds/workload-${workload}.json`, "the run carries the workload's own SLO file");
    const points = () =>
      gunzipSync(readFileSync(join(runDir, 'k6.json.gz')))
        .toString('utf8')
        .split('\n')
        .filter((l) => l.startsWith('{"metric"') && l.includes('"type":"Point"'))
        .map((l) => JSON.parse(l) as Point);
    return { metrics, points, log, runDir };
  }

  it('payload-size: every seed 000 size is submitted, accepted and tagged payload_size', async () => {
    const { metrics } = await run('payload-size', 'smoke', { ITERATIONS: '2' });
    for (const size of ['1KB', '10KB', '50KB', '100KB', '500KB', '1MB']) {
      const success = metrics[`transaction_success{payload_size:${size}}`];
      assert.equal(success?.passes, 2, `${size}: two accepted submissions`);
      assert.equal(success?.fails, 0);
      assert.equal(metrics[`http_req_duration{name:${SUBMIT},payload_size:${size}}`]?.count, 2, `${size}: latency recorded`);
    }
  });

  it('throughput: an open-model tier delivers its scheduled transactions, counted per step', async () => {
    // tps-baseline scaled to 20 iterations/s for 3 s: 60 scheduled submissions.
    const { metrics } = await run('throughput', 'tps-baseline', { RATE_SCALE: '0.2', DURATION_SCALE: '0.01' });
    const accepted = metrics.transactions_accepted!;
    assert.ok(accepted.count! >= 59 && accepted.count! <= 61, `accepted ${accepted.count} of 60 scheduled`);
    assert.equal(metrics.dropped_iterations?.count ?? 0, 0);
    const [step, ...others] = describeProfile('tps-baseline', { RATE_SCALE: '0.2', DURATION_SCALE: '0.01' }).steps;
    assert.equal(others.length, 0);
    assert.equal(metrics[`transactions_accepted{scenario:${step!.scenario}}`]?.count, accepted.count, 'the step carries its accepted count');
  });

  it('latency: each pacing level is measured and tagged pacing', async () => {
    const { metrics } = await run('latency', 'smoke', { ITERATIONS: '1', LATENCY_REQUESTS: '3', PACING_SCALE: '0.1' });
    for (const level of PACING_LEVELS) {
      const m = metrics[`http_req_duration{name:${SUBMIT},pacing:${level}}`];
      assert.equal(m?.count, 3, `${level}: three paced submissions`);
      assert.ok(m!['p(95)']! > 0);
    }
  });

  it('concurrency: every step has its p95 in the summary and the growth per 2.5x is computable', async () => {
    const { metrics, runDir } = await run('concurrency', 'concurrency-steps', { CONCURRENCY_LEVELS: '1,2,4', DURATION_SCALE: '0.03' });
    for (const c of [1, 2, 4]) assert.ok(metrics[`http_req_duration{concurrency:${c},name:${SUBMIT}}`]!['p(95)']! > 0, `level ${c}`);
    // The growth figure is the CLI's (the one the report, the suite and the SLO judge use).
    const scaling = deriveFigures(await loadRun(runDir)).concurrencyScaling;
    assert.deepEqual(
      scaling?.levels.map((l) => l.concurrency),
      [1, 2, 4],
    );
    const growth = scaling!.worstGrowthPer2_5xPct;
    assert.ok(growth !== null && Number.isFinite(growth) && growth > -100, `growth ${growth}`);
  });

  it('docket-finality: every submission is seen sealed and every docket verifies client-side', async () => {
    const { metrics } = await run('docket-finality', 'smoke', { ITERATIONS: '8' });
    assert.equal(metrics.docket_sealed!.passes, 8);
    assert.equal(metrics.docket_finality!.count, 8);
    // Sealing takes at least the server's 200 ms docket time minus the poll interval.
    assert.ok(metrics.docket_finality!.min! >= 100, `finality min ${metrics.docket_finality!.min}`);
    assert.ok(metrics.dockets_verified!.count! > 0);
    assert.equal(metrics.docket_verification!.fails, 0);
    assert.equal(metrics.docket_verification!.passes, metrics.dockets_verified!.count);
    // 8 submissions over 4 registers: some register seals two dockets after genesis, so a cadence exists.
    assert.ok(metrics.docket_cadence!.count! > 0 && metrics.docket_cadence!.min! > 0, 'docket cadence measured');
  });

  it('docket-finality: a server serving a docket whose hash does not match its contents fails the run', async () => {
    const proxy = await tamperingProxy(server.url);
    try {
      const { exitCode, runDir } = await runWorkload({ workload: 'docket-finality', profile: 'smoke', baseUrl: proxy.url, outDir, quiet: true, env: { ITERATIONS: '2' } });
      const log = readFileSync(join(runDir, 'k6.log'), 'utf8');
      assert.equal(exitCode, 99, `thresholds crossed\n${log}`);
      const metrics = (JSON.parse(readFileSync(join(runDir, 'summary.json'), 'utf8')) as { metrics: Metrics }).metrics;
      assert.equal(metrics.docket_verification!.passes, 0);
      assert.ok(metrics.docket_verification!.fails! > 0);
      assert.match(log, /failed verification: docket hash mismatch/);
    } finally {
      await proxy.close();
    }
  });

  it('error-handling: every malformed case gets its documented status, none a 5xx', async () => {
    const { metrics, points } = await run('error-handling', 'smoke', { ITERATIONS: '1' });
    const statuses = new Map<string, string[]>();
    for (const p of points()) {
      const id = p.data.tags?.malformed;
      if (p.metric !== 'http_reqs' || !id) continue;
      statuses.set(id, [...(statuses.get(id) ?? []), p.data.tags!.status!]);
    }
    for (const [id, c] of Object.entries(MALFORMED_CASES)) {
      const seen = statuses.get(id);
      assert.ok(seen && seen.length > 0, `case ${id} was sent`);
      for (const s of seen) assert.ok((c.expected as readonly number[]).includes(Number(s)), `${id}: status ${s}, expected ${c.expected.join('|')}`);
    }
    assert.equal(metrics.malformed_rejected!.fails, 0);
    assert.equal(metrics.malformed_rejected!.passes, Object.keys(MALFORMED_CASES).length);
    assert.equal(metrics.malformed_server_errors?.count ?? 0, 0);
  });

  it('user-classes: every class is present with its own latency, tagged user_class', async () => {
    const { metrics } = await run('user-classes', 'smoke', { ITERATIONS: '20', VUS_SCALE: '10', THINK_SCALE: '0.01' });
    for (const c of USER_CLASSES) assert.ok((metrics[`http_req_duration{user_class:${c}}`]?.count ?? 0) > 0, `class ${c} made requests`);
  });

  it('recovery: baseline, burst and recovery phases are all measured, tagged phase', async () => {
    const { metrics } = await run('recovery', 'burst-recovery', { DURATION_SCALE: '0.03', VUS_SCALE: '0.2' });
    for (const phase of ['baseline', 'burst', 'recovery']) {
      assert.ok((metrics[`transaction_success{phase:${phase}}`]?.passes ?? 0) > 0, `phase ${phase} has accepted submissions`);
    }
    assert.ok(metrics[`http_req_duration{name:${SUBMIT},phase:baseline}`]!['p(99)']! > 0);
  });

  it('a bad workload knob stops k6 before any request, naming the variable', async () => {
    const { exitCode, runDir } = await runWorkload({ workload: 'payload-size', profile: 'smoke', baseUrl: server.url, outDir, quiet: true, env: { PAYLOAD_SIZES: '1KB,3XB' } });
    assert.notEqual(exitCode, 0);
    assert.match(readFileSync(join(runDir, 'k6.log'), 'utf8'), /PAYLOAD_SIZES=\\?"1KB,3XB\\?" is not valid: expected payload sizes from 64B to 9MB .*\\?"3XB\\?" is not one/);
  });
});
