// Worker side of the signature verification pool: verifies packed batches of
// (32-byte public key, 32-byte message, 64-byte signature) records.
import { parentPort } from 'node:worker_threads';
import { verifyEd25519 } from './ed25519.ts';
import { RECORD_BYTES } from './verify-pool.ts';

parentPort!.on('message', (m: { id: number; records: Uint8Array }) => {
  const n = m.records.length / RECORD_BYTES;
  const results = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const at = i * RECORD_BYTES;
    results[i] = verifyEd25519(m.records.subarray(at, at + 32), m.records.subarray(at + 32, at + 64), m.records.subarray(at + 64, at + 128)) ? 1 : 0;
  }
  parentPort!.postMessage({ id: m.id, results }, [results.buffer]);
});
