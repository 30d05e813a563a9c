// Small pure modules of the reference server: strict base64, wallet addresses, JWTs, settings, rules.
import assert from 'node:assert/strict';
import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { test } from 'node:test';
import { ConfigError, parseConfig } from '../../reference-server/config.ts';
import { decodeBase64, decodeBase64OrUrl } from '../../reference-server/encoding.ts';
import { signJwt, type TokenClaims, verifyJwt } from '../../reference-server/jwt.ts';
import { checkTransactionIntegrity, checkTransactionShape } from '../../reference-server/transaction-rules.ts';
import { publicKeyOfAddress, walletAddress } from '../../reference-server/wallet-address.ts';

test('strict base64: rejects stray characters Node would silently skip', () => {
  assert.deepEqual(decodeBase64('aGVsbG8='), Buffer.from('hello'));
  assert.equal(decodeBase64('aGVs bG8='), undefined);
  assert.equal(decodeBase64('aGVsbG8*'), undefined);
  assert.deepEqual(decodeBase64OrUrl('-_-_'), Buffer.from('-_-_', 'base64url'));
  assert.deepEqual(decodeBase64OrUrl('+/+/'), Buffer.from('+/+/', 'base64'));
  assert.equal(decodeBase64OrUrl('a'), undefined);
  assert.equal(decodeBase64OrUrl('%%%'), undefined);
});

test('wallet address: ws1 Bech32 of 0x00 + public key, round trip, checksum enforced', () => {
  const key = Buffer.alloc(32, 7);
  const address = walletAddress(key);
  assert.ok(address.startsWith('ws11'));
  assert.equal(address.length, 63);
  assert.deepEqual(publicKeyOfAddress(address), key);
  const tampered = address.slice(0, -1) + (address.endsWith('q') ? 'p' : 'q');
  assert.equal(publicKeyOfAddress(tampered), undefined);
  assert.equal(publicKeyOfAddress('bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4'), undefined);
});

test('JWT: verifies its own tokens, rejects forged, expired and malformed ones', async () => {
  const secret = Buffer.from('s'.repeat(32));
  const claims: TokenClaims = { sub: 'u', email: 'e', name: 'n', org_id: 'o', org_name: 'on', token_type: 'user', roles: ['Administrator'], use: 'access', iat: 100, exp: 200, jti: 'j', iss: 'i' };
  const token = await signJwt(claims, secret);
  assert.deepEqual(await verifyJwt(token, secret, 150), { ok: true, claims });
  assert.deepEqual(await verifyJwt(token, secret, 200), { ok: false, reason: 'token has expired' });
  assert.deepEqual(await verifyJwt(token, Buffer.from('t'.repeat(32)), 150), { ok: false, reason: 'token signature is invalid' });
  assert.equal((await verifyJwt('abc', secret, 150)).ok, false);
  // alg "none" (an unsigned token) must never pass.
  const unsigned = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${token.split('.')[1]}.`;
  assert.equal((await verifyJwt(unsigned, secret, 150)).ok, false);
});

test('settings: flag beats env, bad values name the flag or variable, exit-worthy errors', () => {
  const parsed = parseConfig(['--port', '0', '--docket-time-ms=200', '--data-dir', '/tmp/x'], { TARGET_PORT: '9', TARGET_DOCKET_SIZE: '7' });
  assert.equal(parsed.help, false);
  if (parsed.help) return;
  assert.equal(parsed.config.port, 0);
  assert.equal(parsed.config.docketTimeMs, 200);
  assert.equal(parsed.config.docketSize, 7);
  assert.throws(
    () => parseConfig(['--port', 'x'], {}),
    (e: Error) => e instanceof ConfigError && /--port="x" is not valid: expected an integer 0\.\.65535/.test(e.message),
  );
  assert.throws(() => parseConfig([], { TARGET_FAULT_ERROR_RATE: '2' }), /TARGET_FAULT_ERROR_RATE="2" is not valid: expected a number 0\.\.1/);
  // Every problem at once, not one per start.
  assert.throws(
    () => parseConfig(['--port', 'x', '--log-level', 'loud'], { TARGET_DOCKET_SIZE: '0' }),
    (e: unknown) => e instanceof ConfigError && e.problems.length === 3 && /--log-level="loud"/.test(e.message) && /TARGET_DOCKET_SIZE="0"/.test(e.message),
  );
  assert.throws(() => parseConfig(['--nope'], {}), /unknown option "--nope"/);
  assert.throws(() => parseConfig(['--port'], {}), /--port needs a value/);
  assert.throws(
    () => parseConfig([], { TARGET_JWT_SECRET: 'short' }),
    (e: Error) => /at least 32/.test(e.message) && !e.message.includes('short'),
  );
  // REFERENCE_SERVER_* names say what they configure and win over the older TARGET_* names.
  const both = parseConfig([], { TARGET_DOCKET_SIZE: '7', REFERENCE_SERVER_DOCKET_SIZE: '9', TARGET_PORT: '0' });
  assert.ok(!both.help && both.config.docketSize === 9 && both.config.port === 0);
  assert.throws(() => parseConfig([], { REFERENCE_SERVER_PORT: 'x' }), /REFERENCE_SERVER_PORT="x" is not valid/);
  assert.throws(
    () => parseConfig([], { REFERENCE_SERVER_JWT_SECRET: 'tiny' }),
    (e: Error) => /REFERENCE_SERVER_JWT_SECRET is not valid \(value not shown\)/.test(e.message) && !e.message.includes('tiny'),
  );
});

test('transaction rules: one code per broken rule, collected together', async () => {
  const now = Date.parse('2026-03-15T10:00:00Z');
  const r = checkTransactionShape(
    { transactionId: 'xyz', registerId: '', payload: [], payloadHash: 'zz', signatures: [{ publicKey: '', signatureValue: 'a', algorithm: 'NIST-P256' }], createdAt: '2026-03-15T10:06:00Z' },
    now,
  );
  assert.equal(r.ok, false);
  if (r.ok) return;
  const codes = r.errors.map((e) => e.code).sort();
  assert.deepEqual(codes, ['TX_002', 'TX_003', 'TX_004', 'TX_007', 'TX_010', 'TX_011', 'TX_018', 'TX_021'].sort());

  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const pk = publicKey.export({ format: 'der', type: 'spki' }).subarray(12).toString('base64url');
  const payload = { b: 2, a: 1 };
  const payloadHash = createHash('sha256').update('{"b":2,"a":1}').digest('hex');
  const transactionId = 'ab'.repeat(32);
  const signatureValue = sign(null, createHash('sha256').update(`${transactionId}:${payloadHash}`).digest(), privateKey).toString('base64url');
  const good = { transactionId, registerId: 'r', blueprintId: 'b', payload, payloadHash, signatures: [{ publicKey: pk, signatureValue, algorithm: 'ED25519' }], createdAt: '2026-03-15T09:59:00Z' };
  const shape = checkTransactionShape(good, now);
  assert.equal(shape.ok, true);
  if (!shape.ok) return;
  assert.deepEqual(await checkTransactionIntegrity(shape.tx), { ok: true, payloadHash });
  const reordered = checkTransactionShape({ ...good, payload: { a: 1, b: 2 } }, now);
  assert.ok(reordered.ok);
  if (!reordered.ok) return;
  const mismatch = await checkTransactionIntegrity(reordered.tx);
  assert.equal(mismatch.ok, false);
  if (!mismatch.ok) assert.equal(mismatch.errors[0]!.code, 'TX_012');
});

test('verify pool: worker threads and inline give the same verdicts, batched in one turn', async () => {
  const { VerifyPool } = await import('../../reference-server/verify-pool.ts');
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const pk = publicKey.export({ format: 'der', type: 'spki' }).subarray(12);
  const messages = Array.from({ length: 20 }, (_, i) => createHash('sha256').update(`m${i}`).digest());
  const sigs = messages.map((m, i) => (i % 3 === 0 ? sign(null, messages[(i + 1) % 20]!, privateKey) : sign(null, m, privateKey)));
  const expected = messages.map((_, i) => i % 3 !== 0);
  for (const threads of [0, 2]) {
    const pool = new VerifyPool(threads);
    try {
      const got = await Promise.all(messages.map((m, i) => pool.verify(pk, m, sigs[i]!)));
      assert.deepEqual(got, expected, `${threads} threads`);
      assert.equal(pool.verifiedByWorkers, threads === 0 ? 0 : 20, 'verified where intended');
    } finally {
      await pool.close();
    }
  }
});
