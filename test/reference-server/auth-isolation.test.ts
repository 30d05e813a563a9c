// Authentication (bootstrap idempotency, the three grants, expired/forged/missing tokens) and
// isolation between organisations.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, before, test } from 'node:test';
import { type RunningReferenceServer, startReferenceServer } from '../helpers/reference-server.ts';
import { api, bootstrapOrg, createRegister, createWallet } from '../helpers/register-client.ts';
import { newSigner, signedTransaction } from './client.ts';

const SECRET = 'test-secret-0123456789-0123456789-abcdef';
let server: RunningReferenceServer;
before(async () => {
  server = await startReferenceServer({ env: { TARGET_JWT_SECRET: SECRET } });
});
after(async () => {
  assert.equal(await server.stop(), 0);
});

function forge(claims: Record<string, unknown>, secret = SECRET): string {
  const enc = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const body = `${enc({ alg: 'HS256', typ: 'JWT' })}.${enc(claims)}`;
  return `${body}.${createHmac('sha256', secret).update(body).digest('base64url')}`;
}

test('repeated bootstrap is 409 problem+json, and logging in still works', async () => {
  const org = await bootstrapOrg(server.url);
  const again = await api(server.url, 'POST', '/api/tenants/bootstrap', {
    body: { organizationName: 'Again', organizationSubdomain: org.subdomain, adminEmail: 'other@example.com', adminName: 'A', adminPassword: 'Passw0rd!x' },
  });
  assert.equal(again.status, 409);
  assert.match(again.headers.get('content-type') ?? '', /application\/problem\+json/);
  assert.equal(again.body.title, 'Already Bootstrapped');
  const sameEmail = await api(server.url, 'POST', '/api/tenants/bootstrap', {
    body: { organizationName: 'Other', organizationSubdomain: `${org.subdomain}-b`, adminEmail: org.email, adminName: 'A', adminPassword: 'Passw0rd!x' },
  });
  assert.equal(sameEmail.status, 409);
  assert.equal(sameEmail.body.title, 'Bootstrap Conflict');
  const login = await api(server.url, 'POST', '/api/service-auth/token', { form: { grant_type: 'password', username: org.email, password: org.password } });
  assert.equal(login.status, 200);
});

test('bootstrap validation answers 400 with an errors map keyed by field', async () => {
  const r = await api(server.url, 'POST', '/api/tenants/bootstrap', {
    body: { organizationName: 'ab', organizationSubdomain: 'Bad_Sub', adminEmail: 'not-an-email', adminName: 'A', adminPassword: 'password' },
  });
  assert.equal(r.status, 400);
  assert.match(r.headers.get('content-type') ?? '', /application\/problem\+json/);
  assert.deepEqual(Object.keys(r.body.errors).sort(), ['adminEmail', 'adminPassword', 'organizationName', 'organizationSubdomain']);
  assert.match(r.body.errors.adminPassword[0], /uppercase/);
});

test('grants: password (form and JSON), client_credentials, refresh_token; bad credentials 401; missing fields 400', async () => {
  const org = await bootstrapOrg(server.url);
  const json = await api(server.url, 'POST', '/api/service-auth/token', { body: { grantType: 'password', username: org.email, password: org.password } });
  assert.equal(json.status, 200);
  const refreshed = await api(server.url, 'POST', '/api/service-auth/token', { form: { grant_type: 'refresh_token', refresh_token: json.body.refresh_token } });
  assert.equal(refreshed.status, 200);
  const me = await api(server.url, 'GET', '/api/registers', { token: refreshed.body.access_token });
  assert.equal(me.status, 200);
  const sp = await api(server.url, 'POST', '/api/service-auth/token', { form: { grant_type: 'client_credentials', client_id: org.clientId, client_secret: org.clientSecret } });
  assert.equal(sp.status, 200);

  const cases: [Record<string, string>, number][] = [
    [{ grant_type: 'password', username: org.email, password: 'Wrong0!pass' }, 401],
    [{ grant_type: 'password', username: 'nobody@example.com', password: org.password }, 401],
    [{ grant_type: 'client_credentials', client_id: org.clientId, client_secret: 'nope' }, 401],
    [{ grant_type: 'refresh_token', refresh_token: json.body.access_token }, 401], // an access token is not a refresh token
    [{ grant_type: 'refresh_token', refresh_token: 'garbage' }, 401],
    [{ grant_type: 'password', username: org.email }, 400],
    [{ grant_type: 'client_credentials' }, 400],
    [{ username: org.email, password: org.password }, 400],
    [{ grant_type: 'implicit' }, 400],
  ];
  for (const [form, status] of cases) {
    const r = await api(server.url, 'POST', '/api/service-auth/token', { form });
    assert.equal(r.status, status, `${JSON.stringify(form)} -> ${r.text}`);
  }
});

test('expired, forged, refresh-as-access and missing tokens are 401', async () => {
  const org = await bootstrapOrg(server.url);
  const claims = JSON.parse(Buffer.from(org.adminToken.split('.')[1]!, 'base64url').toString());
  const now = Math.floor(Date.now() / 1000);
  const expired = forge({ ...claims, iat: now - 7200, exp: now - 10 });
  const valid = forge({ ...claims, iat: now, exp: now + 60 });
  const wrongKey = forge({ ...claims, exp: now + 60 }, 'another-secret-0123456789-0123456789');
  assert.equal((await api(server.url, 'GET', '/api/registers', { token: valid })).status, 200, 'a token signed with the known secret works');
  for (const [what, token] of [
    ['expired', expired],
    ['wrong key', wrongKey],
    ['refresh token', org.refreshToken],
    ['garbage', 'a.b.c'],
  ] as const) {
    const r = await api(server.url, 'GET', '/api/registers', { token });
    assert.equal(r.status, 401, what);
    assert.match(r.headers.get('content-type') ?? '', /application\/problem\+json/);
  }
  assert.equal((await api(server.url, 'GET', '/api/registers')).status, 401);
  assert.equal((await api(server.url, 'GET', '/api/registers', { headers: { authorization: 'Basic abc' } })).status, 401);
});

test('a user without the Administrator role cannot submit transactions (403)', async () => {
  const org = await bootstrapOrg(server.url);
  const claims = JSON.parse(Buffer.from(org.adminToken.split('.')[1]!, 'base64url').toString());
  const now = Math.floor(Date.now() / 1000);
  const reader = forge({ ...claims, roles: ['Reader'], iat: now, exp: now + 60 });
  const r = await api(server.url, 'POST', '/api/validator/transactions/validate', { token: reader, body: {} });
  assert.equal(r.status, 403);
});

test('organisations are isolated: wallets, signing, registers, transactions, dockets', async () => {
  const a = await bootstrapOrg(server.url);
  const b = await bootstrapOrg(server.url);
  const wallet = await createWallet(server.url, a.adminToken);
  const registerId = await createRegister(server.url, a.adminToken, a.orgId, wallet.address);
  const tx = signedTransaction(newSigner(), registerId);
  assert.equal((await api(server.url, 'POST', '/api/validator/transactions/validate', { token: a.adminToken, body: tx })).status, 200);

  const t = b.adminToken;
  const expectations: [string, string, unknown, number][] = [
    ['GET', `/api/v1/wallets/${wallet.address}`, undefined, 403],
    ['POST', `/api/v1/wallets/${wallet.address}/sign`, { transactionData: 'AAAA', isPreHashed: true }, 403],
    ['GET', `/api/registers/${registerId}`, undefined, 403],
    ['GET', `/api/registers/${registerId}/transactions/${tx.transactionId}`, undefined, 403],
    ['GET', `/api/registers/${registerId}/dockets`, undefined, 403],
    ['GET', `/api/registers/${registerId}/dockets/0`, undefined, 403],
    ['GET', `/api/registers/${registerId}/dockets/0/transactions`, undefined, 403],
    ['GET', `/api/registers/${registerId}/dockets/latest`, undefined, 403],
    ['GET', `/api/validator/transactions/mempool/${registerId}`, undefined, 403],
    ['POST', '/api/validator/transactions/validate', signedTransaction(newSigner(), registerId), 403],
    ['GET', `/api/v1/wallets/ws11unknown`, undefined, 404],
    ['GET', `/api/registers/${'0'.repeat(32)}`, undefined, 404],
  ];
  for (const [method, path, body, status] of expectations) {
    const r = await api(server.url, method, path, { token: t, body });
    assert.equal(r.status, status, `${method} ${path}: ${r.text}`);
  }
  const listed = await api(server.url, 'GET', '/api/registers', { token: t });
  assert.deepEqual(listed.body, []);
  const wallets = await api(server.url, 'GET', '/api/v1/wallets', { token: t });
  assert.deepEqual(wallets.body, []);
  // Initiating with another org's tenantId is refused; finalizing another org's pending registration is not found.
  const init = await api(server.url, 'POST', '/api/registers/initiate', { token: a.adminToken, body: { name: 'x', owners: [{ userId: 'u', walletId: wallet.address }] } });
  const fin = await api(server.url, 'POST', '/api/registers/finalize', {
    token: t,
    body: {
      registerId: init.body.registerId,
      nonce: init.body.nonce,
      signedAttestations: [{ attestationData: init.body.attestationsToSign[0].attestationData, publicKey: 'AA', signature: 'AA', algorithm: 'ED25519' }],
    },
  });
  assert.equal(fin.status, 404);
  assert.equal((await api(server.url, 'POST', '/api/registers/initiate', { token: t, body: { name: 'x', tenantId: a.orgId, owners: [{ userId: 'u', walletId: wallet.address }] } })).status, 403);
});
