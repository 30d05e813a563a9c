import assert from 'node:assert/strict';
import { createHash, generateKeyPairSync, sign, verify } from 'node:crypto';
import { describe, it } from 'node:test';
import { bytesToHex, hexToBytes, toBase64Url, utf8Bytes } from '../../lib/shared/bytes.ts';
import { buildSubmissionBody, isAccepted, makePayloadJson, signingMessage } from '../../lib/shared/transactions.ts';

const sha256 = (data: string | Uint8Array) => createHash('sha256').update(data).digest();

describe('makePayloadJson', () => {
  for (const size of [64, 200, 1024, 10 * 1024, 1024 * 1024]) {
    it(`is compact JSON of exactly ${size} bytes that survives a parse/serialise round trip`, () => {
      const json = makePayloadJson(size, { seq: 7, vu: 3, corridor: 'c2' });
      assert.equal(Buffer.byteLength(json, 'utf8'), size);
      assert.equal(JSON.stringify(JSON.parse(json)), json, 'a server re-serialising the payload must get the same bytes');
    });
  }
  it('varies the padding between transactions so compression does not flatter large payloads', () => {
    const a = JSON.parse(makePayloadJson(500, { seq: 1, vu: 1, corridor: 'c1' })).data;
    const b = JSON.parse(makePayloadJson(500, { seq: 2, vu: 1, corridor: 'c1' })).data;
    assert.notEqual(a, b);
  });
  it('returns the smallest payload when the requested size is below the fixed fields', () => {
    const json = makePayloadJson(10, { seq: 1, vu: 1, corridor: 'c1' });
    assert.equal(JSON.parse(json).data, '');
  });
});

describe('buildSubmissionBody', () => {
  it('splices the hashed payload bytes verbatim and produces valid JSON with every contract field', () => {
    const payloadJson = '{"b":1,"a":"x"}'; // key order the server must keep
    const payloadHash = sha256(payloadJson).toString('hex');
    const body = buildSubmissionBody({
      transactionId: 'ab'.repeat(32),
      registerId: 'cd'.repeat(16),
      blueprintId: 'bp',
      actionId: 'act',
      payloadJson,
      payloadHash,
      signatures: [{ publicKey: 'pk', signatureValue: 'sig', algorithm: 'ED25519' }],
      createdAt: '2026-01-01T00:00:00.000Z',
      metadata: { corridor: 'c1' },
    });
    assert.ok(body.includes(`"payload":${payloadJson},`));
    const parsed = JSON.parse(body);
    assert.deepEqual(Object.keys(parsed), ['transactionId', 'registerId', 'blueprintId', 'actionId', 'payload', 'payloadHash', 'signatures', 'createdAt', 'metadata']);
    assert.equal(sha256(JSON.stringify(parsed.payload)).toString('hex'), parsed.payloadHash);
  });
});

describe('signing message', () => {
  it('is SHA-256 of "{transactionId}:{payloadHash}" and verifies as pre-hashed Ed25519 with node:crypto', () => {
    const txId = '0f'.repeat(32);
    const payloadHash = sha256('{"a":1}').toString('hex');
    const digest = sha256(signingMessage(txId, payloadHash));
    assert.equal(digest.length, 32);
    assert.equal(signingMessage(txId, payloadHash), `${txId}:${payloadHash}`);
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const signature = sign(null, digest, privateKey);
    assert.ok(verify(null, digest, publicKey, signature));
  });
});

describe('isAccepted', () => {
  it('counts success only when the status is 200 and both isValid and added are true', () => {
    assert.equal(isAccepted(200, { isValid: true, added: true }), true);
    assert.equal(isAccepted(200, { isValid: true, added: false }), false);
    assert.equal(isAccepted(409, { isValid: true, added: false }), false);
    assert.equal(isAccepted(200, { isValid: false, added: true }), false);
    assert.equal(isAccepted(200, undefined), false);
  });
});

describe('bytes', () => {
  it('round-trips hex and rejects odd or non-hex input', () => {
    const bytes = new Uint8Array([0, 1, 15, 16, 255]);
    assert.equal(bytesToHex(bytes), '00010f10ff');
    assert.deepEqual(hexToBytes('00010f10ff'), bytes);
    assert.throws(() => hexToBytes('abc'), /not a hex string/);
    assert.throws(() => hexToBytes('zz'), /not a hex string/);
  });
  it('converts standard base64 to unpadded base64url like Buffer does', () => {
    const raw = Buffer.from([251, 255, 191, 0, 1]);
    assert.equal(toBase64Url(raw.toString('base64')), raw.toString('base64url'));
  });
  it('encodes UTF-8 like Node, including astral characters', () => {
    for (const text of ['plain', 'é', '€', '😀 ok', '\u0000']) assert.deepEqual(Buffer.from(utf8Bytes(text)), Buffer.from(text, 'utf8'));
  });
});
