// The reference server's hashing rules: docket hashing against the committed vectors
// (test/fixtures/docket-vectors.json, shared with the k6-side verifier's tests); attestation,
// payload and signing-message rules against literal strings hashed here with node:crypto.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { attestationDataToSign, docketHash, genesisTransactionId, leafHash, merkleRoot, payloadHash, transactionSigningMessage } from '../../reference-server/hashing.ts';
import { docketVectors } from '../helpers/docket-vectors.ts';

const h = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');

test('merkle root: empty, one, two, odd counts (committed vectors)', () => {
  for (const m of docketVectors.merkleRoots) assert.equal(merkleRoot(m.leaves), m.root, `${m.leaves.length} leaves`);
});

test('leaf hash is SHA-256 of {"TransactionId","PayloadHash","Timestamp"} compact JSON (committed vectors)', () => {
  for (const t of [...docketVectors.leaves, ...docketVectors.chain.flatMap((d) => d.transactions)]) {
    assert.equal(leafHash(t.transactionId, t.payloadHash, t.timestampMs), t.leafHash);
  }
});

test('docket hash; genesis previous hash is hashed as the empty string (committed vectors)', () => {
  for (const d of [...docketVectors.docketHeaders, ...docketVectors.chain]) {
    assert.equal(docketHash({ registerId: d.registerId, docketNumber: d.docketNumber, previousHash: d.previousHash, merkleRoot: d.merkleRoot, timestampMs: d.timestampMs }), d.hash);
  }
  // The chain's dockets: each root from its transactions' leaves, each linked to the one before.
  docketVectors.chain.forEach((d, i) => {
    assert.equal(merkleRoot(d.transactions.map((t) => leafHash(t.transactionId, t.payloadHash, t.timestampMs))), d.merkleRoot);
    assert.equal(d.previousHash, i === 0 ? null : docketVectors.chain[i - 1]!.hash);
  });
});

test('attestation dataToSign uses the contract key order whatever order the object has', () => {
  const text = '{"role":"Owner","subject":"did:sorcha:w:ws11x","registerId":"r1","registerName":"n","grantedAt":"2026-03-15T10:00:00.000Z"}';
  const shuffled = { grantedAt: '2026-03-15T10:00:00.000Z', registerName: 'n', registerId: 'r1', subject: 'did:sorcha:w:ws11x', role: 'Owner' };
  assert.equal(attestationDataToSign(shuffled), h(text));
});

test('payload hash keeps the key order as sent; genesis id and signing message', () => {
  assert.equal(payloadHash(JSON.parse('{"b":1,"a":{"y":"é","x":[1,2]}}')), h('{"b":1,"a":{"y":"é","x":[1,2]}}'));
  assert.equal(genesisTransactionId('0123456789abcdef0123456789abcdef'), h('genesis-0123456789abcdef0123456789abcdef'));
  assert.deepEqual(transactionSigningMessage('t1', 'p1'), createHash('sha256').update('t1:p1').digest());
});
