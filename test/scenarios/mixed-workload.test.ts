// Runs the real k6 binary on dist/mixed-workload.js against the reference server.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { runWorkload } from '../../tools/runner/run-workload.ts';
import { eventually } from '../helpers/eventually.ts';
import { type RunningReferenceServer, startReferenceServer } from '../helpers/reference-server.ts';
import { loginAsDefaultAdmin, sealedTransactionCount } from '../helpers/register-client.ts';

interface Summary {
  metrics: Record<string, Record<string, number>>;
}

const readSummary = (runDir: string) => JSON.parse(readFileSync(join(runDir, 'summary.json'), 'utf8')) as Summary;

/** A loopback port with nothing listening: bind, note the port, close. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

describe('mixed-workload under real k6', () => {
  let server: RunningReferenceServer;
  let outDir: string;

  before(async () => {
    server = await startReferenceServer({ args: ['--docket-time-ms', '200'] });
    outDir = mkdtempSync(join(tmpdir(), 'ledger-k6-'));
  });
  after(async () => {
    await server?.stop();
    if (outDir) rmSync(outDir, { recursive: true, force: true });
  });

  it('smoke run passes: every check, no failed request, every accepted transaction sealed in a docket', async () => {
    // 60 iterations at 40 % submissions: the chance of no submission at all is 0.6^60 ≈ 5e-14.
    const { exitCode, runDir } = await runWorkload({ workload: 'mixed-workload', profile: 'smoke', baseUrl: server.url, outDir, quiet: true, env: { ITERATIONS: '60', VUS_SCALE: '2' } });
    const log = () => readFileSync(join(runDir, 'k6.log'), 'utf8');
    assert.equal(exitCode, 0, log());
    const m = readSummary(runDir).metrics;
    assert.equal(m.checks!.fails, 0, 'every check passes');
    assert.ok(m.checks!.passes! > 0);
    assert.equal(m.http_req_failed!.passes ?? 0, 0, 'no failed request');
    const accepted = m.transactions_accepted?.count ?? 0;
    assert.ok(accepted > 0, 'the smoke run submitted transactions');
    assert.equal(m.transactions_rejected?.count ?? 0, 0);

    const run = JSON.parse(readFileSync(join(runDir, 'run.json'), 'utf8'));
    assert.equal(run.workload, 'mixed-workload');
    assert.equal(run.exitCode, 0);
    assert.match(run.scriptHash, /^[0-9a-f]{64}$/);
    assert.equal(run.thresholdsFile, 'thresholds/api-default.json');
    const points = gunzipSync(readFileSync(join(runDir, 'k6.json.gz'))).toString('utf8');
    assert.ok(points.includes('"name":"POST /transactions/validate"'), 'requests carry stable name tags');
    assert.ok(!/"url":"http/.test(points), 'high-cardinality url tags are not recorded');

    // Ask the reference server: everything it acknowledged ends up sealed (4 corridors = 4 registers).
    const token = await loginAsDefaultAdmin(server.url);
    const sealed = await eventually(
      `all ${accepted} accepted transactions sealed`,
      async () => {
        const now = await sealedTransactionCount(server.url, token);
        return now.sealed === accepted ? now : undefined;
      },
      10_000,
    );
    assert.equal(sealed.registers, 4);
  });

  it('a second run against the same reference server logs in instead of bootstrapping (setup is idempotent)', async () => {
    const { exitCode, runDir } = await runWorkload({ workload: 'mixed-workload', profile: 'smoke', baseUrl: server.url, outDir, quiet: true, env: { MIX: '{"submit":1}' } });
    assert.equal(exitCode, 0, readFileSync(join(runDir, 'k6.log'), 'utf8'));
    assert.equal(readSummary(runDir).metrics.checks!.fails, 0);
  });

  it('invalid env configuration stops k6 before any request, listing every problem (run, profile, workload knobs) at once', async () => {
    const { exitCode, runDir } = await runWorkload({
      workload: 'mixed-workload',
      profile: 'smoke',
      baseUrl: server.url,
      outDir,
      quiet: true,
      env: { SIGNING: 'hsm', MIX: '{"transfer":1}', VUS_SCALE: '0' },
    });
    const log = readFileSync(join(runDir, 'k6.log'), 'utf8');
    assert.notEqual(exitCode, 0);
    assert.match(log, /SIGNING=\\?"hsm\\?" is not valid: expected one of wallet, local/);
    assert.match(log, /VUS_SCALE=\\?"0\\?" is not valid: expected a positive number/);
    assert.match(log, /MIX=.* is not valid: expected only the keys submit, readTransaction, readDockets, sign, health/);
    const output = join(runDir, 'k6.json.gz');
    const points = existsSync(output) ? gunzipSync(readFileSync(output)).toString('utf8') : '';
    assert.ok(!points.includes('"metric":"http_reqs"'), 'no request was sent');
  });

  it('a system under test that is down fails in setup with a clear message', async () => {
    const port = await closedPort();
    const { exitCode, runDir } = await runWorkload({ workload: 'mixed-workload', profile: 'smoke', baseUrl: `http://127.0.0.1:${port}`, outDir, quiet: true });
    const log = readFileSync(join(runDir, 'k6.log'), 'utf8');
    assert.notEqual(exitCode, 0);
    assert.match(log, new RegExp(`the system under test is not reachable at http://127.0.0.1:${port}/api/health`));
    assert.match(log, /npm run target/);
  });
});

describe('mixed-workload outlives its tokens', () => {
  let server: RunningReferenceServer;
  let outDir: string;
  before(async () => {
    // Two-second access tokens: a run of several seconds only passes if VUs refresh them.
    server = await startReferenceServer({ args: ['--token-ttl-s', '2'] });
    outDir = mkdtempSync(join(tmpdir(), 'ledger-k6-'));
  });
  after(async () => {
    await server?.stop();
    if (outDir) rmSync(outDir, { recursive: true, force: true });
  });

  it('refreshes tokens before expiry, so a run longer than a token life gets no 401', async () => {
    const { exitCode, runDir } = await runWorkload({
      workload: 'mixed-workload',
      profile: 'steady',
      baseUrl: server.url,
      outDir,
      quiet: true,
      env: { VUS_SCALE: '0.004', PROFILE_DURATION: '6s', THINK_TIME: '0.05' },
    });
    assert.equal(exitCode, 0, readFileSync(join(runDir, 'k6.log'), 'utf8'));
    const m = readSummary(runDir).metrics;
    assert.equal(m.checks!.fails, 0);
    const points = gunzipSync(readFileSync(join(runDir, 'k6.json.gz'))).toString('utf8');
    const refreshes = points.split('\n').filter((l) => l.includes('"metric":"http_reqs"') && l.includes('"name":"POST /service-auth/token"')).length;
    assert.ok(refreshes >= 2, `expected token refreshes during a 6 s run with 2 s tokens, saw ${refreshes}`);
    assert.ok(!points.includes('"status":"401"'), 'no request was rejected for an expired token');
  });
});
