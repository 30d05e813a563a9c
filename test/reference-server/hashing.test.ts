// The hashing rules against vectors computed here with node:crypto over literal strings.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import {
  attestationDataToSign, docketHash, genesisTransactionId, leafHash, merkleRoot, payloadHash, transactionSigningMessage,
} from '../../reference-server/hashing.ts';

const h = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');

test('merkle root: empty, one, two, odd counts', () => {
  assert.equal(merkleRoot([]), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  const [a, b, c, d, e] = ['a', 'b', 'c', 'd', 'e'].map(h) as [string, string, string, string, string];
  assert.equal(merkleRoot([a]), a);
  assert.equal(merkleRoot([a, b]), h(a + b));
  assert.equal(merkleRoot([a, b, c]), h(h(a + b) + h(c + c)));
  assert.equal(merkleRoot([a, b, c, d]), h(h(a + b) + h(c + d)));
  const left = h(h(a + b) + h(c + d));
  const right = h(h(e + e) + h(e + e));
  assert.equal(merkleRoot([a, b, c, d, e]), h(left + right));
});

test('leaf hash is SHA-256 of {"TransactionId","PayloadHash","Timestamp"} compact JSON', () => {
  assert.equal(leafHash('ab12', 'cd34', 1700000000123), h('{"TransactionId":"ab12","PayloadHash":"cd34","Timestamp":1700000000123}'));
});

test('docket hash; genesis previous hash is hashed as the empty string', () => {
  const r = 'f'.repeat(64);
  assert.equal(
    docketHash({ registerId: 'reg', docketNumber: 3, previousHash: 'p'.repeat(64), merkleRoot: r, timestampMs: 1700000000000 }),
    h(`{"RegisterId":"reg","DocketNumber":3,"PreviousHash":"${'p'.repeat(64)}","MerkleRoot":"${r}","Timestamp":1700000000000}`),
  );
  assert.equal(
    docketHash({ registerId: 'reg', docketNumber: 0, previousHash: null, merkleRoot: r, timestampMs: 5 }),
    h(`{"RegisterId":"reg","DocketNumber":0,"PreviousHash":"","MerkleRoot":"${r}","Timestamp":5}`),
  );
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
