import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_BASE_URL, isLoopbackUrl, LOCAL_REFERENCE_SERVER_DEFAULTS, loadConfig, loadMix } from '../../lib/shared/config.ts';
import { ConfigError } from '../../lib/shared/env-knobs.ts';
import { pickWeighted } from '../../lib/shared/weighted.ts';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    assert.ok(err instanceof ConfigError);
    return [...err.problems];
  }
  assert.fail('expected a ConfigError');
}

describe('loadConfig', () => {
  it('defaults to the local reference server; its password is not defaulted by address (the server must identify itself in setup)', () => {
    const c = loadConfig({});
    assert.equal(c.urls.tenant, DEFAULT_BASE_URL);
    assert.equal(c.loopback, true);
    assert.equal(c.credentials.adminEmail, LOCAL_REFERENCE_SERVER_DEFAULTS.adminEmail);
    assert.equal(c.credentials.adminPassword, undefined);
    assert.equal(loadConfig({ ADMIN_PASSWORD: 'Explicit!Pass9' }).credentials.adminPassword, 'Explicit!Pass9');
    assert.deepEqual(c.corridorWeights, [40, 25, 20, 15]);
    assert.equal(c.signing, 'wallet');
  });

  it('parses URLs strictly: user information is refused without echoing it, loopback is judged on the real host', () => {
    const problems = problemsOf({ BASE_URL: 'http://127.0.0.1:5380@other-host' });
    assert.ok(
      problems.some((p) => /BASE_URL is not valid \(value not shown\): it has user information/.test(p)),
      problems.join('\n'),
    );
    assert.ok(!problems.join('\n').includes('other-host'));
    assert.ok(problemsOf({ BASE_URL: 'http://user:Secret!1@127.0.0.1' }).every((p) => !p.includes('Secret!1')));
    for (const bad of ['http://127.0.0.1:99999', 'http://exa mple.com', 'http://127.0.0.1?x=1', 'http://a\\b', 'http://']) {
      assert.ok(
        problemsOf({ BASE_URL: bad }).some((p) => p.startsWith('BASE_URL')),
        bad,
      );
    }
    assert.equal(isLoopbackUrl('http://127.0.0.1:5380@other-host'), false);
    assert.equal(isLoopbackUrl('http://127.0.0.1.evil.example'), false);
    assert.equal(isLoopbackUrl('HTTP://LOCALHOST:80/api'), true);
    assert.equal(isLoopbackUrl('http://[::1]:5380'), true);
    assert.equal(loadConfig({ BASE_URL: 'HTTP://127.0.0.1:5380/base/' }).urls.register, 'http://127.0.0.1:5380/base');
  });

  it('gives a non-loopback target no default credentials, and says which variables are missing', () => {
    const problems = problemsOf({ BASE_URL: 'https://ledger.example.com' });
    for (const name of ['ORG_NAME', 'ORG_SUBDOMAIN', 'ADMIN_EMAIL', 'ADMIN_NAME']) {
      assert.ok(
        problems.some((p) => p.startsWith(`${name} is required`)),
        `${name} should be reported`,
      );
    }
    // The password may come from a k6 secret source, so it is not required here.
    const c = loadConfig({ BASE_URL: 'https://ledger.example.com', ORG_NAME: 'Acme', ORG_SUBDOMAIN: 'acme', ADMIN_EMAIL: 'a@acme.io', ADMIN_NAME: 'A' });
    assert.equal(c.credentials.adminPassword, undefined);
  });

  it('maps the direct layout to Sorcha service ports and keeps wallets on the gateway', () => {
    const c = loadConfig({ API_LAYOUT: 'direct', BASE_URL: 'http://127.0.0.1' });
    assert.deepEqual(c.urls, { tenant: 'http://127.0.0.1:5450', wallet: 'http://127.0.0.1', register: 'http://127.0.0.1:5380', validator: 'http://127.0.0.1:5800' });
    const o = loadConfig({ API_LAYOUT: 'direct', VALIDATOR_URL: 'http://127.0.0.2:9000/' });
    assert.equal(o.urls.validator, 'http://127.0.0.2:9000');
  });

  it('reports every bad value at once, naming the variable and the valid form, without echoing passwords', () => {
    const problems = problemsOf({
      BASE_URL: 'ftp://x',
      API_LAYOUT: 'mesh',
      SIGNING: 'hsm',
      PAYLOAD_BYTES: '12',
      CORRIDOR_WEIGHTS: '40,-1',
      REGISTER_ID: 'nothex',
      ADMIN_PASSWORD: 'weakpassword',
      THINK_TIME: 'soon',
    });
    const joined = problems.join('\n');
    for (const fragment of [
      'BASE_URL="ftp://x" is not valid: expected an http(s) URL',
      'API_LAYOUT="mesh" is not valid: expected one of gateway, direct',
      'SIGNING="hsm" is not valid: expected one of wallet, local',
      'PAYLOAD_BYTES="12" is not valid: expected a whole number from 64 to 10485760',
      'CORRIDOR_WEIGHTS="40,-1" is not valid',
      'REGISTER_ID="nothex" is not valid',
      'ADMIN_PASSWORD is not valid (value not shown)',
      'THINK_TIME="soon" is not valid',
    ]) {
      assert.ok(joined.includes(fragment), `missing: ${fragment}\n${joined}`);
    }
    assert.ok(!joined.includes('weakpassword'), 'the password must not appear in errors');
  });

  it('uses one corridor per reused register and insists weights match them', () => {
    const id1 = 'a'.repeat(32);
    const id2 = 'b'.repeat(32);
    assert.deepEqual(loadConfig({ REGISTER_ID: `${id1},${id2}` }).corridorWeights, [1, 1]);
    assert.ok(problemsOf({ REGISTER_ID: `${id1},${id2}`, CORRIDOR_WEIGHTS: '1,2,3' }).some((p) => p.startsWith('CORRIDOR_WEIGHTS')));
  });

  it('recognises loopback addresses only', () => {
    for (const u of ['http://127.0.0.1:1', 'http://localhost', 'http://[::1]:80', 'http://127.1.2.3']) assert.equal(isLoopbackUrl(u), true, u);
    for (const u of ['http://10.0.0.1', 'http://example.com', 'http://127.0.0.1.example.com']) assert.equal(isLoopbackUrl(u), false, u);
  });
});

describe('loadMix', () => {
  const defaults = { submit: 40, read: 60 };
  it('treats an override as the whole mix (left-out operations get weight 0)', () => {
    assert.deepEqual(loadMix({ MIX: '{"submit":1}' }, defaults), { submit: 1, read: 0 });
  });
  it('rejects unknown operations, negative weights and invalid JSON with the valid keys listed', () => {
    assert.throws(() => loadMix({ MIX: '{"delete":1}' }, defaults), /MIX=.* is not valid: expected only the keys submit, read \(unknown key "delete"\)/);
    assert.throws(() => loadMix({ MIX: '{"submit":-1}' }, defaults), /"submit" is -1/);
    assert.throws(() => loadMix({ MIX: '{submit' }, defaults), /MIX="\{submit" is not valid: .*not valid JSON/);
    assert.throws(() => loadMix({ MIX: '{"submit":0,"read":0}' }, defaults), /at least one weight/);
  });
});

describe('pickWeighted', () => {
  it('follows the weights (40/25/20/15) over many draws from a seeded generator', () => {
    let seed = 12345;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const entries = [40, 25, 20, 15].map((weight, i) => ({ item: i, weight }));
    const counts = [0, 0, 0, 0];
    const n = 100_000;
    for (let i = 0; i < n; i++) counts[pickWeighted(entries, random())]!++;
    counts.forEach((c, i) => assert.ok(Math.abs(c / n - entries[i]!.weight / 100) < 0.01, `bucket ${i}: ${c / n}`));
  });
  it('never picks a zero-weight item, even at the edges of [0, 1)', () => {
    const entries = [
      { item: 'a', weight: 0 },
      { item: 'b', weight: 1 },
      { item: 'c', weight: 0 },
    ];
    for (const r of [0, 0.5, 0.999999999]) assert.equal(pickWeighted(entries, r), 'b');
  });
});
