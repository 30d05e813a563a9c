// Every kind of bad input gets its status and error code, never a 5xx, and the reference server stays up.
import assert from 'node:assert/strict';
import { createHash, randomBytes, sign } from 'node:crypto';
import { after, before, test } from 'node:test';
import { type RunningReferenceServer, startReferenceServer } from '../helpers/reference-server.ts';
import { type ApiResponse, api, bootstrapOrg, createRegister, createWallet } from '../helpers/register-client.ts';
import { newSigner, sha256Hex, signedTransaction } from './client.ts';

let server: RunningReferenceServer;
before(async () => {
  // Signatures verified on a worker thread here (the default verifies inline, as in the other tests).
  server = await startReferenceServer({ args: ['--verify-threads', '1'] });
});
after(async () => {
  assert.equal(await server.stop(), 0);
});

test('bad-input table: status and error code for each, no 5xx, reference server alive afterwards', async () => {
  const org = await bootstrapOrg(server.url);
  const token = org.adminToken;
  const wallet = await createWallet(server.url, token);
  const registerId = await createRegister(server.url, token, org.orgId, wallet.address);
  const signer = newSigner();
  const good = () => signedTransaction(signer, registerId);
  const without = (field: string) => {
    const t: Record<string, unknown> = good();
    delete t[field];
    return t;
  };
  const withSig = (patch: Record<string, unknown>) => {
    const t = good();
    return { ...t, signatures: [{ ...t.signatures[0]!, ...patch }] };
  };
  const wrongSignature = () => {
    const t = good();
    const other = signedTransaction(signer, registerId);
    return { ...t, signatures: other.signatures };
  };
  const future = signedTransaction(signer, registerId, { f: 1 }, new Date(Date.now() + 10 * 60_000).toISOString());
  const duplicate = good();
  assert.equal((await api(server.url, 'POST', '/api/validator/transactions/validate', { token, body: duplicate })).status, 200);

  const validate = '/api/validator/transactions/validate';
  type Case = {
    name: string;
    method?: string;
    path?: string;
    token?: string | null;
    body?: unknown;
    raw?: string | Buffer;
    contentType?: string;
    status: number;
    code?: string;
    check?: (r: ApiResponse) => void;
  };
  const cases: Case[] = [
    { name: 'invalid JSON', raw: '{"transactionId": ', status: 400, code: 'TX_029' },
    { name: 'empty JSON body', raw: '', status: 400, code: 'TX_029' },
    { name: 'JSON array body', raw: '[]', status: 400, code: 'TX_029' },
    {
      name: 'text/plain body',
      raw: '{"transactionId":"x"}',
      contentType: 'text/plain',
      status: 415,
      code: 'TX_029',
      check: (r) => assert.match(r.body.errors[0].message, /text\/plain.*Send Content-Type: application\/json/),
    },
    { name: 'unsupported media type', raw: 'a', contentType: 'application/xml', status: 415, code: 'TX_029' },
    { name: 'missing transactionId', body: without('transactionId'), status: 400, code: 'TX_001' },
    { name: 'transactionId of wrong type', body: { ...good(), transactionId: 42 }, status: 400, code: 'TX_024' },
    { name: 'transactionId not hex', body: { ...good(), transactionId: 'z'.repeat(64) }, status: 400, code: 'TX_018' },
    { name: 'missing registerId', body: without('registerId'), status: 400, code: 'TX_002' },
    { name: 'missing blueprintId', body: without('blueprintId'), status: 400, code: 'TX_003' },
    { name: 'payload not an object', body: { ...good(), payload: 'text' }, status: 400, code: 'TX_004' },
    { name: 'missing payloadHash', body: without('payloadHash'), status: 400, code: 'TX_005' },
    { name: 'payloadHash not hex', body: { ...good(), payloadHash: 'abc' }, status: 400, code: 'TX_011' },
    { name: 'payload hash mismatch', body: { ...good(), payloadHash: sha256Hex('something else') }, status: 400, code: 'TX_012' },
    { name: 'no signatures', body: { ...good(), signatures: [] }, status: 400, code: 'TX_006' },
    { name: 'signatures not an array', body: { ...good(), signatures: {} }, status: 400, code: 'TX_024' },
    { name: 'signature without publicKey', body: withSig({ publicKey: '' }), status: 400, code: 'TX_007' },
    { name: 'signature without value', body: withSig({ signatureValue: undefined }), status: 400, code: 'TX_008' },
    { name: 'signature without algorithm', body: withSig({ algorithm: '' }), status: 400, code: 'TX_009' },
    { name: 'unknown algorithm', body: withSig({ algorithm: 'RSA-1024' }), status: 400, code: 'TX_017' },
    { name: 'unsupported algorithm NIST-P256', body: withSig({ algorithm: 'NIST-P256' }), status: 400, code: 'TX_021' },
    { name: 'publicKey bad base64', body: withSig({ publicKey: '!!not-base64!!' }), status: 400, code: 'TX_019' },
    { name: 'publicKey wrong length', body: withSig({ publicKey: randomBytes(16).toString('base64url') }), status: 400, code: 'TX_019' },
    { name: 'signature wrong length', body: withSig({ signatureValue: randomBytes(10).toString('base64') }), status: 400, code: 'TX_020' },
    { name: 'wrong signature', body: wrongSignature(), status: 400, code: 'TX_022' },
    { name: 'createdAt in the future', body: future, status: 400, code: 'TX_010' },
    { name: 'createdAt not a timestamp', body: { ...good(), createdAt: 'yesterday' }, status: 400, code: 'TX_023' },
    { name: 'expiresAt in the past', body: { ...good(), expiresAt: '2020-01-01T00:00:00Z' }, status: 400, code: 'TX_026' },
    { name: 'priority out of range', body: { ...good(), priority: 7 }, status: 400, code: 'TX_025' },
    { name: 'metadata not a string map', body: { ...good(), metadata: { a: 1 } }, status: 400, code: 'TX_025' },
    { name: 'unknown register', body: signedTransaction(signer, 'f'.repeat(32)), status: 400, code: 'TX_027' },
    { name: 'duplicate transaction', body: duplicate, status: 409, check: (r) => assert.deepEqual([r.body.isValid, r.body.added, typeof r.body.message], [true, false, 'string']) },
    { name: 'body over 10 MB', raw: Buffer.alloc(10 * 1024 * 1024 + 10, 0x20), status: 413, code: 'TX_030' },
    { name: 'missing token', token: null, body: good(), status: 401 },
    { name: 'garbage token', token: 'x.y.z', body: good(), status: 401 },
    // Other endpoints
    { name: 'bootstrap invalid JSON', path: '/api/tenants/bootstrap', raw: '{', status: 400 },
    { name: 'wallet without name', path: '/api/v1/wallets', body: {}, status: 400 },
    { name: 'wallet with unsupported algorithm', path: '/api/v1/wallets', body: { name: 'w', algorithm: 'RSA4096' }, status: 400 },
    { name: 'sign with bad base64', path: `/api/v1/wallets/${wallet.address}/sign`, body: { transactionData: '***', isPreHashed: true }, status: 400 },
    { name: 'sign with non-boolean isPreHashed', path: `/api/v1/wallets/${wallet.address}/sign`, body: { transactionData: 'AAAA', isPreHashed: 'yes' }, status: 400 },
    { name: 'sign with unknown wallet', path: '/api/v1/wallets/ws11qqqq/sign', body: { transactionData: 'AAAA' }, status: 404 },
    { name: 'initiate without owners', path: '/api/registers/initiate', body: { name: 'r', owners: [] }, status: 400, check: (r) => assert.equal(typeof r.body.error, 'string') },
    { name: 'initiate with a name over 38 chars', path: '/api/registers/initiate', body: { name: 'n'.repeat(39), owners: [{ userId: 'u', walletId: wallet.address }] }, status: 400 },
    {
      name: 'initiate with a bad wallet address',
      path: '/api/registers/initiate',
      body: { name: 'r', owners: [{ userId: 'u', walletId: 'ws11notanaddress' }] },
      status: 400,
      check: (r) => assert.match(r.body.details, /not an ED25519 wallet address/),
    },
    {
      name: 'finalize unknown registration',
      path: '/api/registers/finalize',
      body: { registerId: 'f'.repeat(32), nonce: 'n', signedAttestations: [{ attestationData: { role: 'Owner', subject: 's' }, publicKey: 'AA', signature: 'AA', algorithm: 'ED25519' }] },
      status: 404,
    },
    { name: 'docket number not a number', method: 'GET', path: `/api/registers/${registerId}/dockets/abc`, status: 400 },
    { name: 'docket beyond height', method: 'GET', path: `/api/registers/${registerId}/dockets/999`, status: 404 },
    { name: 'transaction unknown', method: 'GET', path: `/api/registers/${registerId}/transactions/${'a'.repeat(64)}`, status: 404 },
    { name: 'unknown route', method: 'GET', path: '/api/nothing-here', status: 404 },
  ];

  for (const c of cases) {
    const r = await api(server.url, c.method ?? 'POST', c.path ?? validate, {
      token: c.token === null ? undefined : (c.token ?? token),
      body: c.body,
      raw: c.raw,
      contentType: c.contentType,
    }).catch((err: Error) => assert.fail(`${c.name}: request failed: ${err.message} ${String(err.cause)}`));
    assert.ok(r.status < 500, `${c.name}: got ${r.status}`);
    assert.equal(r.status, c.status, `${c.name}: ${r.text.slice(0, 300)}`);
    if (c.code !== undefined) {
      assert.equal(r.body?.isValid, false, `${c.name}: isValid`);
      assert.ok(
        r.body.errors.some((e: { code: string }) => e.code === c.code),
        `${c.name}: expected ${c.code} in ${JSON.stringify(r.body.errors)}`,
      );
      for (const e of r.body.errors) assert.deepEqual(Object.keys(e).sort(), ['code', 'field', 'message']);
    }
    c.check?.(r);
  }
  assert.equal((await api(server.url, 'GET', '/alive')).status, 200);
  assert.doesNotMatch(server.stderr(), /signature worker failed/, 'the worker thread verified, no fallback');
});

test('finalize: nonce mismatch 401, then the registration is consumed (404); bad signature 401; bad encoding and unknown attestation 400', async () => {
  const org = await bootstrapOrg(server.url);
  const token = org.adminToken;
  const wallet = await createWallet(server.url, token);
  const initiate = async () => (await api(server.url, 'POST', '/api/registers/initiate', { token, body: { name: 'r', owners: [{ userId: 'u', walletId: wallet.address }] } })).body;
  const finalize = (init: any, patch: Record<string, unknown>, nonce = init.nonce) =>
    api(server.url, 'POST', '/api/registers/finalize', {
      token,
      body: {
        registerId: init.registerId,
        nonce,
        signedAttestations: [
          { attestationData: init.attestationsToSign[0].attestationData, publicKey: wallet.publicKey, signature: Buffer.alloc(64).toString('base64'), algorithm: 'ED25519', ...patch },
        ],
      },
    });
  let init = await initiate();
  const mismatch = await finalize(init, {}, 'wrong-nonce');
  assert.equal(mismatch.status, 401);
  assert.equal(typeof mismatch.body.error, 'string');
  assert.equal((await finalize(init, {})).status, 404, 'consumed by the first attempt');

  init = await initiate();
  assert.equal((await finalize(init, {})).status, 401, 'zero signature does not verify');

  init = await initiate();
  assert.equal((await finalize(init, { signature: '@@@' })).status, 400);

  init = await initiate();
  assert.equal((await finalize(init, { attestationData: { ...init.attestationsToSign[0].attestationData, role: 'Admin' } })).status, 400);

  // A signature by another key over the right bytes is refused: the key must be the wallet's.
  init = await initiate();
  const other = newSigner();
  const sig = sign(null, Buffer.from(init.attestationsToSign[0].dataToSign, 'hex'), other.privateKey).toString('base64');
  assert.equal((await finalize(init, { publicKey: other.publicKeyB64url, signature: sig })).status, 401);
  assert.ok(createHash);
});
