// The resilience suite: real k6 against the reference server under injected faults, bad input
// of every kind, a secret scan of everything `npm start` and a suite produce, and durability by
// transaction id across kill -9. Prints ONE tally at the end (the figures README's reliability
// section quotes).
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadPlanFile } from '../../cli/config/plan.ts';
import { reportRun } from '../../cli/report/write-report.ts';
import { loadThresholdsFile } from '../../cli/slo/load.ts';
import { LOCAL_REFERENCE_SERVER_DEFAULTS, loadConfig } from '../../lib/shared/config.ts';
import { ConfigError, EnvKnobs } from '../../lib/shared/env-knobs.ts';
import { readKnobs } from '../../lib/shared/profiles/env.ts';
import { bootstrapRequest } from '../../lib/shared/register-setup.ts';
import { runWorkload } from '../../tools/runner/run-workload.ts';
import { run } from '../cli/helpers.ts';
import { writeSyntheticRun } from '../cli/synthetic-runs.ts';
import { eventually } from '../helpers/eventually.ts';
import { projectRoot } from '../helpers/paths.ts';
import { type RunningReferenceServer, startReferenceServer } from '../helpers/reference-server.ts';
import { api, bootstrapOrg, createRegister, createWallet, loginAsDefaultAdmin } from '../helpers/register-client.ts';
import { verifyChain } from '../reference-server/client.ts';
import { BAD_ENV, badK6Outputs, badPlanTexts, badThresholdTexts, ndjsonOf, type Outcome } from './bad-inputs.ts';
import { type Hit, scanFolder, scanText } from './scan.ts';

process.env.K6_WEB_DASHBOARD = 'false'; // short runs: no dashboard export to wait for
const work = mkdtempSync(join(tmpdir(), 'ledger-resilience-'));
const faultsSurvived: string[] = [];
const faultsTried: string[] = [];
const outcomes: Outcome[] = [];
const secretHits: Hit[] = [];
let scannedFiles = 0;
let setupRetries = 0;
const durability = { acknowledged: 0, recovered: 0, lost: 0 };

before(async () => {
  const bundles = await run(process.execPath, [join(projectRoot, 'esbuild.config.mjs'), '--if-stale', '--quiet']);
  assert.equal(bundles.code, 0, bundles.stderr);
  // The bad-input cases run the compiled CLI, what an installed package runs (and 3x faster to start than through tsx).
  const compiled = await run(process.execPath, [join(projectRoot, 'tools', 'build', 'compile-node.mjs'), '--quiet']);
  assert.equal(compiled.code, 0, compiled.stderr);
});

/** `ledger-perf` as installed: the compiled CLI in dist/node. */
function shippedCli(args: string[]) {
  return run(process.execPath, [join(projectRoot, 'dist', 'node', 'cli', 'main.js'), ...args], { NO_COLOR: '1' });
}

after(() => {
  rmSync(work, { recursive: true, force: true });
  const count = (kind: Outcome['kind']) => outcomes.filter((o) => o.kind === kind).length;
  const lines = [
    `resilience tally: faults survived ${faultsSurvived.length} of ${faultsTried.length} (${faultsTried.join(', ')}); setup retries ${setupRetries}`,
    `resilience tally: bad inputs tried ${outcomes.length} (env ${count('env')}, thresholds ${count('thresholds')}, plans ${count('plan')}, k6 outputs ${count('k6-output')}, output paths ${count('output-path')}, HTTP ${count('http')}): ` +
      `${outcomes.filter((o) => o.crashed).length} crashes, ${outcomes.filter((o) => o.serverError).length} 5xx, ${outcomes.reduce((n, o) => n + o.partialFiles, 0)} partial files, ${outcomes.filter((o) => !o.refused).length} silent acceptances`,
    `resilience tally: secrets found ${secretHits.length} (in ${scannedFiles} files plus stdout/stderr of npm start and a suite)`,
    `resilience tally: transactions lost ${durability.lost} of ${durability.acknowledged} acknowledged (recovered ${durability.recovered})`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
});

/** Requests k6 counted as failed (http_req_failed's true values). */
function failedRequests(runDir: string): number {
  const summary = JSON.parse(readFileSync(join(runDir, 'summary.json'), 'utf8')) as { metrics: Record<string, { passes?: number }> };
  return summary.metrics.http_req_failed?.passes ?? 0;
}

function summaryCount(runDir: string, metric: string): number {
  const summary = JSON.parse(readFileSync(join(runDir, 'summary.json'), 'utf8')) as { metrics: Record<string, { count?: number; passes?: number }> };
  return summary.metrics[metric]?.count ?? 0;
}

/** A short smoke run of mixed-workload against `server`; exit code 107 means setup (or init) failed. */
async function smoke(server: RunningReferenceServer, name: string, env: Record<string, string> = {}, k6Args: string[] = []) {
  const r = await runWorkload({
    workload: 'mixed-workload',
    profile: 'smoke',
    baseUrl: server.url,
    outDir: join(work, 'runs'),
    runName: name,
    quiet: true,
    k6Args,
    serverMetricsUrl: `${server.url}/metrics`,
    env: { ITERATIONS: '3', ...env },
  });
  const log = readFileSync(join(r.runDir, 'k6.log'), 'utf8');
  return { ...r, log, iterations: existsSync(join(r.runDir, 'summary.json')) ? summaryCount(r.runDir, 'iterations') : 0 };
}

describe("faults: the project's own workloads survive them", () => {
  it('10 % injected 503s and 5 % dropped connections: 5 of 5 runs get through setup (retried, counted)', { timeout: 300_000 }, async () => {
    const server = await startReferenceServer({ args: ['--fault-error-rate', '0.1', '--fault-drop-rate', '0.05'] });
    try {
      for (const fault of ['error rate', 'dropped connections']) faultsTried.push(fault);
      let survived = 0;
      let last: string | undefined;
      let retried: string | undefined;
      for (let i = 1; i <= 5; i++) {
        const r = await smoke(server, `faults-${i}`);
        last = r.runDir;
        assert.notEqual(r.exitCode, 107, `run ${i} died in setup:\n${r.log.slice(-2000)}`);
        assert.ok(r.iterations > 0, `run ${i} ran no iteration`);
        const retries = summaryCount(r.runDir, 'setup_retries');
        if (retries > 0) retried = r.runDir;
        setupRetries += retries;
        survived++;
      }
      assert.equal(survived, 5);
      // Counted and reported: dozens of set-up calls under 10 % + 5 % faults retry some; the report's metric table shows them.
      assert.ok(retried, 'some set-up call was retried');
      await reportRun(retried);
      assert.match(readFileSync(join(retried, 'report.md'), 'utf8'), /setup_retries/);
      faultsSurvived.push('error rate', 'dropped connections');
      // Failures classified: the report puts the server's own counts beside k6's.
      const { report } = await reportRun(last!);
      const counts = report.serverCounts;
      assert.ok(counts, 'report.serverCounts from server-metrics.txt');
      assert.ok(counts.server.injectedErrors + counts.server.droppedConnections > 0, JSON.stringify(counts));
      assert.ok(counts.client.connectionFailures <= counts.server.droppedConnections, `k6 cannot see more drops than the server made: ${JSON.stringify(counts)}`);
      assert.ok(
        counts.client.httpErrors <= (counts.server.answered['4xx'] ?? 0) + (counts.server.answered['5xx'] ?? 0),
        `k6 cannot see more HTTP errors than the server sent: ${JSON.stringify(counts)}`,
      );
      assert.match(readFileSync(join(last!, 'report.md'), 'utf8'), /## Server-side vs client-side/);
    } finally {
      await server.stop();
    }
  });

  it('every retry exhausted: setup fails with a clear error naming the bound, not a stack trace', { timeout: 120_000 }, async () => {
    const server = await startReferenceServer({ args: ['--fault-error-rate', '1'] });
    try {
      const r = await smoke(server, 'faults-all');
      assert.notEqual(r.exitCode, 0);
      assert.match(r.log, /still failing after \d+ attempts/);
    } finally {
      await server.stop();
    }
  });

  it('300 ms added latency: the run completes and passes its checks', { timeout: 120_000 }, async () => {
    faultsTried.push('latency');
    const server = await startReferenceServer({ args: ['--fault-latency-ms', '300'] });
    try {
      const r = await smoke(server, 'latency', { THRESHOLDS: 'smoke' });
      assert.ok(r.iterations >= 3, r.log.slice(-2000));
      assert.doesNotMatch(r.log, /level=error/);
      faultsSurvived.push('latency');
    } finally {
      await server.stop();
    }
  });

  it('token expiry: 2 s tokens over a longer run are refreshed, no request is refused 401', { timeout: 120_000 }, async () => {
    faultsTried.push('token expiry');
    const server = await startReferenceServer({ args: ['--token-ttl-s', '2'] });
    try {
      const r = await smoke(server, 'token-expiry', { ITERATIONS: '8', THINK_TIME: '0.8' });
      assert.ok(r.iterations >= 8, r.log.slice(-2000));
      assert.equal(failedRequests(r.runDir), 0, 'no failed request');
      assert.doesNotMatch(r.log, /401|level=error/);
      faultsSurvived.push('token expiry');
    } finally {
      await server.stop();
    }
  });

  it('freeze (SIGSTOP, then SIGCONT) mid-run: requests wait and the run completes', { timeout: 120_000 }, async () => {
    faultsTried.push('freeze');
    const server = await startReferenceServer();
    try {
      const running = smoke(server, 'freeze', { ITERATIONS: '10', THINK_TIME: '0.3' });
      const token = await eventually('the run created its organisation', async () => loginAsDefaultAdmin(server.url).catch(() => undefined), 60_000);
      assert.ok(token);
      server.process.kill('SIGSTOP');
      // The freeze itself is the fault (how long the server is unresponsive), not a synchronisation.
      await new Promise((resolve) => setTimeout(resolve, 2000));
      server.process.kill('SIGCONT');
      const r = await running;
      assert.ok(r.iterations >= 10, r.log.slice(-2000));
      // Latency thresholds may well fail (a 2 s stall is in the figures, as it should be); no request may.
      assert.equal(failedRequests(r.runDir), 0, r.log.slice(-2000));
      faultsSurvived.push('freeze');
    } finally {
      await server.stop();
    }
  });

  it('kill -9 and restart under a throughput run: every id k6 saw accepted is stored and every docket verifies', { timeout: 300_000 }, async () => {
    faultsTried.push('kill -9');
    const dataDir = mkdtempSync(join(tmpdir(), 'ledger-resilience-durability-'));
    try {
      // One JWT secret across the restart: the VUs' tokens stay valid, so k6 keeps submitting after it.
      const env = { TARGET_JWT_SECRET: 'resilience-durability-secret-0123456789abcdef' };
      let server = await startReferenceServer({ dataDir, env, args: ['--docket-time-ms', '60000'] });
      const port = server.port;
      const running = runWorkload({
        workload: 'throughput',
        profile: 'tps-baseline',
        baseUrl: server.url,
        outDir: join(work, 'runs'),
        runName: 'durability',
        quiet: true,
        env: { RATE_SCALE: '0.3', DURATION_SCALE: '0.05', RECORD_ACCEPTED: '1', K6_WEB_DASHBOARD: 'false' },
      });
      const token = await eventually('the run created its organisation', async () => loginAsDefaultAdmin(server.url).catch(() => undefined), 60_000);
      await eventually(
        'transactions accepted before the crash',
        async () => {
          const m = await fetch(`${server.url}/metrics`).then((r) => r.text());
          const committed = Number(/^\w*transactions_committed_total\S* (\d+)/m.exec(m)?.[1] ?? 0);
          return committed >= 100 ? true : undefined;
        },
        60_000,
      );
      await server.kill();
      server = await startReferenceServer({ dataDir, env, args: ['--docket-time-ms', '200', '--port', String(port)] });
      try {
        const r = await running;
        const log = readFileSync(join(r.runDir, 'k6.log'), 'utf8');
        const ids = [...log.matchAll(/accepted-tx ([0-9a-f]{32}) ([0-9a-f]+)/g)].map((m) => ({ register: m[1]!, id: m[2]! }));
        assert.ok(ids.length >= 100, `k6 recorded ${ids.length} accepted ids`);
        const fresh = await loginAsDefaultAdmin(server.url);
        assert.ok(token && fresh);
        let recovered = 0;
        for (const { register, id } of ids) {
          const got = await api(server.url, 'GET', `/api/registers/${register}/transactions/${id}`, { token: fresh });
          if (got.status === 200) recovered++;
        }
        durability.acknowledged = ids.length;
        durability.recovered = recovered;
        durability.lost = ids.length - recovered;
        process.stdout.write(`durability: acknowledged ${ids.length}, recovered ${recovered}, lost ${ids.length - recovered}\n`);
        assert.equal(recovered, ids.length);
        const registers = [...new Set(ids.map((x) => x.register))];
        for (const register of registers) {
          await eventually(
            `register ${register} sealed`,
            async () => {
              const pool = await api(server.url, 'GET', `/api/validator/transactions/mempool/${register}`, { token: fresh });
              return pool.body.totalTransactions === 0 ? true : undefined;
            },
            60_000,
          );
          const chain = await verifyChain(server.url, fresh, register);
          for (const { id } of ids.filter((x) => x.register === register)) assert.ok(chain.transactions.has(id), `${id} sealed in a verified docket`);
        }
        faultsSurvived.push('kill -9');
      } finally {
        await server.stop();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('bad input: refused with a reason, never a crash, a 5xx, a partial file or a silent acceptance', () => {
  it('env vars every workload reads', () => {
    for (const [name, value] of BAD_ENV) {
      const knobs = new EnvKnobs({ PROFILE: 'smoke', [name]: value });
      const o: Outcome = { kind: 'env', label: `${name}=${value}`, refused: false, crashed: false, serverError: false, partialFiles: 0 };
      try {
        loadConfig(knobs);
        readKnobs(knobs);
        knobs.throwIfAny();
      } catch (err) {
        if (err instanceof ConfigError) o.refused = err.problems.some((p) => p.includes(name));
        else o.crashed = true;
      }
      outcomes.push(o);
      assert.ok(o.refused && !o.crashed, `${name}=${JSON.stringify(value)}: ${o.crashed ? 'crashed' : 'accepted silently'}`);
    }
  });

  it('env vars through real k6: one clean line per problem, no stack trace, nothing sent', { timeout: 120_000 }, async () => {
    const server = await startReferenceServer();
    try {
      for (const [name, value] of [
        ['SIGNING', 'hsm'],
        ['PAYLOAD_BYTES', '3'],
        ['BASE_URL', 'http://127.0.0.1:5380@other-host'],
      ] as const) {
        const r = await runWorkload({
          workload: 'mixed-workload',
          profile: 'smoke',
          baseUrl: name === 'BASE_URL' ? value : server.url,
          outDir: join(work, 'runs'),
          quiet: true,
          env: { [name]: value, K6_WEB_DASHBOARD: 'false' },
        });
        const log = readFileSync(join(r.runDir, 'k6.log'), 'utf8');
        const o: Outcome = {
          kind: 'env',
          label: `k6 ${name}`,
          refused: (r.exitCode !== 0 && log.includes(`${name} `)) || log.includes(`${name}=`),
          crashed: /\bat (file|\w+ \(file):\/\//.test(log),
          serverError: false,
          partialFiles: 0,
        };
        outcomes.push(o);
        assert.ok(o.refused, log);
        assert.ok(!o.crashed, `stack trace in the log:\n${log}`);
        assert.doesNotMatch(log, /other-host/);
      }
      const m = await fetch(`${server.url}/metrics`).then((r) => r.text());
      assert.doesNotMatch(m, /route="\/api\/tenants\/bootstrap"/, 'nothing was sent to the server');
    } finally {
      await server.stop();
    }
  });

  it('thresholds files and plan files', () => {
    const dir = join(work, 'files');
    mkdirSync(dir, { recursive: true });
    for (const [kind, file, texts, load] of [
      ['thresholds', 'workload-throughput.json', badThresholdTexts(), loadThresholdsFile],
      ['plan', 'bad-plan.json', badPlanTexts(), loadPlanFile],
    ] as const) {
      for (const [label, text] of texts) {
        const path = join(dir, file);
        writeFileSync(path, text);
        const o: Outcome = { kind, label, refused: false, crashed: false, serverError: false, partialFiles: 0 };
        try {
          (load as (f: string) => unknown)(path);
        } catch (err) {
          if ((err as Error).name === 'ConfigFileError') o.refused = (err as Error).message.includes(file);
          else o.crashed = true;
        }
        outcomes.push(o);
        assert.ok(o.refused && !o.crashed, `${kind} "${label}": ${o.crashed ? 'crashed' : 'accepted silently'}`);
      }
    }
  });

  it('broken k6 outputs given to `ledger-perf report`, `compare` and `merge`: exit 2, a reason naming the file, nothing written', { timeout: 600_000 }, async () => {
    const sample = writeSyntheticRun(join(work, 'good-run'), { seed: 1, medianMs: 5 });
    const runJson = readFileSync(join(sample, 'run.json'), 'utf8');
    const k6 = readFileSync(join(sample, 'k6.json.gz'));
    const attempts: Array<() => Promise<void>> = [];
    const inputs = badK6Outputs({ runJson, k6, ndjson: ndjsonOf(k6) }).map(([label, files]) => {
      const dir = join(work, 'k6-outputs', label.replace(/\W+/g, '-'));
      mkdirSync(dir, { recursive: true });
      for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
      return { label, dir };
    });
    // Special files where a k6 output or a run summary should be: a FIFO would block a reader, a device never ends.
    for (const [label, name] of [
      ['k6.json a FIFO', 'k6.json'],
      ['run-summary.json a FIFO', 'run-summary.json'],
    ] as const) {
      const dir = join(work, 'k6-outputs', label.replace(/\W+/g, '-'));
      mkdirSync(dir, { recursive: true });
      assert.equal((await run('mkfifo', [join(dir, name)])).code, 0);
      inputs.push({ label, dir });
    }
    inputs.push({ label: '/dev/zero as the k6 output', dir: '/dev/zero' }, { label: '/dev/urandom as the k6 output', dir: '/dev/urandom' });
    for (const { label, dir } of inputs) {
      const before = dir.startsWith('/dev/') ? [] : readdirSync(dir);
      const outs = join(work, 'k6-outputs-written', label.replace(/\W+/g, '-'));
      for (const [command, args] of [
        ['report', ['report', dir]],
        ['compare', ['compare', '-b', sample, '-c', dir, '--md', join(outs, 'compare.md'), '--json', join(outs, 'compare.json')]],
        ['merge', ['merge', sample, dir, '--out', join(outs, 'merged')]],
      ] as const) {
        attempts.push(async () => {
          const r = await shippedCli([...args]);
          const left = [
            // run-summary.json is the ingest cache, whole and keyed to the k6 output: it can exist when a later file (run.json) is refused.
            ...(dir.startsWith('/dev/') ? [] : readdirSync(dir).filter((n) => !before.includes(n) && n !== 'run-summary.json')),
            ...(existsSync(outs) ? filesBelow(outs) : []),
          ];
          outcomes.push(cliOutcome('k6-output', `${command}: ${label}`, r, left, dir.startsWith('/dev/') ? dir : basename(dir)));
        });
      }
    }
    // Thresholds files that are not files.
    const fifo = join(work, 'thresholds-fifo.json');
    assert.equal((await run('mkfifo', [fifo])).code, 0);
    for (const [label, file] of [
      ['thresholds a FIFO', fifo],
      ['thresholds /dev/zero', '/dev/zero'],
      ['thresholds a folder', work],
      ['thresholds missing', join(work, 'no-such-thresholds.json')],
    ] as const) {
      attempts.push(async () => {
        const outs = join(work, 'thresholds-written', label.replace(/\W+/g, '-'));
        const r = await shippedCli(['report', sample, '--thresholds', file, '--out', outs]);
        outcomes.push(cliOutcome('thresholds', `report --thresholds: ${label}`, r, existsSync(outs) ? filesBelow(outs) : [], file));
      });
    }
    await inPool(2, attempts);
    const failed = outcomes.filter((o) => (o.kind === 'k6-output' || o.label.startsWith('report --thresholds')) && (!o.refused || o.crashed || o.partialFiles > 0));
    assert.deepEqual(
      failed.map((o) => `${o.label}: ${o.detail}`),
      [],
    );
  });

  it('output paths that cannot be written (--out, --md, --json, --junit): exit 2, the path, a reason and a fix; devices untouched', { timeout: 300_000 }, async () => {
    const sample = writeSyntheticRun(join(work, 'out-sample'), { seed: 2, medianMs: 5 });
    const other = writeSyntheticRun(join(work, 'out-other'), { seed: 3, medianMs: 5 });
    const aFile = join(work, 'a-file.txt');
    writeFileSync(aFile, 'not a folder');
    const aFolder = join(work, 'a-folder');
    mkdirSync(aFolder, { recursive: true });
    const devNull = statSync('/dev/null');
    const before = readdirSync(sample);
    const attempts: Array<() => Promise<void>> = [];
    for (const out of [aFile, join(aFile, 'below'), '/dev/null', '/dev/null/x', '/sys/ledger-perf', '/proc/self/ledger-perf']) {
      for (const command of ['report', 'merge'] as const) {
        attempts.push(async () => {
          const r = await shippedCli(command === 'report' ? ['report', sample, '--out', out] : ['merge', sample, '--out', out]);
          outcomes.push(
            cliOutcome(
              'output-path',
              `${command} --out ${out}`,
              r,
              readdirSync(sample).filter((n) => !before.includes(n) && n !== 'run-summary.json'),
              out,
            ),
          );
        });
      }
    }
    for (const option of ['--md', '--json', '--junit']) {
      for (const out of ['/dev/null', aFolder, join(aFile, 'below'), '/proc/self/ledger-perf', '/sys/ledger-perf', '/dev/null/x']) {
        attempts.push(async () => {
          const r = await shippedCli(['compare', '-b', sample, '-c', other, option, out]);
          outcomes.push(cliOutcome('output-path', `compare ${option} ${out}`, r, readdirSync(aFolder), out));
        });
      }
    }
    await inPool(2, attempts);
    const after = statSync('/dev/null');
    assert.ok(after.isCharacterDevice() && after.rdev === devNull.rdev, '/dev/null is still the null device');
    const failed = outcomes.filter((o) => o.kind === 'output-path' && (!o.refused || o.crashed || o.partialFiles > 0));
    assert.deepEqual(
      failed.map((o) => `${o.label}: ${o.detail}`),
      [],
    );
  });

  it('HTTP requests to the reference server: 4xx with a reason, never a 5xx, never accepted', { timeout: 120_000 }, async () => {
    const server = await startReferenceServer();
    try {
      const org = await bootstrapOrg(server.url);
      const wallet = await createWallet(server.url, org.adminToken);
      const registerId = await createRegister(server.url, org.adminToken, org.orgId, wallet.address);
      const forged = `${org.adminToken.slice(0, -4)}AAAA`;
      const posts = [
        '/api/validator/transactions/validate',
        '/api/tenants/bootstrap',
        '/api/v1/wallets',
        `/api/v1/wallets/${wallet.address}/sign`,
        '/api/registers/initiate',
        '/api/registers/finalize',
        '/api/service-auth/token',
      ];
      const bodies: Array<[string, string, string]> = [
        ['empty', 'application/json', ''],
        ['not JSON', 'application/json', '{nope'],
        ['array', 'application/json', '[]'],
        ['string', 'application/json', '"x"'],
        ['null', 'application/json', 'null'],
        ['duplicate key', 'application/json', '{"a":1,"a":2}'],
        ['__proto__', 'application/json', '{"__proto__":{"x":1}}'],
        ['constructor', 'application/json', '{"constructor":{"prototype":{}}}'],
        ['text/plain', 'text/plain', 'hello'],
        ['wrong types', 'application/json', '{"transactionId":5,"registerId":[],"name":{},"grant_type":7}'],
        ['deep nesting', 'application/json', '['.repeat(5000) + ']'.repeat(5000)],
      ];
      const cases: Array<{ label: string; method: string; path: string; type?: string; body?: string; token?: string; headers?: Record<string, string> }> = [];
      for (const path of posts) {
        for (const [label, type, body] of bodies)
          cases.push({ label: `${path} ${label}`, method: 'POST', path, type, body, token: path.includes('token') || path.includes('bootstrap') ? undefined : org.adminToken });
        cases.push({ label: `${path} no token`, method: 'POST', path, type: 'application/json', body: '{}' });
        cases.push({ label: `${path} forged token`, method: 'POST', path, type: 'application/json', body: '{}', token: forged });
      }
      for (const path of [
        `/api/registers/${registerId}/transactions/zz`,
        `/api/registers/not-hex/dockets`,
        `/api/registers/${registerId}/dockets/-1`,
        `/api/registers/${registerId}/dockets/1e9`,
        `/api/registers/${'0'.repeat(32)}`,
        `/api/validator/transactions/mempool/x`,
        `/api/registers/${registerId}/dockets/abc/transactions`,
      ]) {
        cases.push({ label: `GET ${path}`, method: 'GET', path, token: org.adminToken });
        cases.push({ label: `GET ${path} garbage auth`, method: 'GET', path, headers: { authorization: 'Basic Zm9vOmJhcg==' } });
      }
      cases.push({ label: 'Content-Length over the limit', method: 'POST', path: posts[0]!, type: 'application/json', headers: { 'content-length': String(11 * 1024 * 1024) }, token: org.adminToken });
      for (const c of cases) {
        const status = await rawRequest(server.url, c);
        const o: Outcome = {
          kind: 'http',
          label: c.label,
          refused: status >= 400 && status < 500,
          crashed: false,
          serverError: status >= 500 || status === 0,
          partialFiles: 0,
          detail: String(status),
        };
        outcomes.push(o);
        assert.ok(o.refused, `${c.label}: HTTP ${status}`);
      }
      assert.equal((await fetch(`${server.url}/health`)).status, 200, 'the server is still up');
    } finally {
      await server.stop();
    }
  });
});

function rawRequest(base: string, c: { method: string; path: string; type?: string; body?: string; token?: string; headers?: Record<string, string> }): Promise<number> {
  const url = new URL(base);
  return new Promise((resolve) => {
    const headers: Record<string, string> = { ...c.headers };
    if (c.type) headers['content-type'] = c.type;
    if (c.token) headers.authorization = `Bearer ${c.token}`;
    if (c.body !== undefined && headers['content-length'] === undefined) headers['content-length'] = String(Buffer.byteLength(c.body));
    const req = request({ host: url.hostname, port: url.port, method: c.method, path: c.path, headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', () => resolve(0));
    if (c.body !== undefined && c.headers?.['content-length'] === undefined) req.write(c.body);
    req.end();
  });
}

/** Every file under `dir` (relative paths); an empty folder left behind is no partial file. */
function filesBelow(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => !d.isDirectory())
    .map((d) => join(d.parentPath, d.name));
}

/**
 * The judge of one CLI attempt on bad input: refused means exit 2 with a `ledger-perf:` message
 * that names the input (`names`) and says how to fix it; a crash is a signal, another exit code
 * on the way to a stack trace, "unexpected error"/"this is a bug" or a native abort.
 */
function cliOutcome(kind: Outcome['kind'], label: string, r: { code: number | null; stderr: string }, left: string[], names: string): Outcome {
  const crashed = r.code === null || /this is a bug|unexpected error|\n\s+at .+:\d+:\d+|bad_alloc|Aborted|FATAL ERROR/.test(r.stderr);
  const refused = r.code === 2 && /^ledger-perf: /m.test(r.stderr) && r.stderr.includes(names) && /fix: |expected |not a ledger-perf run summary/.test(r.stderr);
  return { kind, label, refused, crashed, serverError: false, partialFiles: left.length, detail: `exit ${r.code}, left [${left.join(', ')}]: ${r.stderr.trim().split('\n').slice(-3).join(' | ')}` };
}

/** Runs the attempts `limit` at a time (each is a short child process). */
async function inPool(limit: number, attempts: ReadonlyArray<() => Promise<void>>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < attempts.length) await attempts[next++]!();
    }),
  );
}

describe('credentials: explicit ones always win; the default only for the server that identifies itself', () => {
  it('a k6 secret-source password wins over the local default on loopback', { timeout: 120_000 }, async () => {
    const server = await startReferenceServer();
    try {
      const password = 'Src!Secret-Pw-42x';
      // The organisation exists with the secret-source password: the default would get 409, then 401 on login.
      const id = {
        orgName: LOCAL_REFERENCE_SERVER_DEFAULTS.orgName,
        orgSubdomain: LOCAL_REFERENCE_SERVER_DEFAULTS.orgSubdomain,
        adminEmail: LOCAL_REFERENCE_SERVER_DEFAULTS.adminEmail,
        adminName: LOCAL_REFERENCE_SERVER_DEFAULTS.adminName,
      };
      const boot = await api(server.url, 'POST', '/api/tenants/bootstrap', { body: bootstrapRequest(id, password) });
      assert.equal(boot.status, 201);
      const file = join(work, 'secrets.txt');
      writeFileSync(file, `admin_password=${password}\n`, { mode: 0o600 });
      const r = await smoke(server, 'secret-source', {}, ['--secret-source', `file=${file}`]);
      assert.ok(r.iterations >= 3 && failedRequests(r.runDir) === 0, r.log.slice(-2000));
      assert.doesNotMatch(r.log, new RegExp(password.replace(/[!]/g, '\\!')));
    } finally {
      await server.stop();
    }
  });

  it('a loopback server that does not identify itself gets no default password: setup stops before bootstrap', { timeout: 120_000 }, async () => {
    const seen: string[] = [];
    const impostor = createServer((req, res) => {
      seen.push(`${req.method} ${req.url}`);
      res.setHeader('content-type', 'application/json');
      res.end('{"status":"Healthy"}');
    });
    await new Promise<void>((resolve) => impostor.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(impostor.address() as AddressInfo).port}`;
      const r = await runWorkload({ workload: 'mixed-workload', profile: 'smoke', baseUrl: url, outDir: join(work, 'runs'), runName: 'impostor', quiet: true, env: { ITERATIONS: '1' } });
      const log = readFileSync(join(r.runDir, 'k6.log'), 'utf8');
      assert.notEqual(r.exitCode, 0);
      assert.match(log, /no admin password: set ADMIN_PASSWORD/);
      assert.deepEqual(
        seen.filter((x) => !x.endsWith('/health')),
        [],
        'nothing but the health probe was sent',
      );
    } finally {
      await new Promise((resolve) => impostor.close(resolve));
    }
  });
});

describe('secrets: nothing leaks into what npm start and a suite produce', () => {
  const password = 'Zq7!Resilience-Pw-91c';
  const jwtSecret = 'resilience-jwt-secret-5f0c2e9a7b-do-not-leak';
  const secrets = [password, jwtSecret];
  const env = { ADMIN_PASSWORD: password, TARGET_JWT_SECRET: jwtSecret, K6_WEB_DASHBOARD: 'true', BASE_URL: '', START_BASELINE: '' }; // dashboard on: its export is scanned too

  it('the scanner finds what it looks for (a planted token and secret)', () => {
    const planted = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJlLXZhbHVl';
    assert.equal(scanText('control', `x ${planted} y ${password}`, secrets).length, 2);
  });

  it('npm start (shortened) with distinctive credentials: 0 hits in files, stdout and stderr', { timeout: 300_000 }, async () => {
    const reports = join(work, 'start-reports');
    const r = await run(process.execPath, ['--import', 'tsx', join(projectRoot, 'tools', 'runner', 'start.ts')], {
      ...env,
      PROFILE_DURATION: '4s',
      START_REPORTS_DIR: reports,
      START_LOCAL_BASELINES: join(work, 'start-baselines'),
    });
    assert.ok(r.code === 0 || r.code === 99, r.stdout + r.stderr);
    const scan = scanFolder(reports, secrets);
    const baselines = existsSync(join(work, 'start-baselines')) ? scanFolder(join(work, 'start-baselines'), secrets) : { hits: [], files: 0 };
    scannedFiles += scan.files + baselines.files;
    secretHits.push(...scan.hits, ...baselines.hits, ...scanText('npm start stdout', r.stdout, secrets), ...scanText('npm start stderr', r.stderr, secrets));
    assert.ok(scan.files >= 5, `the run folder has its files (${scan.files})`);
    assert.deepEqual(secretHits, []);
  });

  it('a suite with distinctive credentials: 0 hits in the suite folder, stdout and stderr', { timeout: 300_000 }, async () => {
    const plan = join(work, 'secret-scan.json');
    writeFileSync(
      plan,
      JSON.stringify({
        name: 'secret-scan',
        runs: [
          { workload: 'mixed-workload', profile: 'smoke', env: { ITERATIONS: '2' } },
          { workload: 'error-handling', profile: 'smoke', env: { ITERATIONS: '1' } },
        ],
      }),
    );
    const out = join(work, 'suite-reports');
    const r = await run(process.execPath, ['--import', 'tsx', join(projectRoot, 'tools', 'runner', 'suite.ts'), plan, '--out-dir', out], env);
    assert.ok(r.code !== null && r.code !== 2, r.stdout + r.stderr);
    const scan = scanFolder(out, secrets);
    scannedFiles += scan.files;
    const hits = [...scan.hits, ...scanText('suite stdout', r.stdout, secrets), ...scanText('suite stderr', r.stderr, secrets)];
    secretHits.push(...hits);
    assert.ok(scan.files >= 5, `the suite folder has its files (${scan.files})`);
    assert.deepEqual(hits, []);
    // Failures classified in a suite too: each run's report puts the local server's own counts beside k6's.
    const reports = filesBelow(out).filter((f) => basename(f) === 'report.json');
    assert.equal(reports.length, 2, reports.join(', '));
    for (const f of reports) {
      assert.ok(existsSync(join(f, '..', 'server-metrics.txt')), `${f}: server-metrics.txt beside it`);
      assert.ok((JSON.parse(readFileSync(f, 'utf8')) as { serverCounts?: unknown }).serverCounts, `${f}: serverCounts`);
    }
  });
});
