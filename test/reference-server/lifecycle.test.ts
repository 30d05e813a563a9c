// Start-up settings errors, fault knobs and the /metrics exposition.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { projectRoot } from '../helpers/paths.ts';
import { startReferenceServer } from '../helpers/reference-server.ts';
import { api, bootstrapOrg, createRegister, createWallet } from '../helpers/register-client.ts';
import { newSigner, signedTransaction } from './client.ts';

function runMain(args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, ['--import', 'tsx', join(projectRoot, 'reference-server', 'main.ts'), ...args], {
    cwd: projectRoot,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 30_000,
  });
}

test('bad flags and env values exit 2 naming the setting and the valid form, without a stack trace', () => {
  const cases: [string[], Record<string, string>, RegExp][] = [
    [['--port', 'abc'], {}, /--port="abc" is not valid: expected an integer 0\.\.65535/],
    [['--fault-error-rate', '1.5'], {}, /--fault-error-rate="1\.5" is not valid: expected a number 0\.\.1/],
    [[], { TARGET_DOCKET_SIZE: '0' }, /TARGET_DOCKET_SIZE="0" is not valid: expected an integer 1\.\.100/],
    [['--log-level', 'loud'], {}, /--log-level="loud" is not valid: expected error, warn, info or debug/],
    [['--bogus'], {}, /unknown option "--bogus"/],
    [['--port'], {}, /--port needs a value: an integer 0\.\.65535/],
  ];
  for (const [args, env, message] of cases) {
    const r = runMain(args, env);
    assert.equal(r.status, 2, `${args.join(' ')} ${JSON.stringify(env)}`);
    assert.match(r.stderr, message);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
    assert.equal(r.stdout, '');
  }
  const help = runMain(['--help']);
  assert.equal(help.status, 0);
  assert.match(help.stdout, /--fault-drop-rate/);
});

test('fault knobs: added latency and injected 503s on /api, health untouched', async () => {
  const server = await startReferenceServer({ args: ['--fault-latency-ms', '50', '--fault-error-rate', '0.5'] });
  try {
    let injected = 0;
    for (let i = 0; i < 60; i++) {
      const started = performance.now();
      const r = await api(server.url, 'GET', '/api/registers');
      assert.ok(performance.now() - started >= 48, 'latency was added');
      if (r.status === 503) {
        injected++;
        assert.match(r.body.detail, /injected/);
        assert.match(r.headers.get('content-type') ?? '', /problem\+json/);
      } else assert.equal(r.status, 401); // not injected: the real answer (no token)
    }
    // Binomial(60, 0.5): outside 12..48 has probability below 1e-5.
    assert.ok(injected >= 12 && injected <= 48, `injected ${injected} of 60`);
    assert.equal((await api(server.url, 'GET', '/alive')).status, 200);
    const metrics = await api(server.url, 'GET', '/metrics');
    assert.match(metrics.text, new RegExp(`^target_faults_injected_total\\{kind="error"\\} ${injected}$`, 'm'));
  } finally {
    assert.equal(await server.stop(), 0);
  }
});

test('fault knobs: dropped connections get no answer at all', async () => {
  const server = await startReferenceServer({ args: ['--fault-drop-rate', '1'] });
  try {
    await assert.rejects(api(server.url, 'GET', '/api/registers'));
    assert.equal((await api(server.url, 'GET', '/health')).status, 200);
  } finally {
    assert.equal(await server.stop(), 0);
  }
});

test('/metrics is valid Prometheus text and counts requests by route pattern and status', async () => {
  const server = await startReferenceServer({ args: ['--docket-size', '5'] });
  try {
    const org = await bootstrapOrg(server.url);
    const wallet = await createWallet(server.url, org.adminToken);
    const registerId = await createRegister(server.url, org.adminToken, org.orgId, wallet.address);
    const signer = newSigner();
    for (let i = 0; i < 5; i++) {
      assert.equal((await api(server.url, 'POST', '/api/validator/transactions/validate', { token: org.adminToken, body: signedTransaction(signer, registerId) })).status, 200);
    }
    await api(server.url, 'POST', '/api/validator/transactions/validate', { token: org.adminToken, body: { ...signedTransaction(signer, registerId), payloadHash: 'a'.repeat(64) } });
    for (let i = 0; i < 3; i++) await api(server.url, 'GET', `/api/registers/${registerId}`, { token: org.adminToken });

    const r = await api(server.url, 'GET', '/metrics');
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
    const samples = new Map<string, number>();
    for (const line of r.text.split('\n')) {
      if (line === '' || line.startsWith('# HELP ') || line.startsWith('# TYPE ')) continue;
      const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*",?)*\})? (-?[0-9.e+-]+|NaN|\+Inf)$/.exec(line);
      assert.ok(m, `not an exposition line: ${line}`);
      samples.set(m[1]! + (m[2] ?? ''), Number(m[3]));
    }
    assert.equal(samples.get('target_http_requests_total{method="GET",route="/api/registers/:id",status="200"}'), 3);
    assert.equal(samples.get('target_http_requests_total{method="POST",route="/api/validator/transactions/validate",status="200"}'), 5);
    assert.equal(samples.get('target_http_request_duration_seconds_count{method="POST",route="/api/validator/transactions/validate",status="400"}'), 1);
    assert.equal(samples.get('target_transactions_rejected_total{code="TX_012"}'), 1);
    assert.equal(samples.get('target_transactions_committed_total'), 5);
    assert.equal(samples.get('target_dockets_sealed_total'), 2); // genesis + one docket of 5
    assert.equal(samples.get('target_mempool_transactions'), 0);
    assert.ok((samples.get('process_resident_memory_bytes') ?? 0) > 0);
    assert.ok(!r.text.includes(registerId), 'labels carry route patterns, not URLs');
  } finally {
    assert.equal(await server.stop(), 0);
  }
});
