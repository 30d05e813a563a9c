// Signs register transactions before a run, outside k6 (SIGNING=presigned): native Ed25519 in
// Node costs ~50 µs a signature where pure-JS Ed25519 inside k6 costs ~15 ms of generator CPU.
// Usage: tsx tools/presign/presign.ts --out FILE --count N [--payload-bytes 512[,4096...]]
// Writes the file lib/shared/presigned.ts describes, atomically (temp file + rename).
import { createHash, generateKeyPairSync, type KeyObject, randomBytes, sign } from 'node:crypto';
import { closeSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { PRESIGNED_CORRIDOR, PRESIGNED_FORMAT, type PresignedHeader, presignedEntryLine } from '../../lib/shared/presigned.ts';
import { makePayloadJson, signingMessage } from '../../lib/shared/transactions.ts';

export interface PresignOptions {
  out: string;
  count: number;
  payloadBytes: number[];
  /** A fixed key (tests); a fresh one by default. */
  privateKey?: KeyObject;
}

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest();

export function presign(opts: PresignOptions): PresignedHeader {
  const privateKey = opts.privateKey ?? generateKeyPairSync('ed25519').privateKey;
  const jwk = privateKey.export({ format: 'jwk' }) as { x?: string };
  if (!jwk.x) throw new Error('presign: the key is not an Ed25519 private key');
  const header: PresignedHeader = {
    format: PRESIGNED_FORMAT,
    algorithm: 'ED25519',
    publicKey: jwk.x,
    createdAt: new Date().toISOString(),
    pools: opts.payloadBytes.map((payloadBytes) => ({ payloadBytes, count: opts.count })),
  };
  const out = resolve(opts.out);
  const tmp = `${out}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'w');
  try {
    writeSync(fd, `${JSON.stringify(header)}\n`);
    let buf = '';
    for (const pool of header.pools) {
      for (let seq = 0; seq < pool.count; seq++) {
        const payloadHash = sha256(makePayloadJson(pool.payloadBytes, { seq, vu: 0, corridor: PRESIGNED_CORRIDOR })).toString('hex');
        const transactionId = randomBytes(32).toString('hex');
        // Pure Ed25519 over the 32-byte digest: the contract's "pre-hashed" signing.
        const signature = sign(null, sha256(signingMessage(transactionId, payloadHash)), privateKey).toString('base64url');
        buf += `${presignedEntryLine(transactionId, payloadHash, signature)}\n`;
        if (buf.length > 1 << 20) {
          writeSync(fd, buf);
          buf = '';
        }
      }
    }
    writeSync(fd, buf);
    closeSync(fd);
    renameSync(tmp, out);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
  return header;
}

function positiveInt(name: string, raw: string, max: number): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > max) {
    throw new Error(`--${name} ${JSON.stringify(raw)} is not valid: expected an integer from 1 to ${max}`);
  }
  return n;
}

function main(): void {
  const { values } = parseArgs({
    options: { out: { type: 'string' }, count: { type: 'string' }, 'payload-bytes': { type: 'string', default: '512' } },
  });
  try {
    if (!values.out) throw new Error('--out FILE is required: where to write the pre-signed transactions');
    if (!values.count) throw new Error("--count N is required: transactions per payload size (at least the run's iterations × its scenarios)");
    const count = positiveInt('count', values.count, 50_000_000);
    const payloadBytes = values['payload-bytes'].split(',').map((s) => positiveInt('payload-bytes', s.trim(), 10 * 1024 * 1024));
    const t0 = Date.now();
    presign({ out: values.out, count, payloadBytes });
    process.stderr.write(`[presign] ${count * payloadBytes.length} transactions (${payloadBytes.join(', ')} bytes) in ${Date.now() - t0} ms -> ${resolve(values.out)}\n`);
    process.stdout.write(`${resolve(values.out)}\n`);
  } catch (err) {
    process.stderr.write(`presign: ${(err as Error).message}\n`);
    process.exitCode = 2;
  }
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('tools/presign/presign.ts')) main();
