// The k6-side docket verifier against the committed vectors (test/fixtures/docket-vectors.json,
// computed from register-api.md §6 independently of lib/shared/docket-verify.ts), so a wrong rule
// in the library cannot agree with itself; the reference server's hashing is tested against the
// same file.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { type DocketTransactionView, type DocketView, docketHash, isoToUnixMs, leafHash, merkleRoot, verifyDocket } from '../../lib/shared/docket-verify.ts';
import { docketVectors, type VectorDocket } from '../helpers/docket-vectors.ts';

const sha = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');

function view(d: VectorDocket): DocketView {
  return { id: d.docketNumber, registerId: d.registerId, previousHash: d.previousHash, hash: d.hash, transactionIds: d.transactions.map((t) => t.transactionId), timeStamp: d.timeStamp };
}
const transactionsOf = (d: VectorDocket): DocketTransactionView[] => d.transactions.map(({ transactionId, payloadHash, createdAt }) => ({ transactionId, payloadHash, createdAt }));

describe('docket hashing rules (vectors)', () => {
  it('a leaf is SHA-256 of the compact JSON {TransactionId, PayloadHash, Timestamp in unix ms}', () => {
    for (const t of docketVectors.leaves) {
      assert.equal(isoToUnixMs(t.createdAt), t.timestampMs, t.createdAt);
      assert.equal(leafHash(sha, t.transactionId, t.payloadHash, isoToUnixMs(t.createdAt)), t.leafHash);
    }
  });

  it('Merkle root: empty input, one leaf, odd last node paired with itself', () => {
    for (const m of docketVectors.merkleRoots) assert.equal(merkleRoot(sha, m.leaves), m.root, `${m.leaves.length} leaves`);
  });

  it('docket hash: genesis hashes previousHash null as the empty string', () => {
    for (const h of [...docketVectors.docketHeaders, ...docketVectors.chain]) {
      assert.equal(docketHash(sha, { registerId: h.registerId, docketNumber: h.docketNumber, previousHash: h.previousHash, merkleRoot: h.merkleRoot, timestampMs: h.timestampMs }), h.hash);
    }
  });
});

describe('verifyDocket', () => {
  const [g, second] = docketVectors.chain as [VectorDocket, VectorDocket, ...VectorDocket[]];
  const genesis = view(g);
  const genesisTxs = transactionsOf(g);
  const d1 = view(second);
  const txs = transactionsOf(second);
  const extra = transactionsOf(docketVectors.chain[2]!)[0]!;

  it('accepts the vector chain, every docket linked to the one before', () => {
    let previous: string | undefined;
    for (const d of docketVectors.chain) {
      const v = verifyDocket(sha, view(d), transactionsOf(d), previous);
      assert.deepEqual(v.problems, [], `docket ${d.docketNumber}`);
      assert.equal(v.computedHash, d.hash);
      previous = d.hash;
    }
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
    assert.match(verifyDocket(sha, d1, [...txs, extra], genesis.hash).problems.join(), /returned 4/);
    assert.match(verifyDocket(sha, { ...genesis, previousHash: sha('x') }, genesisTxs).problems.join(), /genesis docket has previousHash/);
  });

  it('without a known predecessor hash only the docket itself is checked', () => {
    assert.equal(verifyDocket(sha, d1, txs).ok, true);
  });
});
