// The pre-signing tool and file format (SIGNING=presigned), checked under Node against
// node:crypto: every entry verifies as the contract verifies a transaction signature.
import assert from 'node:assert/strict';
import { createHash, createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { loadConfig } from '../../lib/shared/config.ts';
import { PRESIGNED_CORRIDOR, parsePresignedEntry, parsePresignedHeader, presignedEntryLine, presignedSlot } from '../../lib/shared/presigned.ts';
import { makePayloadJson, signingMessage } from '../../lib/shared/transactions.ts';
import { presign } from '../../tools/presign/presign.ts';

const dir = mkdtempSync(join(tmpdir(), 'presign-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const sha256 = (s: string) => createHash('sha256').update(s).digest();

describe('presign', () => {
  it('writes entries whose signatures verify over SHA-256("{id}:{payloadHash}") and whose hashes are the rebuilt payloads', () => {
    const out = join(dir, 'ok.ndjson');
    presign({ out, count: 25, payloadBytes: [128, 2048] });
    const lines = readFileSync(out, 'utf8').trimEnd().split('\n');
    const header = parsePresignedHeader(lines[0]!, out);
    assert.deepEqual(header.pools, [
      { payloadBytes: 128, count: 25 },
      { payloadBytes: 2048, count: 25 },
    ]);
    assert.equal(lines.length, 1 + 50);
    const publicKey = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: header.publicKey }, format: 'jwk' });
    const ids = new Set<string>();
    let line = 1;
    for (const pool of header.pools) {
      for (let seq = 0; seq < pool.count; seq++, line++) {
        const [id, payloadHash, signature] = parsePresignedEntry(lines[line]!)!;
        assert.match(id, /^[0-9a-f]{64}$/);
        ids.add(id);
        const payload = makePayloadJson(pool.payloadBytes, { seq, vu: 0, corridor: PRESIGNED_CORRIDOR });
        assert.equal(Buffer.byteLength(payload), pool.payloadBytes);
        assert.equal(payloadHash, sha256(payload).toString('hex'));
        assert.ok(verify(null, sha256(signingMessage(id, payloadHash)), publicKey, Buffer.from(signature, 'base64url')), `entry ${line} verifies`);
        // A signature is bound to its own transaction id.
        if (seq > 0) assert.ok(!verify(null, sha256(signingMessage(`${'0'.repeat(63)}1`, payloadHash)), publicKey, Buffer.from(signature, 'base64url')));
      }
    }
    assert.equal(ids.size, 50, 'transaction ids are unique');
  });

  it('two files never share a key or a transaction id', () => {
    const a = join(dir, 'a.ndjson');
    const b = join(dir, 'b.ndjson');
    presign({ out: a, count: 5, payloadBytes: [512] });
    presign({ out: b, count: 5, payloadBytes: [512] });
    const [ha, ...ea] = readFileSync(a, 'utf8').trimEnd().split('\n');
    const [hb, ...eb] = readFileSync(b, 'utf8').trimEnd().split('\n');
    assert.notEqual(JSON.parse(ha!).publicKey, JSON.parse(hb!).publicKey);
    const idsA = new Set(ea.map((l) => l.split(' ')[0]));
    assert.ok(eb.every((l) => !idsA.has(l.split(' ')[0])));
  });

  it('uses the key it is given, and leaves no file behind when it fails', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const out = join(dir, 'keyed.ndjson');
    const h = presign({ out, count: 1, payloadBytes: [64], privateKey });
    assert.equal(h.publicKey, (publicKey.export({ format: 'jwk' }) as { x: string }).x);
    const missingDir = join(dir, 'no-such-dir', 'x.ndjson');
    assert.throws(() => presign({ out: missingDir, count: 1, payloadBytes: [64] }), /ENOENT/);
    assert.ok(!existsSync(join(dir, 'no-such-dir')));
    assert.ok(readdirSync(dir).every((f) => !f.endsWith('.tmp')));
  });
});

describe('presigned file header', () => {
  it('says what is wrong with a file that is not one', () => {
    assert.throws(() => parsePresignedHeader('not json', 'f.ndjson'), /f\.ndjson: line 1 is not JSON; expected the header of a file written by tools\/presign\/presign\.ts/);
    assert.throws(() => parsePresignedHeader('{"format":"other/1"}', 'f'), /format "other\/1", expected "ledger-perf-presigned\/1"; regenerate/);
    const ok = { format: 'ledger-perf-presigned/1', algorithm: 'ED25519', publicKey: 'A'.repeat(43), createdAt: '', pools: [{ payloadBytes: 512, count: 2 }] };
    assert.equal(parsePresignedHeader(JSON.stringify(ok), 'f').pools.length, 1);
    assert.throws(() => parsePresignedHeader(JSON.stringify({ ...ok, algorithm: 'RSA' }), 'f'), /algorithm "ED25519"/);
    assert.throws(() => parsePresignedHeader(JSON.stringify({ ...ok, pools: [] }), 'f'), /no pools/);
    assert.throws(() => parsePresignedHeader(JSON.stringify({ ...ok, pools: [{ payloadBytes: 512, count: 0 }] }), 'f'), /\/pools\/0 needs a positive integer/);
    assert.throws(() => parsePresignedHeader(JSON.stringify({ ...ok, pools: [ok.pools[0], ok.pools[0]] }), 'f'), /payloadBytes 512 twice/);
  });
});

describe('presigned entry lines', () => {
  it('round-trip, and anything else is refused', () => {
    const id = 'a'.repeat(64),
      hash = 'b'.repeat(64),
      sig = `${'C_-'.repeat(28)}xy`;
    assert.deepEqual(parsePresignedEntry(presignedEntryLine(id, hash, sig)), [id, hash, sig]);
    assert.equal(parsePresignedEntry(`${id} ${hash}`), undefined);
    assert.equal(parsePresignedEntry(`${id} ${hash} ${sig}=`), undefined);
    assert.equal(parsePresignedEntry(`${id.toUpperCase()} ${hash} ${sig}`), undefined);
  });
});

describe('presigned slots', () => {
  it('never give two submissions the same entry across iterations, scenarios and submissions per iteration', () => {
    const seen = new Set<number>();
    for (let it = 0; it < 50; it++) for (let sc = 0; sc < 3; sc++) for (let j = 0; j < 2; j++) seen.add(presignedSlot(it, sc, 3, 2, j));
    assert.equal(seen.size, 50 * 3 * 2);
    assert.equal(Math.max(...seen), 50 * 3 * 2 - 1, 'and leave no gap');
  });
});

describe('SIGNING=presigned configuration', () => {
  it('needs an absolute PRESIGNED_FILE and reads PRESIGNED_SLOTS', () => {
    assert.throws(() => loadConfig({ SIGNING: 'presigned' }), /PRESIGNED_FILE="" is not valid: expected the absolute path of a file written by tools\/presign\/presign\.ts/);
    assert.throws(() => loadConfig({ SIGNING: 'presigned', PRESIGNED_FILE: 'rel/x.ndjson' }), /PRESIGNED_FILE="rel\/x\.ndjson" is not valid/);
    assert.throws(() => loadConfig({ SIGNING: 'presigned', PRESIGNED_FILE: '/x', PRESIGNED_SLOTS: '0' }), /PRESIGNED_SLOTS="0" is not valid/);
    const c = loadConfig({ SIGNING: 'presigned', PRESIGNED_FILE: '/tmp/x.ndjson', PRESIGNED_SLOTS: '2' });
    assert.deepEqual(c.presigned, { file: '/tmp/x.ndjson', slotsPerIteration: 2 });
    assert.equal(loadConfig({}).presigned, undefined);
  });
});
