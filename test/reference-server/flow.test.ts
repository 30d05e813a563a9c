// The whole flow against a real reference server process: bootstrap -> token -> wallet -> two-phase
// register creation (attestations signed by the wallet sign endpoint) -> locally signed
// transactions -> sealed dockets verified independently (Merkle roots, hashes, chain).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { eventually } from '../helpers/eventually.ts';
import { type RunningReferenceServer, startReferenceServer } from '../helpers/reference-server.ts';
import { api, bootstrapOrg, createRegister, createWallet } from '../helpers/register-client.ts';
import { newSigner, sha256Hex, signedTransaction, verifyChain } from './client.ts';

let server: RunningReferenceServer;
before(async () => {
  server = await startReferenceServer({ args: ['--docket-time-ms', '200', '--docket-size', '10'] });
});
after(async () => {
  assert.equal(await server.stop(), 0);
});

test('bootstrap, register creation, transactions and verified dockets', async () => {
  const org = await bootstrapOrg(server.url);
  const token = await api(server.url, 'POST', '/api/service-auth/token', { form: { grant_type: 'password', username: org.email, password: org.password } });
  assert.equal(token.status, 200);
  assert.equal(token.body.token_type, 'Bearer');
  assert.equal(token.body.expires_in, 3600);
  const access: string = token.body.access_token;
  const claims = JSON.parse(Buffer.from(access.split('.')[1]!, 'base64url').toString());
  assert.equal(claims.org_id, org.orgId);
  assert.equal(claims.token_type, 'user');
  assert.deepEqual(claims.roles, ['Administrator']);
  assert.equal(claims.exp - claims.iat, 3600);

  const wallet = await createWallet(server.url, access);
  assert.match(wallet.address, /^ws11[02-9ac-hj-np-z]+$/);
  assert.equal(Buffer.from(wallet.publicKey, 'base64').length, 32);

  // Initiate: dataToSign is the SHA-256 of the compact attestation JSON in contract key order.
  const init = await api(server.url, 'POST', '/api/registers/initiate', { token: access, body: { name: 'flow', tenantId: org.orgId, owners: [{ userId: 'u', walletId: wallet.address }] } });
  assert.equal(init.status, 200);
  assert.match(init.body.registerId, /^[0-9a-f]{32}$/);
  assert.equal(Buffer.from(init.body.nonce, 'base64url').length, 32);
  const a = init.body.attestationsToSign[0];
  assert.deepEqual(Object.keys(a.attestationData), ['role', 'subject', 'registerId', 'registerName', 'grantedAt']);
  assert.equal(a.attestationData.subject, `did:sorcha:w:${wallet.address}`);
  assert.equal(a.dataToSign, sha256Hex(JSON.stringify(a.attestationData)));

  const registerId = await createRegister(server.url, access, org.orgId, wallet.address);
  const info = await api(server.url, 'GET', `/api/registers/${registerId}`, { token: access });
  assert.equal(info.status, 200);
  assert.equal(info.body.height, 1);
  const genesis = await api(server.url, 'GET', `/api/registers/${registerId}/dockets/0`, { token: access });
  assert.equal(genesis.status, 200);
  assert.deepEqual(genesis.body.transactionIds, [sha256Hex(`genesis-${registerId}`)]);
  const listed = await api(server.url, 'GET', '/api/registers', { token: access });
  assert.deepEqual(
    listed.body.map((r: { id: string }) => r.id),
    [registerId],
  );

  const signer = newSigner();
  const txs = Array.from({ length: 37 }, (_, i) => signedTransaction(signer, registerId, { index: i, text: 'héllo', nested: { z: 1, a: [1, 2] } }));
  const results = await Promise.all(txs.map((tx) => api(server.url, 'POST', '/api/validator/transactions/validate', { token: access, body: tx })));
  for (const [i, r] of results.entries()) {
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.isValid, true);
    assert.equal(r.body.added, true);
    assert.equal(r.body.transactionId, txs[i]!.transactionId);
  }

  await eventually('all transactions sealed', async () => {
    const latest = await api(server.url, 'GET', `/api/registers/${registerId}/dockets/latest`, { token: access });
    const pool = await api(server.url, 'GET', `/api/validator/transactions/mempool/${registerId}`, { token: access });
    return pool.body.totalTransactions === 0 && latest.body.id >= 1 ? true : undefined;
  });
  const chain = await verifyChain(server.url, access, registerId);
  for (const tx of txs) assert.ok(chain.transactions.has(tx.transactionId), `${tx.transactionId} sealed`);
  assert.equal(chain.transactions.size, txs.length + 1);
  assert.ok(chain.dockets >= 1 + Math.ceil(txs.length / 10) - 1, `dockets: ${chain.dockets}`);

  const one = await api(server.url, 'GET', `/api/registers/${registerId}/transactions/${txs[5]!.transactionId}`, { token: access });
  assert.equal(one.status, 200);
  assert.equal(typeof one.body.docketNumber, 'number');
  assert.deepEqual(one.body.payload, txs[5]!.payload);
});

test('a service principal token may submit; a direct-layout alias accepts the same body', async () => {
  const org = await bootstrapOrg(server.url);
  const wallet = await createWallet(server.url, org.adminToken);
  const registerId = await createRegister(server.url, org.adminToken, org.orgId, wallet.address);
  const sp = await api(server.url, 'POST', '/api/service-auth/token', { body: { grantType: 'client_credentials', clientId: org.clientId, clientSecret: org.clientSecret } });
  assert.equal(sp.status, 200);
  const claims = JSON.parse(Buffer.from(sp.body.access_token.split('.')[1], 'base64url').toString());
  assert.equal(claims.token_type, 'service');
  const r = await api(server.url, 'POST', '/api/v1/transactions/validate', { token: sp.body.access_token, body: signedTransaction(newSigner(), registerId) });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.added, true);
});
