// Vectors are computed here with node:crypto, written out step by step from register-api.md §6,
// independently of lib/docket-verify.ts, so a wrong rule in the library cannot agree with itself.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { docketHash, isoToUnixMs, leafHash, merkleRoot, verifyDocket, type DocketView } from '../../lib/shared/docket-verify.ts';

const sha = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');
const REGISTER = '0123456789abcdef0123456789abcdef';

function tx(i: number, createdAt: string) {
  return { transactionId: sha(`tx-${i}`), payloadHash: sha(`payload-${i}`), createdAt };
}

/** A docket built by hand from the contract's wording. */
function handBuilt(number: number, previousHash: string | null, txs: ReturnType<typeof tx>[], timeStamp: string): DocketView {
  const leaves = txs.map((t) => sha(`{"TransactionId":"${t.transactionId}","PayloadHash":"${t.payloadHash}","Timestamp":${Date.parse(t.createdAt)}}`));
  let level = leaves;
  while (level.length > 1) {
    const next: string[] = [];
    for (let i = 0; i < level.length; i += 2) next.push(sha(level[i]! + (level[i + 1] ?? level[i]!)));
    level = next;
  }
  const root = level[0] ?? sha('');
  const hash = sha(`{"RegisterId":"${REGISTER}","DocketNumber":${number},"PreviousHash":"${previousHash ?? ''}","MerkleRoot":"${root}","Timestamp":${Date.parse(timeStamp)}}`);
  return { id: number, registerId: REGISTER, previousHash, hash, transactionIds: txs.map((t) => t.transactionId), timeStamp };
}

describe('docket hashing rules', () => {
  it('a leaf is SHA-256 of the compact JSON {TransactionId, PayloadHash, Timestamp in unix ms}', () => {
    const expected = sha('{"TransactionId":"ab","PayloadHash":"cd","Timestamp":1767225600123}');
    assert.equal(leafHash(sha, 'ab', 'cd', isoToUnixMs('2026-01-01T00:00:00.123Z')), expected);
  });

  it('Merkle root: empty input, one leaf, odd last node paired with itself', () => {
    assert.equal(merkleRoot(sha, []), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    assert.equal(merkleRoot(sha, ['aa']), 'aa');
    const ab = sha('aabb');
    const cc = sha('cccc');
    assert.equal(merkleRoot(sha, ['aa', 'bb', 'cc']), sha(ab + cc));
    assert.equal(merkleRoot(sha, ['aa', 'bb', 'cc', 'dd']), sha(ab + sha('ccdd')));
  });

  it('docket hash: genesis hashes previousHash null as the empty string', () => {
    const h = { registerId: REGISTER, docketNumber: 0, previousHash: null, merkleRoot: 'ff', timestampMs: 5 };
    assert.equal(docketHash(sha, h), sha(`{"RegisterId":"${REGISTER}","DocketNumber":0,"PreviousHash":"","MerkleRoot":"ff","Timestamp":5}`));
  });
});

describe('verifyDocket', () => {
  const genesis = handBuilt(0, null, [tx(0, '2026-03-15T10:00:00.000Z')], '2026-03-15T10:00:00.000Z');
  const txs = [1, 2, 3].map((i) => tx(i, `2026-03-15T10:00:0${i}.${i}00Z`));
  const d1 = handBuilt(1, genesis.hash, txs, '2026-03-15T10:00:05.250Z');

  it('accepts a hand-built chain: genesis and a three-transaction docket linked to it', () => {
    assert.deepEqual(verifyDocket(sha, genesis, [tx(0, '2026-03-15T10:00:00.000Z')]).problems, []);
    const v = verifyDocket(sha, d1, txs, genesis.hash);
    assert.deepEqual(v.problems, []);
    assert.equal(v.ok, true);
    assert.equal(v.computedHash, d1.hash);
  });

  it('uses the docket order of transactions, not the order the list endpoint returned', () => {
    assert.equal(verifyDocket(sha, d1, [...txs].reverse(), genesis.hash).ok, true);
  });

  it('detects a tampered payload hash, createdAt, header timestamp or chain link', () => {
    const tamperedPayload = txs.map((t, i) => (i === 1 ? { ...t, payloadHash: sha('other') } : t));
    assert.match(verifyDocket(sha, d1, tamperedPayload, genesis.hash).problems.join(), /docket hash mismatch/);
    const tamperedTime = txs.map((t, i) => (i === 2 ? { ...t, createdAt: '2026-03-15T10:00:03.301Z' } : t));
    assert.equal(verifyDocket(sha, d1, tamperedTime, genesis.hash).ok, false);
    assert.equal(verifyDocket(sha, { ...d1, timeStamp: '2026-03-15T10:00:05.251Z' }, txs, genesis.hash).ok, false);
    assert.match(verifyDocket(sha, d1, txs, sha('not the genesis')).problems.join(), /chain broken: docket 1/);
  });

  it('detects missing or extra transactions and a genesis docket with a predecessor', () => {
    assert.match(verifyDocket(sha, d1, txs.slice(0, 2), genesis.hash).problems.join(), /missing from its transactions/);
    assert.match(verifyDocket(sha, d1, [...txs, tx(9, '2026-03-15T10:00:04.000Z')], genesis.hash).problems.join(), /returned 4/);
    assert.match(verifyDocket(sha, { ...genesis, previousHash: sha('x') }, [tx(0, '2026-03-15T10:00:00.000Z')]).problems.join(), /genesis docket has previousHash/);
  });

  it('without a known predecessor hash only the docket itself is checked', () => {
    assert.equal(verifyDocket(sha, d1, txs).ok, true);
  });
});
