// Each malformed body must break exactly the rule it is named for: checked against the reference
// target's own validation rules, with a real Ed25519 signature on the valid original.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { ed25519 } from '@noble/curves/ed25519.js';
import { forgeToken, isRejection, MALFORMED_CASES, malformedSubmissions, oversizeBody } from '../../lib/shared/malformed.ts';
import { makePayloadJson, type Submission } from '../../lib/shared/transactions.ts';
import { checkTransactionIntegrity, checkTransactionShape } from '../../reference-server/transaction-rules.ts';

const sha = (s: string) => createHash('sha256').update(s).digest();
const b64url = (b: Uint8Array) => Buffer.from(b).toString('base64url');
const secret = ed25519.utils.randomSecretKey();
const publicKey = b64url(ed25519.getPublicKey(secret));

function submission(registerId: string, seq: number): Submission {
  const payloadJson = makePayloadJson(200, { seq, vu: 1, corridor: 'c1' });
  const payloadHash = sha(payloadJson).toString('hex');
  const transactionId = randomBytes(32).toString('hex');
  const signatureValue = b64url(ed25519.sign(sha(`${transactionId}:${payloadHash}`), secret));
  return {
    transactionId,
    registerId,
    blueprintId: 'bp',
    actionId: 'a',
    payloadJson,
    payloadHash,
    signatures: [{ publicKey, signatureValue, algorithm: 'ED25519' }],
    createdAt: new Date().toISOString(),
  };
}

describe('malformed submissions', () => {
  const now = Date.now();
  const valid = submission('0123456789abcdef0123456789abcdef', 1);
  const other = submission(valid.registerId, 2);
  const bodies = malformedSubmissions({ valid, wrongSignature: other.signatures[0]!, otherHash: other.payloadHash, unknownRegisterId: 'f'.repeat(32), nowMs: now });

  /** The error codes the reference server's rules give a body (shape first, then integrity). */
  async function codesOf(text: string): Promise<string[]> {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return ['not JSON'];
    }
    const shape = checkTransactionShape(parsed, now);
    if (!shape.ok) return shape.errors.map((e) => e.code);
    const integrity = await checkTransactionIntegrity(shape.tx);
    return integrity.ok ? [] : integrity.errors.map((e) => e.code);
  }

  it('the valid original passes every stateless rule', async () => {
    const original = malformedSubmissions({ valid, wrongSignature: valid.signatures[0]!, otherHash: valid.payloadHash, unknownRegisterId: valid.registerId, nowMs: now });
    // With nothing to break, the signature/hash/register cases collapse to valid bodies.
    assert.deepEqual(await codesOf(original.find((b) => b.id === 'wrong-signature')!.body), []);
    assert.deepEqual(await codesOf(original.find((b) => b.id === 'payload-hash-mismatch')!.body), []);
  });

  it('every body gets exactly its documented code and nothing else', async () => {
    const ids = bodies.map((b) => b.id);
    assert.equal(new Set(ids).size, ids.length, 'case ids are unique');
    for (const b of bodies) {
      const c = MALFORMED_CASES[b.id];
      const codes = await codesOf(b.body);
      if (b.id === 'invalid-json') assert.deepEqual(codes, ['not JSON']);
      else if (b.id === 'missing-fields') assert.ok(codes.includes('TX_001') && codes.length > 1, codes.join());
      else if (b.id === 'unknown-register') assert.deepEqual(codes, [], 'only the register lookup (stateful) rejects it');
      else assert.deepEqual(codes, ['code' in c ? c.code : '?'], `${b.id}: ${codes.join()}`);
      assert.deepEqual(c.expected, [400]);
    }
  });

  it('forged tokens keep header and claims but not the signature', () => {
    const token = `eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.${b64url(randomBytes(32))}`;
    const forged = forgeToken(token);
    const [h, p, s] = forged.split('.');
    assert.equal(`${h}.${p}`, token.split('.').slice(0, 2).join('.'));
    assert.notEqual(s, token.split('.')[2]);
    assert.match(s!, /^(A+|B+)$/);
    assert.throws(() => forgeToken('not-a-jwt'), /not a JWT/);
  });

  it('oversize bodies exceed the 10 MB limit; only 4xx counts as a rejection', () => {
    assert.ok(Buffer.byteLength(oversizeBody()) > 10 * 1024 * 1024);
    assert.ok(isRejection(400) && isRejection(413) && isRejection(409));
    assert.ok(!isRejection(200) && !isRejection(500) && !isRejection(0));
  });
});
